"""Pure prompt writing: the writer's messages, extracting a usable question, the templated fallback.

A prompt is ``"I'm {persona}. {question}{difficulty follow-up}"``: the asker scaffold is always
templated (so responders know who asks); the question is the model's phrasing when it wrote a
usable, on-topic question of its own (not a copy of the example), else a question seed from the
domain data. ``generator.strategy``
says which: :data:`LLM_STRATEGY` or :data:`TEMPLATE_STRATEGY`.
"""

from __future__ import annotations

import re

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.strategies import (
    ASKER_INTRO,
    DIFFICULTY_FOLLOW_UPS,
    PROMPT_WRITER_SYSTEM,
    PROMPT_WRITER_TEMPLATE,
    QUESTION_SEEDS,
)
from rlhf_argilla.domain.taxonomy import subtopic as get_subtopic
from rlhf_argilla.generation.allocation import Slot
from rlhf_argilla.generation.similarity import jaccard_distance

__all__ = [
    "LLM_STRATEGY",
    "TEMPLATE_STRATEGY",
    "seed_question",
    "writer_messages",
    "extract_question",
    "compose_prompt",
    "question_part",
]

LLM_STRATEGY = "llm-question+asker-scaffold-v1"
TEMPLATE_STRATEGY = "template-fallback-v1"
MIN_WORDS, MAX_WORDS = 6, 45
#: Word-bigram Jaccard distance to the example question below which the model merely copied it.
COPY_DISTANCE = 0.5
_PERSONAS = {item.id: item for item in PERSONAS}
_DIFFICULTIES = {item.id: item for item in DIFFICULTIES}
_QUESTION = re.compile(r"[^.!?\n\"“”]*\?")
_META = re.compile(r"\b(newcomer|question|example|rephrase|in your own words|as an ai)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")


def seed_question(slot: Slot) -> str:
    """The domain question seed this slot rotates to (by its variant).

    Allocation repeats persona x difficulty every ``len(PERSONAS) * len(DIFFICULTIES)`` variants;
    each repeat shifts the seed, so templated prompts stay distinct up to that many x seeds.

    Example:
        >>> combos = len(PERSONAS) * len(DIFFICULTIES)
        >>> seed_question(Slot(0, "running", "p", "basic", 0)) != seed_question(Slot(0, "running", "p", "basic", combos))
        True
    """
    seeds = QUESTION_SEEDS[slot.subtopic]
    repeat = slot.variant // (len(PERSONAS) * len(DIFFICULTIES))
    return seeds[(slot.variant + repeat) % len(seeds)]


def writer_messages(slot: Slot) -> list[dict[str, str]]:
    """Chat messages asking an LLM to write the question for ``slot``."""
    topic = get_subtopic(slot.subtopic)
    user = PROMPT_WRITER_TEMPLATE.format(
        persona=_PERSONAS[slot.persona].description,
        subtopic=topic.title.lower(),
        subtopic_description=topic.description,
        difficulty=_DIFFICULTIES[slot.difficulty].description,
        seed=seed_question(slot),
    )
    return [{"role": "system", "content": PROMPT_WRITER_SYSTEM}, {"role": "user", "content": user}]


def _topic_words(slot: Slot) -> set[str]:
    topic = get_subtopic(slot.subtopic)
    text = " ".join(
        (topic.title, topic.description, " ".join(topic.keywords), *QUESTION_SEEDS[slot.subtopic])
    )
    return {word for word in _WORD.findall(text.lower()) if len(word) > 3}


def extract_question(raw: str | None, slot: Slot) -> str | None:
    """The first usable question in the model's output, or None.

    Usable: a sentence ending in "?", 6-45 words, no meta talk ("question", "example"...), and
    at least one content word shared with the subtopic (so off-topic output is rejected).

    Example:
        >>> slot = Slot(0, "supplements", "teen_athlete", "basic", 0)
        >>> extract_question('Sure! "Is creatine safe for teenagers who play football?"', slot)
        'Is creatine safe for teenagers who play football?'
        >>> extract_question("Creatine is a supplement made of amino acids.", slot) is None
        True
    """
    if not raw:
        return None
    wanted = _topic_words(slot)
    for match in _QUESTION.finditer(raw):
        question = " ".join(match.group(0).split()).lstrip("-*•:0123456789. ")
        words = _WORD.findall(question.lower())
        if not MIN_WORDS <= len(words) <= MAX_WORDS or _META.search(question):
            continue
        if wanted & set(words):
            return question[0].upper() + question[1:]
    return None


def compose_prompt(slot: Slot, raw: str | None) -> tuple[str, str]:
    """The final prompt text for ``slot`` and the strategy that produced it.

    Args:
        slot: the allocated subtopic x persona x difficulty.
        raw: the model's output (None when no call was made or it failed).

    Returns:
        ``(prompt, strategy)``.

    Example:
        >>> compose_prompt(Slot(0, "supplements", "teen_athlete", "basic", 0), None)[1]
        'template-fallback-v1'
    """
    question = extract_question(raw, slot)
    if question and jaccard_distance(question, seed_question(slot), size=2) < COPY_DISTANCE:
        question = None  # the model copied the example: that is the template, say so
    strategy = LLM_STRATEGY if question else TEMPLATE_STRATEGY
    intro = ASKER_INTRO.format(persona=_PERSONAS[slot.persona].description)
    body = question or seed_question(slot)
    return f"{intro} {body}{DIFFICULTY_FOLLOW_UPS[slot.difficulty]}", strategy


def question_part(slot: Slot, prompt: str) -> str:
    """The prompt without its asker scaffold (what near-duplicate checks compare).

    Example:
        >>> slot = Slot(0, "supplements", "teen_athlete", "basic", 0)
        >>> question_part(slot, compose_prompt(slot, None)[0])
        'Is creatine safe and does it work?'
    """
    intro = ASKER_INTRO.format(persona=_PERSONAS[slot.persona].description)
    return prompt.removeprefix(intro).strip()
