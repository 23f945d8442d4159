"""JSON journal: the machine-readable copy a self-learner can import again on a fresh Binder."""

from __future__ import annotations

import json

from netcourse.exporters.base import Exporter
from netcourse.journal import Journal, journal_payload


class JsonExporter(Exporter):
    format_name = "json"
    suffix = ".json"
    media_type = "application/json"

    def render(self, journal: Journal) -> bytes:
        return json.dumps(journal_payload(journal), ensure_ascii=False, indent=2).encode("utf-8")
