"""Root of the ``rlhf-argilla`` command: registers the stage sub-apps and handles user errors."""

from __future__ import annotations

import re
import traceback

import typer
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

from rlhf_argilla import __version__
from rlhf_argilla.cli import analyze as analyze_cli
from rlhf_argilla.cli import annotators as annotators_cli
from rlhf_argilla.cli import build as build_cli
from rlhf_argilla.cli import config as config_cli
from rlhf_argilla.cli import demo as demo_cli
from rlhf_argilla.cli import generate as generate_cli
from rlhf_argilla.cli import judge_report as judge_report_cli
from rlhf_argilla.cli import progress as progress_cli
from rlhf_argilla.cli import publish as publish_cli
from rlhf_argilla.cli import pull as pull_cli
from rlhf_argilla.cli import push as push_cli
from rlhf_argilla.cli import review as review_cli
from rlhf_argilla.cli import server as server_cli
from rlhf_argilla.cli import simulate as simulate_cli
from rlhf_argilla.cli.common import err_console
from rlhf_argilla.errors import INTERRUPTED_EXIT, explain, write_log
from rlhf_argilla.redact import redact

__all__ = ["app", "main"]


_PYDANTIC_NOISE = re.compile(
    r"\d+ validation errors? for \w+\s*|\s*\[type=[^\]]*\]|\s*For further information visit \S+"
)


def _one_line(text: str) -> str:
    """Redacted, on one line, without pydantic's boilerplate (type codes, doc links)."""
    return " ".join(_PYDANTIC_NOISE.sub("", redact(text)).split())


def _argilla_message(error: BaseException) -> str | None:
    """An Argilla failure no call site wrapped (``gateway.describe``); imported only on failure."""
    from rlhf_argilla.gateway import describe

    return describe(error)


class _UserErrorGroup(TyperGroup):
    """The error boundary of every command (see ``rlhf_argilla.errors``): one redacted line, exit 1 for
    errors and 130 for Ctrl-C; unexpected errors also leave a log with the traceback."""

    def invoke(self, ctx):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):  # --help, usage errors: typer prints them
            raise
        except BrokenPipeError:  # `rlhf-argilla ... | head`: click exits quietly, as for --help
            raise
        except KeyboardInterrupt as interrupt:
            kept = escape(_one_line(str(interrupt))) or "finished work is kept"
            err_console.print(
                f"[bold yellow]Interrupted:[/] {kept}; rerun the same command to resume",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(INTERRUPTED_EXIT) from None
        except Exception as error:  # noqa: BLE001 - this is the boundary
            verbose = (ctx.obj or {}).get("verbose")
            if verbose:
                err_console.print(redact("".join(traceback.format_exception(error))), markup=False)
            message = explain(error) or _argilla_message(error)
            if message is None:
                log = write_log(error)
                where = f"; traceback in {log}" if log else ""
                detail = _one_line(str(error))[:200]
                message = (
                    f"unexpected {type(error).__name__}: {detail}{where} (rerun with --verbose to see it)"
                )
            err_console.print(
                f"[bold red]Error:[/] {escape(_one_line(message))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_UserErrorGroup,
    name="rlhf-argilla",
    help=(
        "Build RLHF preference datasets for the fitness domain with humans in the loop: "
        "analyze HH-RLHF, generate prompts and response pairs with distilabel, annotate them in "
        "Argilla, then build and publish TRL-ready splits.\n\n"
        "The loop: analyze -> generate prompts -> generate pairs -> push -> annotate in the Argilla UI "
        "-> pull -> build -> publish. `rlhf-argilla demo` runs all of it on the embedded model."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rlhf-argilla {__version__}")
        raise typer.Exit()


def _quiet_third_parties() -> None:
    """Keep the terminal for our own progress: no tqdm bars or import warnings from the libraries below
    (also in distilabel's worker processes, which inherit the environment). Runs before every command,
    however the app is invoked (console script, `pipelines/*.py`, tests); argilla and distilabel are
    imported later, inside the commands, so their import-time settings see these values."""
    import logging
    import os
    import warnings

    harmless = "The 'default' attribute with value None"  # pydantic, on importing distilabel's models
    warnings.filterwarnings("ignore", message=harmless)
    os.environ.setdefault("PYTHONWARNINGS", f"ignore:{harmless}")
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    logging.raiseExceptions = False  # distilabel logs into a closed queue at shutdown


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks for errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    _quiet_third_parties()
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


# --- command groups, in the order of the loop ------------------------------------------------------
app.command("demo", rich_help_panel="Whole loop")(demo_cli.demo)
app.add_typer(server_cli.app, name="server", rich_help_panel="Setup")
app.add_typer(config_cli.app, name="config", rich_help_panel="Setup")
app.command("analyze", rich_help_panel="Stages")(analyze_cli.analyze)
app.add_typer(generate_cli.app, name="generate", rich_help_panel="Stages")
app.command("push", rich_help_panel="Stages")(push_cli.push)
app.add_typer(annotators_cli.app, name="annotators", rich_help_panel="Annotation team")
app.command("progress", rich_help_panel="Annotation team")(progress_cli.progress)
app.command("simulate", rich_help_panel="Annotation team")(simulate_cli.simulate)
app.command("review", rich_help_panel="Annotation team")(review_cli.review)
app.command("pull", rich_help_panel="Stages")(pull_cli.pull)
app.command("judge-report", rich_help_panel="Stages")(judge_report_cli.judge_report)
app.command("build", rich_help_panel="Stages")(build_cli.build)
app.command("publish", rich_help_panel="Stages")(publish_cli.publish)


def main() -> None:
    app()
