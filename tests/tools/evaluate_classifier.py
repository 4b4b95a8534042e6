"""Print the keyword rules' precision and recall (in sample: see python -m rlhf_argilla.analysis.crossval).

The set (rlhf_argilla/domain/data/hh_rlhf_fitness_labels.jsonl) stores each labelled turn, so no data
download is needed. ``--compare-rev`` also scores the taxonomy rules as they were at a git
revision (e.g. before a refinement), side by side.

Usage (from the repo root):
    .venv/bin/python tests/tools/evaluate_classifier.py
    .venv/bin/python tests/tools/evaluate_classifier.py --compare-rev d82da91 --errors
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rlhf_argilla.analysis.classify import RuleClassifier  # noqa: E402
from rlhf_argilla.analysis.evaluate import Evaluation, evaluate, load_labelled  # noqa: E402

DEFAULT_SET = REPO / "rlhf_argilla" / "domain" / "data" / "hh_rlhf_fitness_labels.jsonl"


def _taxonomy_at(revision: str):
    source = subprocess.run(
        ["git", "show", f"{revision}:rlhf_argilla/domain/taxonomy.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(f"taxonomy_{revision}", handle.name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    Path(handle.name).unlink()
    return module.SUBTOPICS


def _line(label: str, result: Evaluation) -> str:
    def fmt(value):
        return "  n/a" if value is None else f"{value:.3f}"

    return (
        f"{label:<22} precision {fmt(result.precision)}  recall {fmt(result.recall)}  "
        f"subtopic agreement {fmt(result.subtopic_accuracy)}  "
        f"(TP {result.true_positive}, FP {result.false_positive}, FN {result.false_negative}, "
        f"TN {result.true_negative})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=DEFAULT_SET)
    parser.add_argument("--compare-rev", help="also score the taxonomy rules at this git revision")
    parser.add_argument("--errors", action="store_true", help="list the misclassified turns")
    args = parser.parse_args()

    items = load_labelled(args.labelled)
    positives = sum(item.fitness for item in items)
    print(f"{args.labelled.name}: {positives} fitness turns, {len(items) - positives} look-alike turns")
    current = evaluate(RuleClassifier().classify, items)
    print(_line("current rules", current))
    if args.compare_rev:
        print(
            _line(
                f"rules at {args.compare_rev}",
                evaluate(RuleClassifier(_taxonomy_at(args.compare_rev)).classify, items),
            )
        )
    if args.errors:
        for item, predicted in current.errors:
            kind = "missed" if item.fitness else f"false alarm ({predicted})"
            print(f"  {kind:<28} {item.source}:{item.line}  {item.text[:90]!r}")


if __name__ == "__main__":
    main()
