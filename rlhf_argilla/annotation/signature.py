"""Pure: what must match for records to be pushed into an existing dataset, and how two settings differ.

Used by ``push`` and ``review`` before anything is written into a dataset that already exists.
"""

from __future__ import annotations

from typing import Any

__all__ = ["settings_signature", "signature_difference"]


def settings_signature(serialized: dict) -> dict[str, Any]:
    """What must match for records to be pushed into an existing dataset: fields and questions.

    Args:
        serialized: ``rg.Settings.serialize()`` of the expected or the existing dataset.

    Returns:
        ``{"fields": {name: type}, "questions": {name: (type, required, options)}}``.

    Example:
        >>> settings_signature({"fields": [{"name": "prompt", "type": "text"}],
        ...                     "questions": [{"name": "q", "required": True,
        ...                                    "settings": {"type": "rating", "options": [{"value": 1}]}}]})
        {'fields': {'prompt': 'text'}, 'questions': {'q': ('rating', True, (1,))}}
    """
    fields = {f["name"]: (f.get("settings") or {}).get("type", f.get("type")) for f in serialized["fields"]}
    questions = {}
    for question in serialized["questions"]:
        settings = question["settings"]
        options = tuple(option["value"] for option in settings.get("options") or ())
        questions[question["name"]] = (settings["type"], bool(question.get("required")), options)
    return {"fields": fields, "questions": questions}


def signature_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """A short description of how two signatures differ, or ``None`` when they match.

    Example:
        >>> signature_difference({"fields": {}, "questions": {"q": ("rating", True, (1, 2))}},
        ...                      {"fields": {}, "questions": {"r": ("text", False, ())}})
        'questions missing: q; questions not expected: r'
    """
    problems = []
    for part in ("fields", "questions"):
        want, have = expected[part], actual[part]
        if missing := sorted(set(want) - set(have)):
            problems.append(f"{part} missing: {', '.join(missing)}")
        if extra := sorted(set(have) - set(want)):
            problems.append(f"{part} not expected: {', '.join(extra)}")
        if changed := sorted(name for name in set(want) & set(have) if want[name] != have[name]):
            problems.append(f"{part} defined differently: {', '.join(changed)}")
    return "; ".join(problems) or None
