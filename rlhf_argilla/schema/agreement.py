"""agreement.json: the agreement summary `pull` writes and the pull report, card, demo and CLI read.

The computations (``annotation.agreement``, ``annotation.reliability``) produce plain rows; this
model is the contract between them and every reader. Keys and their order on disk are those of
the fields below; the sections `pull` added over time (``reliability``, ``exclusion``,
``aggregation``, ``decided_by``) are optional, so a file written before them still loads.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

__all__ = [
    "KappaPair",
    "AnnotatorAgreement",
    "AnnotatorReliability",
    "Reliability",
    "ExcludedAnnotator",
    "Exclusion",
    "Aggregation",
    "AgreementSummary",
]

#: question name -> Krippendorff's alpha (None: undefined); ``overall`` first, then the criteria
Alpha = dict[str, float | None]


class _Part(BaseModel):
    # a key the model does not know is refused: a figure added to a computation without being added
    # here would otherwise vanish from agreement.json without a word
    model_config = ConfigDict(extra="forbid")


class KappaPair(_Part):
    """Cohen's kappa on overall preference for two annotators over the pairs they share."""

    annotators: list[str]
    n: int
    kappa: float | None


class AnnotatorAgreement(_Part):
    """One annotator's responses by status, tie rate, mean rating and agreement with the others' majority."""

    annotator: str
    simulated: bool
    submitted: int
    draft: int
    discarded: int
    tie_rate: float | None
    mean_rating: float | None
    agrees_with_majority: float | None


class AnnotatorReliability(_Part):
    """One annotator's reliability figures (``annotation.reliability``) and the rules they break;
    a figure is None when there was nothing to measure it on."""

    annotator: str
    simulated: bool = False
    submitted: int = 0
    draft: int = 0
    discarded: int = 0
    controls: int = 0
    control_accuracy: float | None = None
    control_safety_accuracy: float | None = None
    consensus_agreement: float | None = None
    consensus_pairs: int = 0
    consensus_by_criterion: dict[str, float | None] = {}
    competence: float | None = None
    weight: float | None = None
    straight_lining: float | None = None
    suggestion_acceptance: float | None = None
    suggested_ratings: int = 0
    a_win_share: float | None = None
    a_win_base_rate: float | None = None
    position_bias: float | None = None
    sided_preferences: int = 0
    seconds_per_record: float | None = None
    flags: list[str] = []


class Reliability(_Part):
    """The ``reliability`` section: the competence model, flag thresholds, per-annotator rows, who is flagged."""

    model: str
    iterations: int
    control_records: int
    thresholds: dict[str, float | int]
    per_annotator: list[AnnotatorReliability]
    flagged: list[str]


class ExcludedAnnotator(_Part):
    annotator: str
    reason: str


class Exclusion(_Part):
    """Who was left out of aggregation and why, with alpha per question before and after."""

    excluded: list[ExcludedAnnotator]
    alpha_before: Alpha
    alpha_after: Alpha

    @property
    def names(self) -> list[str]:
        """The excluded annotators' names."""
        return [item.annotator for item in self.excluded]


class Aggregation(_Part):
    """How aggregated.parquet was made: ``aggregate.METHODS`` name, its tie margin, pairs aggregated."""

    method: str
    tie_margin: float
    pairs: int


#: keys older files lack: left out of the text when absent, as those files had them
_OPTIONAL = ("preferences", "reliability", "exclusion", "aggregation", "decided_by")


class AgreementSummary(_Part):
    """agreement.json: responses by status, alpha per question, pairwise kappa, per-annotator figures.

    Example:
        >>> summary = AgreementSummary(counts={"submitted": 4, "draft": 0, "discarded": 0}, records=2,
        ...     annotators=2, preferences=4, tie_rate=0.0, alpha={"overall": 1.0}, kappa=[], per_annotator=[])
        >>> summary.alpha["overall"], summary.responses, AgreementSummary.from_json(summary.to_json()) == summary
        (1.0, 4, True)
    """

    #: responses (pair x annotator) by status, every status present
    counts: dict[str, int]
    records: int
    annotators: int
    #: submitted overall preferences (None in files written before it was counted)
    preferences: int | None = None
    tie_rate: float | None
    alpha: Alpha
    kappa: list[KappaPair]
    per_annotator: list[AnnotatorAgreement]
    reliability: Reliability | None = None
    exclusion: Exclusion | None = None
    aggregation: Aggregation | None = None
    #: aggregated pairs by ``decided_by`` ("consensus" / "review")
    decided_by: dict[str, int] | None = None

    @property
    def responses(self) -> int:
        """Responses of every status."""
        return sum(self.counts.values())

    @property
    def simulated(self) -> list[str]:
        """Names of the simulated annotators."""
        return [row.annotator for row in self.per_annotator if row.simulated]

    def to_json(self) -> str:
        """The file's text: two-space indented JSON, optional keys that are absent left out."""
        absent = {name for name in _OPTIONAL if getattr(self, name) is None}
        data = self.model_dump(mode="json", exclude=absent)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> AgreementSummary:
        """Parse agreement.json text (raises ``ValueError``, a pydantic ``ValidationError`` or a JSON error)."""
        return cls.model_validate(json.loads(text))

    @classmethod
    def read(cls, path: Path) -> AgreementSummary:
        return cls.from_json(path.read_text(encoding="utf-8"))
