"""Chipwatch dashboard: Articles.

A searchable table of the articles under the shared filters; selecting a row opens that
article: its metadata, loader notes, entities, quotes, stances, status claims and text.
Article content is shown with st.text / st.dataframe only (never Markdown or HTML).
"""
import hashlib

import streamlit as st

from chipwatch import overview_view as view
from chipwatch_ui.components import TABLE_ROW_LIMIT, empty_store_notice
from chipwatch_ui.data import article_record, search_ids
from chipwatch_ui.frame import page_frame
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Articles")

st.title("Articles", anchor=False)
st.caption("The articles behind every chart. Search them, then select a row to read one with what was extracted.")
empty_store_notice(ctx)
frames = ctx.frames
kb = frames.kb

query = st.text_input(
    "Search", key="art_search", placeholder="Words in the title, text or publisher, e.g. H200 customs",
    help="Case-insensitive. Every word must appear; put a phrase in double quotes to search for it as written.",
    icon=":material/search:", type="search", live="400ms")
terms = view.search_terms(query)
matched = search_ids(terms, ctx.db_path) if terms else None
rows = view.article_table_rows(frames, matched_ids=matched, limit=TABLE_ROW_LIMIT)
found = len(frames.articles) if matched is None else int(frames.articles["id"].isin(matched).sum())
shown = f"the newest {len(rows):,} are listed" if len(rows) < found else "newest first"
if terms:
    st.caption(escape_markdown(f"{found:,} of {len(frames.articles):,} articles match the search; {shown}."))
elif not rows.empty:
    st.caption(escape_markdown(f"{found:,} articles; {shown}. Select a row to open the article."
                               + (" Search or narrow the filters to list others." if len(rows) < found else "")))

# The table's key follows its rows, so a selection never points at another article after the rows change.
table_key = "art_table_" + hashlib.sha1("\n".join(rows["id"].astype(str)).encode()).hexdigest()[:10]
event = st.dataframe(
    rows, key=table_key, on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
    height=min(35 * (len(rows) + 1) + 3, 35 * 13 + 3), placeholder="—",
    column_order=["published", "title", "publisher", "language", "entities", "quotes", "claims", "notes", "id"],
    column_config={
        "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD", width=95),
        "title": st.column_config.TextColumn("Title", width=360),
        "publisher": st.column_config.TextColumn("Publisher", width=130),
        "language": st.column_config.TextColumn("Language", width=75),
        "entities": st.column_config.NumberColumn("Entities", format="%d", width=65,
                                                  help="Distinct chips, companies, countries, people and "
                                                       "organisations mentioned."),
        "quotes": st.column_config.NumberColumn("Quotes", format="%d", width=60),
        "claims": st.column_config.NumberColumn("Claims", format="%d", width=60,
                                                help="Export or import decisions (status claims) the article "
                                                     "reports."),
        "notes": st.column_config.TextColumn("Loader notes", width=120,
                                             help="What the loader could not establish (e.g. no date)."),
        "id": st.column_config.TextColumn("Id", width=200),
    },
)
selected_rows = (event or {}).get("selection", {}).get("rows", []) if event is not None else []
article_id = rows.iloc[selected_rows[0]]["id"] if selected_rows and selected_rows[0] < len(rows) else None

if article_id is None:
    if not rows.empty:
        st.info("Select a row (the box at its left) to open the article.", icon=":material/touch_app:")
    elif query.strip():
        st.info("No article matches the search.", icon=":material/search_off:")
    st.stop()

# -- the article's view ----------------------------------------------------------------------------
record = article_record(article_id, ctx.db_path)
if record is None:  # removed from the store since the table was drawn
    st.info("This article is no longer in the store.", icon=":material/info:")
    st.stop()
article, mentions, quotes, stances, claims = (record.article, record.mentions, record.quotes, record.stances,
                                              record.claims)

