"""Pure: whole answers. An answer cut by the token cap is trimmed to its last complete unit.

A generation that used its whole ``max_new_tokens`` budget stopped at the cap (llama.cpp's
``finish_reason == "length"``, the Messages API's ``stop_reason == "max_tokens"``: both report
exactly the cap as output tokens), so its last sentence or list item may be cut ("- C"). Such a
text is trimmed back to the end of its last complete sentence or line, then trailing lines that
only announce content that was cut (a heading, an intro ending in ":", an unclosed code fence)
go too. Sentence ends are ``.`` ``!`` ``?`` (``…``) followed by white space; a period is not a
sentence end inside a number ("2.5 kg"), after a list marker ("1. Squats") or after an
abbreviation ("e.g. squats"). An answer that did not reach the cap is never changed.

:func:`ends_mid_sentence` is the independent check used by tests and reports: does a text, as
shown, end in the middle of a sentence or list item?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Trim",
    "hit_cap",
    "trim_capped",
    "whole_answer",
    "ends_mid_sentence",
    "split_units",
    "is_sentence",
    "ABBREVIATIONS",
]

#: Words whose trailing period does not end a sentence when a lower-case word or digit follows.
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "eg", "ie", "etc", "vs", "approx", "incl", "min", "mins", "sec", "secs", "hr", "hrs"}
    | {"dr", "mr", "mrs", "ms", "st", "no", "nr", "cf", "ca", "wk", "wks", "lb", "lbs", "oz", "fig"}
)
#: Abbreviations that never end a sentence, even at the very end of a cut text.
_NEVER_FINAL = frozenset({"e.g", "i.e", "eg", "ie", "vs", "approx", "incl", "dr", "mr", "mrs", "ms", "cf"})
_CLOSERS = "\"'”’)]*_`"
_END = re.compile(rf"[.!?…]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)]|[a-zA-Z][.)])(?:\s+|$)")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*:?\s*$|__[^_]+__:?\s*$)")  # "## Plan", "**Day 1**"
_LABELLED = re.compile(r"^\W*[A-Za-z][\w ()/-]{0,40}:\s+\S")  # "Run: 3000m x 2", a key-value line
_ASIDE = re.compile(r"\s*\([^()]*\)$")  # a trailing "(laughs)"
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
_DANGLING = frozenset(
    {"and", "or", "but", "the", "a", "an", "to", "of", "with", "for", "in", "on", "at", "by", "from"}
    | {"your", "my", "is", "are", "as", "that", "which", "if", "so", "than", "into", "about", "like"}
)


@dataclass(frozen=True)
class Trim:
    """A generated text after the whole-answer rule: the kept ``text`` and the characters cut."""

    text: str | None
    removed_chars: int = 0

    @property
    def trimmed(self) -> bool:
        return self.removed_chars > 0

    def params(self) -> dict[str, Any]:
        """What goes into the response's ``params`` (nothing when the text was kept whole).

        Example:
            >>> Trim("Do 3 sets.", 12).params(), Trim("Do 3 sets.").params()
            ({'trimmed': True, 'trimmed_chars': 12}, {})
        """
        return {"trimmed": True, "trimmed_chars": self.removed_chars} if self.trimmed else {}


def hit_cap(usage: dict[str, Any] | None, max_new_tokens: int | None) -> bool:
    """Did a call stop at the token cap? (its output tokens reached ``max_new_tokens``)

    Example:
        >>> hit_cap({"output_tokens": 64}, 64), hit_cap({"output_tokens": 40}, 64), hit_cap(None, 64)
        (True, False, False)
    """
    if not usage or not max_new_tokens:
        return False
    return int(usage.get("output_tokens") or 0) >= int(max_new_tokens)


def _word_before(text: str, end: int) -> str:
    found = _WORD_BEFORE.search(text[:end])
    return found.group(1).lower() if found else ""


def _sentence_ends(text: str) -> list[int]:
    """Positions just after each sentence end (closing quotes, brackets and emphasis included)."""
    ends = []
    for found in _END.finditer(text):
        start, end = found.span()
        line_start = text.rfind("\n", 0, start) + 1
        if _LIST_MARKER.fullmatch(text[line_start:end] + " "):  # "1." / "a)" opening a list item
            continue
        following = text[end:].lstrip()
        if text[start] == ".":
            word = _word_before(text, start)
            if start > 0 and text[start - 1].isdigit() and not following:
                continue  # "Add 2." at the cut: maybe "2.5"
            if word in _NEVER_FINAL and (not following or not following[0].isupper()):
                continue
            if following and (following[0].islower() or (word in ABBREVIATIONS and following[0].isdigit())):
                continue  # "e.g. squats", "approx. 5 min": the sentence goes on
        ends.append(end)
    return ends


def _line_ends(text: str) -> list[int]:
    """Positions of each line's end that a newline follows (the model finished that line)."""
    return [found.start() for found in re.finditer(r"\n", text)]


def split_units(text: str) -> list[str]:
    """The sentences and lines of ``text`` (sentence ends as above; every line break ends a unit).

    Example:
        >>> split_units("Rest, e.g. 2 days. Then run 5 km! Ok?\\n1. Squats\\n2. Add 2.5 kg")
        ['Rest, e.g. 2 days.', 'Then run 5 km!', 'Ok?', '1. Squats', '2. Add 2.5 kg']
    """
    stripped = text.strip()
    cuts = sorted({0, *_sentence_ends(stripped), *_line_ends(stripped), len(stripped)})
    return [part for a, b in zip(cuts, cuts[1:]) if (part := stripped[a:b].strip())]


