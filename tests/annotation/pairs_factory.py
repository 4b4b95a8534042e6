"""Build realistic, deterministic ``PairRow`` objects and pairs.jsonl files for tests.

Until the generation stage writes real pairs, push/pull/simulate tests build them here. Texts vary
with the index, so every pair has its own content-hash id; judge scores are drawn from a seeded RNG.
"""

from __future__ import annotations

import random
from pathlib import Path

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.domain.taxonomy import SUBTOPICS
from rlhf_argilla.schema import PAIRS_FILE, JudgeScores, PairRow, Response, Selection

__all__ = ["make_pair", "make_pairs", "write_pairs", "JUDGE_MODEL"]

JUDGE_MODEL = "claude-haiku-4-5"
_STRATEGIES = ("expert_coach", "cautious_clinician", "terse", "overconfident")
_MODELS = ("claude-haiku-4-5", "qwen2.5-0.5b-instruct")


def _judge(rng: random.Random, base: int) -> JudgeScores:
    scores = {name: max(1, min(5, base + rng.choice((-1, 0, 0, 1)))) for name in CRITERION_IDS}
    return JudgeScores(**scores, rationale=f"scored around {base}", judge_model=JUDGE_MODEL)


def make_pair(index: int, *, seed: int = 0, judged: bool = True, long_text: bool = False) -> PairRow:
    """Pair number ``index``: a fitness question and two different answers.

    Args:
        index: makes the texts (and so the id) unique.
        seed: changes judge scores and wording, not the shape.
        judged: attach judge scores to both responses.
        long_text: answers of a few hundred words (for benchmarks), else one or two sentences.
    """
    rng = random.Random(f"{seed}:{index}")
    topic = SUBTOPICS[index % len(SUBTOPICS)]
    persona = PERSONAS[index % len(PERSONAS)]
    difficulty = DIFFICULTIES[index % len(DIFFICULTIES)]
    prompt = (
        f"Question {index} ({seed}): as {persona.description}, how should I approach {topic.title.lower()}?"
    )
    padding = " ".join(
        rng.choice(("Warm up first.", "Progress slowly.", "Sleep well.", "Track your sessions."))
        for _ in range(60 if long_text else 1)
    )
    text_1 = f"Answer one to {index}: start with two or three short sessions a week. {padding}"
    text_2 = f"Answer two to {index}: push hard every day and ignore soreness. {padding}"
    strategies = rng.sample(_STRATEGIES, 2)
    base_1, base_2 = rng.choice((4, 5)), rng.choice((2, 3, 4))
    return PairRow(
        pair_id=PairRow.make_id(prompt, text_1, text_2),
        prompt_id=f"prompt-{seed}-{index}",
        prompt=prompt,
        subtopic=topic.id,
        persona=persona.id,
        difficulty=difficulty.id,
        response_1=Response(
            text=text_1,
            strategy=strategies[0],
            model=_MODELS[index % 2],
            judge=_judge(rng, base_1) if judged else None,
        ),
        response_2=Response(
            text=text_2,
            strategy=strategies[1],
            model=_MODELS[(index + 1) % 2],
            judge=_judge(rng, base_2) if judged else None,
        ),
        selection=Selection(method="judge_margin", predicted_margin=float(base_1 - base_2)),
    )


def make_pairs(n: int, *, seed: int = 0, start: int = 0, **kwargs) -> list[PairRow]:
    """``n`` pairs with indices ``start`` … ``start + n - 1``."""
    return [make_pair(i, seed=seed, **kwargs) for i in range(start, start + n)]


def write_pairs(directory: Path, pairs: list[PairRow]) -> Path:
    """Write ``directory/pairs.jsonl`` and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / PAIRS_FILE, "w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(pair.model_dump_json() + "\n")
    return directory
