"""Simulated annotators answering through the real API, for demos and tests only.

Creates (or reuses) users ``sim-annotator-1..N`` in the dataset's workspace, reads each record's
judge suggestions, plans every answer with :func:`simulate_plan.plan_response`, and submits the
answers *as each simulated user* through ``POST /api/v1/me/responses/bulk`` (the web UI's bulk
endpoint; up to three users at once), so the server validates and indexes them exactly like
human answers. Reruns with the same seed replace each user's answers with the same values
(idempotent). With ``SimulationConfig.profiles`` each annotator plays a behaviour profile
(``domain.annotator_profiles``) and judges control items (hidden ``control`` metadata) by their known
answer, so the reliability report has planted behaviour to recover.

Simulated users get a random password nobody sees; their API keys stay in memory.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.records import undo_display
from rlhf_argilla.annotation.reliability_data import CONTROL, CONTROL_EXPECTED
from rlhf_argilla.annotation.simulate_plan import SimulationConfig, plan_response, simulated_username
from rlhf_argilla.config import Settings
from rlhf_argilla.errors import ArgillaError, InputError
from rlhf_argilla.gateway import ArgillaRest
from rlhf_argilla.schema.progress import Progress

__all__ = ["SimulationResult", "ensure_simulated_users", "simulate", "MAX_ANNOTATORS"]

MAX_ANNOTATORS = 20
#: annotators answering at the same time (the server handles each answer in ~0.1-0.3 s)
PARALLEL_ANNOTATORS = 3


@dataclass
class SimulationResult:
    """Answers stored per annotator and status."""

    records: int
    annotators: list[str]
    counts: dict[str, Counter] = field(default_factory=dict)

    def total(self, status: str) -> int:
        return sum(counter[status] for counter in self.counts.values())


def ensure_simulated_users(rest: ArgillaRest, workspace_id: str, count: int) -> dict[str, str]:
    """Create the simulated annotators that do not exist yet and make them workspace members.

    Args:
        rest: REST client with the owner's key (only owners may create users).
        workspace_id: the dataset's workspace.
        count: how many simulated annotators.

    Returns:
        username -> API key, in annotator order (keys never leave memory).
    """
    existing = {user.username: user for user in rest.users()}
    members = {user.id for user in rest.users(workspace_id)}
    keys: dict[str, str] = {}
    for number in range(1, count + 1):
        name = simulated_username(number)
        user = existing.get(name)
        if user is None:
            password = secrets.token_urlsafe(18)
            names = {"first_name": "Simulated", "last_name": f"annotator {number}"}
            user = rest.create_user(name, "annotator", password, **names)
        if user.role != "annotator":
            raise ArgillaError(
                f"user {name!r} exists with role {user.role}: the sim- prefix is reserved "
                "for simulated annotators, rename that user"
            )
        if user.id not in members:
            rest.add_member(workspace_id, user.id)
        if user.api_key is None:
            raise ArgillaError(f"the server did not give the API key of {name!r}: an owner's key is needed")
        keys[name] = user.api_key
    return keys


def _known_side(metadata: dict) -> str | None:
    """The displayed side ("a"/"b") a control item's known answer is on, else None.

    Example:
        >>> _known_side({"control": 1, "control_expected": 2, "a_is": 2}), _known_side({"a_is": 1})
        ('a', None)
    """
    expected, a_is = metadata.get(CONTROL_EXPECTED), metadata.get(ds.META_A_IS)
    if not metadata.get(CONTROL) or expected not in (1, 2) or a_is not in (1, 2):
        return None
    return "a" if undo_display("a", a_is) == expected else "b"


def _suggestions_by_record(
    rest: ArgillaRest, dataset_id: str
) -> list[tuple[str, str, dict[str, int], str | None]]:
    """(server id, pair id, {question name: suggested value}, control side) for every record."""
    questions = rest.call("GET", f"/datasets/{dataset_id}/questions")["items"]
    names = {item["id"]: item["name"] for item in questions}
    out = []
    for page, _total in rest.record_pages(dataset_id, include=("suggestions",)):
        for record in page:
            suggested = {
                names.get(item["question_id"], ""): item["value"] for item in record.get("suggestions") or []
            }
            known = _known_side(record.get("metadata") or {})
            out.append((record["id"], record.get("external_id") or record["id"], suggested, known))
    return out


def simulate(
    settings: Settings,
    dataset: str,
    config: SimulationConfig | None = None,
    workspace: str | None = None,
    on_progress: Progress | None = None,
    reference: dict[str, dict[str, int]] | None = None,
) -> SimulationResult:
    """Let ``config.annotators`` simulated users answer every record of a dataset.

    Args:
        settings: where Argilla is; the key must belong to an owner (it creates users).
        dataset: the Argilla dataset name.
        config: crowd size, seed and behaviour (default: ``SimulationConfig()``).
        workspace: overrides ``settings.workspace``.
        on_progress: called with (answers sent, answers planned).
        reference: pair id -> the judge's ratings by question name (``judge_report.judge_suggestions``),
            what annotators of blind records judge around (else a seeded guess).

    Returns:
        How many answers each simulated annotator stored, by status.
    """
    from rlhf_argilla.gateway import resolve_target

    config = config or SimulationConfig()
    if not 1 <= config.annotators <= MAX_ANNOTATORS:
        raise InputError(f"annotators must be between 1 and {MAX_ANNOTATORS}, got {config.annotators}")
    target = resolve_target(settings)
    with ArgillaRest(target) as owner:
        found = owner.require_dataset(dataset, workspace or settings.workspace)
        keys = ensure_simulated_users(owner, found["workspace_id"], config.annotators)
        records = _suggestions_by_record(owner, found["id"])
    result = SimulationResult(records=len(records), annotators=list(keys))
    planned, sent, lock = len(records) * len(keys), 0, threading.Lock()

    def advance(count: int) -> None:
        nonlocal sent
        with lock:
            sent += count
            if on_progress:
                on_progress(sent, planned)

    def answer(number: int, name: str, key: str) -> Counter:
        items = [
            {
                "record_id": record_id,
                **plan_response(pair_id, number, suggested, config, (reference or {}).get(pair_id), known),
            }
            for record_id, pair_id, suggested, known in records
        ]
        with ArgillaRest(target, api_key=key) as annotator:
            errors = annotator.upsert_own_responses(items, on_chunk=advance)
        if errors:
            raise ArgillaError(f"{len(errors)} answers of {name} were refused, first: {errors[0]}")
        return Counter(item["status"] for item in items)

    with ThreadPoolExecutor(max_workers=min(PARALLEL_ANNOTATORS, len(keys))) as pool:
        futures = {
            name: pool.submit(answer, number, name, key)
            for number, (name, key) in enumerate(keys.items(), start=1)
        }
        result.counts = {name: future.result() for name, future in futures.items()}
    return result
