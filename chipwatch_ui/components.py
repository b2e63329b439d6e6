"""Small reusable display pieces (plain text only: article content is never rendered as Markdown/HTML)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

ARTICLE_TABLE_COLUMNS = ["id", "title", "published", "publisher"]
LOAD_PAGE = "pages/5_Load_articles.py"
# Tables list at most this many rows (the newest): sending 100k rows to the browser takes
# seconds and no analyst scrolls them; search and the filters reach the rest.
TABLE_ROW_LIMIT = 1000


def empty_store_notice(ctx) -> bool:
    """When the store has no articles: say so, link to Load articles, return True (draw under the title)."""
    if not ctx.all_frames.empty:
        return False
    st.info("The store has no articles yet. Load article files to fill the dashboard.", icon=":material/info:")
    st.page_link(LOAD_PAGE, label="Load articles", icon=":material/upload_file:",
                 query_params=ctx.query_params or None)
    return True


def article_table(articles: pd.DataFrame, *, key: str | None = None, height: int | str | None = None,
                  limit: int = TABLE_ROW_LIMIT) -> None:
    """The articles as a plain table (newest first): id, title, published, publisher; at most
    `limit` rows, with a caption saying so when there are more.

    height: pixels, "auto", or None (default) = fit up to 20 rows, then scroll.
    """
    df = articles.reindex(columns=ARTICLE_TABLE_COLUMNS)
    if not df.empty:
        df = df.sort_values("published", ascending=False, na_position="last")
    if len(df) > limit:
        st.caption(f"The newest {limit:,} of {len(df):,} articles are listed; narrow the filters to list others.")
        df = df.head(limit)
    if height is None:
        height = min(35 * (len(df) + 1) + 3, 35 * 21 + 3)
    st.dataframe(
        df, key=key, hide_index=True, width="stretch", height=height,
        placeholder="—",
        column_config={
            "id": st.column_config.TextColumn("Id", width="medium"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
            "publisher": st.column_config.TextColumn("Publisher"),
        },
    )


def status_changes_table(changes: pd.DataFrame, *, key: str | None = None):
    """The latest status changes (chipwatch.overview_view.latest_status_changes), newest first.

    Curated rows link to their source; article claims name the article they come from. A row
    can be selected (single row) to read its evidence in full below the table; returns the
    selected row of `changes` (a Series) or None.
    """
    if changes.empty:
        st.info("No dated export or import decision matches the filters.", icon=":material/info:")
        return None
    event = st.dataframe(
        changes, key=key, hide_index=True, width="stretch",
        height=min(35 * (len(changes) + 1) + 3, 35 * 16 + 3),
        on_select="rerun", selection_mode="single-row",
        column_order=["date", "chip", "side", "route", "change", "source_url", "evidence", "article", "reports"],
        placeholder="—",
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=90),
            "chip": st.column_config.TextColumn("Chip", width=75),
            "side": st.column_config.TextColumn("Side", width=60),
            "route": st.column_config.TextColumn("Decided by → destination", width=180,
                                                 help="Export: the exporting government's decision; import: the "
                                                      "destination's own decision."),
            "change": st.column_config.TextColumn("Status: was → now", width=230),
            "source_url": st.column_config.LinkColumn("Curated source", display_text=r"https?://(?:www\.)?([^/]+).*",
                                                      width=140, help="The curated timeline's source."),
            "evidence": st.column_config.TextColumn("Evidence", width=420,
                                                    help="Select a row to read it in full below the table."),
            "article": st.column_config.TextColumn("Article", width=260,
                                                   help="The article the claim was extracted from."),
            "reports": st.column_config.NumberColumn("Reports", format="%d", width=70,
                                                     help="Rows that day (curated and articles) giving this status."),
        },
    )
    rows = (event or {}).get("selection", {}).get("rows", []) if event is not None else []
    if not rows or rows[0] >= len(changes):
        st.caption("Select a row to read its evidence in full.")
        return None
    row = changes.iloc[rows[0]]
    with st.container(border=True):
        st.text(f"{row['chip']} · {row['side']} · {row['route']} · {row['change']}")
        st.text(str(row["evidence"] or ""))
        if isinstance(row.get("article"), str) and row["article"]:
            st.text(f"From the article: {row['article']}")
    return row
