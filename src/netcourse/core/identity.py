"""Who is answering: a random participant id, never a name.

The id comes from the workbook's papermill parameter or the server side (``$NETCOURSE_PARTICIPANT``);
a self-learner without either gets a random id kept in their per-user data directory.
"""

from __future__ import annotations

import os
import re
import secrets

import platformdirs

from netcourse.core.errors import NetcourseError

PARTICIPANT_ENV = "NETCOURSE_PARTICIPANT"
MODE_ENV = "NETCOURSE_MODE"
TRAINER_ID = "trainer"  # the participant id of the trainer's own visits (never a real participant)
_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def new_participant_id() -> str:
    return secrets.token_hex(8)


def check_participant_id(value: str) -> str:
    if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
        raise NetcourseError(f"participant id {value!r} is invalid: use 1-64 letters, digits, '-' or '_'")
    return value


def _self_learner_file():
    return platformdirs.user_data_path("netcourse", appauthor=False) / "self-learner-id"


def adopt_self_learner_id(participant_id: str) -> None:
    """Continue as ``participant_id`` (after importing one's own journal on a fresh machine)."""
    path = _self_learner_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(check_participant_id(participant_id), encoding="ascii")


def self_learner_id() -> str:
    """The local self-learner's id, created once and kept in the user data directory."""
    path = _self_learner_file()
    if path.exists():
        return check_participant_id(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    pid = new_participant_id()
    path.write_text(pid, encoding="ascii")
    return pid


def resolve_participant(explicit: str | None = None) -> str:
    """Explicit id (papermill parameter), else ``$NETCOURSE_PARTICIPANT``, else the self-learner id."""
    if explicit:
        return check_participant_id(explicit)
    env = os.environ.get(PARTICIPANT_ENV)
    if env:
        return check_participant_id(env.strip())
    return self_learner_id()


def resolve_mode(explicit: str | None = None) -> str:
    """``trainer`` shows trainer notes; anything else is ``participant``."""
    mode = (explicit or os.environ.get(MODE_ENV) or "participant").strip().lower()
    return "trainer" if mode == "trainer" else "participant"
