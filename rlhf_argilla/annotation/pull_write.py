"""``pull``'s analysis and output step: the compact tidy tables -> agreement, reliability, aggregate, files.

Separate from the server read (``pull_read``) so the same step runs on pages from anywhere (the
offline scale benchmark feeds it generated API records).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rlhf_argilla.schema import AGGREGATED_FILE, ANNOTATIONS_FILE

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.aggregate import Method
    from rlhf_argilla.annotation.judgements import Judgements
    from rlhf_argilla.annotation.reliability_flags import Thresholds
    from rlhf_argilla.annotation.text_spool import TextSpool
    from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["write_pull"]


def write_pull(
    out: Path,
    tables: tuple[Judgements, pd.DataFrame, pd.DataFrame | None],
    tidy_file: Path,
    spool: TextSpool,
    reviewed: pd.DataFrame | None,
    thresholds: Thresholds,
    *,
    dataset_name: str,
    method: Method = "majority",
    tie_margin: float = 0.0,
    exclude_flagged: bool = False,
    exclude_annotators: tuple[str, ...] = (),
) -> tuple[AgreementSummary, tuple[Path, ...], int]:
    """Analyse a pull's tables and write annotations.parquet, aggregated.parquet and the report.

    Args:
        out: the output folder (created; existing files are replaced).
        tables: ``(judged, records, suggestions)`` from ``pull_read.judged_tables``.
        tidy_file: the annotations file ``judged_tables`` wrote (moved into ``out``).
        spool: the closed text spool the record texts went to.
        reviewed: the review dataset's tidy table, or None.
        thresholds: reliability flag rules.
        dataset_name, method, tie_margin, exclude_flagged, exclude_annotators: see ``pull.pull``.

    Returns:
        (the agreement summary, the written files, the number of records).
    """
    from rlhf_argilla.annotation.aggregate import aggregate
    from rlhf_argilla.annotation.agreement import agreement_summary
    from rlhf_argilla.annotation.exclusion import exclusion_of
    from rlhf_argilla.annotation.free_memory import release_freed
    from rlhf_argilla.annotation.pull_report import write_report
    from rlhf_argilla.annotation.reliability_data import control_answers
    from rlhf_argilla.annotation.reliability_flags import reliability_summary
    from rlhf_argilla.annotation.review_decisions import DECIDED_BY, apply_review, decisions
    from rlhf_argilla.annotation.text_spool import write_with_texts
    from rlhf_argilla.annotation.tidy_rows import annotations_frame
    from rlhf_argilla.schema.agreement import Aggregation, AgreementSummary

    judged, records, suggestions = tables  # the judgement views: what every figure reads
    release_freed()  # after the read; then after each step that frees large working tables
    controls = control_answers(records)
    reliability = reliability_summary(judged, records, controls, suggestions, thresholds)
    release_freed()
    # controls are reported apart, not in the agreement figures
    ordinary = judged.without("pair_id", controls)
    summary = AgreementSummary.model_validate({**agreement_summary(ordinary), "reliability": reliability})
    summary.exclusion = exclusion_of(ordinary, summary, exclude_annotators, exclude_flagged)
    del ordinary
    release_freed()
    kept = judged.without("annotator", summary.exclusion.names)
    del judged
    aggregated = aggregate(kept, records, method=method, tie_margin=tie_margin)
    release_freed()
    decided = decisions(reviewed) if reviewed is not None else decisions(annotations_frame([]))
    aggregated = apply_review(aggregated, decided, kept)
    del kept
    summary.aggregation = Aggregation(method=method, tie_margin=tie_margin, pairs=int(len(aggregated)))
    summary.decided_by = {name: int((aggregated["decided_by"] == name).sum()) for name in DECIDED_BY}
    out.mkdir(parents=True, exist_ok=True)
    shutil.move(tidy_file, out / ANNOTATIONS_FILE)
    write_with_texts(aggregated, spool, out / AGGREGATED_FILE)
    release_freed()
    report_files = write_report(out, summary, aggregated, dataset_name=dataset_name)
    return summary, (out / ANNOTATIONS_FILE, out / AGGREGATED_FILE, *report_files), int(len(records))
