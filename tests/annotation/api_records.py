"""Test helper: records in the shape of Argilla's ``GET /datasets/{id}/records?include=responses,suggestions``.

Built from the same pieces the server is fed with (``pair_to_record`` of factory pairs, answers of
the simulated crowd from ``simulate_plan.plan_response``), without a server: for the pure parts of
``pull`` and for the offline scale benchmark. User ids are ``u1``..``uN``; suggestions name their
question in ``question_id`` (read them with ``{name: name}`` as the id -> name map).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.annotation.simulate_plan import SimulationConfig, plan_response
from tests.annotation.pairs_factory import make_pair


def api_record(
    index: int, config: SimulationConfig, control_every: int = 0, long_text: bool = False
) -> dict[str, Any]:
    """One API record with every simulated annotator's response; every ``control_every``-th a control."""
    record = pair_to_record(make_pair(index, seed=config.seed, long_text=long_text))
    metadata = dict(record["metadata"])
    known = None
    if control_every and index % control_every == 0:
        metadata.update(control=1, control_expected=1, control_source="gold")
        known = "a" if metadata["a_is"] == 1 else "b"
    suggestions = {item["question_name"]: item["value"] for item in record["suggestions"]}
    responses = []
    for number in range(1, config.annotators + 1):
        plan = plan_response(record["id"], number, suggestions, config, known=known)
        responses.append(
            {
                "user_id": f"u{number}",
                "status": plan["status"],
                "updated_at": f"2026-01-01T00:{number:02d}:{index % 60:02d}",
                "values": plan["values"],
            }
        )
    return {
        "id": f"uuid-{record['id']}",
        "external_id": record["id"],
        "metadata": metadata,
        "fields": record["fields"],
        "responses": responses,
        "suggestions": [
            {"question_id": item["question_name"], "value": item["value"]} for item in record["suggestions"]
        ],
    }


def api_records(
    count: int, config: SimulationConfig, control_every: int = 0, long_text: bool = False
) -> Iterator[dict[str, Any]]:
    for index in range(count):
        yield api_record(index, config, control_every, long_text)
