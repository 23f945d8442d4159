"""Who is looking at a page served by Voila: a participant (personal link), the trainer, or a self-learner.

Identity is decided on the server side, from the page's query string, never from a form field:

* ``?p=<token>`` — a participant's personal link (``links.csv``); the store maps the token's hash to an id;
* ``?trainer=<key>`` — the trainer, when ``netcourse present --trainer`` was started (it sets the key's hash);
* neither, with access ``open`` (self-study server) — the local self-learner.

With access ``personal`` a missing, unknown or tampered token gives ``problem`` and nothing is written.
Outside Voila (papermill, JupyterLab, tests) the explicit participant or the self-learner id is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from netcourse.errors import StoreError
from netcourse.identity import resolve_mode, resolve_participant
from netcourse.participants import Profile, same_hash, token_hash
from netcourse.store import AnswerStore

ACCESS_ENV = "NETCOURSE_ACCESS"  # "personal" or "open"
TRAINER_ENV = "NETCOURSE_TRAINER_HASH"
TRAINER_ID = "trainer"
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


def query_params() -> dict[str, str]:
    """The page's query parameters (first value of each); empty outside Voila."""
    if not in_voila():
        return {}
    from voila.utils import get_query_string

    return parse_query(get_query_string() or "")


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
    params = query_params() if params is None else params
    trainer_hash = os.environ.get(TRAINER_ENV, "")
    key = params.get("trainer", "")
    if trainer_hash and key and same_hash(token_hash(key), trainer_hash):
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


def _profile_or_none(store: AnswerStore, participant_id: str) -> Profile | None:
    """The profile if the store can be read; an unusable store shows up where answers are saved."""
    try:
        return store.profile(participant_id)
    except StoreError:
        return None
