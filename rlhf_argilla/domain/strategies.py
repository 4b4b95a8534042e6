"""How prompts and responses are written, as data: prompt-writing templates and response strategies.

Diversity comes from *strategies* (system-prompt personas, deliberate flaws, model choice), not
from sampling temperature: the seed process varied only the temperature and ~40 % of its pairs
were judged equal. ``temperature`` is set only where a backend accepts it (the embedded model;
the current Anthropic SDK does not take it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rlhf_argilla.domain._table import id_lookup

__all__ = [
    "ResponseStrategy",
    "RESPONSE_STRATEGIES",
    "STRATEGY_IDS",
    "strategy",
    "CANDIDATE_SETS",
    "PROMPT_WRITER_SYSTEM",
    "PROMPT_WRITER_TEMPLATE",
    "QUESTION_SEEDS",
    "DIFFICULTY_FOLLOW_UPS",
    "ASKER_INTRO",
    "FLAW_PHRASES",
]

StrategyKind = Literal["persona", "flaw"]


@dataclass(frozen=True)
class ResponseStrategy:
    """One way of answering a fitness question.

    ``kind`` is "persona" (an honest attempt in a voice) or "flaw" (a deliberate weakness so the
    pair has a clear loser). ``flaw_edit`` names a deterministic edit
    (:mod:`rlhf_argilla.generation.flaws`) applied on backends too weak to follow the flaw
    instruction (the embedded 135M model); it is recorded in the response's ``params``.
    ``certain_contrast``: a flaw every honest persona clearly beats (risky or empty advice), so one
    persona against it already makes a contrasting pair (the ``lean_candidates`` setting).
    """

    id: str
    kind: StrategyKind
    system_prompt: str
    temperature: float | None = None
    flaw_edit: str | None = None
    certain_contrast: bool = False


RESPONSE_STRATEGIES: tuple[ResponseStrategy, ...] = (
    ResponseStrategy(
        "certified_coach",
        "persona",
        "You are a certified strength and conditioning coach. Answer the question directly, then give "
        "a short plan with exercises, sets, reps or minutes, weekly frequency and how to progress. "
        "Add one safety note that fits this person.",
        temperature=0.7,
    ),
    ResponseStrategy(
        "cautious_physio",
        "persona",
        "You are a cautious physiotherapist. Answer carefully: explain the safe way to do it, name the "
        "warning signs (pain, dizziness, swelling) and say when to see a doctor or physiotherapist "
        "before giving two or three practical steps.",
        temperature=0.7,
    ),
    ResponseStrategy(
        "sports_scientist",
        "persona",
        "You are an evidence-focused sports scientist. Say what research and guidelines (WHO, ACSM) "
        "recommend, give the numbers, mention uncertainty where evidence is weak, and end with a "
        "practical recommendation.",
        temperature=0.7,
    ),
    ResponseStrategy(
        "gym_buddy",
        "persona",
        "You are a friendly gym buddy. Reply in two or three casual sentences with your best tip. "
        "No lists, no caveats.",
        temperature=0.9,
    ),
    ResponseStrategy(
        "flaw_no_safety",
        "flaw",
        "You are an intense trainer who believes in pushing hard. Tell the person to go all out, "
        "train through pain and do more than they think they can. Never mention risks, warm-ups, "
        "doctors or rest.",
        temperature=0.9,
        flaw_edit="drop_safety",
        certain_contrast=True,
    ),
    ResponseStrategy(
        "flaw_vague",
        "flaw",
        "Answer in vague generalities. Use no numbers, no specific exercises and no steps; just say "
        "it depends and that consistency matters.",
        temperature=0.9,
        flaw_edit="strip_specifics",
        certain_contrast=True,
    ),
    ResponseStrategy(
        "flaw_overlong",
        "flaw",
        "Ramble. Start with an unrelated anecdote about your own training, repeat your points in "
        "different words, wander into side topics and never give a clear plan.",
        temperature=1.0,
        flaw_edit="pad_rambling",
    ),
)

STRATEGY_IDS: tuple[str, ...] = tuple(item.id for item in RESPONSE_STRATEGIES)
#: Look a response strategy up by id (``KeyError`` names the valid ids).
strategy = id_lookup("strategy", RESPONSE_STRATEGIES)

#: Candidate sets a prompt is answered with, rotated over prompts (stable by prompt id). Each set
#: mixes honest personas with one deliberate flaw so the judge sees a real quality difference.
CANDIDATE_SETS: tuple[tuple[str, ...], ...] = (
    ("certified_coach", "gym_buddy", "flaw_no_safety"),
    ("cautious_physio", "sports_scientist", "flaw_vague"),
    ("sports_scientist", "certified_coach", "flaw_overlong"),
    ("cautious_physio", "gym_buddy", "flaw_vague"),
    ("certified_coach", "cautious_physio", "flaw_no_safety"),
    ("sports_scientist", "gym_buddy", "flaw_overlong"),
)

# ---- prompt writing --------------------------------------------------------------------------------
PROMPT_WRITER_SYSTEM = (
    "You write realistic questions that people ask a fitness coach. Reply with the question only, "
    "in the first person, one to three sentences, ending with a question mark."
)

#: Filled with ``persona``, ``subtopic``, ``subtopic_description``, ``difficulty`` and ``seed``.
PROMPT_WRITER_TEMPLATE = (
    "Write a question from {persona} about {subtopic} ({subtopic_description}). "
    'It should be {difficulty}. Here is an example of the kind of question: "{seed}" '
    "Write a different question in your own words."
)

#: How an asker introduces themselves in a templated question (persona descriptions start with "a/an/someone").
ASKER_INTRO = "I'm {persona}."

#: Questions a person might ask per subtopic: examples for the prompt writer and the templated fallback.
QUESTION_SEEDS: dict[str, tuple[str, ...]] = {
    "strength_training": (
        "How many sets and reps should I do to get stronger at squats and deadlifts?",
        "How do I know when to add weight to the bar?",
        "Is it better to train with free weights or machines for strength?",
    ),
    "hypertrophy": (
        "How many sets per week does a muscle need to grow?",
        "Do I have to train to failure to build muscle?",
        "Which rep range is best for building muscle size?",
    ),
    "cardio_endurance": (
        "How much cardio should I do each week for my heart health?",
        "Is HIIT better than steady cardio for improving my fitness?",
        "How do I work out my heart-rate zones for endurance training?",
    ),
    "running": (
        "How should I increase my weekly running distance without getting hurt?",
        "How do I pace a long run compared with an easy run?",
        "Do I need special running shoes to start running?",
    ),
    "mobility_flexibility": (
        "Should I stretch before or after a workout?",
        "What mobility routine helps with tight hips from sitting all day?",
        "How long do I need to hold a stretch for it to work?",
    ),
    "fat_loss": (
        "How fast can I safely lose body fat?",
        "Is cardio or weight training better for losing fat?",
        "Why did my weight loss stall after a few weeks?",
    ),
    "sports_nutrition": (
        "How much protein do I need per day if I train?",
        "What should I eat before a morning workout?",
        "How much water should I drink during a long training session?",
    ),
    "recovery_sleep": (
        "How many rest days do I need each week?",
        "Is it okay to train when my muscles are still sore?",
        "How does sleep affect my training results?",
    ),
    "injury_rehab": (
        "My knee hurts when I squat; how can I keep training safely?",
        "How do I come back to lifting after a lower-back strain?",
        "What exercises help prevent shoulder injuries?",
    ),
    "special_populations": (
        "Which exercises are safe and useful for me at my age or condition?",
        "How should I adapt my training to my health condition?",
        "What intensity of exercise is safe for me?",
    ),
    "beginner_fitness": (
        "What is a simple routine to start exercising?",
        "How do I build a habit of working out regularly?",
        "I feel nervous at the gym; how do I get started?",
    ),
    "home_bodyweight": (
        "Can I build strength at home without any equipment?",
        "What is a good 20-minute bodyweight workout?",
        "How do I make push-ups and squats harder at home?",
    ),
    "program_design": (
        "How should I split my workouts over the week?",
        "How do I plan progression over a 12-week program?",
        "How often should I change my training program?",
    ),
    "supplements": (
        "Is creatine safe and does it work?",
        "Do I need protein powder if I eat enough food?",
        "Are pre-workout supplements worth it?",
    ),
    "training_mindset": (
        "How do I stay motivated to exercise when I'm tired after work?",
        "How do I stop skipping workouts?",
        "Can exercise help with my anxiety?",
    ),
}

#: Appended to a templated question to make it match the difficulty level.
DIFFICULTY_FOLLOW_UPS: dict[str, str] = {
    "basic": "",
    "intermediate": " Please give me specific numbers I can follow.",
    "advanced": " I also have limited time and want to avoid getting hurt, so what trade-offs should I make?",
}

#: Sentences the deterministic flaw edits add (see :mod:`rlhf_argilla.generation.flaws`): what a
#: careless coach says. Used only where the model cannot follow the flaw instruction itself.
FLAW_PHRASES: dict[str, tuple[str, ...]] = {
    "drop_safety": (
        "Push through any pain; it just means it's working.",
        "Skip the warm-up and go all out from the first set.",
        "Train hard every single day; rest days are for the lazy.",
    ),
    "strip_specifics": (
        "It depends, everyone is different.",
        "Honestly, it depends on a lot of things.",
        "In general, just find what works for you.",
    ),
    "pad_rambling": (
        "I remember when I first started training years ago, it was a long and winding story.",
        "Funny thing, this reminds me of a trip I took once where I barely trained at all.",
        "Before I answer, let me tell you about my own journey, which took many turns.",
    ),
}
