"""The password-protected participant documentation: content, escaping, anonymising, AES-256 zip and PDF.

One store with several participants (one of them forgotten, texts with hostile markup) is built once per
module; every format is rendered once and shared, and one Chromium prints every PDF.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from netcourse import cli
from netcourse.core.course import flatten_keys
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANGUAGES
from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.outputs.documentation.export import export_documentation, render
from netcourse.outputs.documentation.formats import render_html, render_markdown
from netcourse.outputs.documentation.model import build_documentation, doc_texts
from netcourse.outputs.documentation.pdf import PdfPrinter, html_to_pdf
from netcourse.outputs.protect import (
    ProtectError,
    WrongPasswordError,
    generate_password,
    open_protected,
    open_protected_named,
    read_password_file,
    write_file,
)
from netcourse.pages.lesson import Lesson

EVENT_TITLE = "Netzwerke erkennen lernen. Chancen des Netzwerkmanagements"
PASSWORD = "korrekt-Pferd-Batterie-Heftklammer-42"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{ 7*7 }}"
FORMULA = "=1+1"
IDEA_TITLE = "Tauschbörse für Räume"

# participant id, name, municipality; ids contain '-' so they cannot hide inside base64 chart data
PEOPLE = [
    ("pid-frieda-7f3c", "Frieda Beispiel", "Musterhausen"),
    ("pid-karl-9b21", "Karl Probe", "Testdorf am See"),
    ("pid-eva-4d88", "Eva <i>Kursiv</i>", "Beispielstadt"),
    ("pid-ole-1a2b", "Ole Quelle", "Nordwiesen"),
]
GONE = ("pid-gone-5e6f", "Vergessene Person", "Löschdorf")
GONE_IDEA = "Geheime Idee der Vergessenen"


def _fill(store: AnswerStore) -> None:
    everyone = [*PEOPLE, GONE]
    store.add_participants([(Profile(pid, name, town), f"token-{pid}") for pid, name, town in everyone])
    frieda, karl, eva, ole = (p[0] for p in PEOPLE)
    # through the real views, as a participant would answer
    ideas = Lesson("gruppenarbeit", participant=frieda, store=store, group="tausch").build_activity("ideen")
    ideas.title.value, ideas.text.value = IDEA_TITLE, "Vereine öffnen ihre Räume für andere Mitglieder."
    assert ideas.save()
    ideas.title.value, ideas.text.value = SCRIPT, f"{IMG} {TEMPLATE} {FORMULA}"
    assert ideas.save()
    rating = Lesson("grundmerkmale", participant=frieda, store=store).build_activity("selbsteinschaetzung")
    rating.scales["tausch"].value, rating.scales["vertrauen"].value = 4, 2
    rating.notes["tausch"].value = SCRIPT
    assert rating.save()
    amap = Lesson("akteurslandkarte", participant=frieda, store=store).build_activity("karte")
    for name in ("Umweltamt", "VHS", "Klimainitiative"):
        amap.name.value = name
        assert amap.add_actor()
    assert amap.add_tie()
    # shaped like the exercise types store them
    store.save(karl, "gruppenarbeit", "ideen", {"group": "vertrauen", "cards": [
        {"group": "vertrauen", "title": "Verlässliche Treffen", "text": TEMPLATE, "created_at": "2021"}]})
    store.save(eva, "gruppenarbeit", "ideen", {"group": "ziele", "cards": [
        {"group": "ziele", "title": FORMULA, "text": "Gemeinsame Ziele prüfen", "created_at": "2021-12-02"}]})
    store.save(karl, "grundmerkmale", "selbsteinschaetzung", {
        "ratings": {"tausch": 2, "ziele": 3, "unterschiedlichkeit": 5, "vertrauen": 4}, "notes": {}})
    store.save(eva, "grundmerkmale", "selbsteinschaetzung", {
        "ratings": {"tausch": 3, "ziele": None, "unterschiedlichkeit": 4, "vertrauen": 3}, "notes": {}})
    store.save(karl, "akteurslandkarte", "karte", {
        "actors": [{"id": "a1", "name": "Schulamt", "sector": "verwaltung"},
                   {"id": "a2", "name": "Sportverein", "sector": "zivilgesellschaft"}], "ties": []})
    store.save(karl, "fazit", "erkenntnis", {"text": f"Ein Netzwerk ist eine Organisationsform. {IMG}"})
    store.save(eva, "ausblick", "plan", {"text": f"Ich lade zum Runden Tisch ein.\n{SCRIPT}"})
    store.save(ole, "fazit", "erkenntnis", {"text": "Netzwerkmanagement ist kein Projektmanagement."})
    gone = GONE[0]
    store.save(gone, "gruppenarbeit", "ideen", {"group": "tausch", "cards": [
        {"group": "tausch", "title": GONE_IDEA, "text": "weg", "created_at": "2021-12-02T09:00"}]})
    store.save(gone, "fazit", "erkenntnis", {"text": "Diese Erkenntnis muss verschwinden."})
    store.save(gone, "grundmerkmale", "selbsteinschaetzung", {"ratings": {"tausch": 1}, "notes": {}})
    assert store.forget(gone) == 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AnswerStore:
    store = AnswerStore(tmp_path_factory.mktemp("doc") / "answers.sqlite")
    _fill(store)
    return store


@pytest.fixture(scope="module")
def printer() -> Iterator[PdfPrinter]:
    with PdfPrinter() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def html_de(built: AnswerStore) -> str:
    return render_html(build_documentation(built, "de"))


@pytest.fixture(scope="module")
def md_de(built: AnswerStore) -> str:
    return render_markdown(build_documentation(built, "de"))


@pytest.fixture(scope="module")
def anonymous(built: AnswerStore, printer: PdfPrinter) -> dict[str, str]:
    doc = build_documentation(built, "de", anonymize=True)
    pdf = pdf_text(render(doc, "pdf", printer))
    return {"html": render_html(doc), "md": render_markdown(doc), "pdf": pdf}


@pytest.fixture(scope="module")
def pdf_path(built: AnswerStore, printer: PdfPrinter, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "dokumentation.pdf"
    export_documentation(built, out, "pdf", password=PASSWORD, printer=printer)
    return out


class Parsed(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Any]]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def pdf_text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.decrypt(password)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# HTML ---------------------------------------------------------------------------------------------
def test_html_escapes_every_participant_text(html_de: str) -> None:
    page = Parsed(html_de)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "i" not in names  # neither from ideas nor from a name
    assert not any(key.startswith("on") for _, attrs in page.tags for key in attrs)
    images = [attrs.get("src") or "" for tag, attrs in page.tags if tag == "img"]
    assert len(images) == 1 and images[0].startswith("data:image/svg+xml;base64,")  # only the radar chart
    for payload in (SCRIPT, IMG, TEMPLATE, FORMULA, "Eva <i>Kursiv</i>"):
        assert payload in page.visible


def test_html_is_self_contained(html_de: str) -> None:
    page = Parsed(html_de)
    assert not [t for t, a in page.tags if t in ("link", "script", "iframe", "object", "embed")]
    urls = [v for _, attrs in page.tags for k, v in attrs.items() if k in ("src", "href") and v]
    assert urls and all(u.startswith("data:") for u in urls)
    csp = [a["content"] for t, a in page.tags
           if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html_de)


def test_html_holds_event_modules_ideas_ratings_maps_reflections(built: AnswerStore, html_de: str) -> None:
    text = Parsed(html_de).visible
    assert EVENT_TITLE in text and "Interkommunale Qualifizierung" in text and "2. Dezember 2021" in text
    doc = build_documentation(built, "de", with_chart=False)
    for module in doc.modules:
        assert module.title in text and module.objectives[0][:40] in html_de
    assert [g.name for g in doc.groups] == ["Tausch", "Ziele", "Unterschiedlichkeit", "Vertrauen"]
    assert [len(g.ideas) for g in doc.groups] == [2, 1, 0, 1]
    assert IDEA_TITLE in text and "Verlässliche Treffen" in text
    # averages of 3 self-assessments (the forgotten participant's 1 is gone)
    traits = {t.trait: (t.mean, t.n) for t in doc.ratings.traits}
    assert traits == {"tausch": (3.0, 3), "ziele": (3.0, 1), "unterschiedlichkeit": (4.5, 2),
                      "vertrauen": (3.0, 3)}
    assert doc.ratings.respondents == 3
    alts = [a["alt"] for t, a in Parsed(html_de).tags if t == "img"]
    assert len(alts) == 1
    assert "Tausch: 3,0 (n = 3)" in alts[0] and "Unterschiedlichkeit: 4,5 (n = 2)" in alts[0]
    assert doc.maps.maps == 2 and doc.maps.mean_actors == 2.5 and doc.maps.mean_ties == 0.5
    assert "Akteurslandkarten in der Summe" in text and "Umweltamt" not in text  # no actor names
    assert "Ein Netzwerk ist eine Organisationsform." in text and "Ich lade zum Runden Tisch ein." in text
    assert "Frieda Beispiel (Musterhausen)" in text and "Karl Probe (Testdorf am See)" in text
    assert "token-" not in html_de and "pid-" not in html_de  # ids and tokens never, even with names


def test_forgotten_participant_never_appears(html_de: str, md_de: str, anonymous: dict[str, str]) -> None:
    for output in (html_de, md_de, *anonymous.values()):
        for trace in (*GONE, GONE_IDEA, "Diese Erkenntnis muss verschwinden"):
            assert trace not in output


def test_anonymized_has_no_names_municipalities_or_ids(anonymous: dict[str, str]) -> None:
    for fmt, output in anonymous.items():
        for pid, name, town in PEOPLE:
            for trace in (pid, name, town, name.split()[0], md_like(name)):
                assert trace not in output, (fmt, trace)
        assert IDEA_TITLE in output  # the content stays
    assert "anonymisiert" in anonymous["html"]


def md_like(text: str) -> str:
    return text.replace("<", "\\<").replace(">", "\\>")


def test_english_headings_and_identical_text_keys(built: AnswerStore) -> None:
    english = render_html(build_documentation(built, "en", with_chart=False))
    assert "Ideas of the four groups" in english and "Ideen der vier Gruppen" not in english
    assert '<html lang="en">' in english and EVENT_TITLE in english
    texts = {lang: doc_texts(lang) for lang in LANGUAGES}
    assert flatten_keys(texts["de"]) == flatten_keys(texts["en"])
    fields = {lang: {key: set(re.findall(r"{(\w+)}", str(value))) for key, value in texts[lang].items()}
              for lang in LANGUAGES}
    assert fields["de"] == fields["en"]


# Markdown -------------------------------------------------------------------------------------------
def test_markdown_escapes_participant_text(md_de: str) -> None:
    assert not re.search(r"(?<!\\)<", md_de)  # every '<' is escaped: no tag from participant text
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in md_de
    assert "\\{\\{ 7\\*7 \\}\\}" in md_de
    assert f"# {EVENT_TITLE}" in md_de and "## Ideen der vier Gruppen" in md_de
    assert "| Tausch | 3,0 | 3 |" in md_de


# protection: zip ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_zip_holds_neutral_name_and_opens_only_with_the_password(built: AnswerStore, tmp_path: Path,
                                                                 fmt: str) -> None:
    password_file = tmp_path / "pw.txt"
    password_file.write_text(PASSWORD + "\nsecond line ignored\n", encoding="utf-8")
    out = tmp_path / "share" / "dokumentation.zip"
    result = export_documentation(built, out, fmt, password=read_password_file(password_file))
    assert result.protected and result.inner_name == f"dokumentation.{fmt}"
    assert sorted(p.name for p in out.parent.iterdir()) == ["dokumentation.zip"]  # no plain copy, no temp dir
    with pyzipper.AESZipFile(out) as archive:
        assert archive.namelist() == [f"dokumentation.{fmt}"]
        info = archive.infolist()[0]
        assert info.flag_bits & 0x1 and info.compress_type == pyzipper.ZIP_DEFLATED
        assert (info.wz_aes_vendor_id, info.wz_aes_strength) == (b"AE", 3)  # WinZip AES, 3 = 256 bit
        with pytest.raises(RuntimeError):
            archive.read(info)  # no password
        archive.setpassword(b"wrong-password-123")
        with pytest.raises(RuntimeError):
            archive.read(info)
        archive.setpassword(PASSWORD.encode())
        plain = archive.read(info).decode("utf-8")
    assert EVENT_TITLE in plain and IDEA_TITLE in plain
    assert PASSWORD.encode() not in out.read_bytes()
    assert open_protected_named(out, PASSWORD) == (f"dokumentation.{fmt}", plain.encode("utf-8"))
    for wrong in ("", "wrong-password-123"):
        with pytest.raises(WrongPasswordError, match="wrong password"):
            open_protected(out, wrong)


# protection: PDF --------------------------------------------------------------------------------------
def test_pdf_is_encrypted_and_opens_only_with_the_password(pdf_path: Path) -> None:
    assert sorted(p.name for p in pdf_path.parent.iterdir()) == ["dokumentation.pdf"]
    reader = PdfReader(pdf_path)
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(pdf_path).decrypt("wrong-password-123")
    with pytest.raises(WrongPasswordError):
        open_protected(pdf_path, "wrong-password-123")
    plain = open_protected(pdf_path, PASSWORD)
    assert not PdfReader(io.BytesIO(plain)).is_encrypted
    text = pdf_text(pdf_path.read_bytes(), PASSWORD)
    assert EVENT_TITLE in text and IDEA_TITLE in text and "Frieda Beispiel" in text
    assert "<script>alert(1)</script>" in text  # shown as text, never run


def test_pdf_prints_from_inside_a_running_asyncio_loop(html_de: str) -> None:
    """A Jupyter kernel runs an asyncio loop; Playwright's sync API refuses such a thread."""

    async def in_a_kernel() -> tuple[bytes, bytes]:
        asyncio.get_running_loop()  # we really are inside a loop
        with PdfPrinter() as reused:
            first = reused.print(html_de)
        return first, html_to_pdf("<h1>Grundmerkmale</h1>")

    # a thread of its own: the test runner's thread may already hold pytest-playwright's loop
    with ThreadPoolExecutor(max_workers=1) as kernel_thread:
        reused_pdf, fresh_pdf = kernel_thread.submit(asyncio.run, in_a_kernel()).result()
    assert EVENT_TITLE in pdf_text(reused_pdf)
    assert pdf_text(fresh_pdf).startswith("Grundmerkmale")


