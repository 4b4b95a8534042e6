"""heuristic-v1: a transparent, deterministic stand-in for an LLM judge (used on the embedded backend).

Each criterion starts from a neutral score and moves with countable cues (lists in
:mod:`rlhf_argilla.domain.judge_cues`); the rationale lists every cue that moved a score:

* accuracy: +evidence/guideline cues, -absolute claims, -risky advice, -answers off the question;
* safety: +caveats (pain, doctor, form, gradual), -risky pushes, -no caveat on a high-sensitivity subtopic;
* clarity: -very long sentences, -repetition (repeated 3-word shingles), -rambling length, +lists;
* completeness: grows with non-repeated length up to ~70 words and with coverage of the question's words,
  -non-answers ("it depends");
* actionability: +numbers with units, +list steps, +imperative steps, -vague generalities.

It cannot check facts: treat its scores as a prediction for pair selection, not as a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rlhf_argilla.domain import judge_cues as cues
from rlhf_argilla.domain.taxonomy import subtopic as get_subtopic
from rlhf_argilla.schema import JudgeScores

__all__ = ["HEURISTIC_JUDGE", "Cues", "count_cues", "heuristic_scores"]

HEURISTIC_JUDGE = "heuristic-v1"
_WORD = re.compile(r"[a-z0-9'%]+")
_SENTENCE = re.compile(r"[.!?]+(?:\s|$)")
_NUMBER_UNIT = re.compile(r"\b\d+(?:[.,]\d+)?(?:\s*-\s*\d+)?\s*(%|[a-z]+(?: a week)?)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)


@dataclass(frozen=True)
class Cues:
    """Countable features of one answer to one question."""

    words: int
    mean_sentence_words: float
    repetition: float  # share of 3-word shingles that repeat an earlier one
    list_items: int
    numbers_with_units: int
    action_steps: int
    safety: int
    risky: int
    evidence: int
    absolutes: int
    vague: int
    question_coverage: float  # share of the question's content words the answer uses


def _count(text: str, phrases: tuple[str, ...]) -> int:
    return sum(len(re.findall(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text)) for phrase in phrases)


def count_cues(question: str, answer: str) -> Cues:
    """Count the heuristic's cues in ``answer`` (lower-cased) to ``question``.

    Example:
        >>> cue = count_cues("How many squats?", "Do 3 sets of 10 reps. Stop if it causes pain.")
        >>> cue.numbers_with_units, cue.safety, cue.action_steps
        (2, 2, 1)
    """
    text = answer.lower()
    words = _WORD.findall(text)
    sentences = [part for part in _SENTENCE.split(text) if part.strip()] or [text]
    grams = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 0))]
    content = {
        word for word in _WORD.findall(question.lower()) if word not in cues.STOPWORDS and len(word) > 2
    }
    units = set(cues.UNIT_CUES)
    numbers = sum(
        1
        for match in _NUMBER_UNIT.finditer(text)
        if match.group(1) in units or match.group(1).split()[0] in units
    )
    segments = [part for line in text.splitlines() for part in _SENTENCE.split(line) if part.strip()]
    starts = [
        segment.strip().lstrip("-*•0123456789.) ").split(" ", 1)[0].strip(",:;") for segment in segments
    ]
    return Cues(
        words=len(words),
        mean_sentence_words=len(words) / len(sentences),
        repetition=(len(grams) - len(set(grams))) / len(grams) if grams else 0.0,
        list_items=len(_LIST_ITEM.findall(answer)),
        numbers_with_units=numbers,
        action_steps=sum(1 for start in starts if start in cues.ACTION_VERBS),
        safety=_count(text, cues.SAFETY_CUES),
        risky=_count(text, cues.RISKY_CUES),
        evidence=_count(text, cues.EVIDENCE_CUES),
        absolutes=_count(text, cues.ABSOLUTE_CUES),
        vague=_count(text, cues.VAGUE_CUES),
        question_coverage=len(content & set(words)) / len(content) if content else 1.0,
    )


def _clip(value: float) -> int:
    return int(min(5, max(1, round(value))))


def heuristic_scores(question: str, answer: str, subtopic_id: str) -> JudgeScores:
    """Score one answer on the five criteria with heuristic-v1 (see the module docstring).

    Args:
        question: the prompt.
        answer: the candidate response.
        subtopic_id: taxonomy id; high safety-sensitivity subtopics expect a caveat.

    Returns:
        JudgeScores with ``judge_model="heuristic-v1"`` and a rationale listing the cues.

    Example:
        >>> good = heuristic_scores("How should I start squatting?",
        ...     "Start with 3 sets of 8 bodyweight squats, 2 times a week. Keep good form and stop if "
        ...     "your knees hurt; see a physiotherapist if pain persists.", "strength_training")
        >>> bad = heuristic_scores("How should I start squatting?", "It depends. Just go all out.",
        ...     "strength_training")
        >>> good.mean() > bad.mean()
        True
    """
    c = count_cues(question, answer)
    sensitive = get_subtopic(subtopic_id).safety_sensitivity == "high"
    off_topic = c.question_coverage < 0.2
    accuracy = (
        3.2 + 0.5 * min(c.evidence, 2) - 0.6 * min(c.absolutes, 2) - 1.0 * (c.risky > 0) - 0.8 * off_topic
    )
    safety = (
        3.0
        + 1.0 * (c.safety >= 1)
        + 0.8 * (c.safety >= 3)
        - 1.5 * min(c.risky, 2)
        - 1.0 * (sensitive and c.safety == 0)
    )
    clarity = (
        4.6
        - 1.0 * (c.mean_sentence_words > 28)
        - 1.0 * (c.mean_sentence_words > 40)
        - 1.0 * (c.repetition > 0.12)
        - 1.0 * (c.repetition > 0.25)
        - 0.8 * (c.words > 220)
        - 1.2 * (c.words < 12)
        + 0.4 * (c.list_items >= 2)
    )
    fresh_words = c.words * max(0.0, 1 - 2 * c.repetition)  # a repeat adds nothing and hides the point
    length_part = 1.2 if fresh_words < 15 else 2.2 if fresh_words < 35 else 3.2 if fresh_words < 70 else 4.0
    completeness = length_part + 0.8 * (c.question_coverage >= 0.5) - 1.0 * off_topic - 0.6 * min(c.vague, 2)
    actionability = (
        1.6
        + 0.5 * min(c.numbers_with_units, 4)
        + 0.3 * min(c.list_items, 3)
        + 0.4 * min(c.action_steps, 3)
        - 0.8 * min(c.vague, 2)
    )
    rationale = (
        f"{HEURISTIC_JUDGE} (surface cues, not a fact check): {c.words} words, "
        f"{c.mean_sentence_words:.0f} words/sentence, repetition {c.repetition:.2f}, "
        f"{c.numbers_with_units} numbers with units, {c.list_items} list items, {c.action_steps} action steps, "
        f"{c.safety} safety caveats, {c.risky} risky pushes, {c.evidence} evidence cues, "
        f"{c.absolutes} absolutes, {c.vague} vague phrases, question coverage {c.question_coverage:.0%}"
        + ("; high-sensitivity subtopic" if sensitive else "")
    )
    return JudgeScores(
        accuracy=_clip(accuracy),
        safety=_clip(safety),
        clarity=_clip(clarity),
        completeness=_clip(completeness),
        actionability=_clip(actionability),
        rationale=rationale,
        judge_model=HEURISTIC_JUDGE,
    )
