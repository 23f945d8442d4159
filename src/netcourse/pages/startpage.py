"""The start page of the self-study journey: course overview with progress, journal export/import, privacy.

A notebook calls ``StartPage(lang=lang, participant=participant, store=store).show()``.
"""

from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as widgets
from IPython.display import display

from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import course_texts, resolve_lang, ui
from netcourse.core.store import AnswerStore
from netcourse.core.templates import render_macro
from netcourse.exercises.registry import activity_roles, course_modules
from netcourse.outputs.journal import JournalImportError, build_journal, export_journal, import_journal
from netcourse.pages.lesson import show_html
from netcourse.pages.session import resolve_visit

PAGE = "pages/startpage.html.j2"
COMMON = "common.html.j2"
FORMATS = [("HTML", "html"), ("Markdown", "markdown"), ("JSON", "json")]


class StartPage:
    """Overview, progress and journal tools for one learner."""

    def __init__(self, *, lang: str | None = None, participant: str | None = None,
                 store: AnswerStore | str | None = None, course_dir: str | Path | None = None) -> None:
        self.lang = resolve_lang(lang)
        self.explicit_participant = participant
        self.store = store if isinstance(store, AnswerStore) else AnswerStore(store)
        self.visit = resolve_visit(self.store, participant)
        self.participant_id = self.visit.participant_id
        self.course_dir = Path(course_dir) if course_dir else Path.cwd()
        self.t = course_texts(self.lang)
        self._build_widgets()

    @property
    def blocked(self) -> bool:
        """Opened without a valid personal link: only the notice is shown, nothing is read or written."""
        return self.visit.problem is not None

    def link(self, notebook: str) -> str:
        """A link to a course page that keeps this visitor's identity (``?p=`` or ``?trainer=``)."""
        return f"{notebook}?{self.visit.link_query}" if self.visit.link_query else notebook

    # overview ------------------------------------------------------------------------------------
    def progress(self) -> dict[str, tuple[int, int]]:
        """Per module id: (activities answered, activities in total), counting the activities that feed the
        learning journal (``roles.journal``)."""
        journal = {m.id: [a.id for a in m.activities if activity_roles(m, a).journal] for m in course_modules()}
        if self.participant_id is None:
            return {m: (0, len(ids)) for m, ids in journal.items()}
        answered = {(a.module, a.exercise) for a in self.store.answers(self.participant_id)}
        return {m: (sum((m, a) in answered for a in ids), len(ids)) for m, ids in journal.items()}

    def header_html(self) -> str:
        welcome = ""
        if self.visit.profile is not None and self.visit.profile.name:
            welcome = self.t["welcome"].format(name=self.visit.profile.name)
        return render_macro(PAGE, "header", self.t, welcome)

    def overview_html(self) -> str:
        t, rows = self.t, []
        progress = self.progress()
        for number, module in enumerate(course_modules(), start=1):
            done, total = progress[module.id]
            linked = (self.course_dir / module.notebook).exists()
            rows.append({"number": number, "title": module.title(self.lang), "minutes": module.minutes,
                         "href": self.link(module.notebook) if linked else "",
                         "share": round(100 * done / total) if total else 0,
                         "progress": t["progress"].format(done=done, total=total)})
        return render_macro(PAGE, "overview", t, rows)

    # journal -------------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        t = self.t
        self.format = widgets.Dropdown(options=FORMATS, value="html", description=t["journal_format"])
        self.create_button = widgets.Button(description=t["journal_create"], button_style="primary",
                                            icon="download", tooltip=t["journal_create"],
                                            layout=widgets.Layout(width="auto"))
        self.download = widgets.HTML(value="")
        self.create_button.on_click(lambda _b: self.create_journal())
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=False,
                                         description=t["import_label"], layout=widgets.Layout(width="auto"))
        self.import_button = widgets.Button(description=t["import_button"], icon="upload",
                                            tooltip=t["import_button"], layout=widgets.Layout(width="auto"))
        self.import_status = widgets.HTML(value="")
        self.import_button.on_click(lambda _b: self.import_upload())
        self.forget_confirm = widgets.Checkbox(value=False, description=t["forget_confirm"], indent=False,
                                               layout=widgets.Layout(width="auto"))
        self.forget_button = widgets.Button(description=t["forget_button"], button_style="danger", icon="trash",
                                            tooltip=t["forget_button"], layout=widgets.Layout(width="auto"))
        self.forget_status = widgets.HTML(value="")
        self.forget_button.on_click(lambda _b: self.forget())
        self.overview = widgets.HTML(value=self.overview_html())

    def create_journal(self) -> bytes | None:
        """Build the journal in the chosen format and offer it as a download link."""
        if self.blocked:
            return None
        journal = build_journal(self.store, self.participant_id, self.lang)
        if not journal.answers:
            self.download.value = _status(self.t["journal_empty"], "info")
            return None
        fmt = self.format.value
        data = export_journal(journal, fmt)
        from netcourse.outputs.exporters.registry import exporters

        exporter = exporters.get(fmt)
        name = self.t["journal_file_stem"] + exporter.suffix
        href = f"data:{exporter.media_type};charset=utf-8;base64,{base64.b64encode(data).decode('ascii')}"
        self.download.value = render_macro(PAGE, "journal_ready", self.t["journal_ready"], name, href,
                                           self.t["journal_download"].format(name=name))
        return data

    def import_upload(self) -> int:
        """Import the uploaded JSON journal; the status line says what happened."""
        if self.blocked:
            return 0
        files = self.upload.value
        if not files:
            self.import_status.value = _status(self.t["import_none"], "error")
            return 0
        upload = files[0]
        try:
            report = import_journal(self.store, bytes(upload["content"]), source=upload.get("name", "upload"),
                                    participant_id=self._import_target())
        except JournalImportError as exc:
            self.import_status.value = _status(self.t[f"import_error_{exc.code}"], "error")
            return 0
        except NetcourseError as exc:
            self.import_status.value = _status(str(exc), "error")
            return 0
        self.participant_id = report.participant_id
        self.import_status.value = _status(self.t["import_done"].format(written=report.written), "ok")
        self.overview.value = self.overview_html()
        return report.written

    def _import_target(self) -> str | None:
        """Whose answers an import restores: the page's participant; None lets a self-learner continue
        as the journal's owner on a fresh machine."""
        if self.explicit_participant or self.visit.link_query:
            return self.participant_id
        return None

    def forget(self) -> int:
        """Delete all of this participant's answers, once the checkbox confirms it."""
        if self.blocked:
            return 0
        if not self.forget_confirm.value:
            self.forget_status.value = _status(self.t["forget_confirm_first"], "error")
            return 0
        count = self.store.forget(self.participant_id)
        self.forget_confirm.value = False
        self.forget_status.value = _status(self.t["forget_done"].format(count=count), "ok")
        self.overview.value = self.overview_html()
        return count

    # page ----------------------------------------------------------------------------------------
    def show(self) -> None:
        t = self.t
        if self.blocked:
            show_html(render_macro("pages/lesson.html.j2", "problem", ui(self.lang, "link_title"),
                                   ui(self.lang, self.visit.problem or "unknown_link")))
            return
        show_html(self.header_html())
        display(self.overview)
        show_html(render_macro(COMMON, "md_section", t["journal_heading"], t["journal_body"]))
        display(widgets.VBox([widgets.HBox([self.format, self.create_button]), self.download],
                             layout=widgets.Layout(margin="0 0 1em 0")))
        show_html(render_macro(COMMON, "heading", t["import_heading"]))
        display(widgets.VBox([widgets.HBox([self.upload, self.import_button]), self.import_status]))
        show_html(render_macro(COMMON, "md_section", t["privacy_heading"], t["privacy_body"]))
        display(widgets.VBox([self.forget_confirm, self.forget_button, self.forget_status]))


def _status(text: str, kind: str) -> str:
    return str(render_macro(COMMON, "status", text, kind))


__all__ = ["StartPage"]
