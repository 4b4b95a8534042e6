"""Pure: the card's "Pair kinds" section: clear contrasts vs close calls, counted and compared.

Per kind (``domain.pair_kinds``): the annotated pairs (ties included) and how many reached the
preference configs, the judge-predicted tie rate (``|predicted_margin| < TIE_MARGIN``), the annotated
tie rate (aggregated preference "tie"), the mean annotator-majority agreement (the ``agreement``
column: share of annotators who chose the aggregated preference) and Krippendorff's α of the
submitted ``overall`` preferences (nominal; from annotations.parquet when it was pulled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.domain.pair_kinds import PAIR_KIND_NOTES, PAIR_KINDS
from rlhf_argilla.generation.selection import TIE_MARGIN
from rlhf_argilla.report.markdown import markdown_table
from rlhf_argilla.schema import ANNOTATIONS_FILE

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["UNKNOWN_KIND", "kind_facts", "kind_alpha", "read_kind_alpha", "kind_section", "kind_line"]

#: rows whose kind is not known (pairs made outside this tool)
UNKNOWN_KIND = "unknown"
Row = Mapping[str, Any]


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 6) if flags else None


def kind_facts(
    rows: Sequence[Row],
    configs: Mapping[str, Mapping[str, Sequence[Row]]],
    alpha: Mapping[str, float | None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Figures per pair kind from the aggregated rows and the built configs.

    Args:
        rows: aggregated pairs (ties included) with ``pair_kind``, ``preferred``, ``agreement``,
            ``predicted_margin``.
        configs: config -> split -> built rows (``default`` is counted).
        alpha: kind -> α of overall preferences (:func:`kind_alpha`), if known.

    Returns:
        ``{kind: {pairs, in_default, predicted_tie_rate, annotated_tie_rate, agreement, alpha}}`` for
        both kinds, plus ``unknown`` when some rows have no kind.

    Example:
        >>> rows = [{"pair_kind": "close", "preferred": "tie", "agreement": 1.0, "predicted_margin": 0.1},
        ...         {"pair_kind": "close", "preferred": "1", "agreement": 0.5, "predicted_margin": 0.9},
        ...         {"pair_kind": "contrast", "preferred": "2", "agreement": 1.0, "predicted_margin": -2.0}]
        >>> configs = {"default": {"train": [{"pair_kind": "close"}, {"pair_kind": "contrast"}]}}
        >>> facts = kind_facts(rows, configs)
        >>> facts["close"]["pairs"], facts["close"]["in_default"], facts["close"]["annotated_tie_rate"]
        (2, 1, 0.5)
        >>> facts["close"]["predicted_tie_rate"], facts["close"]["agreement"], facts["contrast"]["predicted_tie_rate"]
        (0.5, 0.75, 0.0)
    """
    built = [item for items in configs.get("default", {}).values() for item in items]
    kinds = [*PAIR_KINDS, *([UNKNOWN_KIND] if any(row.get("pair_kind") is None for row in rows) else [])]
    facts = {}
    for kind in kinds:
        own = [row for row in rows if (row.get("pair_kind") or UNKNOWN_KIND) == kind]
        margins = [float(row["predicted_margin"]) for row in own if row.get("predicted_margin") is not None]
        agreement = [float(row["agreement"]) for row in own if row.get("agreement") is not None]
        facts[kind] = {
            "pairs": len(own),
            "in_default": sum((item.get("pair_kind") or UNKNOWN_KIND) == kind for item in built),
            "predicted_tie_rate": _share([abs(margin) < TIE_MARGIN for margin in margins]),
            "annotated_tie_rate": _share([str(row["preferred"]) == "tie" for row in own]),
            "agreement": round(sum(agreement) / len(agreement), 6) if agreement else None,
            "alpha": (alpha or {}).get(kind),
        }
    return facts


