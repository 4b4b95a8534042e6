"""Running a distilabel pipeline: the one place that picks local processes or Ray, plus progress.

Progress comes from the shared LLM response cache: every finished call is a row there, so a
thread in this process can count new calls while distilabel's step processes work.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.errors import GenerationError

if TYPE_CHECKING:
    from types import FrameType

    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.schema.progress import Progress

__all__ = ["run_pipeline", "pipeline_cache_dir", "preflight"]

_POLL_S = 0.5


def pipeline_cache_dir(settings: Settings) -> Path:
    """Where distilabel keeps its batch buffers for our pipelines."""
    return settings.data_dir / "cache" / "distilabel"


def preflight(settings: Settings, *models: str | None) -> None:
    """Fail with one line before distilabel starts its step processes (where errors end up as
    tracebacks): the backend profile's check, e.g. a missing model file, or for Claude a missing key
    or unknown model (one free request per model)."""
    from rlhf_argilla.llms.profiles import profile_for

    profile_for(settings.backend).check(settings, models)


def _watch_calls(settings: Settings, on_progress: Progress, stop: threading.Event) -> None:
    from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache

    cache = ResponseCache(settings.data_dir / "cache" / CACHE_FILE_NAME)
    try:
        start = len(cache)
        while not stop.wait(_POLL_S):
            on_progress(len(cache) - start, None)
        on_progress(len(cache) - start, None)
    finally:
        cache.close()


def _note_interrupts(pipeline: Pipeline) -> threading.Event:
    """An event set when Ctrl-C reaches ``pipeline``'s run.

    distilabel answers SIGINT by stopping its steps gracefully and returning the rows made so far as if
    the run had finished; wrapping the handler it installs lets the caller tell that apart and stop too.
    """
    interrupted = threading.Event()
    install = pipeline._handle_keyboard_interrupt

    def install_and_note() -> object:
        previous = install()
        graceful = signal.getsignal(signal.SIGINT)

        def note(signum: int, frame: FrameType | None) -> None:
            interrupted.set()
            try:
                if callable(graceful):
                    graceful(signum, frame)
            except SystemExit:  # a second Ctrl-C: distilabel kills its steps and exits 1
                raise KeyboardInterrupt("answers so far are kept in the LLM cache") from None

        signal.signal(signal.SIGINT, note)
        return previous

    pipeline._handle_keyboard_interrupt = install_and_note
    return interrupted


def run_pipeline(
    pipeline: Pipeline,
    settings: Settings,
    *,
    use_ray: bool | None = None,
    on_progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Run ``pipeline`` locally (multiprocessing) or on Ray and return its single leaf's rows.

    Args:
        pipeline: a distilabel pipeline with one leaf step.
        settings: ``use_ray`` / ``ray_address`` decide the runner when ``use_ray`` is None.
        use_ray: force Ray on or off (``--ray``).
        on_progress: LLM calls finished since the run began, as they finish (total unknown: None).

    Returns:
        The leaf step's rows. distilabel's own batch cache is not reused (``use_cache=False``):
        reruns and resumes rely on the LLM response cache, which makes them call-free.

    Raises:
        KeyboardInterrupt: after Ctrl-C, once distilabel has stopped its steps: the partial rows are
            not returned (a caller would write them as if complete); the answers stay in the cache.
    """
    ray = settings.use_ray if use_ray is None else use_ray
    runnable = pipeline.ray(ray_head_node_url=settings.ray_address) if ray else pipeline
    interrupted = _note_interrupts(runnable)
    stop = threading.Event()
    watcher = None
    if on_progress is not None:
        watcher = threading.Thread(target=_watch_calls, args=(settings, on_progress, stop), daemon=True)
        watcher.start()
    for name in ("distilabel", "httpx", "httpx2"):  # step processes inherit these levels (fork)
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        distiset = runnable.run(use_cache=False, logging_handlers=[logging.NullHandler()])
    finally:
        stop.set()
        if watcher is not None:
            watcher.join(timeout=5)
    if interrupted.is_set():
        raise KeyboardInterrupt("answers so far are kept in the LLM cache; no output file was written")
    if distiset is None or not len(distiset):
        raise GenerationError(
            "the generation pipeline produced no output; rerun showing tracebacks (verbose) to see why"
        )
    config = next(iter(distiset.values()))
    return config["train"].to_list()
