"""Generated and user text shown safely in Argilla's markdown fields, and restored exactly on pull.

Prompts come from users and responses from LLMs: untrusted. Argilla renders markdown fields as HTML and
strips ``<script>``, ``on*=`` and ``javascript:``, but keeps ``<style>`` (one record can blank the page),
remote ``<img>`` and ``<form>``/``<input>``. So outside code spans and fenced blocks (where markdown shows
HTML as text already) ``&`` and ``<`` become entities: every tag is shown as text while markdown lists,
emphasis, links, quotes and code keep working. ``restore`` undoes it exactly (pull gets the original).
"""

from __future__ import annotations

import re

__all__ = ["escape_html", "restore"]

# fenced blocks (``` or ~~~, to the closing fence or the end) and inline code spans (matching backtick runs)
_CODE = re.compile(r"(^|\n)(`{3,}|~{3,})[^\n]*\n.*?(\n\2[^\n]*(?=\n|$)|$)|(`+)(?!`).+?(?<!`)\4(?!`)", re.S)


def _outside_code(text: str, change) -> str:
    parts, last = [], 0
    for match in _CODE.finditer(text):
        parts += [change(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*parts, change(text[last:])])


def escape_html(text: str) -> str:
    """``text`` with raw HTML shown as text (outside code), markdown untouched.

    Example:
        >>> escape_html('Squat <style>body{display:none}</style> & **rest** `a<b`')
        'Squat &lt;style>body{display:none}&lt;/style> &amp; **rest** `a<b`'
        >>> restore(escape_html("<img src=http://x/a.png> &lt; - 1. lift")) == "<img src=http://x/a.png> &lt; - 1. lift"
        True
    """
    return _outside_code(text, lambda part: part.replace("&", "&amp;").replace("<", "&lt;"))


def restore(text: str) -> str:
    """The original of :func:`escape_html`'s output."""
    return _outside_code(text, lambda part: part.replace("&lt;", "<").replace("&amp;", "&"))
