"""Pulled tables for build/publish tests, built from the schema module only (not from `pull`'s code).

``make_aggregated`` returns rows with exactly ``schema.aggregated_columns()``; ``write_pull_dir``
writes aggregated.parquet, annotations.parquet and agreement.json like `pull` does.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd

from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.schema import (
    AGGREGATED_FILE,
    AGREEMENT_FILE,
    ANNOTATION_COLUMNS,
    ANNOTATIONS_FILE,
    aggregated_columns,
    content_id,
)

STRATEGIES = ("expert_coach", "terse_gym_buddy", "flawed_unsafe")
MODELS = ("claude-haiku-4-5", "SmolLM2-135M-Instruct (embedded, demo quality)")


def make_aggregated(
    n_prompts: int = 100,
    *,
    pairs_per_prompt: int | tuple[int, ...] = 1,
    tie_every: int = 0,
    seed: int = 0,
    subtopics: tuple[str, ...] = SUBTOPIC_IDS,
) -> pd.DataFrame:
    """Aggregated pairs: prompt i has ``pairs_per_prompt`` pairs (cycled if a tuple), subtopics cycle,
    every ``tie_every``-th pair is a tie (0: none)."""
    rng = random.Random(seed)
    sizes = pairs_per_prompt if isinstance(pairs_per_prompt, tuple) else (pairs_per_prompt,)
    rows, index = [], 0
    for number in range(n_prompts):
        prompt = f"Question {number}: how should I train for {subtopics[number % len(subtopics)]}?"
        for k in range(sizes[number % len(sizes)]):
            one, two = f"Answer A{k} to {number}.", f"Answer B{k} to {number}."
            index += 1
            preferred = "tie" if tie_every and index % tie_every == 0 else rng.choice(("1", "2"))
            row = {
                "pair_id": content_id(prompt, one, two),
                "prompt": prompt,
                "response_1": one,
                "response_2": two,
                "preferred": preferred,
                "n_annotators": rng.choice((1, 2, 3)),
            }
            for name in CRITERION_IDS:
                row[f"{name}_1"] = float(rng.randint(1, 5))
                row[f"{name}_2"] = float(rng.randint(1, 5))
            row["margin"] = sum(row[f"{c}_1"] - row[f"{c}_2"] for c in CRITERION_IDS) / len(CRITERION_IDS)
            row["agreement"] = rng.choice((0.5, 2 / 3, 1.0))
            row.update(
                subtopic=subtopics[number % len(subtopics)],
                persona="gym_regular",
                difficulty="basic",
                strategy_1=rng.choice(STRATEGIES),
                strategy_2=rng.choice(STRATEGIES),
                model_1=MODELS[0],
                model_2=rng.choice(MODELS),
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=list(aggregated_columns()))


def write_pull_dir(path: Path, aggregated: pd.DataFrame, *, simulated: bool = True) -> Path:
    """Write a pull folder: the aggregated table, a tidy annotation table and agreement.json."""
    path.mkdir(parents=True, exist_ok=True)
    aggregated.to_parquet(path / AGGREGATED_FILE, index=False)
    annotators = ["sim-ann-1", "sim-ann-2"] if simulated else ["alice", "bob"]
    tidy = [
        {
            "pair_id": pair_id,
            "annotator": name,
            "status": "submitted",
            "question": "overall",
            "response": side,
            "value": "1",
            "updated_at": "2026-01-01T00:00:00",
            "simulated": simulated,
        }
        for pair_id in aggregated["pair_id"]
        for name in annotators
        for side in (1, 2)
    ]
    pd.DataFrame(tidy, columns=list(ANNOTATION_COLUMNS)).to_parquet(path / ANNOTATIONS_FILE, index=False)
    agreement = {
        "counts": {"submitted": len(aggregated) * 2, "draft": 3, "discarded": 1},
        "records": len(aggregated),
        "annotators": 2,
        "tie_rate": 0.125,
        "alpha": {"overall": 0.41, **{name: 0.5 + i / 100 for i, name in enumerate(CRITERION_IDS)}},
        "kappa": [],
        "per_annotator": [],
    }
    (path / AGREEMENT_FILE).write_text(json.dumps(agreement), encoding="utf-8")
    return path
