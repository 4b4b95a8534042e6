"""``rlhf-argilla server``: the local Argilla stack (Redis, osmem search, server, worker)."""

from __future__ import annotations

import time

import typer
from rich.table import Table

from rlhf_argilla.cli.common import console, err_console, get_settings

app = typer.Typer(
    help="Run a real local Argilla 2.8 stack (no Docker). Remote deployments need none of this: "
    "set RLHF_ARGILLA_API_URL and RLHF_ARGILLA_API_KEY instead.",
    no_args_is_help=True,
)

PortOption = typer.Option(None, "--port", help="Argilla API/UI port (default 6900).")


def _stack(ctx: typer.Context, port: int | None):
    from rlhf_argilla.server.stack import LocalStack

    settings = get_settings(ctx, stack_port=port)
    return LocalStack(settings, echo=lambda message: err_console.print(message))


@app.command("up")
def up(
    ctx: typer.Context,
    port: int | None = PortOption,
    search_port: int | None = typer.Option(None, "--search-port", help="osmem port (default 6910)."),
    redis_port: int | None = typer.Option(None, "--redis-port", help="Redis port (default 6911)."),
    host: str | None = typer.Option(None, "--host", help="Bind address (default 127.0.0.1)."),
) -> None:
    """Start the stack and wait until it is healthy; does nothing if it already runs.

    The first start installs argilla-server into its own virtualenv under the data directory
    and creates an owner user with a generated password and API key.

    Example: rlhf-argilla server up --port 6900
    """
    from rlhf_argilla.server.stack import LocalStack

    settings = get_settings(
        ctx, stack_port=port, stack_search_port=search_port, stack_redis_port=redis_port, stack_host=host
    )
    stack = LocalStack(settings, echo=lambda message: err_console.print(message))
    if settings.stack_host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[bold yellow]Warning:[/] the Argilla API and UI will listen on {settings.stack_host}: anyone who "
            "can reach it may try to log in (Redis and the search engine stay on 127.0.0.1)",
            soft_wrap=True,
        )
    began = time.monotonic()
    with err_console.status("Starting the local Argilla stack…"):
        info = stack.up()
    verb = f"started in {time.monotonic() - began:.1f}s" if info.started else "already running"
    console.print(f"Argilla {verb}: [bold]{info.url}[/]")
    console.print(
        f"Log in as [bold]{info.credentials.username}[/] with password "
        f"[bold]{info.credentials.password}[/] (stored in {stack.credentials_file})"
    )
    console.print(
        "[dim]A single-user stack: its search engine has no authentication (it listens on 127.0.0.1 only); "
        "on a shared machine point rlhf-argilla at a real Argilla deployment instead.[/]"
    )


@app.command("down")
def down(ctx: typer.Context, port: int | None = PortOption) -> None:
    """Stop exactly the processes `up` started (by PID file). Data is kept."""
    stopped = _stack(ctx, port).down()
    console.print(f"Stopped: {', '.join(stopped)}" if stopped else "Nothing was running.")


@app.command("status")
def status(ctx: typer.Context, port: int | None = PortOption) -> None:
    """Show each process (PID, memory) and the health check. Exit 1 if the stack is not healthy."""
    stack = _stack(ctx, port)
    table = Table("part", "pid", "RSS (MiB)", "log")
    for part in stack.status():
        table.add_row(
            part.name,
            str(part.pid) if part.pid else "[red]not running[/]",
            f"{part.rss_mib:.0f}" if part.pid else "—",
            str(part.log_file),
        )
    console.print(table)
    healthy = stack.is_healthy()
    console.print(
        f"Health {stack.url}/api/v1/status: " + ("[green]ok[/]" if healthy else "[red]unreachable[/]")
    )
    if not healthy:
        raise typer.Exit(1)


@app.command("logs")
def logs(
    ctx: typer.Context,
    part: str | None = typer.Argument(None, help="redis, search, server or worker (default: all)."),
    lines: int = typer.Option(40, "--lines", "-n", help="Lines from the end of each log."),
    port: int | None = PortOption,
) -> None:
    """Print the end of the stack's log files."""
    for name, tail in _stack(ctx, port).logs(part, lines).items():
        console.rule(name)
        console.print("\n".join(tail) or "(empty)", markup=False, highlight=False)
