"""Measure a classifier against a hand-labelled set of human turns.

The set is JSON Lines, one object per labelled turn::

    {"source": "helpful-base/test.jsonl.gz", "line": 59, "turn": 1, "batch": 1, "fitness": true,
     "subtopic": "fat_loss", "note": "...", "text": "How do I lose weight?"}

``source`` + ``line`` point at the record in the HH-RLHF sample and ``turn`` at its n-th human
turn (1 when absent); ``text`` is stored too (MIT data), so evaluating needs no access to the
sample. ``first_turn`` is accepted in place of ``text`` (the older form of the file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rlhf_argilla.domain.classifier import EVALUATION_FILE
from rlhf_argilla.errors import AnalysisError

__all__ = ["LabelledTurn", "Evaluation", "load_labelled", "evaluate", "wilson", "load_recorded"]


@dataclass(frozen=True)
class LabelledTurn:
    source: str
    line: int
    fitness: bool
    subtopic: str | None
    text: str
    note: str = ""
    turn: int = 1
    batch: int = 1


@dataclass
class Evaluation:
    """Binary fitness-vs-other counts plus subtopic agreement on true positives."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    subtopic_agree: int = 0
    errors: list[tuple[LabelledTurn, str | None]] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def negatives(self) -> int:
        return self.true_negative + self.false_positive

    @property
    def precision(self) -> float | None:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.positives if self.positives else None

    @property
    def subtopic_accuracy(self) -> float | None:
        """Share of true positives whose predicted subtopic equals the hand label."""
        return self.subtopic_agree / self.true_positive if self.true_positive else None


def load_labelled(path: str | Path) -> list[LabelledTurn]:
    """Read a hand-labelled set; one clear error for a missing file or a bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise AnalysisError(f"cannot read the labelled set {path}: {error.strerror}") from None
    items = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
            items.append(
                LabelledTurn(
                    source=str(row["source"]),
                    line=int(row["line"]),
                    fitness=bool(row["fitness"]),
                    subtopic=row.get("subtopic"),
                    text=str(row["text"] if "text" in row else row["first_turn"]),
                    note=row.get("note") or "",
                    turn=int(row.get("turn", 1)),
                    batch=int(row.get("batch", 1)),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise AnalysisError(
                f"{path}:{number}: not a labelled turn ({error}); expected source, line, fitness, text"
            ) from None
    return items


def evaluate(classify: Callable[[str], str | None], labelled: Iterable[LabelledTurn]) -> Evaluation:
    """Compare predictions with hand labels.

    Args:
        classify: human turn -> subtopic id or ``None``.
        labelled: the hand-labelled turns.

    Returns:
        Counts, precision / recall (``None`` when undefined) and the misclassified turns.

    Example:
        >>> turns = [LabelledTurn("f", 1, True, "running", "go jogging?"),
        ...          LabelledTurn("f", 2, False, None, "squat in a building?")]
        >>> result = evaluate(lambda text: "running" if "jog" in text else None, turns)
        >>> result.precision, result.recall, result.subtopic_accuracy
        (1.0, 1.0, 1.0)
    """
    result = Evaluation()
    for item in labelled:
        predicted = classify(item.text)
        if item.fitness and predicted is not None:
            result.true_positive += 1
            if predicted == item.subtopic:
                result.subtopic_agree += 1
        elif item.fitness:
            result.false_negative += 1
            result.errors.append((item, predicted))
        elif predicted is not None:
            result.false_positive += 1
            result.errors.append((item, predicted))
        else:
            result.true_negative += 1
    return result


def wilson(successes: float, total: float, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score interval (95 % by default) of a proportion; ``None`` when ``total`` is 0.

    Counts pooled over repeated k-fold are divided by the repetitions first (each turn then
    counts once), so the interval is not narrowed by scoring the same turns again.

    Example:
        >>> tuple(round(value, 3) for value in wilson(4, 7))
        (0.25, 0.842)
    """
    if total <= 0:
        return None
    share = successes / total
    centre = share + z * z / (2 * total)
    spread = z * (share * (1 - share) / total + z * z / (4 * total * total)) ** 0.5
    scale = 1 + z * z / total
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def load_recorded(path: Path = EVALUATION_FILE) -> dict:
    """The recorded out-of-sample evaluation and threshold (``python -m rlhf_argilla.analysis.crossval --write``)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AnalysisError(
            f"cannot read the classifier's recorded evaluation {path} ({error}); "
            "rebuild it with: python -m rlhf_argilla.analysis.crossval --write"
        ) from None
