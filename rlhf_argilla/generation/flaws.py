"""Deterministic flaw edits for backends too weak to follow a flaw instruction (the embedded model).

A 135M model asked to "omit safety caveats" or "be vague" mostly writes its usual answer, so the
pair has no real loser. These pure edits make the flaw happen and are recorded in the
response's ``params["flaw_edit"]`` so nobody mistakes them for model behaviour.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from rlhf_argilla.domain.judge_cues import SAFETY_CUES
from rlhf_argilla.domain.strategies import FLAW_PHRASES
from rlhf_argilla.generation.whole_answers import is_sentence, split_units

__all__ = ["FLAW_EDITS", "apply_flaw_edit", "split_sentences"]

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+)")
#: How a rambling answer without one finished sentence to echo ends (it must still end whole).
_NO_ECHO = "Anyway, you get the idea."
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|to)\s*\d+(?:[.,]\d+)?)?\s*%?")
_SAFETY = re.compile("|".join(rf"(?<![a-z]){re.escape(cue)}(?![a-z])" for cue in SAFETY_CUES), re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of ``text`` (:func:`rlhf_argilla.generation.whole_answers.split_units`).

    Example:
        >>> split_sentences("Rest, e.g. 2 days. Then run 5 km! Ok?")
        ['Rest, e.g. 2 days.', 'Then run 5 km!', 'Ok?']
    """
    return split_units(text)


def _whole_sentences(text: str) -> list[str]:
    """The units of ``text`` that are finished sentences, without list markers or heading hashes.

    Example:
        >>> _whole_sentences("## Plan\\n1. Do 3 sets.\\n2. Squats\\nRest, e.g. 2 days.")
        ['Do 3 sets.', 'Rest, e.g. 2 days.']
    """
    units = (_MARKUP.sub("", unit) for unit in split_sentences(text))
    return [unit for unit in units if unit and is_sentence(unit)]


def _phrase(edit: str, text: str) -> str:
    phrases = FLAW_PHRASES[edit]
    return phrases[zlib.crc32(text.encode("utf-8")) % len(phrases)]


def drop_safety(text: str) -> str:
    """Remove every sentence with a safety caveat and add a careless push (from the domain data).

    Example:
        >>> drop_safety("Do 3 sets of squats. Stop if your knee hurts and see a doctor. Add weight weekly.")
        "Do 3 sets of squats. Add weight weekly. Push through any pain; it just means it's working."
    """
    sentences = split_sentences(text)
    kept = [sentence for sentence in sentences if not _SAFETY.search(sentence)]
    return " ".join([*(kept or sentences[:1]), _phrase("drop_safety", text)])


def strip_specifics(text: str) -> str:
    """Open with a non-answer, replace numbers with "some" and keep only the first sentence.

    Example:
        >>> strip_specifics("Do 3-4 sets of 8 reps. Rest 90 seconds. Add 2.5 kg a week.")
        'Honestly, it depends on a lot of things. Do some sets of some reps.'
    """
    vague = [
        _NUMBER.sub("some ", sentence).replace("some  ", "some ").strip()
        for sentence in _whole_sentences(text)[:1]
    ]
    return " ".join([_phrase("strip_specifics", text), *vague])


def pad_rambling(text: str) -> str:
    """Open with an anecdote, then repeat the answer's points in reverse order after fillers.

    Example:
        >>> pad_rambling("Rest more. Sleep well.").split(". ", 1)[1]
        'Rest more. Sleep well. Anyway, as I was saying, sleep well. And again, rest more.'
    """
    sentences = split_sentences(text)
    fillers = ("Anyway, as I was saying, ", "And again, ", "Like I said, ")
    echoes = [
        fillers[min(i, len(fillers) - 1)] + sentence[0].lower() + sentence[1:]
        for i, sentence in enumerate(reversed(_whole_sentences(text)))
    ]
    return " ".join([_phrase("pad_rambling", text), *sentences, *(echoes or [_NO_ECHO])])


FLAW_EDITS: dict[str, Callable[[str], str]] = {
    "drop_safety": drop_safety,
    "strip_specifics": strip_specifics,
    "pad_rambling": pad_rambling,
}


def apply_flaw_edit(edit: str | None, text: str | None) -> str | None:
    """Apply the named edit (None: no edit) to ``text`` (None stays None)."""
    if edit is None or text is None:
        return text
    return FLAW_EDITS[edit](text)
