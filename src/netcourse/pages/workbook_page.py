"""The personal workbook a participant gets from the roster: greeting, the groups of the course's workbook
activity with their own group first, the way through the course. The notebook passes only the participant id,
the language and the store; everything else (name, municipality, group) is read from the profile the kit
stored. Which activity's groups the workbook lists is data: the first activity (in course order) whose
``roles.workbook`` is true in its module.yaml.
"""

from __future__ import annotations

from netcourse.core.i18n import resolve_lang, text_file
from netcourse.core.identity import resolve_participant
from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.core.templates import render_macro, render_template
from netcourse.exercises import registry
from netcourse.exercises.registry import course_modules, role_activities
from netcourse.pages.lesson import Lesson, show_html

PROGRAMME = "pages/workbook_programme.html.j2"


class Workbook:
    def __init__(self, *, participant: str | None = None, lang: str | None = None,
                 store: AnswerStore | str | None = None) -> None:
        self.participant_id = resolve_participant(participant)
        self.store = store if isinstance(store, AnswerStore) else AnswerStore(store)
        self.profile: Profile | None = self.store.profile(self.participant_id)
        self.lang = resolve_lang(lang or (self.profile.lang if self.profile else None))
        self.t = text_file("workbook", self.lang)

    def groups(self) -> list[tuple[str, str, str]]:
        """(id, name, task) of the workbook activity's groups; empty when no module has one."""
        found = role_activities("workbook")
        if not found:
            return []
        module, spec, _ = found[0]
        exercise = registry.exercises.get(spec.type)(spec, module.activity_texts(spec.id, self.lang), self.lang)
        return exercise.workbook_groups()

    @property
    def group(self) -> str | None:
        ids = {g for g, _, _ in self.groups()}
        return self.profile.group if self.profile and self.profile.group in ids else None

    def greeting_html(self) -> str:
        t, p = self.t, self.profile
        hello = t["greeting"].format(name=p.name) if p and p.name else t["greeting_anonymous"]
        groups = self.groups()
        names = {g: name for g, name, _ in groups}
        return render_template(
            "pages/workbook_greeting.html.j2", t=t, hello=hello, municipality=p.municipality if p else "",
            group_name=names.get(self.group or ""), has_groups=bool(groups))

    def greeting(self) -> None:
        show_html(self.greeting_html())

    def traits_html(self) -> str:
        """The workbook activity's groups with the participant's group first, each with its task."""
        groups = sorted(self.groups(), key=lambda g: g[0] != self.group)
        if not groups:
            return ""
        return render_template("pages/workbook_groups.html.j2", t=self.t, groups=groups, mine=self.group)

    def traits(self) -> None:
        show_html(self.traits_html())

    def programme_html(self) -> str:
        first = course_modules()[0]
        lesson = Lesson(first.id, lang=self.lang, participant=self.participant_id, store=self.store)
        return render_macro(PROGRAMME, "programme", self.t["programme_heading"], lesson.agenda_html(highlight=False))

    def programme(self) -> None:
        show_html(self.programme_html())
