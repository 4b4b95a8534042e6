"""Cue phrases the transparent heuristic judge counts (heuristic-v1), as data.

The heuristic stands in for an LLM judge where the backend cannot judge (the embedded 135M
model). It only counts surface cues, so its scores are a *prediction* used to pick contrasting
pairs, never a verdict: humans in Argilla decide.
"""

from __future__ import annotations

__all__ = [
    "SAFETY_CUES",
    "RISKY_CUES",
    "EVIDENCE_CUES",
    "ABSOLUTE_CUES",
    "VAGUE_CUES",
    "ACTION_VERBS",
    "UNIT_CUES",
    "STOPWORDS",
]

#: Caveats a careful coach adds: risk, pain, professionals, gradual progression.
SAFETY_CUES: tuple[str, ...] = (
    "doctor",
    "physician",
    "physio",
    "physiotherapist",
    "consult",
    "medical",
    "stop if",
    "pain",
    "warm up",
    "warm-up",
    "proper form",
    "good form",
    "technique",
    "gradually",
    "listen to your body",
    "injury",
    "injuries",
    "safe",
    "safely",
    "professional",
    "rest day",
    "dizzy",
    "dizziness",
    "clearance",
)
#: Phrases that push risk without a warning.
RISKY_CUES: tuple[str, ...] = (
    "push through",
    "through the pain",
    "no pain",
    "go all out",
    "all out",
    "ignore",
    "max out",
    "as much as you can",
    "every single day",
    "never rest",
    "no rest",
    "skip the warm",
    "beyond your limit",
)
#: Signs the answer leans on evidence or guidelines.
EVIDENCE_CUES: tuple[str, ...] = (
    "research",
    "studies",
    "study",
    "evidence",
    "guideline",
    "guidelines",
    "recommend",
    "acsm",
    "who ",
    "meta-analysis",
    "per kilogram",
    "g/kg",
)
#: Over-confident absolutes that usually signal inaccuracy in fitness advice.
ABSOLUTE_CUES: tuple[str, ...] = (
    "always",
    "never",
    "guaranteed",
    "guarantee",
    "100%",
    "everyone",
    "miracle",
    "instantly",
    "overnight",
    "the only way",
    "the best way",
)
#: Generalities that give the asker nothing to act on.
VAGUE_CUES: tuple[str, ...] = (
    "it depends",
    "consistency is key",
    "everyone is different",
    "various",
    "generally",
    "some people",
    "in general",
    "just keep",
    "find what works",
)
#: Imperative verbs that open an actionable step.
ACTION_VERBS: tuple[str, ...] = (
    "do",
    "try",
    "start",
    "add",
    "aim",
    "perform",
    "rest",
    "increase",
    "reduce",
    "hold",
    "repeat",
    "walk",
    "run",
    "lift",
    "eat",
    "drink",
    "sleep",
    "track",
    "schedule",
    "begin",
    "keep",
    "include",
)
#: Units that make numbers actionable.
UNIT_CUES: tuple[str, ...] = (
    "set",
    "sets",
    "rep",
    "reps",
    "minute",
    "minutes",
    "min",
    "second",
    "seconds",
    "km",
    "kg",
    "g",
    "times a week",
    "per week",
    "days",
    "hours",
    "%",
    "grams",
    "litres",
    "liters",
    "weeks",
)
#: Words ignored when measuring how much of the question an answer addresses.
STOPWORDS: frozenset[str] = frozenset(
    "a an and are as at be but by can do does for from have how i if in is it its me my of on or "
    "should so that the their them there this to was what when which who why will with would you "
    "your i'm im am also want need get much many any".split()
)