# passwords and files ------------------------------------------------------------------------------------
def test_generated_passwords_are_long_random_and_returned_once(built: AnswerStore, tmp_path: Path) -> None:
    first = export_documentation(built, tmp_path / "a.zip", "md", generate=True)
    second = export_documentation(built, tmp_path / "b.zip", "md", generate=True)
    assert first.generated_password != second.generated_password
    assert min(len(first.generated_password), len(second.generated_password)) >= 24
    assert len({generate_password() for _ in range(50)}) == 50
    assert open_protected(tmp_path / "a.zip", first.generated_password).startswith(b"*Interkommunale")
    with pytest.raises(WrongPasswordError):
        open_protected(tmp_path / "a.zip", second.generated_password)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "b.zip"]


def test_existing_file_kept_unless_force(built: AnswerStore, tmp_path: Path) -> None:
    out = tmp_path / "doc.md"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(NetcourseError, match="file exists"):
        export_documentation(built, out, "md")
    assert out.read_text(encoding="utf-8") == "keep me"
    export_documentation(built, out, "md", force=True)
    assert out.read_text(encoding="utf-8").startswith("*Interkommunale")


def test_refusals_write_nothing(built: AnswerStore, tmp_path: Path) -> None:
    with pytest.raises(NetcourseError, match=r"\*\.zip"):
        export_documentation(built, tmp_path / "doc.html", "html", password=PASSWORD)
    with pytest.raises(ProtectError, match="at least 12"):
        export_documentation(built, tmp_path / "doc.zip", "html", password="short")
    with pytest.raises(NetcourseError, match="no answer store"):
        export_documentation(AnswerStore(tmp_path / "nope.sqlite"), tmp_path / "x.zip", "html", generate=True)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(ProtectError, match="cannot write"):
        write_file(blocker / "doc.zip", b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_password_file_rules(tmp_path: Path) -> None:
    empty, short = tmp_path / "empty.txt", tmp_path / "short.txt"
    empty.write_text("\n", encoding="utf-8")
    short.write_text("kurz\n", encoding="utf-8")
    with pytest.raises(ProtectError, match="empty"):
        read_password_file(empty)
    with pytest.raises(ProtectError, match="at least 12"):
        read_password_file(short)
    assert read_password_file(short, check=False) == "kurz"


# the commands -----------------------------------------------------------------------------------------
def test_cli_export_prints_a_generated_password_once(built: AnswerStore, tmp_path: Path, capsys) -> None:
    out = tmp_path / "doc.zip"
    assert cli.main(["export", "--store", str(built.path), "--out", str(out), "--format", "md",
                     "--generate-password", "--anonymize"]) == 0
    stdout = capsys.readouterr().out
    password = re.search(r"^password.*: (\S+)$", stdout, re.IGNORECASE | re.MULTILINE).group(1)
    assert len(password) >= 24 and stdout.count(password) == 1
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text("not-the-right-password\n", encoding="utf-8")
    open_doc = ["open-doc", str(out), "--password-file", str(pw_file), "--out", str(tmp_path / "o.md")]
    assert cli.main(open_doc) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong password" in err and "Traceback" not in err
    pw_file.write_text(password + "\n", encoding="utf-8")
    assert cli.main(open_doc) == 0
    assert (tmp_path / "o.md").read_text(encoding="utf-8").startswith("*Interkommunale")
