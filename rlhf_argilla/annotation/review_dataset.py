"""The review dataset's name, workspace and settings (see :mod:`rlhf_argilla.annotation.review`).

Kept apart from the routing so that ``pull`` can find the review dataset without importing the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.review_rules import RULES

if TYPE_CHECKING:
    import argilla as rg

__all__ = ["FIELD_FIRST_ROUND", "META_REASONS", "review_names", "review_settings"]

FIELD_FIRST_ROUND = "first_round"
META_REASONS = "review_reasons"


def review_names(dataset: str, workspace: str, review_workspace: str | None = None) -> tuple[str, str]:
    """(review dataset, review workspace) for a first-round dataset.

    Example:
        >>> review_names("fitness-prefs", "fitness")
        ('fitness-prefs-review', 'fitness-review')
    """
    return f"{dataset}-review", review_workspace or f"{workspace}-review"


def review_settings(client: rg.Argilla) -> rg.Settings:
    """The first round's settings, one submitted response per record, plus the review field and metadata."""
    import argilla as rg

    settings = ds.build_settings(client, annotators_per_record=1)
    settings.add(
        rg.TextField(name=FIELD_FIRST_ROUND, title="First-round answers", use_markdown=True, client=client)
    )
    settings.add(rg.TermsMetadataProperty(name=META_REASONS, title="Why in review", options=list(RULES)))
    settings.guidelines = (
        "# Review: decide the pairs the first round could not\n\n"
        "The first-round answers are in *First-round answers*; the pre-filled values are what most "
        "annotators chose (none where they split evenly). Give your own ranking and ratings: they "
        "replace the first-round aggregate in the built dataset.\n\n" + (settings.guidelines or "")
    )
    return settings
