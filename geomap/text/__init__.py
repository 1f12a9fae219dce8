"""Text normalisation (Arabic and Latin) with offsets, and Arabic clitics."""

from geomap.text.normalize import (
    ARABIC_MARKS,
    LATIN_ARTICLES,
    NormText,
    arabic_skeleton,
    has_arabic,
    latin_skeleton,
    normalize,
    normalize_ar,
    normalize_key,
    normalize_many,
    strip_article,
)

__all__ = [
    "ARABIC_MARKS",
    "LATIN_ARTICLES",
    "NormText",
    "arabic_skeleton",
    "has_arabic",
    "latin_skeleton",
    "normalize",
    "normalize_ar",
    "normalize_key",
    "normalize_many",
    "strip_article",
]
