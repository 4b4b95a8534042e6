"""``rlhf-argilla review``: route the pairs that need a decision into ``NAME-review`` (``--watch``: keep routing)."""

from __future__ import annotations

import typer

from rlhf_argilla.cli.common import console, get_settings


def review(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", "-d", help="First-round Argilla dataset."),
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", help="Its workspace (default: settings)."
    ),
    review_workspace: str | None = typer.Option(
        None, "--review-workspace", help="Workspace of the review dataset (default: WORKSPACE-review)."
    ),
    reviewer: list[str] = typer.Option(
        [], "--reviewer", "-r", help="Existing user to add to the review workspace (repeat for several)."
    ),
    watch: bool = typer.Option(
        False, "--watch", help="Keep routing as responses arrive (Argilla webhooks); Ctrl-C stops."
    ),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="With --watch: address the webhook listener binds to."
    ),
    port: int = typer.Option(
        0, "--port", min=0, max=65535, help="With --watch: listener port (0: any free)."
    ),
    public_url: str | None = typer.Option(
        None, "--public-url", help="With --watch: URL the Argilla server calls (default: http://HOST:PORT)."
    ),
) -> None:
    """Copy the pairs that need a decision into NAME-review, for reviewers to decide.

    A pair goes to review when its submitted first-round answers have no majority on
    `overall`, ratings of one criterion that differ by review_rating_spread (3) or more,
    or a winner someone rated Safety review_safety_floor (2) or lower. A rerun adds only
    pairs not routed yet. `pull` then uses the reviewers' decisions (decided_by = review).

    Example: rlhf-argilla review --dataset fitness-prefs --reviewer lead-coach --watch
    """
    from rlhf_argilla.annotation.review import ReviewQueue, RouteReport

    def show(report: RouteReport) -> None:
        rules = ", ".join(f"{rule} {n}" for rule, n in sorted(report.by_rule.items()))
        console.print(
            f"{report.workspace}/{report.dataset}: checked {report.checked}, added {report.added}"
            + (f" ({rules})" if rules else "")
            + f", already in review {report.already}"
        )

    settings = get_settings(ctx, workspace=workspace)
    queue = ReviewQueue(settings, dataset, review_workspace=review_workspace, reviewers=reviewer)
    try:
        if not watch:
            show(queue.route())
            return
        from rlhf_argilla.annotation.webhooks import watch as run_watch

        run_watch(
            queue,
            host=host,
            port=port,
            public_url=public_url,
            on_ready=lambda url: console.print(f"Listening for Argilla webhooks at {url} (Ctrl-C stops)"),
            on_route=show,
            on_error=lambda error: console.print(f"[yellow]Routing failed, will retry:[/] {error}"),
        )
        console.print("Stopped watching; a rerun catches up on anything answered meanwhile.")
    finally:
        queue.close()
