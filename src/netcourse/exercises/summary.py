"""What an exercise type gives the documentation: plain data summarising every participant's answer to one
activity. Each type's ``Exercise.summarise`` returns one of these; the documentation renders them by kind
and never asks which module they came from.

Participant text stays text here; the formats escape it for HTML or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Contribution:
    """One participant's stored answer to the activity and, when not anonymised, their "Name (Kommune)"."""

    value: Any
    author: str | None = None


@dataclass(frozen=True)
class Idea:
    title: str
    text: str
    author: str | None  # "Name (Kommune)"; None when anonymised or without a profile


@dataclass
class GroupIdeas:
    group: str
    name: str
    task: str
    ideas: list[Idea] = field(default_factory=list)


@dataclass
class CardGroups:
    """``list`` of an ``ideas`` activity: every card, by group, oldest first."""

    groups: list[GroupIdeas]


@dataclass(frozen=True)
class Reflection:
    text: str
    author: str | None


@dataclass
class Quotes:
    """``list`` of a text activity: every non-empty answer."""

    entries: list[Reflection]


@dataclass(frozen=True)
class TraitAverage:
    trait: str
    label: str
    mean: float | None
    n: int


@dataclass
class RatingSummary:
    """``summary`` / ``chart`` of a ``rating`` activity: the mean per item (the documentation draws the chart)."""

    minimum: int
    maximum: int
    respondents: int
    traits: list[TraitAverage]
    chart_image: bytes | None = None
    chart_alt: str = ""


@dataclass(frozen=True)
class MapSummary:
    """``summary`` of an ``actormap`` activity: indicators in aggregate, never a single map or actor."""

    maps: int
    mean_actors: float
    mean_ties: float
    mean_sectors: float
    mean_evenness: float
    mean_connected_share: float  # 0–1
    mean_density: float


Summary = CardGroups | Quotes | RatingSummary | MapSummary | None