def kind_alpha(
    annotations: pd.DataFrame, kind_by_pair: Mapping[str, str | None], excluded: Sequence[str] = ()
) -> dict[str, float | None]:
    """Krippendorff's α (nominal) of the submitted overall preferences of each kind's pairs.

    Args:
        annotations: the tidy annotation table (annotations.parquet).
        kind_by_pair: pair_id -> kind of the aggregated pairs.
        excluded: annotators left out of aggregation (``pull --exclude-flagged``).
    """
    from rlhf_argilla.annotation.agreement import PREFERENCE_LABELS, krippendorff_alpha
    from rlhf_argilla.annotation.judgements import preferences  # a block of pairs at a time

    prefs = preferences(annotations[~annotations["annotator"].isin(list(excluded))])
    kinds = prefs["pair_id"].map(lambda pair_id: kind_by_pair.get(str(pair_id)) or UNKNOWN_KIND)
    return {
        kind: krippendorff_alpha(
            prefs[kinds == kind], ["pair_id"], "preferred", "nominal", list(PREFERENCE_LABELS)
        )
        for kind in sorted(set(kinds))
    }


def read_kind_alpha(
    pull_dir: Path, rows: Sequence[Row], agreement: AgreementSummary | None
) -> dict[str, float | None] | None:
    """:func:`kind_alpha` from the pull folder's annotations.parquet (None when it is missing)."""
    from rlhf_argilla.annotation.pull_read import CODED_COLUMNS
    from rlhf_argilla.annotation.settings import OVERALL
    from rlhf_argilla.dataset.annotations_read import read_where

    path = Path(pull_dir) / ANNOTATIONS_FILE
    if not path.is_file():
        return None
    excluded = agreement.exclusion.names if agreement and agreement.exclusion else []
    columns = ["pair_id", "annotator", "status", "question", "response", "value"]
    kinds = {str(row["pair_id"]): row.get("pair_kind") for row in rows}
    where = {"status": "submitted", "question": OVERALL}  # all kind_alpha reads: submitted preferences
    return kind_alpha(read_where(path, columns, CODED_COLUMNS, where), kinds, excluded)


def _num(value: float | None, share: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f} %" if share else f"{value:.3f}"


def kind_section(facts: Mapping[str, Mapping[str, Any]] | None) -> list[str]:
    """Markdown lines of the section (empty without figures).

    Example:
        >>> facts = {"close": {"pairs": 2, "in_default": 1, "predicted_tie_rate": 0.5,
        ...     "annotated_tie_rate": 0.5, "agreement": 0.75, "alpha": None}}
        >>> "| close | 2 | 1 | 50.0 % | 50.0 % | 0.750 | – |" in "\\n".join(kind_section(facts))
        True
    """
    if not facts:
        return []
    header = ["kind", "pairs", "in default", "predicted ties", "annotated ties", "agreement", "α overall"]
    rows = [
        [
            kind,
            item["pairs"],
            item["in_default"],
            _num(item["predicted_tie_rate"], share=True),
            _num(item["annotated_tie_rate"], share=True),
            _num(item["agreement"]),
            _num(item["alpha"]),
        ]
        for kind, item in facts.items()
    ]
    notes = "; ".join(f"**{kind}**: {note}" for kind, note in PAIR_KIND_NOTES.items())
    return [
        "## Pair kinds",
        f"Each pair records its kind (`pair_kind` in every config): {notes} "
        "(`generate pairs --close-share` sets the mix), so a team can train on, weight or filter either. "
        "Predicted ties: the "
        f"judge's |predicted margin| below {TIE_MARGIN}; annotated ties: the aggregated preference is a "
        "tie; agreement: mean share of annotators who chose the aggregated preference; α: Krippendorff's "
        "α of the submitted `overall` preferences (nominal).",
        markdown_table(header, rows),
    ]


def kind_line(facts: Mapping[str, Mapping[str, Any]]) -> str:
    """One line per build for the terminal: pairs and annotated tie rate of each kind.

    Example:
        >>> kind_line({"close": {"pairs": 2, "annotated_tie_rate": 0.5, "predicted_tie_rate": None}})
        'Pair kinds: close 2 pairs (annotated ties 50.0 %, predicted –)'
    """
    parts = [
        f"{kind} {item['pairs']} pairs (annotated ties {_num(item['annotated_tie_rate'], share=True)}, "
        f"predicted {_num(item['predicted_tie_rate'], share=True)})"
        for kind, item in facts.items()
    ]
    return "Pair kinds: " + "; ".join(parts)
