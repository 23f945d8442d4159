"""The JupyterHub authenticator of a netcourse run: a personal link logs its owner in, no password.

``/hub/netcourse-login?run=<run>&key=<key>`` (and ``/hub/login`` with the same query) always logs in anew —
even when the browser is logged in as someone else (JupyterHub's own login page would keep the old user) —
and redirects to the user's server without the key in any later URL. A missing, foreign or unknown key and
a closed run give a refused page (HTTP 403, one sentence, no traceback). The only module importing jupyterhub.
"""

from __future__ import annotations

import os

from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from tornado import web
from traitlets import Unicode, default

from netcourse.core.errors import StoreError
from netcourse.core.i18n import resolve_lang, ui
from netcourse.core.store import STORE_ENV
from netcourse.hub import access

SECRET_PARAMS = ("key", "run")


def refused(reason: str, lang: str | None = None) -> web.HTTPError:
    error = web.HTTPError(403, reason=ui(resolve_lang(lang), "hub_refused"))
    error.jupyterhub_message = ui(resolve_lang(lang), f"hub_{reason}")  # shown by JupyterHub's error page
    return error


class NetcourseLoginHandler(BaseHandler):
    """Log in by personal link. Whoever was logged in before in this browser is logged out first: JupyterHub
    clears the session cookie and revokes that session's tokens, so their server no longer opens here."""

    async def get(self) -> None:
        run, key = self.get_argument("run", ""), self.get_argument("key", "")
        if not key:
            raise refused("no_link", self.authenticator.lang)
        if self.current_user is not None:
            self.clear_login_cookie()  # another person may have used this browser before (pitfall: the
            # hub's own /hub/login would keep them logged in)
        user = await self.login_user({"username": run[:64], "run": run, "key": key})
        if user is None:  # authenticate() raises for every refusal; this is a safety net
            raise refused("unknown_link", self.authenticator.lang)
        self.redirect(self.get_next_url(user))

    def append_query_parameters(self, url: str, exclude: list[str] | None = None) -> str:
        """The key and run stay out of every later URL (JupyterHub appends the login's query to ``next``)."""
        return super().append_query_parameters(url, exclude=[*(exclude or ["next"]), *SECRET_PARAMS])


class NetcourseAuthenticator(Authenticator):
    """A run's participants and trainer enter by their personal links (see :mod:`netcourse.hub.access`)."""

    store = Unicode(help="Answer store locator (without password; PGPASSWORD or ~/.pgpass give it). "
                         "Default: $NETCOURSE_STORE.").tag(config=True)
    lang = Unicode("", help="Language of the refused pages (de, en). Default: $NETCOURSE_LANG or German.").tag(
        config=True)

    @default("store")
    def _store_default(self) -> str:
        return os.environ.get(STORE_ENV, "")

    @default("allow_all")
    def _allow_all_default(self) -> bool:
        return True  # authenticate() is the gate: only keys of a live run get in

    @default("manage_groups")
    def _manage_groups_default(self) -> bool:
        return True  # each user is in the group of their run

    @default("manage_roles")
    def _manage_roles_default(self) -> bool:
        return True  # the trainer's role is scoped to the run's group

    def get_handlers(self, app):  # type: ignore[no-untyped-def]
        return [("/login", NetcourseLoginHandler), ("/netcourse-login", NetcourseLoginHandler)]

    async def authenticate(self, handler, data):  # type: ignore[no-untyped-def]
        data = data or {}
        try:
            who = access.identify(self.store, str(data.get("run", "")), str(data.get("key", "")))
        except access.Refused as exc:
            self.log.warning("netcourse: login refused (%s)", exc)
            raise refused(exc.reason, self.lang) from None
        except StoreError as exc:
            self.log.error("netcourse: store not reachable: %s", exc)
            raise refused("store_down", self.lang) from None
        return access.auth_model(who)

    async def pre_spawn_start(self, user, spawner) -> None:  # type: ignore[no-untyped-def]
        """A server starts only for a user of a live run (the run may have been archived since the login)."""
        try:
            access.check_user(self.store, user.name)
        except access.Refused as exc:
            self.log.warning("netcourse: server refused for %s (%s)", user.name, exc)
            raise refused(exc.reason, self.lang) from None
        except StoreError as exc:
            self.log.error("netcourse: store not reachable: %s", exc)
            raise refused("store_down", self.lang) from None

    async def refresh_user(self, user, handler=None):  # type: ignore[no-untyped-def]
        """Every ``auth_refresh_age`` seconds (default 300): a user whose run was archived, or who is no longer
        a participant of it, is logged out (their next page asks for the personal link again)."""
        try:
            access.check_user(self.store, user.name)
        except access.Refused as exc:
            self.log.warning("netcourse: session of %s ended (%s)", user.name, exc)
            return False
        except StoreError as exc:  # a store outage does not log everybody out
            self.log.error("netcourse: store not reachable: %s", exc)
        return True
