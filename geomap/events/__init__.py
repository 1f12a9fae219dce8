"""Documents, event types, dates and incident extraction.

``read_documents`` reads news files into a :class:`DocumentSet` (``iter_documents``
yields them lazily);
``extract_events`` turns documents and their place mentions into an events
GeoDataFrame (one row per incident and place). Importing this package does
not import pandas, geopandas or folium.
"""

from .dates import DateMatch, find_dates, parse_date_value, sentence_date
from .documents import (
    Document,
    DocumentSet,
    DocumentStream,
    example_paths,
    iter_documents,
    read_document,
    read_documents,
)
from .extract import EVENT_COLUMNS, extract_events, format_summary, summary
from .clauses import classify_places
from .lexicon import EVENT_TYPES, LABELS, classify, split_sentences

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "LABELS",
    "DateMatch",
    "Document",
    "DocumentSet",
    "DocumentStream",
    "classify",
    "classify_places",
    "example_paths",
    "extract_events",
    "find_dates",
    "format_summary",
    "iter_documents",
    "parse_date_value",
    "read_document",
    "read_documents",
    "sentence_date",
    "split_sentences",
    "summary",
]
