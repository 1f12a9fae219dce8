"""The one place where text becomes HTML or JavaScript in geomap maps.

Every string that comes from a document (snippets, titles, place names,
sources, layer labels) reaches a map only through these helpers. folium's
``Popup`` (``parse_html=False``), ``Tooltip``, ``GeoJsonTooltip`` and
Leaflet's layer control all insert their text as raw HTML, so geomap
escapes first with :func:`html.escape` and hands them finished HTML.

* :func:`esc` – text to HTML text (quotes escaped too, so it is safe in
  attributes; ``{`` and ``}`` become ``&#123;``/``&#125;`` because branca
  compiles rendered folium scripts as Jinja templates, where ``{{ ... }}``
  from a document would be evaluated). :func:`esc_series` does the same
  for a whole pandas Series at once.
* :func:`safe_url` – only ``http``/``https`` URLs, escaped for an ``href``.
* :func:`js_json` – JSON that is safe inside a ``<script>`` element.
* ``*_html`` – the fragments of an event popup; the map's JavaScript only
  concatenates these fragments, it never builds HTML from raw text.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_STRONG_RE = re.compile("[A-Za-z\u00c0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (str, bytes)) else False
    except (ImportError, TypeError, ValueError):
        return False


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def esc(value: Any) -> str:
    """Escape ``value`` as HTML text (``&<>"'{}``); None/NaN give ``""``."""
    if _blank(value):
        return ""
    return html.escape(str(value), quote=True).translate(_BRACES)


def esc_series(values: Any, drop: str = "") -> Any:
    """:func:`esc` over a pandas Series, vectorised (missing values give ``""``).

    Characters in ``drop`` are removed first.
    """
    import pandas as pd

    s = pd.Series(values, dtype="string").fillna("")
    for ch in drop:
        s = s.str.replace(ch, "", regex=False)
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"),
                     ("{", "&#123;"), ("}", "&#125;")):
        s = s.str.replace(old, new, regex=False)
    return s.astype(object)


def rtl_series(values: Any) -> Any:
    """:func:`is_rtl` over a pandas Series, vectorised (a boolean Series)."""
    import pandas as pd

    s = pd.Series(values, dtype="string").fillna("")
    first = s.str.extract(f"({_STRONG_RE.pattern})", expand=False).fillna("")
    return first.str.match(_ARABIC_RE.pattern).fillna(False).astype(bool)


def safe_url(url: Any) -> str | None:
    """Return ``url`` escaped for an ``href`` if it is http(s), else None.

    ``javascript:``, ``data:``, relative and malformed URLs are refused.
    """
    if _blank(url):
        return None
    s = str(url).strip()
    if any(ord(c) < 32 or c.isspace() for c in s):
        return None
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(s, quote=True).translate(_BRACES)


def is_rtl(text: Any) -> bool:
    """True when the first strong letter of ``text`` is Arabic (Unicode bidi rule P2)."""
    if _blank(text):
        return False
    m = _STRONG_RE.search(str(text))
    return bool(m) and bool(_ARABIC_RE.match(m.group(0)))


def dir_attr(text: Any) -> str:
    """`` dir="rtl" lang="ar"`` for Arabic text, `` dir="ltr"`` otherwise."""
    return ' dir="rtl" lang="ar"' if is_rtl(text) else ' dir="ltr"'


