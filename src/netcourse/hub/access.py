"""Who may enter a run on JupyterHub: a personal key → a hub user, and a hub user → a run's identity.

Pure logic over the answer store, without JupyterHub (``netcourse.hub.auth`` is the only module importing it).
A hub user is named ``<run>--<participant id>`` or ``<run>--trainer``; run ids never contain ``--``.
The key is the participant's personal-link token (``?p=`` of ``links.csv``) or the run's trainer key;
only their hashes are in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcourse.core.errors import NetcourseError, StoreError
from netcourse.core.identity import TRAINER_ID, check_participant_id
from netcourse.core.store import AnswerStore
from netcourse.core.store.model import UnknownRunError, check_run_id
from netcourse.core.store.runs import get_run, trainer_key_opens

SEPARATOR = "--"
MAX_KEY = 200


class Refused(NetcourseError):
    """Entry refused; ``reason`` names the page text (``hub_<reason>`` in ``ui.<lang>.yaml``)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class HubIdentity:
    run: str
    participant_id: str  # TRAINER_ID for the run's trainer

    @property
    def is_trainer(self) -> bool:
        return self.participant_id == TRAINER_ID

    @property
    def user_name(self) -> str:
        return f"{self.run}{SEPARATOR}{self.participant_id}"

    @property
    def group(self) -> str:
        """The hub group of the run's users (the trainer's role is scoped to it)."""
        return self.run


def parse_user(name: str) -> HubIdentity:
    """The run and participant a hub user name stands for; :class:`Refused` (``no_run``) if none."""
    run, sep, pid = (name or "").partition(SEPARATOR)
    try:
        if not sep:
            raise NetcourseError("no separator")
        return HubIdentity(check_run_id(run), check_participant_id(pid))
    except NetcourseError:
        raise Refused("no_run", f"hub user {name[:80]!r} belongs to no run") from None


def live_store(locator: str, run: str) -> AnswerStore:
    """The store of a run that exists and is not archived."""
    try:
        store = AnswerStore(locator, check_run_id(run))
        found = get_run(store)
    except UnknownRunError:
        raise Refused("run_closed", f"unknown run {run[:80]!r}") from None
    except StoreError as exc:
        if "is not a run id" in str(exc):
            raise Refused("run_closed", f"not a run id: {run[:80]!r}") from None
        raise
    if found.archived:
        raise Refused("run_closed", f"run {run} is archived")
    return store


def identify(locator: str, run: str, key: str) -> HubIdentity:
    """The identity a personal key opens in ``run``: the trainer, or the participant whose link it is.

    Raises :class:`Refused` (``no_link``, ``run_closed``, ``unknown_link``); a key of another run is unknown
    here. :class:`~netcourse.core.errors.StoreError` if the store cannot be reached.
    """
    if not key or not run:
        raise Refused("no_link")
    if len(key) > MAX_KEY or not key.isprintable():
        raise Refused("unknown_link", "malformed key")
    store = live_store(locator, run)
    if trainer_key_opens(store, key):
        return HubIdentity(store.run, TRAINER_ID)
    profile = store.profile_for_token(key)
    if profile is None:
        raise Refused("unknown_link", f"no participant of run {store.run} has this key")
    return HubIdentity(store.run, profile.participant_id)


def check_user(locator: str, user_name: str) -> HubIdentity:
    """Before a server starts: the hub user still belongs to a live run (participant not removed)."""
    who = parse_user(user_name)
    store = live_store(locator, who.run)
    if not who.is_trainer and store.profile(who.participant_id) is None:
        raise Refused("no_run", f"{who.participant_id} is no participant of run {who.run}")
    return who


def trainer_scopes(run: str) -> list[str]:
    """What the trainer of ``run`` may do on the hub: see the admin page listing the run's users, start and
    stop their servers — but not open them (no ``access:servers``), and nothing outside the run's group."""
    return ["self", "admin-ui", f"list:users!group={run}", f"read:users!group={run}",
            f"read:groups!group={run}", f"servers!group={run}"]


def auth_model(who: HubIdentity) -> dict[str, object]:
    """What the authenticator returns for JupyterHub: name, group (the run) and, for the trainer, the run's
    trainer role (created on the trainer's first login; participants keep the default ``user`` role)."""
    model: dict[str, object] = {"name": who.user_name, "groups": [who.group]}
    if who.is_trainer:
        model["roles"] = [{"name": f"netcourse-trainer-{who.run}",
                           "description": f"Trainer of run {who.run}", "scopes": trainer_scopes(who.run)}]
    return model