st.divider()
st.subheader("Selected article", anchor=False)
with st.container(border=True, key="art_view"):
    st.text(str(article["title"]))
    meta = view.article_meta(article)
    st.dataframe(
        meta, hide_index=True, width="stretch", key="art_meta", placeholder="—",
        column_config={
            "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD", width=95),
            "publisher": st.column_config.TextColumn("Publisher", width=150),
            "language": st.column_config.TextColumn("Language", width=80),
            "source": st.column_config.TextColumn("Loaded from", width=250,
                                                  help="The file (and line or record) the article was read from."),
            "url": st.column_config.LinkColumn("URL", width=250, help="Where the article was published."),
            "id": st.column_config.TextColumn("Id", width=200),
        },
    )
    for flag in view.parse_flags(article.get("flags")):
        st.warning(escape_markdown(view.flag_text(flag)), icon=":material/report:")

    st.caption("Double-click a table cell to read a long value in full.")
    tabs = st.tabs([
        "Text",
        f"Entities ({mentions.drop_duplicates(['type', 'entity_id']).shape[0]:,})",
        f"Quotes ({len(quotes):,})",
        f"Stances ({len(stances):,})",
        f"Status claims ({len(claims):,})",
    ])
    with tabs[0]:
        st.text(str(article["body"]))
    with tabs[1]:
        if mentions.empty:
            st.caption("No chips, companies, countries, people or organisations were found.")
        else:
            st.caption(escape_markdown(view.entity_type_counts(mentions) + "."))
            ents = view.entity_summary(mentions, kb)
            st.dataframe(ents, hide_index=True, width="stretch", key="art_entities", placeholder="—",
                         height=min(35 * (len(ents) + 1) + 3, 35 * 16 + 3),
                         column_config={
                             "type": st.column_config.TextColumn("Type", width="small"),
                             "entity": st.column_config.TextColumn("Entity", width="medium"),
                             "mentions": st.column_config.NumberColumn("Mentions", format="%d", width="small"),
                             "where": st.column_config.TextColumn("Where", width="small"),
                         })
    with tabs[2]:
        if quotes.empty:
            st.caption("No quotes were found.")
        else:
            st.dataframe(view.quote_rows(quotes, kb), hide_index=True, width="stretch", key="art_quotes", placeholder="—",
                         column_config={
                             "speaker": st.column_config.TextColumn("Speaker", width="medium"),
                             "kind": st.column_config.TextColumn("Kind", width="small"),
                             "stance": st.column_config.TextColumn("Stance", width="small"),
                             "text": st.column_config.TextColumn("Quoted words", width="large"),
                         })
    with tabs[3]:
        if stances.empty:
            st.caption("No stances were found.")
        else:
            st.dataframe(view.stance_rows(stances, kb), hide_index=True, width="stretch", key="art_stances", placeholder="—",
                         column_config={
                             "holder": st.column_config.TextColumn("Holder", width="medium"),
                             "stance": st.column_config.TextColumn("Stance", width="small"),
                             "reported_by": st.column_config.TextColumn(
                                 "Reported by", width="medium", help="Empty when it is the holder's own words."),
                             "evidence": st.column_config.TextColumn("Evidence", width="large"),
                         })
    with tabs[4]:
        if claims.empty:
            st.caption("No export or import decisions were found.")
        else:
            st.dataframe(view.claim_rows(claims, kb), hide_index=True, width="stretch", key="art_claims", placeholder="—",
                         column_config={
                             "chip": st.column_config.TextColumn("Chip", width=95),
                             "side": st.column_config.TextColumn("Side", width=60),
                             "actor": st.column_config.TextColumn("Decided by", width=115),
                             "destination": st.column_config.TextColumn("Destination", width=115),
                             "status": st.column_config.TextColumn("Status", width=165),
                             "date": st.column_config.DateColumn("Decision date", format="YYYY-MM-DD", width=105,
                                                                 help="Empty when the article gives no date."),
                             "evidence": st.column_config.TextColumn("Evidence", width=600),
                         })
