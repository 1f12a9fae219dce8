"""geomap: Arabic-first incident mapping."""
__version__ = "0.1.0"
