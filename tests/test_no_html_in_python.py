"""Markup lives in templates: no HTML tag in a Python string literal under src/netcourse.

HTML is written only in Jinja templates (``netcourse/templates/``, autoescape on), so there is one escaping
path. The two modules that draw SVG in code may hold SVG element names, and only those. Docstrings may
mention tags (they are not output).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import netcourse

SRC = Path(netcourse.__file__).parent
HTML_TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "body", "br", "button", "caption", "code", "col",
    "dd", "details", "dialog", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe",
    "img", "input", "label", "legend", "li", "link", "main", "meta", "nav", "noscript", "object", "ol",
    "option", "p", "pre", "script", "section", "select", "small", "span", "strong", "style", "sub",
    "summary", "sup", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time",
    "title", "tr", "u", "ul", "video",
}
SVG_TAGS = {"svg", "title", "desc", "g", "line", "circle", "polyline", "polygon", "rect", "path", "text"}
SVG_MODULES = {"exercises/charts.py", "exercises/actormap/network.py"}  # SVG drawn in pure Python
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])")  # as a browser reads a tag: no space after <


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def tags_in(source: str, allowed: set[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, tag) of every HTML or SVG tag in a string literal (f-string parts included) outside docstrings."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for name in TAG.findall(node.value):
                if name.lower() in (HTML_TAGS | SVG_TAGS) - allowed:
                    hits.append((node.lineno, name))
    return hits


def test_no_html_tag_in_python_strings() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        allowed = SVG_TAGS if rel in SVG_MODULES else set()
        found += [f"{rel}:{line}: <{tag}>" for line, tag in tags_in(path.read_text(encoding="utf-8"), allowed)]
    assert not found, "HTML belongs in a template (netcourse/templates/):\n" + "\n".join(found)


def test_the_svg_modules_exist() -> None:
    assert all((SRC / rel).is_file() for rel in SVG_MODULES)


def test_the_checker_finds_tags() -> None:
    source = 'x = f\'<p class="a">{y}</p>\'\ny = "<style>"\nz = "<br/>"\n'
    assert sorted(tag for _, tag in tags_in(source)) == ["br", "p", "p", "style"]
    assert tags_in('"""A docstring with <p> and <div>."""\nx = "a < b > c, <lang>"\n') == []
    assert [tag for _, tag in tags_in('x = "<div>"\ny = "<circle/>"', SVG_TAGS)] == ["div"]
