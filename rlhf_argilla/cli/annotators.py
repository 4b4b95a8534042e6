"""``rlhf-argilla annotators``: create annotator accounts in the workspace and list them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from rlhf_argilla.cli.common import console, get_settings

app = typer.Typer(help="Annotator accounts for the Argilla web UI.", no_args_is_help=True)

WorkspaceOption = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings).")


@app.command("add")
def add(
    ctx: typer.Context,
    usernames: list[str] = typer.Argument(..., help="Usernames: lower-case letters, digits, - and _."),
    password_file: Path | None = typer.Option(
        None, "--password-file", help="File of username:password lines; others get a generated password."
    ),
    workspace: str | None = WorkspaceOption,
) -> None:
    """Create annotator users (role annotator) and add them to the workspace.

    Generated passwords are printed here once and stored nowhere: hand them over now.
    Existing users are only added to the workspace; their password is not changed.

    Example: rlhf-argilla annotators add alice bob --workspace fitness
    """
    from rlhf_argilla.annotation.users import add_annotators, read_password_file
    from rlhf_argilla.gateway import connect

    settings = get_settings(ctx, workspace=workspace)
    passwords = read_password_file(password_file) if password_file else None
    accounts = add_annotators(connect(settings), settings.workspace, usernames, passwords)
    table = Table("username", "role", "result", "password (shown once)")
    for account in accounts:
        secret = account.password or ("from file" if account.outcome == "created" else "unchanged")
        table.add_row(account.username, account.role, account.outcome, secret)
    console.print(table)
    console.print(
        f"Log in at the Argilla UI; datasets of workspace [bold]{settings.workspace}[/] are visible."
    )


@app.command("list")
def list_(ctx: typer.Context, workspace: str | None = WorkspaceOption) -> None:
    """List the members of the workspace with their role.

    Example: rlhf-argilla annotators list --workspace fitness
    """
    from rlhf_argilla.annotation.users import list_annotators
    from rlhf_argilla.gateway import connect

    settings = get_settings(ctx, workspace=workspace)
    table = Table("username", "role", title=f"workspace {settings.workspace}")
    for row in list_annotators(connect(settings), settings.workspace):
        table.add_row(row["username"], row["role"])
    console.print(table)