def js_json(obj: Any) -> str:
    """JSON text safe to embed in a ``<script>`` element.

    ``<``, ``>``, ``&`` and the JavaScript line separators are written as
    ``\\uXXXX`` escapes, so ``</script>`` in a string cannot close the script.
    """
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def css_color(value: Any, default: str = "#555555") -> str:
    """A colour for inline CSS: ``#rgb``/``#rrggbb`` only, else ``default``."""
    s = "" if _blank(value) else str(value).strip()
    return s if re.fullmatch(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?", s) else default


# --- Popup fragments ---------------------------------------------------------


def type_html(label: Any, color: Any) -> str:
    """Popup heading fragment: a colour swatch and the event type label."""
    return (f'<div class="gm-type"><span class="gm-swatch" style="background:{css_color(color)}"></span>'
            f"<b>{esc(label)}</b></div>")


def date_html(date: Any, precision: Any) -> str:
    """Date fragment; ``date`` is an ISO string or None (shown as unknown date)."""
    if _blank(date) or not str(date):
        return '<div class="gm-date">date unknown · تاريخ غير معروف</div>'
    prec = "" if _blank(precision) or precision == "day" else f" ({esc(precision)})"
    return f'<div class="gm-date">{esc(date)}{prec}</div>'


def place_html(name: Any, name_ar: Any, precision: Any) -> str:
    """Place fragment: English name, Arabic name (RTL) and precision."""
    parts = []
    if not _blank(name) and str(name):
        parts.append(f"<b>{esc(name)}</b>")
    if not _blank(name_ar) and str(name_ar):
        parts.append(f'<span dir="rtl" lang="ar">{esc(name_ar)}</span>')
    prec = "" if _blank(precision) else f' <span class="gm-prec">[{esc(precision)}]</span>'
    return f'<div class="gm-place">{" · ".join(parts) or "?"}{prec}</div>'


#: Openings of the snippet ``<div>``: left-to-right, right-to-left. The map's
#: JavaScript uses the same two strings around the escaped snippet text.
SNIPPET_OPEN: tuple[str, str] = ('<div class="gm-snippet" dir="ltr">',
                                 '<div class="gm-snippet" dir="rtl" lang="ar">')


def snippet_html(snippet: Any) -> str:
    """The report sentence, escaped, in a ``<div dir="rtl">`` when Arabic."""
    if _blank(snippet) or not str(snippet):
        return ""
    return f"{SNIPPET_OPEN[is_rtl(snippet)]}{esc(snippet)}</div>"


def source_html(source: Any, url: Any) -> str:
    """Source fragment: the source name, linked when the URL is http(s)."""
    href = safe_url(url)
    name = esc(source) if not _blank(source) and str(source) else ""
    if href:
        text = name or esc(urlsplit(str(url).strip()).netloc)
        return (f'<div class="gm-src"><a href="{href}" target="_blank" '
                f'rel="noopener noreferrer nofollow">{text}</a></div>')
    return f'<div class="gm-src">{name}</div>' if name else ""


def reports_html(n: Any) -> str:
    """``N reports`` fragment when more than one document reported the event."""
    try:
        k = int(n)
    except (TypeError, ValueError):
        return ""
    return f'<div class="gm-n">{k} reports · {k} تقارير</div>' if k > 1 else ""


def popup_html(event: dict[str, Any], *, label: Any = None, color: Any = None) -> str:
    """Whole popup HTML of one event row (a dict of the events columns).

    The map's JavaScript builds the same HTML from the same fragments.
    """
    d = event.get("date")
    date_s = None if _blank(d) else (d.date().isoformat() if hasattr(d, "date") and callable(d.date)
                                     else str(d))
    return (
        '<div class="gm-popup">'
        + type_html(label if label is not None else event.get("event_type"), color)
        + date_html(date_s, event.get("date_precision"))
        + place_html(event.get("name"), event.get("name_ar"), event.get("precision"))
        + snippet_html(event.get("snippet"))
        + source_html(event.get("source"), event.get("url"))
        + reports_html(event.get("n_reports"))
        + "</div>"
    )


def tooltip_text(*parts: Any) -> str:
    """Escaped parts joined by `` · `` (empty parts dropped)."""
    return " · ".join(esc(p) for p in parts if not _blank(p) and str(p))


#: Placeholders of ``<mark>``/``</mark>`` in the map payload's sentences (six bytes each
#: in JSON instead of 15); the map's JavaScript turns them into the tags. Document text
#: never keeps these control characters.
MARK_OPEN, MARK_CLOSE = "\x01", "\x02"


def mark_escaped(escaped: str, needles: Any, open_: str = MARK_OPEN, close: str = MARK_CLOSE) -> str:
    """``escaped`` with the first of the (already escaped) ``needles`` it contains wrapped."""
    for e in needles:
        if e and e in escaped:
            return escaped.replace(e, f"{open_}{e}{close}", 1)
    return escaped


def mark_first(escaped: str, needles: Any) -> str:
    """``escaped`` (HTML-escaped text) with the first needle found wrapped in ``<mark>``.

    ``needles`` are raw strings tried in turn (the mention, the Arabic name,
    the English name); each is escaped the same way before it is looked up,
    so only escaped text ever sits between the tags.
    """
    return mark_escaped(escaped, [esc(str(n).strip()) for n in needles
                                  if not _blank(n) and len(str(n).strip()) >= 2], "<mark>", "</mark>")
