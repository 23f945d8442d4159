"""The personal workbook a participant gets from the roster: greeting, their group's trait first, the way
through the course. The notebook passes only the participant id, the language and the store; everything
else (name, municipality, group) is read from the profile the kit stored.
"""

from __future__ import annotations

from netcourse.core.i18n import resolve_lang, text_file
from netcourse.core.identity import resolve_participant
from netcourse.core.markup import esc, style_tag
from netcourse.core.participants import TRAITS, Profile
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry
from netcourse.pages.lesson import Lesson, show_html


class Workbook:
    def __init__(self, *, participant: str | None = None, lang: str | None = None,
                 store: AnswerStore | str | None = None) -> None:
        self.participant_id = resolve_participant(participant)
        self.store = store if isinstance(store, AnswerStore) else AnswerStore(store)
        self.profile: Profile | None = self.store.profile(self.participant_id)
        self.lang = resolve_lang(lang or (self.profile.lang if self.profile else None))
        self.t = text_file("workbook", self.lang)

    @property
    def group(self) -> str | None:
        return self.profile.group if self.profile and self.profile.group in TRAITS else None

    def greeting_html(self) -> str:
        t, p = self.t, self.profile
        hello = t["greeting"].format(name=p.name) if p and p.name else t["greeting_anonymous"]
        facts = []
        if p and p.municipality:
            facts.append(f"<li><strong>{esc(t['municipality'])}:</strong> {esc(p.municipality)}</li>")
        groups = self._group_texts()
        if self.group:
            facts.append(f"<li><strong>{esc(t['group'])}:</strong> {esc(groups[self.group]['name'])}</li>")
        else:
            facts.append(f"<li>{esc(t['no_group'])}</li>")
        return (f'{style_tag()}<header class="nc-header"><p class="nc-kicker">{esc(t["kicker"])}</p>'
                f'<h1>{esc(hello)}</h1><p class="nc-lead">{esc(t["intro"])}</p>'
                f'<ul class="nc-facts">{"".join(facts)}</ul></header>')

    def greeting(self) -> None:
        show_html(self.greeting_html())

    def _group_texts(self) -> dict[str, dict[str, str]]:
        module = registry.modules.get("gruppenarbeit")
        return module.activity_texts("ideen", self.lang)["groups"]

    def traits_html(self) -> str:
        """The four traits with the participant's group's trait first, each with its group task."""
        groups = self._group_texts()
        order = sorted(TRAITS, key=lambda g: g != self.group)
        cards = []
        for trait in order:
            mine = trait == self.group
            badge = f' <span class="nc-badge">{esc(self.t["your_trait"])}</span>' if mine else ""
            cards.append(f'<li class="nc-card{" nc-mine" if mine else ""}"><strong>{esc(groups[trait]["name"])}'
                         f'{badge}</strong>{esc(groups[trait]["task"])}</li>')
        return f'<section><h2>{esc(self.t["traits_heading"])}</h2><ul class="nc-cards">{"".join(cards)}</ul></section>'

    def traits(self) -> None:
        show_html(self.traits_html())

    def programme_html(self) -> str:
        lesson = Lesson("einfuehrung", lang=self.lang, participant=self.participant_id, store=self.store)
        return f'<section><h2>{esc(self.t["programme_heading"])}</h2>{lesson.agenda_html(highlight=False)}</section>'

    def programme(self) -> None:
        show_html(self.programme_html())
