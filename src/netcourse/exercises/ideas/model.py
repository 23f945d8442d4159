"""Idea cards for the group exercise: each participant adds cards (title + text) for their group's trait.

Config: ``groups`` (ids, e.g. the four traits). Context: ``group`` (from the workbook) fixes the group;
without it the participant chooses.
Texts: ``heading``, ``prompt``, ``group_label``, ``groups`` (id → {name, task}), ``title_label``, ``text_label``.
Answer: ``{"group": id, "cards": [{"group", "title", "text", "created_at"}]}``, newest last.
Roles: ``board`` (one column per group), ``documentation: list`` (every card by group), ``workbook`` (the
groups and their tasks, the participant's first), ``journal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.core.store import utc_now
from netcourse.exercises.base import Exercise
from netcourse.exercises.summary import CardGroups, Contribution, GroupIdeas, Idea

MAX_TITLE = 120
MAX_CARD_TEXT = 2000
MAX_CARDS = 100


class Ideas(Exercise):
    type_name = "ideas"
    view_class = "netcourse.exercises.ideas.view:IdeasView"  # loaded when a page shows it
    fills = {"board": (False, True), "documentation": ("none", "list"), "workbook": (False, True),
             "journal": (True, False)}

    @property
    def group_ids(self) -> list[str]:
        return [str(g) for g in self.config.get("groups", [])]

    @property
    def fixed_group(self) -> str | None:
        group = self.context.get("group")
        return group if group in self.group_ids else None

    def group_name(self, group: str | None) -> str:
        info = (self.texts.get("groups") or {}).get(group) or {}
        return str(info.get("name", group or ""))

    def group_task(self, group: str) -> str:
        return str(((self.texts.get("groups") or {}).get(group) or {}).get("task", ""))

    def validate(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise AnswerError("group", self.t("choose_group"))
        group = raw.get("group")
        if group not in self.group_ids:
            raise AnswerError("group", self.t("choose_group"))
        cards_in = raw.get("cards")
        if not isinstance(cards_in, list) or len(cards_in) > MAX_CARDS:
            raise AnswerError("cards", self.t("too_long", max=MAX_CARDS))
        cards = []
        for index, card in enumerate(cards_in):
            if not isinstance(card, Mapping):
                raise AnswerError(f"cards[{index}]", self.t("required"))
            title = self.clean_text(f"cards[{index}].title", card.get("title"), max_len=MAX_TITLE)
            if not title:
                raise AnswerError(f"cards[{index}].title", self.t("idea_title_missing"))
            text = self.clean_text(f"cards[{index}].text", card.get("text"), max_len=MAX_CARD_TEXT)
            card_group = card.get("group", group)
            if card_group not in self.group_ids:
                raise AnswerError(f"cards[{index}].group", self.t("choose_group"))
            cards.append({"group": card_group, "title": title, "text": text,
                          "created_at": str(card.get("created_at") or utc_now())})
        return {"group": group, "cards": cards}

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [(f"{self.group_name(c.get('group'))}: {c.get('title', '')}", str(c.get("text", "")))
                for c in answer.get("cards") or []]

    # roles ---------------------------------------------------------------------------------------
    def board_columns(self) -> list[tuple[str, str]]:
        return [(g, self.group_name(g)) for g in self.group_ids]

    def board_cards(self, value: Mapping[str, Any]) -> list[dict[str, Any]]:
        cards = []
        for card in value.get("cards") or []:
            if isinstance(card, Mapping) and card.get("group", value.get("group")) in self.group_ids:
                cards.append({"column": card.get("group", value.get("group")), "title": _text(card.get("title")),
                              "text": _text(card.get("text")), "created_at": str(card.get("created_at", ""))})
        return cards

    def workbook_groups(self) -> list[tuple[str, str, str]]:
        return [(g, self.group_name(g), self.group_task(g)) for g in self.group_ids]

    def summarise(self, answers: Sequence[Contribution], mode: str) -> CardGroups | None:
        if mode != "list":
            return None
        groups = {g: GroupIdeas(g, self.group_name(g), self.group_task(g)) for g in self.group_ids}
        cards: list[tuple[str, str, Idea]] = []
        for answer in answers:
            if not isinstance(answer.value, Mapping):
                continue
            for card in self.board_cards(answer.value):
                if card["title"] or card["text"]:
                    cards.append((card["created_at"], card["column"], Idea(card["title"], card["text"], answer.author)))
        for _, group, idea in sorted(cards, key=lambda c: c[0]):
            groups[group].ideas.append(idea)
        return CardGroups(list(groups.values()))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
