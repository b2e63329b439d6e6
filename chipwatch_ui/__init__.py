"""Chipwatch's Streamlit shell: the one package (besides the page scripts) that imports streamlit.

Public API
- ``frame.page_frame(title, icon=None) -> PageContext``: call first in every page script;
  ``PageContext(title, filters, frames, all_frames, db_path, options, query_params)``.
  ``frame.clear_filters()`` is the "Clear filters" callback.
- ``data``: cached store access keyed by (db path, store version):
  ``resolve_db_path``, ``store_version``, ``all_frames``, ``options_for``, ``filtered_frames(filters)``,
  ``clear_caches``.
- ``components``: ``article_table(df)``, ``empty_store_notice(ctx)`` (plain text only).
- ``filters`` (no streamlit): ``FACETS``, ``DATE_KEYS``, ``FILTER_KEYS``, ``FilterOptions``,
  ``filter_options(frames)``, ``filters_from_values``, ``values_from_query``, ``query_params_for``,
  ``describe_filters``.
- ``pages`` (no streamlit): ``PAGES`` (``PageSpec(script, title, icon, help)`` + ``url_path``).
- ``text`` (no streamlit): ``escape_markdown`` for data strings shown in Markdown-rendering elements.

Nothing is imported here so the pure modules stay importable without streamlit.
"""
