"""Decoding a document file: byte-order marks, UTF-8, the detected and legacy Arabic
encodings, and the plausibility test that picks among them; the internal skip raised
with a reason (moved whole from documents.py, which reads the files)."""

from __future__ import annotations

import re


class _Skip(Exception):
    """Internal: skip one file with a reason."""


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
#: Share of implausible characters a detected decoding may have (see :func:`plausible`).
MAX_IMPLAUSIBLE = 0.01


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: BOM, else UTF-8, else a detected encoding whose text is plausible.

    Returns ``(text, encoding)``; raises the internal skip with the reason
    when no decoding gives plausible text (binary or truly undecodable).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise _Skip(f"not valid {enc.upper()} after its BOM (offset {e.start})") from None
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            utf8_error = f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
    else:
        utf8_error = "contains NUL bytes"
    from charset_normalizer import from_bytes

    candidates: list[str] = []
    if has_nul:
        candidates += ["utf_16_le", "utf_16_be"]
    candidates += [m.encoding for m in from_bytes(data[:200_000])]
    candidates += ["cp1256", "iso8859_6"]
    tried: list[str] = []
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        tried.append(enc)
        if plausible(text):
            return text, _ENC_NAMES.get(enc, enc.replace("_", "-"))
    if has_nul:
        raise _Skip("binary file (contains NUL bytes and decodes to no plausible text)")
    raise _Skip(f"undecodable: {utf8_error}, and no detected encoding gives plausible Arabic or Latin text "
                f"(tried {', '.join(tried) or 'none'}); convert the file to UTF-8")


_ENC_NAMES = {"iso8859_6": "iso-8859-6", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be", "utf_16": "utf-16"}
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_ARABIC_MARK = re.compile(r"[\u064b-\u0652\u0670]")
# Letters of a Latin code page glued to Arabic letters: a wrong Arabic code page
# (ISO-8859-6 bytes read as cp1256 give "انتارêخ").
_MIXED = re.compile(r"[\u0621-\u06ff][\u00c0-\u024f\u00d7\u00f7]|[\u00c0-\u024f\u00d7\u00f7][\u0621-\u06ff]")
_ODD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\u2500-\u25ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def plausible(text: str) -> bool:
    """Whether ``text`` reads as Arabic or Latin-script text.

    Implausible: control characters, replacement or private-use characters,
    box drawing (a wrong code page's signature), Latin letters glued to
    Arabic ones, Arabic vowel marks not after an Arabic letter; and text
    with hardly any Arabic or basic Latin letters. At most
    :data:`MAX_IMPLAUSIBLE` of the characters may be implausible.
    """
    sample = text[:200_000]
    if not sample.strip():
        return True
    bad = len(_ODD.findall(sample)) + len(_MIXED.findall(sample))
    bad += sum(1 for m in _ARABIC_MARK.finditer(sample)
               if m.start() == 0 or not (_ARABIC_LETTER.match(sample, m.start() - 1)
                                         or _ARABIC_MARK.match(sample, m.start() - 1)))
    letters = len(_ARABIC_LETTER.findall(sample)) + len(_LATIN_LETTER.findall(sample))
    n = len(sample)
    return bad <= MAX_IMPLAUSIBLE * n and letters >= 0.3 * sum(1 for c in sample if not c.isspace())
