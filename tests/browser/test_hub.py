"""The course on a real JupyterHub: ``netcourse hub config --local`` loaded by ``jupyterhub`` on loopback ports,
configurable-http-proxy, SimpleLocalProcessSpawner, one Voila server per person, the store on PostgreSQL.

Two participants of run A enter through their personal hub links (no password), each sends an idea from
their own server; the trainer (run A's trainer link) sees both on the board, as text. A key of run B, an
unknown key and no key are refused with a page, not a traceback. A second link in the same browser logs in
its own owner. The trainer's hub role is scoped to run A; the idle culler runs as a hub service with its
role. At the end no process the hub started is left.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import make_url
from tests.processes import HOST, alive, cmdline, descendants, free_port, port_answers, wait_until

from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.core.store.runs import create_run, issue_trainer_key
from netcourse.hub.links import hub_link

from .conftest import LOAD_TIMEOUT_MS, new_context, wait_rendered

CHP = shutil.which("configurable-http-proxy")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHP is None and not os.environ.get("CI"),
                                                   reason="npm install -g configurable-http-proxy")]
PEOPLE = {"anna": ("Anna Beispiel", "tausch"), "ben": ("Ben Muster", "ziele")}
IDEAS = {"anna": "Gemeinsamer <b>Bauhof</b>", "ben": "Ferienprogramm & Co"}
SAVE_TIMEOUT_MS = 20_000


@dataclass
class Hub:
    url: str
    run_a: str
    run_b: str
    keys: dict[str, str]  # anna, ben (run A), bea (run B), trainer (run A)
    process: subprocess.Popen[bytes]
    log: Path

    def link(self, who: str, run: str | None = None, next_url: str = "") -> str:
        return hub_link(self.url, run or self.run_a, self.keys[who], next_url)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _store(url: str) -> tuple[str, str, dict[str, str]]:
    """Runs A and B in a new PostgreSQL store: two participants in A, one in B, A's trainer key."""
    root = AnswerStore(url)
    run_a = create_run(root, "Kurs Fulda").run_id
    run_b = create_run(root, "Kurs Kassel").run_id
    keys = {"anna": "anna-token-A1", "ben": "ben-token-A2", "bea": "bea-token-B1"}
    a, b = AnswerStore(url, run_a), AnswerStore(url, run_b)
    a.add_participants([(Profile(pid, name, "Fulda", group, "", "de"), keys[pid])
                        for pid, (name, group) in PEOPLE.items()])
    b.add_participants([(Profile("bea", "Bea Test", "Kassel", "tausch", "", "de"), keys["bea"])])
    keys["trainer"] = issue_trainer_key(a)
    return run_a, run_b, keys


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, pg_cluster: Any) -> Iterator[Hub]:
    work = tmp_path_factory.mktemp("hub")
    url = pg_cluster.url(pg_cluster.create_database())
    run_a, run_b, keys = _store(url)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCOURSE_", "JUPYTER", "VOILA_", "PG"))}
    env.update(XDG_DATA_HOME=str(work / "data"), XDG_CACHE_HOME=str(work / "cache"), PYTHONUNBUFFERED="1",
               JUPYTER_CONFIG_DIR=str(work / "jupyter-config"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    config = work / "jupyterhub_config.py"
    subprocess.run([sys.executable, "-m", "netcourse", "hub", "config", "--local", "--store", url, "--out",
                    str(config), "--site-dir", str(work / "site"), "--port", str(port), "--hub-port",
                    str(free_port()), "--proxy-api-port", str(free_port())],
                   env=env, check=True, capture_output=True, timeout=120)
    password = make_url(url).password
    assert password and password not in config.read_text(encoding="utf-8"), "the password is in the config"
    env["PGPASSWORD"] = password  # the hub and its servers get the store's password this way
    log = work / "hub.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=work, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    started: set[int] = set()
    try:
        ready = f"http://{HOST}:{port}/hub/health"  # the proxy answers before the hub's route is set
        if not wait_until(lambda: process.poll() is not None or (port_answers(port) and _get(ready)[0] == 200), 90,
                          step=0.5):
            pytest.fail("JupyterHub did not answer:\n" + log.read_text(errors="replace")[-3000:])
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        yield Hub(f"http://{HOST}:{port}", run_a, run_b, keys, process, log)
    finally:
        started = descendants(process.pid)
        for pid in started:  # the culler service waits 30 s for SIGINT; it has nothing to finish
            if "jupyterhub_idle_culler" in cmdline(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        process.send_signal(signal.SIGTERM)  # the hub stops the proxy and every server it spawned
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=60)
        survivors = {pid for pid in started | {process.pid}
                     if alive(pid) and not wait_until(lambda pid=pid: not alive(pid), 10)}
        for pid in survivors:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert not survivors, f"processes left after the hub stopped: {[cmdline(p) for p in survivors]}"
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-4000:]


def open_link(page: Page, link: str) -> str:
    """Follow a personal hub link until the start page is rendered; the user's server URL prefix."""
    page.goto(link, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_url("**/voila/render/00-start.ipynb", wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page)
    assert "key=" not in page.url, "the key followed the redirects"
    return page.url.split("/voila/render/")[0]


def add_idea(page: Page, title: str) -> None:
    exercise = page.locator(".nc-exercise-ideas")
    exercise.get_by_label("Titel der Idee").fill(title)
    exercise.get_by_label("Beschreibung").fill("aus dem Hub")
    exercise.get_by_role("button", name="Idee hinzufügen").click()
    expect(exercise.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)


def test_two_participants_send_ideas_and_the_trainer_board_shows_both(
        hub: Hub, browser: Browser, browser_context_args: dict[str, Any]) -> None:
    contexts = [new_context(browser, browser_context_args) for _ in range(3)]
    try:
        servers = {}
        for context, who in zip(contexts, PEOPLE, strict=False):
            page = context.new_page()
            servers[who] = open_link(page, hub.link(who))
            assert servers[who].endswith(f"/user/{hub.run_a}--{who}"), servers[who]
            expect(page.get_by_text(PEOPLE[who][0].split()[0]).first).to_be_visible()
            page.goto(f"{servers[who]}/voila/render/03-gruppenarbeit.ipynb", timeout=LOAD_TIMEOUT_MS)
            wait_rendered(page, 2)
            add_idea(page, IDEAS[who])
        assert len(set(servers.values())) == 2, "both participants on the same server"
        trainer = contexts[2].new_page()
        base = open_link(trainer, hub.link("trainer"))
        assert base.endswith(f"/user/{hub.run_a}--trainer")
        trainer.goto(f"{base}/voila/render/03-gruppenarbeit.ipynb", timeout=LOAD_TIMEOUT_MS)
        board = trainer.locator(".nc-board")
        expect(board).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        for title in IDEAS.values():
            expect(board.locator(".nc-card strong").filter(has_text=title)).to_have_count(1, timeout=10_000)
        expect(board.locator("b")).to_have_count(0)  # the participant's markup is shown as text
        # the trainer may not open a participant's server (no access:servers scope)
        response = trainer.goto(f"{servers['anna']}/voila/render/00-start.ipynb", timeout=LOAD_TIMEOUT_MS)
        assert response is not None and response.status == 403, trainer.url
    finally:
        for context in contexts:
            context.close()


def test_a_second_link_in_the_same_browser_logs_in_its_owner(
        hub: Hub, browser: Browser, browser_context_args: dict[str, Any]) -> None:
    """One shared computer: Anna's link, then Ben's link in the same browser opens Ben's server, not Anna's."""
    context = new_context(browser, browser_context_args)
    try:
        page = context.new_page()
        assert open_link(page, hub.link("anna")).endswith("--anna")
        assert open_link(page, hub.link("ben")).endswith("--ben")
        expect(page.get_by_text("Ben").first).to_be_visible()
    finally:
        context.close()


def _get(url: str, opener: urllib.request.OpenerDirector | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.mark.parametrize(("who", "run", "text"), [
    ("bea", None, "Dieser Link gilt nicht für diesen Kurs"),  # a participant of run B at run A
    ("unknown", None, "Dieser Link gilt nicht für diesen Kurs"),
    ("anna", "no-such-run", "Dieser Kurs ist beendet oder nicht bekannt"),
])
def test_foreign_or_unknown_keys_are_refused_with_a_page(hub: Hub, who: str, run: str | None, text: str) -> None:
    hub.keys.setdefault("unknown", "not-a-key-0815")
    status, body = _get(hub.link(who, run))
    assert status == 403 and text in body and "Traceback" not in body


def test_without_a_link_the_hub_asks_for_it(hub: Hub) -> None:
    status, body = _get(f"{hub.url}/hub/")
    assert status == 403 and "Bitte öffnen Sie Ihren persönlichen Link" in body and "Traceback" not in body


def test_the_trainer_sees_only_the_users_of_their_run(hub: Hub) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for who, run in (("anna", hub.run_a), ("ben", hub.run_a), ("bea", hub.run_b)):  # users of both runs exist
        status, _ = _get(hub.link(who, run, next_url="/hub/home"), opener)  # (whatever ran before: order-free)
        assert status == 200
        jar.clear()
    status, page = _get(hub.link("trainer", next_url="/hub/admin"), opener)
    assert status == 200, page[:500]
    status, body = _get(f"{hub.url}/hub/api/users", opener, {"Referer": f"{hub.url}/hub/admin"})
    assert status == 200, body[:500]
    users = json.loads(body)
    assert {u["name"] for u in users} >= {f"{hub.run_a}--anna", f"{hub.run_a}--ben"}
    assert all(u["name"].startswith(f"{hub.run_a}--") for u in users), [u["name"] for u in users]
    assert not any(u["admin"] for u in users)


def test_the_idle_culler_runs_as_a_hub_service_with_its_role(hub: Hub) -> None:
    """The culler (started by the hub) may list the users and their activity: its role is loaded."""
    def culler_listed_users() -> bool:
        return any("200 GET /hub/api/users" in line and "jupyterhub-idle-culler-service" in line
                   for line in hub.log_text().splitlines())

    assert wait_until(culler_listed_users, 30), hub.log_text()[-3000:]
