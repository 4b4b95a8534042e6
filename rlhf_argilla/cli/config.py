"""``rlhf-argilla config``: inspect the effective settings (secrets masked)."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from rlhf_argilla.cli.common import console, get_settings

app = typer.Typer(help="Inspect the effective settings.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show every setting and where secrets are set, never their values.

    Settings come from flags, RLHF_ARGILLA_* environment variables (secrets also from
    ANTHROPIC_API_KEY, HF_TOKEN, ARGILLA_API_KEY) and an optional rlhf-argilla.toml.

    Example: RLHF_ARGILLA_API_URL=https://argilla.example.org rlhf-argilla config show
    """
    values = get_settings(ctx).redacted()
    if as_json:
        console.print_json(json.dumps(values))
        return
    table = Table("setting", "value")
    for key, value in values.items():
        table.add_row(key, "—" if value is None else str(value))
    console.print(table)
