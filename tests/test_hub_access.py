"""netcourse on JupyterHub without a running hub: who a key opens, the generated config as JupyterHub loads it,
the authenticator's refusals, the single-user launcher's environment, the hub access mode of pages, the CLI."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.core.store.runs import archive_run, create_run, issue_trainer_key, set_run_files
from netcourse.hub import access
from netcourse.hub.config import HubOptions, render_config
from netcourse.hub.links import link_token, run_hub_links
from netcourse.hub.singleuser import server_argv, server_env
from netcourse.outputs.workbooks.batch import personal_link, write_links_rows
from netcourse.pages.session import resolve_visit


def run_async(coroutine):  # noqa: ANN001, ANN201
    """Await ``coroutine`` in a thread of its own (Playwright's sync API may hold this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def runs(store_path: Path) -> SimpleNamespace:
    """Runs A and B in one store: A with Anna and a trainer key, B with Bea; C archived."""
    root = AnswerStore(store_path)
    a, b, c = (AnswerStore(store_path, create_run(root, title).run_id) for title in ("Kurs A", "Kurs B", "Kurs C"))
    a.add_participants([(Profile("anna", "Anna", "Fulda", "tausch", "", "de"), "tok-anna")])
    b.add_participants([(Profile("bea", "Bea", "Kassel", "ziele", "", "de"), "tok-bea")])
    c.add_participants([(Profile("carl", "Carl", "Hanau", "ziele", "", "de"), "tok-carl")])
    archive_run(root, c.run)
    return SimpleNamespace(store=str(store_path), a=a.run, b=b.run, c=c.run, trainer=issue_trainer_key(a))


def test_a_key_opens_its_owner_in_its_own_run_only(runs: SimpleNamespace) -> None:
    anna = access.identify(runs.store, runs.a, "tok-anna")
    assert (anna.user_name, anna.is_trainer) == (f"{runs.a}--anna", False)
    trainer = access.identify(runs.store, runs.a, runs.trainer)
    assert trainer.user_name == f"{runs.a}--trainer" and trainer.is_trainer
    refusals = {(runs.a, "tok-bea"): "unknown_link", (runs.b, runs.trainer): "unknown_link",
                (runs.a, "x" * 500): "unknown_link", (runs.a, ""): "no_link", (runs.c, "tok-carl"): "run_closed",
                ("no-such-run", "tok-anna"): "run_closed", ("Bad Run!", "tok-anna"): "run_closed"}
    for (run, key), reason in refusals.items():
        with pytest.raises(access.Refused) as caught:
            access.identify(runs.store, run, key)
        assert caught.value.reason == reason, (run, key)


def test_a_hub_user_without_a_live_run_gets_no_server(runs: SimpleNamespace) -> None:
    assert access.check_user(runs.store, f"{runs.a}--anna").participant_id == "anna"
    assert access.check_user(runs.store, f"{runs.a}--trainer").is_trainer
    for name, reason in (("admin", "no_run"), (f"{runs.a}--bea", "no_run"), (f"{runs.c}--carl", "run_closed"),
                         ("--anna", "no_run"), (f"{runs.a}--", "no_run")):
        with pytest.raises(access.Refused) as caught:
            access.check_user(runs.store, name)
        assert caught.value.reason == reason, name


def test_the_trainer_role_is_scoped_to_the_run_and_opens_no_server() -> None:
    model = access.auth_model(access.HubIdentity("kurs-a", "trainer"))
    assert model["groups"] == ["kurs-a"] and "admin" not in model
    (role,) = model["roles"]
    assert role["name"] == "netcourse-trainer-kurs-a"
    assert all(s in ("self", "admin-ui") or s.endswith("!group=kurs-a") for s in role["scopes"])
    assert not any(s.startswith(("access:", "admin:")) for s in role["scopes"])
    assert "roles" not in access.auth_model(access.HubIdentity("kurs-a", "anna"))  # participants: default role


@pytest.fixture
def hub_app(runs: SimpleNamespace, tmp_path: Path):
    """JupyterHub's application with the generated config file loaded (as ``jupyterhub -f`` does)."""
    from jupyterhub.app import JupyterHub

    config = tmp_path / "jupyterhub_config.py"
    config.write_text(render_config(HubOptions(store=runs.store, site_dir=tmp_path / "site", local=True,
                                               state_dir=tmp_path)), encoding="utf-8")
    app = JupyterHub()
    app.load_config_file(str(config))
    return app


def test_jupyterhub_loads_the_generated_config(hub_app, runs: SimpleNamespace, tmp_path: Path) -> None:
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    from netcourse.hub.auth import NetcourseAuthenticator

    assert hub_app.authenticator_class is NetcourseAuthenticator  # the entry point "netcourse"
    assert hub_app.spawner_class is SimpleLocalProcessSpawner
    auth = hub_app.authenticator_class(parent=hub_app)
    assert (auth.store, auth.allow_all, auth.manage_groups, auth.manage_roles) == (runs.store, True, True, True)
    spawner = hub_app.config.Spawner
    assert spawner.default_url == "/voila/render/00-start.ipynb"
    assert spawner.environment["NETCOURSE_STORE"] == runs.store
    assert Path(spawner.cmd[0]).name == "netcourse-singleuser"
    assert any("cull_idle_timeout" in arg for arg in spawner.args)
    (culler,) = hub_app.services
    (role,) = hub_app.load_roles
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"] and role["services"] == [culler["name"]]
    assert hub_app.bind_url.startswith("http://127.0.0.1:") and str(tmp_path) in hub_app.db_url


def test_the_authenticator_refuses_with_a_page_text(hub_app, runs: SimpleNamespace) -> None:
    from tornado import web

    auth = hub_app.authenticator_class(parent=hub_app)
    model = run_async(auth.authenticate(None, {"run": runs.a, "key": "tok-anna"}))
    assert model == {"name": f"{runs.a}--anna", "groups": [runs.a]}
    with pytest.raises(web.HTTPError) as caught:
        run_async(auth.authenticate(None, {"run": runs.a, "key": "tok-bea"}))
    assert caught.value.status_code == 403
    assert caught.value.jupyterhub_message.startswith("Dieser Link gilt nicht für diesen Kurs")
    with pytest.raises(web.HTTPError) as caught:
        run_async(auth.pre_spawn_start(SimpleNamespace(name="someone"), None))
    assert caught.value.status_code == 403 and "keinem laufenden Kurs" in caught.value.jupyterhub_message
    assert run_async(auth.refresh_user(SimpleNamespace(name=f"{runs.a}--anna"))) is True
    assert run_async(auth.refresh_user(SimpleNamespace(name=f"{runs.c}--carl"))) is False  # run archived
    auth.store = "postgresql+psycopg://u:Secret-pw@127.0.0.1:1/kurs?connect_timeout=2"
    with pytest.raises(web.HTTPError) as caught:
        run_async(auth.authenticate(None, {"run": runs.a, "key": "tok-anna"}))
    assert "nicht erreichbar" in caught.value.jupyterhub_message and "Secret" not in str(caught.value)


def test_the_single_user_server_knows_its_person_from_the_hub_user(runs: SimpleNamespace) -> None:
    env = server_env({"JUPYTERHUB_USER": f"{runs.a}--anna", "NETCOURSE_STORE": runs.store, "PATH": "/usr/bin",
                      "NETCOURSE_TRAINER_HASH": "x"})
    assert (env["NETCOURSE_RUN"], env["NETCOURSE_PARTICIPANT"], env["NETCOURSE_MODE"], env["NETCOURSE_ACCESS"]) == (
        runs.a, "anna", "participant", "hub")
    assert "NETCOURSE_TRAINER_HASH" not in env and "share" in env["JUPYTER_PATH"]
    assert server_env({"JUPYTERHUB_USER": f"{runs.a}--trainer", "NETCOURSE_STORE": "s"})["NETCOURSE_MODE"] == "trainer"
    with pytest.raises(access.Refused):
        server_env({"JUPYTERHUB_USER": "root", "NETCOURSE_STORE": runs.store})
    argv = server_argv(["--MappingKernelManager.cull_idle_timeout=60"])
    assert Path(argv[0]).name == "jupyterhub-singleuser" and "--VoilaConfiguration.template=netcourse" in argv
    assert "--VoilaExecutor.iopub_timeout=20" in argv  # Voila's extension hands the server's config on


def test_pages_on_the_hub_ignore_links_in_the_query(runs: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    store = AnswerStore(runs.store, runs.a)
    monkeypatch.setenv("NETCOURSE_ACCESS", "hub")
    monkeypatch.setenv("NETCOURSE_PARTICIPANT", "anna")
    monkeypatch.setenv("NETCOURSE_MODE", "participant")
    visit = resolve_visit(store, params={"p": "tok-bea", "trainer": runs.trainer})
    assert (visit.participant_id, visit.mode, visit.link_query) == ("anna", "participant", "")
    assert visit.profile is not None and visit.profile.name == "Anna"
    monkeypatch.setenv("NETCOURSE_MODE", "trainer")
    assert resolve_visit(store, params={}).mode == "trainer"
    monkeypatch.delenv("NETCOURSE_PARTICIPANT")
    monkeypatch.setenv("NETCOURSE_MODE", "participant")
    assert resolve_visit(store, params={"p": "tok-anna"}).problem == "missing_link"


def test_hub_links_come_from_the_runs_links_file(runs: SimpleNamespace, tmp_path: Path) -> None:
    store = AnswerStore(runs.store, runs.a)
    row = ("Anna", "Fulda", "Tausch", personal_link("http://x", "tok-anna"))
    links = write_links_rows(tmp_path / "links.csv", [row])
    set_run_files(store, links=str(links))
    rows, trainer = run_hub_links(store, "https://hub.example.org/")
    assert rows == [("Anna", "Fulda", "Tausch", f"https://hub.example.org/hub/netcourse-login?run={runs.a}&key=tok-anna")]
    assert trainer and access.identify(runs.store, runs.a, link_token(trainer.replace("key=", "p="))).is_trainer


def test_cli_hub_commands(run_cli, runs: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    done = run_cli("hub", "config", "--store", "postgresql+psycopg://kurs:Geheim-77@127.0.0.1:1/kursdb",
                   "--out", str(tmp_path / "c.py"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "127.0.0.1:1" in line and "kursdb" in line and "Geheim" not in line
    done = run_cli("hub", "config", "--local", "--store", runs.store, "--out", str(tmp_path / "hub" / "c.py"),
                   "--site-dir", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "03-gruppenarbeit.ipynb").exists() and (tmp_path / "hub" / "c.py").exists()
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no configurable-http-proxy on this PATH
    done = run_cli("hub", "serve", "--store", runs.store, "--run", runs.a)
    assert done.returncode == 1 and done.stderr.strip() == (
        "netcourse: error: configurable-http-proxy not found: npm install -g configurable-http-proxy")