def is_sentence(unit: str) -> bool:
    """A unit that ends like a finished sentence (``.`` ``!`` ``?``, not an abbreviation).

    Example:
        >>> is_sentence("Rest 2 days."), is_sentence("1. Squats"), is_sentence("Try e.g.")
        (True, False, False)
    """
    bare = unit.strip().rstrip(_CLOSERS).rstrip()
    return bare.endswith(("!", "?", "…", ".")) and not ends_mid_sentence(bare) and "\n" not in bare


def _drop_announcements(text: str) -> str:
    """Remove trailing lines that only announce cut content, and an unclosed code fence."""
    while text:
        fences = list(_FENCE.finditer(text))
        if len(fences) % 2:
            text = text[: fences[-1].start()].rstrip()
            continue
        last = text.rsplit("\n", 1)[-1].strip()
        bare = last.rstrip(_CLOSERS).rstrip()
        if _HEADING.match(last) or bare.endswith(":") or _LIST_MARKER.fullmatch(last + " ") or not bare:
            text = text[: len(text) - len(text.rsplit("\n", 1)[-1])].rstrip()
            continue
        return text
    return text


def trim_capped(text: str) -> str:
    """The longest prefix of a cut text that ends with a complete sentence or line ("" if none).

    Example:
        >>> trim_capped("Do 3 sets, e.g. squats. Then rest for two min")
        'Do 3 sets, e.g. squats.'
        >>> trim_capped("Try these:\\n- Squats\\n- Lunges\\n- C")
        'Try these:\\n- Squats\\n- Lunges'
        >>> trim_capped("Add 2.5 kg a week. Then add 2.")
        'Add 2.5 kg a week.'
        >>> trim_capped("## Plan\\n1. Walk 20 min daily.\\n\\n## Tips\\nStart slow and")
        '## Plan\\n1. Walk 20 min daily.'
        >>> trim_capped("Walk for 20 minutes")
        ''
    """
    stripped = text.rstrip()
    boundaries = sorted({*_sentence_ends(stripped), *_line_ends(stripped)})
    if not boundaries:
        return ""
    return _drop_announcements(stripped[: boundaries[-1]].rstrip())


def whole_answer(text: str | None, capped: bool) -> Trim:
    """Apply the whole-answer rule to one generated text.

    Args:
        text: the generation (``None``: no answer).
        capped: it stopped at the token cap (:func:`hit_cap`).

    Returns:
        The text unchanged when it was not capped; else trimmed by :func:`trim_capped`. A capped
        text with no complete sentence at all becomes ``None`` (no answer: a fragment never
        reaches annotators).

    Example:
        >>> whole_answer("Squat twice a week and", capped=False).text
        'Squat twice a week and'
        >>> whole_answer("Squat twice a week. Add weight when", capped=True)
        Trim(text='Squat twice a week.', removed_chars=16)
        >>> whole_answer("Squat twice a week and", capped=True)
        Trim(text=None, removed_chars=22)
    """
    if text is None:
        return Trim(None)
    stripped = text.strip()
    if not capped or not stripped:
        return Trim(stripped or None)
    kept = trim_capped(stripped)
    return Trim(kept or None, len(stripped) - len(kept))


def ends_mid_sentence(text: str | None) -> bool:
    """Does ``text`` end in the middle of a sentence or list item (as an annotator would see it)?

    The last line must end with ``.`` ``!`` ``?`` (closing marks allowed) and not with an
    abbreviation like "e.g."; a list item, a table row or a code fence may end without one unless
    it is a stub ("- C") or ends on a comma, colon or a word like "and" / "the".

    Example:
        >>> [ends_mid_sentence(t) for t in ["Rest 2 days.", "Rest, e.g.", "Tips:\\n- Squats", "Tips:\\n- C",
        ...  "Go slow and", "Try **this**!", "- Lift with your", "Here is a plan:", "| a | b |"]]
        [False, True, False, True, True, False, True, True, False]
    """
    if not text or not text.strip():
        return False
    last = text.strip().rsplit("\n", 1)[-1].strip()
    if last.startswith(("|", "```", "~~~")):
        return False
    if _HEADING.match(last):
        return True
    bare = _ASIDE.sub("", last).rstrip(_CLOSERS).rstrip() or last
    if bare.endswith(("!", "?", "…")):
        return False
    if bare.endswith("."):
        return _word_before(bare, len(bare) - 1) in _NEVER_FINAL
    marker = _LIST_MARKER.match(last) or _LABELLED.match(last)
    if marker is None:
        return True
    if not _LIST_MARKER.match(last):
        return bare.endswith((",", ":", ";", "-", "(")) or bare.lower().split()[-1] in _DANGLING
    content = bare[marker.end() :].strip(" *_`")
    words = content.lower().split()
    stub = len(content) < 3 or not any(char.isalpha() for char in content)
    return stub or content.endswith((",", ":", ";", "-", "(")) or (words[-1] in _DANGLING)
