"""``netcourse export``: build the documentation, render it (HTML, Markdown or PDF), protect it, write it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from netcourse.core.errors import NetcourseError
from netcourse.core.extras import require
from netcourse.core.store import AnswerStore
from netcourse.outputs.documentation.formats import render_html, render_markdown
from netcourse.outputs.documentation.model import Documentation, build_documentation
from netcourse.outputs.documentation.pdf import PdfPrinter, html_to_pdf
from netcourse.outputs.protect import generate_password, protect, write_file

FORMATS = ("html", "pdf", "md")
SUFFIXES = {"html": ".html", "pdf": ".pdf", "md": ".md"}


def render(doc: Documentation, fmt: str, printer: PdfPrinter | None = None) -> bytes:
    """The document's bytes in ``fmt`` (``html``, ``pdf`` or ``md``)."""
    if fmt == "html":
        return render_html(doc).encode("utf-8")
    if fmt == "md":
        return render_markdown(doc).encode("utf-8")
    if fmt == "pdf":
        return html_to_pdf(render_html(doc), printer)
    raise NetcourseError(f"unknown documentation format {fmt!r}; known: {', '.join(FORMATS)}")


# export -----------------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    path: Path
    fmt: str
    protected: bool
    inner_name: str | None  # the document's name inside a protected zip
    generated_password: str | None  # shown once by the caller, never stored
    participants: int
    answers: int
    seconds: float


def default_out(fmt: str, protected: bool, lang: str | None = None) -> Path:
    from netcourse.outputs.documentation.model import doc_texts

    stem = str(doc_texts(lang)["file_stem"])
    return Path(f"{stem}.zip" if protected and fmt != "pdf" else f"{stem}{SUFFIXES[fmt]}")


def export_documentation(store: AnswerStore, out: str | os.PathLike[str] | None, fmt: str = "html", *,
                         lang: str | None = None, anonymize: bool = False, password: str | None = None,
                         generate: bool = False, force: bool = False, printer: PdfPrinter | None = None,
                         progress: Callable[[str], None] | None = None) -> ExportResult:
    """Build, render and write the documentation; protected with ``password`` or a generated one.

    HTML and Markdown are protected as an AES-256 zip holding ``dokumentation.<suffix>``; a PDF as an
    AES-256 PDF. Only the protected bytes touch the disk.
    """
    if fmt not in FORMATS:
        raise NetcourseError(f"unknown documentation format {fmt!r}; known: {', '.join(FORMATS)}")
    if password is not None and generate:
        raise NetcourseError("give either a password file or --generate-password, not both")
    if not store.path.exists():
        raise NetcourseError(f"{store.path}: no answer store here; give the right --store")
    if fmt == "pdf":
        require("pdf", "PDF export")  # before anything is built or written
    started = time.perf_counter()
    if generate:
        password = generate_password()
    protected = password is not None
    target = Path(out) if out is not None else default_out(fmt, protected, lang)
    if protected and fmt != "pdf" and target.suffix.lower() != ".zip":
        raise NetcourseError(f"{target}: a protected {fmt} document is an AES-256 zip; name the file *.zip")
    if target.exists() and not force:
        raise NetcourseError(f"{target}: file exists; choose another --out or pass --force")
    doc = build_documentation(store, lang, anonymize=anonymize)
    if progress:
        progress("rendering")
    data = render(doc, fmt, printer)
    inner_name = f"{doc.texts['file_stem']}{SUFFIXES[fmt]}"
    if protected:
        data = protect(data, fmt, password, inner_name)
    write_file(target, data, force=force)
    return ExportResult(target, fmt, protected, inner_name if protected and fmt != "pdf" else None,
                        password if generate else None, doc.participants, doc.answers,
                        time.perf_counter() - started)
