"""Who is looking at a page served by Voila: a participant (personal link), the trainer, or a self-learner.

Identity is decided on the server side, from the page's query string, never from a form field:

* ``?p=<token>`` — a participant's personal link (``links.csv``); the store maps the token's hash to an id;
* ``?trainer=<key>`` — the trainer, when ``netcourse present --trainer`` was started (it sets the key's hash);
* neither, with access ``open`` (self-study server) — the local self-learner;
* access ``hub`` (a JupyterHub single-user server): the server's own person, set by ``netcourse-singleuser``
  from the hub user (``$NETCOURSE_PARTICIPANT``, ``$NETCOURSE_MODE``); ``?p=`` and ``?trainer=`` are ignored.

With access ``personal`` a missing, unknown or tampered token gives ``problem`` and nothing is written.
Outside Voila (papermill, JupyterLab, tests) the explicit participant or the self-learner id is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from netcourse.core.errors import StoreError
from netcourse.core.identity import PARTICIPANT_ENV, TRAINER_ID, check_participant_id, resolve_mode, resolve_participant
from netcourse.core.participants import Profile, same_hash, token_hash
from netcourse.core.store import AnswerStore

ACCESS_ENV = "NETCOURSE_ACCESS"  # "personal", "open" or "hub"
TRAINER_ENV = "NETCOURSE_TRAINER_HASH"
MAX_QUERY = 2048


@dataclass(frozen=True)
class Visit:
    participant_id: str | None
    mode: str  # "trainer" or "participant"
    link_query: str = ""  # appended to links between pages, so the identity travels along
    problem: str | None = None  # "missing_link" or "unknown_link"
    profile: Profile | None = None


def in_voila() -> bool:
    return bool(os.environ.get("VOILA_KERNEL_ID"))


def preheated() -> bool:
    """A kernel of Voila's preheated pool: it runs the page up to :func:`query_params` before anyone asks
    for the page, then waits there for its visitor."""
    return in_voila() and os.environ.get("VOILA_PREHEAT", "False") != "False"


def warm_up(store: AnswerStore) -> None:
    """What every visit needs whoever the visitor is, done by a preheated kernel before it waits for its
    visitor: open the store (engine, migrations, run check) and load the installed modules (their YAML and
    texts). Under a burst of page opens this is work the visitor no longer waits for. Errors are left to the
    visit itself, which reports them."""
    from netcourse.exercises.registry import course_modules

    with contextlib.suppress(Exception):
        store.prepare()
    with contextlib.suppress(Exception):
        course_modules()


def query_params() -> dict[str, str]:
    """The page's query parameters (first value of each); empty outside Voila."""
    if not in_voila():
        return {}
    return parse_query(voila_query_string())


def voila_query_string() -> str:
    """The page's query string, as ``voila.utils.get_query_string()`` gives it, without importing ``voila``.

    Importing ``voila`` pulls jupyter_server, nbconvert and jupyterlab_server into every kernel (~45 MiB RSS
    per page). Voila hands a preheated kernel its request through the environment: without preheating
    ``QUERY_STRING`` is set at start; with it, the kernel waits on ``/voila/query/<kernel id>`` until its page
    is requested (the same protocol as voila.utils.wait_for_request, Voila 0.5).
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return os.environ.get("QUERY_STRING", "")
    try:
        import websockets
    except ImportError:  # pragma: no cover - websockets comes with voila
        from voila.utils import get_query_string

        return get_query_string() or ""
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{os.environ.get('VOILA_APP_PORT', '8866')}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}")
    received: list[str] = []

    async def receive() -> None:
        async with websockets.connect(url, open_timeout=5) as socket:
            message = await socket.recv()
            received.append(message if isinstance(message, str) else message.decode())

    def run() -> None:  # in a thread: the kernel's own event loop is busy running this cell
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(receive())
        except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
            print(f"netcourse: no request info from Voila ({exc})", file=sys.__stderr__, flush=True)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="netcourse-query-string")
    thread.start()
    thread.join()
    if received:
        for key, value in json.loads(received[0]).items():
            os.environ[key] = str(value)
    return os.environ.get("QUERY_STRING", "")


def parse_query(query: str) -> dict[str, str]:
    """Parse a query string defensively: bounded length, first value wins, printable values only."""
    parsed = parse_qs(query[:MAX_QUERY], keep_blank_values=False, max_num_fields=20)
    return {key: values[0] for key, values in parsed.items() if values and values[0].isprintable()}


def resolve_visit(store: AnswerStore, participant: str | None = None, mode: str | None = None,
                  params: dict[str, str] | None = None) -> Visit:
    """Decide identity and mode for one page load (see the module docstring)."""
    if participant:
        pid = resolve_participant(participant)
        return Visit(pid, resolve_mode(mode), profile=_profile_or_none(store, pid))
    if params is None and preheated():
        warm_up(store)
    if os.environ.get(ACCESS_ENV) == "hub":
        return _hub_visit(store)
    params = query_params() if params is None else params
    trainer_hash = os.environ.get(TRAINER_ENV, "")
    key = params.get("trainer", "")
    if trainer_hash and key and same_hash(token_hash(key), trainer_hash) and _opens_run(store, key):
        return Visit(TRAINER_ID, "trainer", urlencode({"trainer": key}))
    if os.environ.get(ACCESS_ENV, "open") == "personal":
        token = params.get("p", "")
        if not token:
            return Visit(None, "participant", problem="missing_link")
        profile = store.profile_for_token(token)
        if profile is None:
            return Visit(None, "participant", problem="unknown_link")
        return Visit(profile.participant_id, "participant", urlencode({"p": token}), profile=profile)
    pid = resolve_participant(None)
    return Visit(pid, resolve_mode(mode), profile=_profile_or_none(store, pid))


def _hub_visit(store: AnswerStore) -> Visit:
    """On JupyterHub a server belongs to one person, who logged in at the hub with their personal link."""
    if resolve_mode(None) == "trainer":
        return Visit(TRAINER_ID, "trainer")
    pid = os.environ.get(PARTICIPANT_ENV, "").strip()
    if not pid:
        return Visit(None, "participant", problem="missing_link")
    pid = check_participant_id(pid)
    return Visit(pid, "participant", profile=_profile_or_none(store, pid))


def _opens_run(store: AnswerStore, key: str) -> bool:
    """The trainer key is the one stored for this store's run (``present --trainer`` stores its hash), so
    the key of run A never opens run B's pages, even on a server whose environment names it."""
    from netcourse.core.store.runs import trainer_key_opens

    try:
        return trainer_key_opens(store, key)
    except StoreError:
        return False


def _profile_or_none(store: AnswerStore, participant_id: str) -> Profile | None:
    """The profile if the store can be read; an unusable store shows up where answers are saved."""
    try:
        return store.profile(participant_id)
    except StoreError:
        return None
