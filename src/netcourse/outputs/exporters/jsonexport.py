"""JSON journal: the machine-readable copy a self-learner can import again on a fresh Binder."""

from __future__ import annotations

import json
from typing import Any

from netcourse.outputs.exporters.base import Exporter, Journal


class JsonExporter(Exporter):
    format_name = "json"
    suffix = ".json"
    media_type = "application/json"

    def render(self, journal: Journal) -> bytes:
        return json.dumps(journal_payload(journal), ensure_ascii=False, indent=2).encode("utf-8")


def journal_payload(journal: Journal) -> dict[str, Any]:
    from netcourse.core.store import JOURNAL_SCHEMA_VERSION
    from netcourse.core.version import __version__

    return {
        "format": "netcourse-journal",
        "schema_version": JOURNAL_SCHEMA_VERSION,
        "netcourse_version": __version__,
        "participant_id": journal.participant_id,
        "lang": journal.lang,
        "answers": [a.as_dict() for a in journal.answers],
    }
