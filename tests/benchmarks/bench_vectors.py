"""Benchmark: which offline prompt vector finds planted near-duplicates of the demo's prompts?

Side by side, in one run, on the same texts:

* ``hashing`` (shipped, ``annotation/vectors.py``): char 3-5-gram hashing + fixed random projection, nothing fitted;
* ``tfidf-svd``: TF-IDF (char 3-5-grams, sublinear) + TruncatedSVD, fitted on the pushed prompts;
* ``gguf``: mean-pooled embeddings of the embedded SmolLM2-135M GGUF model (xllamacpp).

Planted effect: for ``--plant`` of the prompts, a near-duplicate is added to the pushed set: an *edit*
(a word dropped, two neighbours swapped, a typo) or a *paraphrase* (phrases swapped for synonyms from a
fixed table, at least two replacements). Each near-duplicate is the query; recall@k is the share whose
original is among its k most similar other prompts (cosine). Random chance is printed for scale.

Usage (from the repo root; prompts from `rlhf-argilla generate prompts -n 120`, the demo's count):
    .venv/bin/python tests/benchmarks/bench_vectors.py --prompts out/gen/prompts.jsonl --plant 60
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rlhf_argilla.annotation.vectors import DIMENSIONS, embed_prompts  # noqa: E402

PARAPHRASES = {
    "can you": "could you",
    "help me": "assist me",
    "i'm": "i am",
    "exercise": "workout",
    "exercises": "workouts",
    "specific": "particular",
    "what": "which",
    "should i": "do i need to",
    "how do i": "what is the way to",
    "beginner": "novice",
    "want to": "would like to",
    "need to": "have to",
    "best": "ideal",
    "start": "begin",
    "week": "seven days",
    "safe": "okay",
    "improve": "get better at",
    "training": "workouts",
    "routine": "plan",
    "weight": "load",
}


def edit(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 4:
        del words[rng.randrange(len(words))]
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    word = rng.randrange(len(words))
    if len(words[word]) > 3:
        w = words[word]
        j = rng.randrange(len(w) - 1)
        words[word] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def paraphrase(text: str, rng: random.Random) -> str | None:
    lowered = text.lower()
    found = [phrase for phrase in PARAPHRASES if re.search(rf"\b{re.escape(phrase)}\b", lowered)]
    if len(found) < 2:
        return None
    for phrase in rng.sample(found, k=min(len(found), 4)):
        lowered = re.sub(rf"\b{re.escape(phrase)}\b", PARAPHRASES[phrase], lowered, count=1)
    return lowered


def plant(prompts: list[str], count: int, seed: int) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Pushed texts (originals + near-duplicates) and (query index, original index, kind)."""
    rng = random.Random(seed)
    texts = list(prompts)
    planted = []
    for original in rng.sample(range(len(prompts)), k=min(count, len(prompts))):
        kind = "paraphrase" if len(planted) % 2 else "edit"
        copy = paraphrase(prompts[original], rng) if kind == "paraphrase" else edit(prompts[original], rng)
        if copy is None:
            kind, copy = "edit", edit(prompts[original], rng)
        planted.append((len(texts), original, kind))
        texts.append(copy)
    return texts, planted


def tfidf_svd(texts: list[str]) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    components = min(DIMENSIONS, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
    return normalize(TruncatedSVD(n_components=components, random_state=0).fit_transform(tfidf))


def gguf(texts: list[str]) -> np.ndarray:
    import xllamacpp
    from sklearn.preprocessing import normalize

    from rlhf_argilla.llms.embedded import find_model_file

    params = xllamacpp.CommonParams()
    params.model.path = str(find_model_file())
    params.verbosity = -1
    params.embedding = True
    params.warmup = False
    params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    server = xllamacpp.Server(params)
    rows = []
    for start in range(0, len(texts), 32):
        answer = server.handle_embeddings({"input": texts[start : start + 32], "model": "embedded"})
        rows.extend(item["embedding"] for item in answer["data"])
    return normalize(np.asarray(rows))


def recall(vectors: np.ndarray, planted: list[tuple[int, int, str]], ks: tuple[int, ...]) -> dict:
    similarity = vectors @ vectors.T
    ranks: dict[str, list[int]] = {"all": []}
    for query, original, kind in planted:
        row = similarity[query].copy()
        row[query] = -np.inf
        rank = int((row > row[original]).sum()) + 1
        ranks["all"].append(rank)
        ranks.setdefault(kind, []).append(rank)
    return {kind: {k: float(np.mean([r <= k for r in got])) for k in ks} for kind, got in ranks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prompts", type=Path, required=True, help="prompts.jsonl (`generate prompts`)")
    parser.add_argument("--plant", type=int, default=60, help="near-duplicates to plant")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-gguf", action="store_true", help="skip the embedded model")
    args = parser.parse_args()
    with open(args.prompts, encoding="utf-8") as handle:
        prompts = [json.loads(line)["prompt"] for line in handle if line.strip()]
    texts, planted = plant(prompts, args.plant, args.seed)
    ks = (1, 5, 10)
    methods = {"hashing (shipped)": lambda t: embed_prompts(t), "tfidf-svd": tfidf_svd}
    if not args.no_gguf:
        methods["gguf SmolLM2-135M"] = gguf
    kinds = sorted({kind for *_, kind in planted})
    print(
        f"{len(prompts)} prompts + {len(planted)} planted ({', '.join(kinds)}); chance recall@1 "
        f"= {1 / (len(texts) - 1):.3f}, @10 = {10 / (len(texts) - 1):.3f}"
    )
    print(
        f"{'method':<20} {'dims':>5} {'seconds':>8}  "
        + "  ".join(f"{kind + ' @' + str(k):>14}" for kind in ["all", *kinds] for k in ks)
    )
    for name, method in methods.items():
        started = time.perf_counter()
        vectors = method(texts)
        seconds = time.perf_counter() - started
        scores = recall(vectors, planted, ks)
        cells = "  ".join(f"{scores[kind][k]:>14.3f}" for kind in ["all", *kinds] for k in ks)
        print(f"{name:<20} {vectors.shape[1]:>5} {seconds:>8.2f}  {cells}")


if __name__ == "__main__":
    main()
