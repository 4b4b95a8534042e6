"""The pair's kind and the judge's predicted margin as hidden Argilla metadata.

``pair_kind`` (terms: contrast / close) lets a lead filter close calls from clear contrasts in the
UI; ``predicted_margin`` (float, response 1 minus response 2 on the 1–5 scale) is what the judge
expected. Both are hidden from annotators (the kind would tell them a flaw is planted; the margin
would anchor them) and travel through `pull` into the built configs and the card's per-kind table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.domain.pair_kinds import PAIR_KINDS

if TYPE_CHECKING:
    import argilla as rg

    from rlhf_argilla.schema import PairRow

__all__ = [
    "META_PAIR_KIND",
    "META_PREDICTED_MARGIN",
    "KIND_METADATA_NAMES",
    "kind_properties",
    "kind_metadata",
]

META_PAIR_KIND = "pair_kind"
META_PREDICTED_MARGIN = "predicted_margin"
KIND_METADATA_NAMES: tuple[str, ...] = (META_PAIR_KIND, META_PREDICTED_MARGIN)


def kind_properties(client: rg.Argilla) -> list[rg.TermsMetadataProperty | rg.FloatMetadataProperty]:
    """The two hidden properties (added to datasets created before they existed)."""
    import argilla as rg

    return [
        rg.TermsMetadataProperty(
            name=META_PAIR_KIND,
            title="Pair kind",
            options=list(PAIR_KINDS),
            visible_for_annotators=False,
            client=client,
        ),
        rg.FloatMetadataProperty(
            name=META_PREDICTED_MARGIN,
            title="Judge-predicted margin (response 1 - 2)",
            min=-4.0,
            max=4.0,
            visible_for_annotators=False,
            client=client,
        ),
    ]


def kind_metadata(pair: PairRow) -> dict[str, Any]:
    """The pair's kind and the judge's predicted margin (each omitted when unknown).

    Example:
        >>> from rlhf_argilla.schema import Response, Selection
        >>> from rlhf_argilla.schema import PairRow
        >>> pair = PairRow(pair_id="p", prompt_id="q", prompt="Q?", subtopic="running", persona="p",
        ...     difficulty="basic", response_1=Response(text="A", strategy="gym_buddy", model="m"),
        ...     response_2=Response(text="B", strategy="flaw_vague", model="m"),
        ...     selection=Selection(method="m", predicted_margin=1.2))
        >>> kind_metadata(pair)
        {'pair_kind': 'contrast', 'predicted_margin': 1.2}
    """
    found: dict[str, Any] = {}
    if pair.pair_kind is not None:
        found[META_PAIR_KIND] = pair.pair_kind
    if pair.selection.predicted_margin is not None:  # None: the judge's verdict flipped with the order
        found[META_PREDICTED_MARGIN] = float(pair.selection.predicted_margin)
    return found
