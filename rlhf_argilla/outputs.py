"""Which files in an output folder rlhf-argilla wrote: a command refuses to replace anything else.

Each command that writes into ``--out`` records the files it wrote, with their SHA-256, in the folder's
``.rlhf-argilla-outputs.json``. Before writing, ``guard`` refuses (one line, nothing touched) when a file
it would write exists and is not recorded there with the same content: it is the user's, or the user
changed it since.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from rlhf_argilla.errors import InputError

__all__ = ["MANIFEST", "guard", "record"]

MANIFEST = ".rlhf-argilla-outputs.json"


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _recorded(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def guard(folder: Path, names: Iterable[str]) -> None:
    """Raise unless every one of ``names`` in ``folder`` is absent or was written (unchanged) by us.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "report.md").write_text("my notes")
        >>> guard(folder, ["report.md"])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rlhf_argilla.errors.InputError: ...report.md was not written by rlhf-argilla ...
        >>> record(folder, ["report.md"]); guard(folder, ["report.md"])
    """
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file: choose a folder as the output folder")
    recorded = _recorded(folder)
    for name in names:
        path = folder / name
        if path.exists() and (recorded.get(name) is None or recorded[name] != _digest(path)):
            raise InputError(
                f"{path} was not written by rlhf-argilla (or was changed since): move it away or "
                "choose another output folder; nothing was written"
            )


def record(folder: Path, names: Iterable[str]) -> None:
    """Note ``names`` (existing files in ``folder``) as ours, atomically updating the manifest."""
    recorded = _recorded(folder)
    recorded.update({name: _digest(folder / name) for name in names if (folder / name).is_file()})
    temporary = folder / f"{MANIFEST}.tmp"
    temporary.write_text(json.dumps(recorded, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)
