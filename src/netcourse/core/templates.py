"""HTML from Jinja templates with autoescape on: the one way the kit escapes text for HTML.

Templates live in ``netcourse/templates/`` (package data). Every value a template prints is escaped unless
it is :class:`markupsafe.Markup`; course Markdown passes through the ``markdown`` / ``inline_markdown``
filters (raw HTML in the source shown as text), a chart image (SVG or PNG bytes) through ``image_data_uri``,
and a stylesheet from ``netcourse/static/`` comes in with ``static_css("name.css")``.

``render_template(name, **context)`` renders a whole template; ``render_macro(name, macro, *args, **kw)``
calls one macro of a template (the page pieces and widget texts are macros in a few templates).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from netcourse.core.markup import image_data_uri, markdown_html, markdown_inline_html


@cache
def static_text(name: str) -> str:
    """A file from ``netcourse/static/`` (CSS), read once."""
    return resources.files("netcourse").joinpath("static", name).read_text(encoding="utf-8")


@cache
def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("netcourse", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["markdown"] = lambda text: Markup(markdown_html(str(text or "")))
    env.filters["inline_markdown"] = lambda text: Markup(markdown_inline_html(str(text or "")))
    env.filters["image_data_uri"] = image_data_uri
    env.globals["static_css"] = lambda *names: Markup("\n".join(static_text(n) for n in names))
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``netcourse/templates/<name>`` with ``context``; every plain string is escaped."""
    return str(_environment().get_template(name).render(**context))


def render_macro(name: str, macro: str, *args: Any, **kwargs: Any) -> Any:
    """Call the macro ``macro`` of ``netcourse/templates/<name>``; every plain string is escaped.

    The result is :class:`markupsafe.Markup` (a ``str``): handed to another template it stays markup,
    while a plain string joined to it with ``+`` is escaped."""
    from markupsafe import Markup

    return Markup(getattr(_environment().get_template(name).module, macro)(*args, **kwargs).strip())
