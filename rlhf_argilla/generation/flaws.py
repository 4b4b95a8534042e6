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

__all__ = ["FLAW_EDITS", "apply_flaw_edit", "split_sentences"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|to)\s*\d+(?:[.,]\d+)?)?\s*%?")
_SAFETY = re.compile("|".join(rf"(?<![a-z]){re.escape(cue)}(?![a-z])" for cue in SAFETY_CUES), re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after . ! ? followed by white space).

    Example:
        >>> split_sentences("Rest. Then run 5 km! Ok?")
        ['Rest.', 'Then run 5 km!', 'Ok?']
    """
    return [part.strip() for part in _SENTENCE.split(text.strip()) if part.strip()]


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
        for sentence in split_sentences(text)[:1]
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
        for i, sentence in enumerate(reversed(sentences))
    ]
    return " ".join([_phrase("pad_rambling", text), *sentences, *echoes])


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
