"""The documentation's HTML printed to an A4 PDF by Chromium through Playwright, JavaScript and network off.

Playwright comes with the optional extra ``pdf`` and is imported only when a PDF is printed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from netcourse.core.errors import NetcourseError
from netcourse.core.extras import require
from netcourse.core.templates import render_macro

CHROMIUM_ENV = "NETCOURSE_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
T = TypeVar("T")


def chromium_path() -> str:
    """``$NETCOURSE_CHROMIUM``, else ``chromium`` on the PATH, else Debian's ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or "/usr/bin/chromium"


PDF_PARTS = "documentation/pdf.html.j2"  # the page header (empty) and footer (page x / y)


class PdfPrinter:
    """A headless Chromium that prints HTML to A4 PDF; reuse one for several documents.

    JavaScript is off and every network request is refused, so only the inline document is printed.
    Playwright's sync API refuses to run on a thread with a running asyncio loop (a Jupyter kernel, a
    pytest-playwright session), so every Playwright call runs on one private worker thread.
    """

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or chromium_path()
        self._pw: Any = None
        self._browser: Any = None
        self._worker: ThreadPoolExecutor | None = None

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._worker is None:
            raise NetcourseError("PdfPrinter used outside 'with'")
        return self._worker.submit(fn, *args).result()

    def __enter__(self) -> PdfPrinter:
        require("pdf", "PDF export")
        if not Path(self.executable).exists():
            raise NetcourseError(f"PDF export needs Chromium at {self.executable} (apt-get install chromium, "
                                 f"or set ${CHROMIUM_ENV})")
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netcourse-pdf")
        try:
            self._call(self._launch)
        except BaseException:
            self._worker.shutdown()
            self._worker = None
            raise
        return self

    def _launch(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            self._stop()
            reason = str(exc).splitlines()[0]
            raise NetcourseError(f"cannot start Chromium ({self.executable}): {reason}") from exc

    def _stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            self._browser = self._pw = None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._worker is None:
            return
        try:
            self._call(self._stop)
        finally:
            self._worker.shutdown()
            self._worker = None

    def print(self, markup: str) -> bytes:
        return self._call(self._print, markup)

    def _print(self, markup: str) -> bytes:
        from playwright.sync_api import Error as PlaywrightError

        context = self._browser.new_context(java_script_enabled=False, offline=True)
        try:
            context.route("**/*", lambda route: route.abort())
            page = context.new_page()
            page.set_content(markup, wait_until="load")
            return page.pdf(format="A4", print_background=True, display_header_footer=True,
                            header_template=render_macro(PDF_PARTS, "header"),
                            footer_template=render_macro(PDF_PARTS, "footer"),
                            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                            tagged=True, outline=True)
        except PlaywrightError as exc:
            raise NetcourseError(f"Chromium could not print the PDF: {str(exc).splitlines()[0]}") from exc
        finally:
            context.close()


def html_to_pdf(markup: str, printer: PdfPrinter | None = None) -> bytes:
    """Print ``markup`` to an A4 PDF (a fresh Chromium unless ``printer`` is given)."""
    if printer is not None:
        return printer.print(markup)
    with PdfPrinter() as fresh:
        return fresh.print(markup)
