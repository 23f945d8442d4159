"""HTML from Jinja templates with autoescape on: the one way the kit escapes text for HTML.

Templates live in ``netcourse/templates/`` (package data). Every value a template prints is escaped unless
it is :class:`markupsafe.Markup`; course Markdown passes through the ``markdown`` / ``inline_markdown``
filters (raw HTML in the source shown as text), a chart image (SVG or PNG bytes) through ``image_data_uri``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from netcourse.core.markup import image_data_uri, markdown_html


@cache
def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("netcourse", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["markdown"] = lambda text: Markup(markdown_html(str(text or "")))
    env.filters["inline_markdown"] = lambda text: Markup(
        markdown_html(str(text or "")).strip().removeprefix("<p>").removesuffix("</p>"))
    env.filters["image_data_uri"] = image_data_uri
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``netcourse/templates/<name>`` with ``context``; every plain string is escaped."""
    return str(_environment().get_template(name).render(**context))
