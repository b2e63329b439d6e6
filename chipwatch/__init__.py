"""Chipwatch: news about AI-chip export controls turned into evidence.

The package holds all logic (loading, extraction, store, dataframes) and never
imports streamlit.
"""

__version__ = "0.1.0"
