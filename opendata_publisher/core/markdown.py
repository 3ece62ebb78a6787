"""Text from layers, schemas and descriptions written into Markdown files (README.md, rapports/*.md).

Titles, abstracts, layer names and cell values come from other people: a ``<script>``, an
``<img onerror=…>`` or a ``[lien](javascript:…)`` must arrive in the file as text, never as HTML or as a
link once the Markdown is rendered (a forge, a portal, a viewer). :func:`md_text` escapes HTML and the
Markdown syntax; :func:`md_url` keeps only http(s)/mailto link targets.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INLINE = re.compile(r"([\\`*_\[\]{}|~])")
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def md_text(value, inline: bool = True) -> str:
    """``value`` as literal Markdown text: HTML and Markdown syntax escaped, control characters removed;
    ``inline``: line breaks become spaces (titles, table cells, list items)."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    lines = text.split("\n")
    lines = [_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line) for line in lines]
    return " ".join(line.strip() for line in lines).strip() if inline else "\n".join(lines)


def md_code(value) -> str:
    """``value`` inside backticks (a field name, a code): backticks and line breaks cannot escape it."""
    text = _CONTROL.sub(" ", "" if value is None else str(value)).replace("\n", " ").replace("\r", " ")
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


def md_url(url) -> str:
    """A link target that is only ever http(s) or mailto (else ""), with the characters that would end or
    change the link percent-encoded."""
    text = str(url or "").strip()
    if not re.match(r"(?i)^(https?://|mailto:)", text):
        return ""
    return quote(text, safe=":/?#@!$&'*+,;=%~-._")


def md_link(label, url) -> str:
    """``[label](url)`` with an escaped label, or the label alone when the URL is not http(s)/mailto."""
    target = md_url(url)
    shown = md_text(label)
    return f"[{shown}]({target})" if target else shown
