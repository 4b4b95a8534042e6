"""The files passed between stages and their columns, in one module every stage imports.

prompts.jsonl -> pairs.jsonl -> (Argilla) -> annotations.parquet + aggregated.parquet -> built configs.
Ids are content hashes (:func:`content_id`), so reruns produce the same ids and re-pushes update.
agreement.json's model lives in ``schema.agreement``, the progress protocol of long steps in ``schema.progress``;
the pairs pipeline's columns between its steps (candidates, judge verdicts, the selection) and the judge's
scores in ``schema.pairs``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rlhf_argilla.annotation.settings import CONTROL_METADATA
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.domain.pair_kinds import PairKind, kind_of
from rlhf_argilla.schema.agreement import AgreementSummary, Reliability
from rlhf_argilla.schema.pairs import (
    Candidate,
    JudgeScores,
    JudgeVerdict,
    PairSelection,
    SwapOutcome,
    SwapProbe,
)
from rlhf_argilla.schema.progress import Progress

__all__ = [
    "Preferred",
    "PREFERENCE_LABELS",
    "content_id",
    "normalise_text",
    "Usage",
    "Generator",
    "PromptRow",
    "JudgeScores",
    "Candidate",
    "JudgeVerdict",
    "SwapProbe",
    "SwapOutcome",
    "PairSelection",
    "Response",
    "Selection",
    "PairRow",
    "ANNOTATION_COLUMNS",
    "ANNOTATION_STATUSES",
    "aggregated_columns",
    "AGGREGATED_METADATA_COLUMNS",
    "AGGREGATED_CONTROL_COLUMNS",
    "PROMPTS_FILE",
    "PAIRS_FILE",
    "ANNOTATIONS_FILE",
    "AGGREGATED_FILE",
    "AGREEMENT_FILE",
    "AgreementSummary",
    "Reliability",
    "Progress",
    "GAPS_FILE",
    "ANALYSIS_REPORT_FILE",
    "COVERAGE_CHART_FILE",
    "CONVERSATION_LABEL_COLUMNS",
    "PROMPTS_SUMMARY_FILE",
    "PAIRS_SUMMARY_FILE",
    "PULL_REPORT_FILE",
    "AGREEMENT_CHART_FILE",
    "RELIABILITY_CHART_FILE",
    "CARD_FILE",
    "SUBTOPICS_CHART_FILE",
    "usage_of",
    "write_jsonl",
    "write_text_atomic",
]

PROMPTS_FILE = "prompts.jsonl"
PAIRS_FILE = "pairs.jsonl"
ANNOTATIONS_FILE = "annotations.parquet"
AGGREGATED_FILE = "aggregated.parquet"
AGREEMENT_FILE = "agreement.json"
#: usage and counts of a generation run, next to prompts.jsonl / pairs.jsonl
PROMPTS_SUMMARY_FILE = "prompts.summary.json"
PAIRS_SUMMARY_FILE = "pairs.summary.json"
#: `pull` writes the agreement report and its chart next to the tables
PULL_REPORT_FILE = "report.md"
AGREEMENT_CHART_FILE = "agreement.png"
#: per-annotator competence (annotation.reliability_report)
RELIABILITY_CHART_FILE = "reliability.png"
#: `build` writes the dataset card and its chart at the top of the built folder (`publish` uploads them)
CARD_FILE = "README.md"
SUBTOPICS_CHART_FILE = "subtopics.png"

# ---- analyze (HH-RLHF coverage) -------------------------------------------------------------------
#: gaps.json: source, conversations, fitness_conversations, subtopics {id: count, share_of_fitness,
#: weight}, under_covered, classifier {name, precision, recall, measured}; read by `generate prompts --gaps`
GAPS_FILE = "gaps.json"
ANALYSIS_REPORT_FILE = "report.md"
COVERAGE_CHART_FILE = "coverage.png"
#: `analyze --labels FILE`: one row per conversation; subtopic is empty / null when not fitness
CONVERSATION_LABEL_COLUMNS: tuple[str, ...] = ("source", "line", "first_turn", "subtopic")


def normalise_text(text: str) -> str:
    """NFKC, lower case, collapsed white space: the form ids are computed from."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def content_id(*parts: str) -> str:
    """First 16 hex digits of sha256 over the normalised parts (order matters)."""
    digest = hashlib.sha256("\x1f".join(normalise_text(part) for part in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Usage(_Row):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float | None = None


class Generator(_Row):
    backend: str  # "embedded" | "anthropic"
    model: str
    strategy: str


class PromptRow(_Row):
    """One line of prompts.jsonl."""

    prompt_id: str
    prompt: str
    subtopic: str
    persona: str
    difficulty: str
    generator: Generator
    usage: Usage = Field(default_factory=Usage)


class Response(_Row):
    text: str
    strategy: str
    model: str
    params: dict = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    judge: JudgeScores | None = None


class Selection(_Row):
    """How the pair was chosen; ``predicted_margin`` (judge mean of response 1 minus 2) is None when
    the judge's verdict flipped with the candidate order (``judge_swap`` = "flipped", see
    ``generation.judge_swap``); ``judge_swap`` is None for prompts the swap probe did not judge twice."""

    method: str
    predicted_margin: float | None
    judge_swap: SwapOutcome | None = None
    #: the kind the prompt was drawn for (``generate pairs --close-share``); None before kinds existed
    requested_kind: PairKind | None = None


class PairRow(_Row):
    """One line of pairs.jsonl: a prompt and two responses that were chosen to differ."""

    pair_id: str
    prompt_id: str
    prompt: str
    subtopic: str
    persona: str
    difficulty: str
    response_1: Response
    response_2: Response
    selection: Selection
    #: contrast (a flaw strategy on one side) or close (two honest personas); filled from the two
    #: strategies when absent (pairs.jsonl written before kinds existed)
    pair_kind: PairKind | None = None

    @model_validator(mode="after")
    def _kind_from_strategies(self) -> PairRow:
        if self.pair_kind is None:
            self.pair_kind = kind_of([self.response_1.strategy, self.response_2.strategy])
        return self

    @staticmethod
    def make_id(prompt: str, text_1: str, text_2: str) -> str:
        return content_id(prompt, text_1, text_2)


# ---- annotation tables (parquet, written by `pull`) ----------------------------------------------
ANNOTATION_STATUSES: tuple[str, ...] = ("submitted", "draft", "discarded")

#: annotations.parquet: tidy, one row per pair x annotator x question, nothing dropped.
#: ``response`` is 1 / 2 for per-response questions (A/B already undone), None otherwise;
#: ``value`` is stored as a string (rank "1"/"2", rating "1".."5", rationale text) or None.
ANNOTATION_COLUMNS: tuple[str, ...] = (
    "pair_id",
    "annotator",
    "status",
    "question",
    "response",
    "value",
    "updated_at",
    "simulated",
)

#: metadata columns carried from pairs into aggregated.parquet and the built configs
AGGREGATED_METADATA_COLUMNS: tuple[str, ...] = (
    "subtopic",
    "persona",
    "difficulty",
    "strategy_1",
    "strategy_2",
    "model_1",
    "model_2",
    "pair_kind",  # contrast / close (annotation.kind_metadata)
    "predicted_margin",  # the judge's, response 1 minus 2
)


#: control items (`push --controls`): ``control`` 1 / 0, the right response number and the source;
#: aggregated.parquet keeps control pairs (for their figures), `build` never puts one in a split
AGGREGATED_CONTROL_COLUMNS: tuple[str, ...] = CONTROL_METADATA


def aggregated_columns() -> tuple[str, ...]:
    """aggregated.parquet: one row per pair with at least one submitted response.

    ``preferred`` is "1", "2" or "tie"; ``{criterion}_1`` / ``{criterion}_2`` are aggregated
    scores (float); ``margin`` is the mean-criteria difference response 1 minus response 2;
    ``agreement`` is the share of annotators who chose the aggregated preference; ``decided_by``
    is "consensus" (the first-round aggregate) or "review" (a reviewer's decision, `rlhf-argilla review`);
    then :data:`AGGREGATED_CONTROL_COLUMNS`.
    """
    per_criterion = tuple(f"{name}_{side}" for name in CRITERION_IDS for side in (1, 2))
    return (
        "pair_id",
        "prompt",
        "response_1",
        "response_2",
        "preferred",
        "n_annotators",
        *per_criterion,
        "margin",
        "agreement",
        *AGGREGATED_METADATA_COLUMNS,
        "decided_by",
        *AGGREGATED_CONTROL_COLUMNS,
    )


#: the one preference label type: response 1 preferred, response 2 preferred, or a tie
Preferred = Literal["1", "2", "tie"]
#: its values, in that order (class codes 0, 1, 2 where a model needs numbers)
PREFERENCE_LABELS: tuple[Preferred, ...] = get_args(Preferred)


_USAGE_FIELDS = set(Usage.model_fields)


def usage_of(statistics: dict[str, Any] | None) -> Usage:
    """Schema usage from one call's statistics (flags such as ``from_cache`` dropped)."""
    return Usage(**{key: value for key, value in (statistics or {}).items() if key in _USAGE_FIELDS})


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``: an interrupt
    leaves the old file or the new one, never half of one.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "summary.json"
        >>> write_text_atomic(target, "{}").read_text(), sorted(p.name for p in target.parent.iterdir())
        ('{}', ['summary.json'])
    """
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding=encoding)
    tmp.replace(path)
    return path


def write_jsonl(path: Path, rows: Sequence[BaseModel]) -> Path:
    """Write rows as JSON lines atomically (see :func:`write_text_atomic`)."""
    return write_text_atomic(path, "".join(row.model_dump_json() + "\n" for row in rows))
