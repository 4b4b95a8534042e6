"""``PreferencePairsToArgilla``: push preference pairs to Argilla from inside a distilabel pipeline.

A richer cousin of distilabel's ``PreferenceToArgilla``: instead of one rating per response it
creates the full annotation dataset of :mod:`rlhf_argilla.annotation.settings` (overall ranking
with ties, per-criterion 1–5 ratings, judge scores as suggestions, A/B shuffled with the mapping in
metadata) and is idempotent: record ids are ``pair_id`` and unchanged records are skipped, so a
re-run pipeline (or a recovered one) never duplicates. The pushing itself is
:func:`rlhf_argilla.annotation.push.push_pairs`.
"""

# no `from __future__ import annotations`: distilabel inspects the `StepInput` hints at run time

import json
from typing import Any

from distilabel.errors import DistilabelUserError
from distilabel.mixins.runtime_parameters import RuntimeParameter
from distilabel.steps import Step, StepInput
from distilabel.typing import StepOutput
from pydantic import Field, PrivateAttr, SecretStr

from rlhf_argilla.schema import PairRow

__all__ = ["PreferencePairsToArgilla"]

PAIR_COLUMNS = list(PairRow.model_fields)


class PreferencePairsToArgilla(Step):
    """Create or update an Argilla preference-annotation dataset from pairs.jsonl-shaped rows.

    Attributes:
        dataset_name: Argilla dataset (created with its workspace when missing).
        dataset_workspace: workspace; ``None``: the rlhf-argilla settings' workspace.
        api_url / api_key: an Argilla server; both ``None``: the rlhf-argilla settings
            (``RLHF_ARGILLA_API_URL`` / ``_API_KEY`` or the running local stack).
        annotators_per_record: ``TaskDistribution(min_submitted=...)``; ``None`` keeps an existing
            dataset's value (2 on creation).
        pair_column: the column holding a whole pair as a JSON string (the convention of
            rlhf-argilla's pipelines: nested values travel as JSON so batches stay flat for
            distilabel's parquet buffers) or a dict; ``None``: the rows carry the pairs.jsonl
            columns themselves.

    Input columns:
        - ``pair`` (``pair_column``), or the pairs.jsonl columns (``pair_id``, ``prompt``,
          ``response_1``, ``response_2``, ...) when ``pair_column=None``.

    Output columns:
        - none added: rows pass through unchanged, so the step may sit anywhere in a pipeline.

    Example (skipped by the doctests: it needs ``pairs`` and a running Argilla server):
        >>> from distilabel.pipeline import Pipeline  # doctest: +SKIP
        >>> from distilabel.steps import LoadDataFromDicts  # doctest: +SKIP
        >>> with Pipeline(name="push-pairs") as pipeline:  # doctest: +SKIP
        ...     rows = [{"pair": p.model_dump_json()} for p in pairs]
        ...     LoadDataFromDicts(data=rows) >> PreferencePairsToArgilla(
        ...         dataset_name="fitness-prefs", dataset_workspace="fitness")
        >>> pipeline.run(use_cache=False)  # doctest: +SKIP
    """

    dataset_name: RuntimeParameter[str] = Field(default=None, description="Argilla dataset name.")
    dataset_workspace: RuntimeParameter[str] | None = Field(default=None, description="Argilla workspace.")
    api_url: RuntimeParameter[str] | None = Field(default=None, description="Argilla API URL.")
    api_key: RuntimeParameter[SecretStr] | None = Field(default=None, description="Argilla API key.")
    annotators_per_record: RuntimeParameter[int] | None = Field(
        default=None, description="Submitted responses needed per record."
    )
    pair_column: str | None = "pair"

    _dataset: Any = PrivateAttr(default=None)

    @property
    def inputs(self) -> list[str]:
        return [self.pair_column] if self.pair_column else PAIR_COLUMNS

    @property
    def outputs(self) -> list[str]:
        return []

    def load(self) -> None:
        """Connect and create (or schema-check) the dataset before the first batch arrives."""
        super().load()
        from rlhf_argilla.annotation.push import ensure_dataset
        from rlhf_argilla.config import load_settings
        from rlhf_argilla.errors import RlhfArgillaError
        from rlhf_argilla.gateway import connect

        if not self.dataset_name:
            raise DistilabelUserError(
                "PreferencePairsToArgilla needs `dataset_name` (argument or runtime parameter)"
            )
        try:
            settings = load_settings(
                api_url=self.api_url,
                api_key=self.api_key.get_secret_value() if self.api_key else None,
                workspace=self.dataset_workspace,
            )
            self._dataset = ensure_dataset(
                connect(settings), self.dataset_name, settings.workspace, self.annotators_per_record
            )
        except RlhfArgillaError as error:
            raise DistilabelUserError(str(error)) from error

    def _pair(self, row: dict[str, Any]) -> PairRow:
        if self.pair_column:
            value = row[self.pair_column]
            return (
                PairRow.model_validate_json(value)
                if isinstance(value, str)
                else PairRow.model_validate(value)
            )
        return PairRow.model_validate({name: row[name] for name in PAIR_COLUMNS})

    def process(self, inputs: StepInput) -> StepOutput:
        """Upsert the batch (unchanged records skipped) and pass the rows on."""
        from rlhf_argilla.annotation.push import push_pairs

        report = push_pairs(self._dataset, [self._pair(row) for row in inputs])
        self._logger.info(
            json.dumps(
                {
                    "dataset": report.dataset,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
        )
        yield inputs
