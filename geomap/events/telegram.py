"""Telegram Desktop channel exports (``result.json``) as document records.

Telegram Desktop's "Export chat history" (JSON) writes one object: the
channel's ``name``, ``type`` and ``id`` and its ``messages``. A message has an
``id``, a ``type`` (``message``, or ``service`` for pins, title changes...), an
ISO ``date`` and a ``text`` that is a string or a list of strings and entity
objects (``{"type": "bold", "text": "عاجل"}``; newer exports add the same as
``text_entities``). Exports do not carry the channel's public username: give
it (``read_documents(..., telegram_channel="name")``) for ``t.me`` links, or
add a top-level ``"username"`` to the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: keys of a Telegram Desktop export that tell it from any other JSON object
EXPORT_KEYS = ("messages",)


def is_export(data: Any) -> bool:
    """True for a Telegram Desktop chat export (an object with a ``messages`` list)."""
    return isinstance(data, dict) and isinstance(data.get("messages"), list)


def message_text(message: dict[str, Any]) -> str:
    """The text of a message, its entities joined (``text``, else ``text_entities``)."""
    text = message.get("text")
    parts = text if isinstance(text, list) else [text]
    joined = "".join(p if isinstance(p, str) else str(p.get("text") or "") if isinstance(p, dict) else ""
                     for p in parts)
    if not joined.strip() and isinstance(message.get("text_entities"), list):
        joined = "".join(str(e.get("text") or "") for e in message["text_entities"] if isinstance(e, dict))
    return joined.strip()


def telegram_records(data: dict[str, Any], channel: str | None = None
                     ) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """``(message id, record, None)`` for each message with text, ``(id, None, reason)``
    for the others (service messages, a photo or file without a caption).

    A record has ``id`` (``<username or channel id>/<message id>``), ``text``,
    ``date`` (the message's ISO date-time), ``source`` (the channel's name) and
    ``url`` (``https://t.me/<username>/<id>`` when the username is known).
    """
    username = (channel or data.get("username") or "").strip().lstrip("@") or None
    if username and username.startswith(("https://t.me/", "t.me/")):
        username = username.rsplit("/", 1)[-1] or None
    name = data.get("name") or username
    key = username or (f"tg{data['id']}" if data.get("id") is not None else "telegram")
    for n, m in enumerate(data["messages"], start=1):
        if not isinstance(m, dict):
            yield f"#{n}", None, "not a message object"
            continue
        mid = m.get("id", f"#{n}")
        if m.get("type", "message") != "message":
            yield str(mid), None, f"service message ({m.get('action') or m.get('type')})"
            continue
        text = message_text(m)
        if not text:
            what = next((k for k in ("photo", "file", "media_type", "poll", "location_information")
                         if m.get(k)), None)
            yield str(mid), None, f"no text ({what} without a caption)" if what else "no text"
            continue
        yield str(mid), {"id": f"{key}/{mid}", "text": text, "date": m.get("date"), "source": name,
                         "url": f"https://t.me/{username}/{mid}" if username else None}, None
