"""build reports through the one progress protocol: files written of all, each file's path as the note."""

from __future__ import annotations

from rlhf_argilla.dataset.build import build
from tests.dataset.factory import make_aggregated, write_pull_dir


def test_build_reports_every_split_file_of_a_total_known_up_front(tmp_path):
    aggregated = make_aggregated(40, pairs_per_prompt=(1, 2), tie_every=5, seed=3)
    pull = write_pull_dir(tmp_path / "pull", aggregated)
    seen: list[tuple[int, int | None, str | None]] = []

    result = build(
        pull, tmp_path / "out", on_progress=lambda done, total, note=None: seen.append((done, total, note))
    )

    written = sorted(str(path.relative_to(result.out)) for path in result.out.rglob("*.parquet"))
    assert [done for done, _, _ in seen] == list(range(1, len(written) + 1))
    assert {total for _, total, _ in seen} == {len(written)}
    assert sorted(note for _, _, note in seen if note) == written
