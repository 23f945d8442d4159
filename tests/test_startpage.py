"""The self-study start page: progress from the store, journal download, import upload, forget."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from netcourse.exercises.registry import course_modules
from netcourse.pages.lesson import Lesson
from netcourse.pages.startpage import StartPage

COURSE = Path(__file__).resolve().parents[1] / "course"


def upload(page: StartPage, data: bytes, name: str = "journal.json") -> None:
    page.upload.value = ({"name": name, "type": "application/json", "size": len(data), "content": memoryview(data),
                          "last_modified": datetime.now(timezone.utc)},)


def test_progress_counts_answered_activities(store, tmp_path) -> None:
    page = StartPage(participant="p1", store=store, course_dir=tmp_path)
    assert all(done == 0 for done, _ in page.progress().values())
    view = Lesson("ausblick", participant="p1", store=store).build_activity("plan")
    view.text.value = "Einen Stammtisch gründen"
    view.save()
    assert page.progress()["ausblick"][0] == 1
    assert "1 von" in page.overview_html()


def test_overview_links_existing_notebooks_in_course_order(store) -> None:
    page = StartPage(participant="p1", store=store, course_dir=COURSE)
    html = page.overview_html()
    links = re.findall(r'href="([^"]+)"', html)
    assert links == [m.notebook for m in course_modules()]


def test_journal_download_and_import_on_the_page(store, tmp_path) -> None:
    view = Lesson("ausblick", participant="p1", store=store).build_activity("plan")
    view.text.value = "<b>Plan</b>"
    view.save()
    page = StartPage(participant="p1", store=store)
    page.format.value = "json"
    data = page.create_journal()
    href = re.search(r'href="data:application/json;charset=utf-8;base64,([^"]+)"', page.download.value).group(1)
    assert base64.b64decode(href) == data
    other = StartPage(participant="p1", store=tmp_path / "other.sqlite")
    assert other.import_upload() == 0 and "JSON-Datei" in other.import_status.value
    upload(other, b"kaputt")
    assert other.import_upload() == 0 and "keine lesbare JSON-Datei" in other.import_status.value
    upload(other, data)
    assert other.import_upload() == 1
    assert other.store.load("p1", "ausblick", "plan") == {"text": "<b>Plan</b>"}
    foreign = json.loads(data)
    foreign["participant_id"] = "p2"
    foreign["answers"][0]["participant_id"] = "p2"
    upload(other, json.dumps(foreign).encode())
    assert other.import_upload() == 0 and "anderen Person" in other.import_status.value


def test_forget_needs_confirmation(store) -> None:
    view = Lesson("ausblick", participant="p1", store=store).build_activity("plan")
    view.text.value = "x"
    view.save()
    page = StartPage(participant="p1", store=store)
    assert page.forget() == 0 and store.answers("p1")
    page.forget_confirm.value = True
    assert page.forget() == 1 and store.answers("p1") == []


def test_english_start_page(store) -> None:
    page = StartPage(participant="p1", store=store, lang="en")
    assert "Course overview" in page.overview_html() and "Learning to recognise networks" in page.header_html()


def test_personal_link_identifies_the_participant_and_links_keep_it(store, monkeypatch) -> None:
    from netcourse.core.participants import Profile

    store.add_participants([(Profile("anna-id", "Anna", "Musterstadt", "tausch"), "geheim-anna")])
    store.save("anna-id", "ausblick", "plan", {"text": "Annas Plan"})
    store.save("other-id", "ausblick", "plan", {"text": "fremd"})
    monkeypatch.setenv("NETCOURSE_ACCESS", "personal")
    monkeypatch.setenv("VOILA_KERNEL_ID", "test-kernel")  # as inside Voila without preheating
    monkeypatch.setenv("QUERY_STRING", "p=geheim-anna")
    page = StartPage(store=store, course_dir=COURSE)
    assert page.participant_id == "anna-id" and not page.blocked
    assert "Willkommen, Anna!" in page.header_html()
    assert page.progress()["ausblick"][0] == 1
    assert "?p=geheim-anna" in page.overview_html()
    monkeypatch.setenv("QUERY_STRING", "p=falsch")
    stranger = StartPage(store=store)
    assert stranger.blocked and stranger.participant_id is None
    assert all(done == 0 for done, _ in stranger.progress().values())
    stranger.forget_confirm.value = True
    assert stranger.forget() == 0 and stranger.create_journal() is None
    assert len(store.answers()) == 2
