"""Push a built dataset folder (parquet configs, chart, README card) to a Hub dataset repo.

The files uploaded are exactly :func:`upload_files` of the build folder; ``--dry-run`` copies
those same files into a folder instead. The token comes from ``settings.hf_token`` (``HF_TOKEN``)
or the cached ``hf auth login``; it is handed to the client and never printed or written.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from rlhf_argilla.config import Settings
from rlhf_argilla.dataset.build import check_output_folder
from rlhf_argilla.errors import BuildError, PublishError
from rlhf_argilla.schema import CARD_FILE, SUBTOPICS_CHART_FILE

__all__ = [
    "PublishResult",
    "upload_files",
    "validate_repo_id",
    "dry_run",
    "publish",
    "DEFAULT_COMMIT_MESSAGE",
]

DEFAULT_COMMIT_MESSAGE = "Upload fitness preference dataset built with rlhf-argilla"
#: remote files of these kinds that the new build does not have are deleted, so the repo mirrors the build
MIRRORED_PATTERNS = ("*.parquet", "*.png")
_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


@dataclass(frozen=True)
class PublishResult:
    repo_url: str
    commit_url: str
    files: tuple[str, ...]


def validate_repo_id(repo_id: str) -> str:
    """Return ``repo_id`` if it is ``OWNER/NAME`` as the Hub accepts it, else raise one clear line."""
    bad = (
        not _REPO_ID.fullmatch(repo_id)
        or ".." in repo_id
        or "--" in repo_id
        or repo_id.endswith((".", ".git"))
    )
    if bad:
        raise PublishError(
            f"invalid repo id {repo_id!r}: use OWNER/NAME with letters, digits, '-', '_' or '.', "
            "e.g. alice/fitness-preferences"
        )
    return repo_id


def upload_files(built: Path) -> list[str]:
    """Relative paths (sorted) of the files a publish uploads: the card, the chart, every config's parquet."""
    if not (built / CARD_FILE).is_file() or not list(built.glob("default/*.parquet")):
        raise PublishError(
            f"{built} is not a built dataset (no {CARD_FILE} or default/*.parquet): run "
            f"build into {built} first (`rlhf-argilla build`)"
        )
    files = [CARD_FILE, *([SUBTOPICS_CHART_FILE] if (built / SUBTOPICS_CHART_FILE).is_file() else [])]
    files += sorted(str(path.relative_to(built)) for path in built.glob("*/*.parquet"))
    return files


def dry_run(built: str | Path, out: str | Path, repo_id: str) -> list[str]:
    """Copy exactly the files :func:`publish` would upload into ``out`` (replacing an earlier dry run).

    Returns:
        The relative paths written.
    """
    built, out = Path(built), Path(out)
    validate_repo_id(repo_id)
    files = upload_files(built)
    if out.resolve() == built.resolve():
        raise PublishError("the dry-run folder is the build folder itself: choose another folder")
    try:
        check_output_folder(out)
    except BuildError as error:
        raise PublishError(str(error)) from None
    shutil.rmtree(out, ignore_errors=True)
    for name in files:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built / name, out / name)
    return files


def _token(settings: Settings) -> str:
    if settings.hf_token is not None:
        return settings.hf_token.get_secret_value()
    from huggingface_hub import get_token

    token = get_token()
    if not token:
        raise PublishError("no Hugging Face token: set HF_TOKEN to a write token or run `hf auth login`")
    return token


def publish(
    built: str | Path,
    repo_id: str,
    settings: Settings,
    *,
    private: bool = False,
    commit_message: str | None = None,
) -> PublishResult:
    """Create the dataset repo if needed and upload the build in one commit.

    Args:
        built: the folder written by `build`.
        repo_id: ``OWNER/NAME`` of the Hub dataset repo.
        settings: ``hf_token`` and ``hf_endpoint`` are used.
        private: create the repo as private (an existing repo keeps its visibility).
        commit_message: the commit summary.

    Returns:
        :class:`PublishResult` with the repo URL, the commit URL and the uploaded files.
    """
    built = Path(built)
    validate_repo_id(repo_id)
    files = upload_files(built)
    token = _token(settings)
    from huggingface_hub import HfApi

    api = HfApi(endpoint=settings.hf_endpoint, token=token)
    endpoint = api.endpoint
    try:
        repo_url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=built,
            allow_patterns=files,
            delete_patterns=list(MIRRORED_PATTERNS),
            commit_message=commit_message or DEFAULT_COMMIT_MESSAGE,
        )
    except Exception as error:  # the client raises httpx2, OSError and HfHubHTTPError subclasses
        raise _explain(error, repo_id, endpoint) from error
    return PublishResult(str(repo_url), commit.commit_url, tuple(files))


def _explain(error: Exception, repo_id: str, endpoint: str) -> PublishError:
    """One line saying what to do; never the token, never a traceback."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, HFValidationError

    if isinstance(error, HfHubHTTPError) and error.response is not None:
        status = error.response.status_code
        if status == 401:
            return PublishError(
                "the Hub rejected the token (401): set HF_TOKEN to a valid write token or run `hf auth login`"
            )
        if status == 403:
            return PublishError(
                f"no write access to {repo_id} (403): use a token with write permission "
                "for that owner, or publish under your own name"
            )
        if status == 404:
            return PublishError(
                f"{repo_id} was not found and could not be created (404): check the owner name"
            )
        return PublishError(f"the Hub answered {status} while publishing {repo_id}: try again later")
    if isinstance(error, HFValidationError):
        return PublishError(f"invalid repo id {repo_id!r}: use OWNER/NAME, e.g. alice/fitness-preferences")
    if isinstance(error, (httpx2.TransportError, ConnectionError, TimeoutError)):
        return PublishError(
            f"cannot reach the Hub at {endpoint} ({error.__class__.__name__}): check your network "
            "connection (or HF_ENDPOINT) and retry"
        )
    return PublishError(
        f"publishing {repo_id} failed ({error.__class__.__name__}): rerun showing tracebacks (verbose) for details"
    )
