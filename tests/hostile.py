"""A corpus of hostile values: what participants and trainers' spreadsheets can really contain."""

HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>alert('x')</script>",
    "</textarea><b>fett</b>",
    "{{ 7*7 }} {% raw %}",
    "${7*7} #{7*7}",
    "=HYPERLINK(\"http://evil.example\",\"klick\")",
    "+1+1", "-2+3", "@SUM(A1)",
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "line\nbreak\r\nand\ttab",
    "null\x00byte",
    "bell\x07 and escape\x1b[31m",
    "ä ö ü ß Ä Ö Ü – „Zitat“ …",
    "🙂🌍🌱 Emoji-Team 👩‍👩‍👧",
    "مرحبا بالعالم",  # right-to-left
    "\u202eevil\u202c right-to-left override",
    "x" * 10_000,
    "$\\frac{1}{0}$ $$",
    "$x$ and \\(y\\) and $$z$$",
    "# Titel\n> Zitat\n- Punkt\n+ Punkt\n1. Eins\n2) Zwei\n    Code\n===\n---\n| a | b |\n[^1]: Fußnote",
    "a^2^ ~~weg~~ :smile: Begriff\n: Erklärung x=1 <https://evil.example> ![bild](x.png) [link](javascript:x)",
    "'; DROP TABLE answers; --",
    "\"quoted\" 'single' `back`",
]
