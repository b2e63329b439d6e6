"""Chipwatch dashboard: Load articles.

Upload article files, see what each would add (and what is rejected, and why), then add
them to the store: one transaction per file. Upload names are labels only (never paths).
"""
import sqlite3

import streamlit as st

from chipwatch import ingest_preview as ingest
from chipwatch.knowledge import load_knowledge
from chipwatch.store import Store, StoreError
from chipwatch_ui.components import article_table
from chipwatch_ui.data import clear_caches, store_version
from chipwatch_ui.frame import page_frame
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Load articles")

GEN_KEY = "load_uploader_gen"  # a new key empties the uploader after files were added
RESULTS_KEY = "load_results"  # what the last "Add to store" did, shown after the rerun


@st.cache_data(show_spinner="Reading the files…", max_entries=32)
def _preview(data: bytes, name: str, db: str, version: tuple, earlier: tuple[str, ...]) -> ingest.FilePreview:
    # version keys the "already in the store" check; earlier = hashes of the files above this one.
    return ingest.preview_upload(data, name, load_knowledge(), ingest.known_content_hashes(db), set(earlier))


def _rejected_table(df, key: str) -> None:
    st.dataframe(df, hide_index=True, width="stretch", key=key,
                 height=min(35 * (len(df) + 1) + 3, 35 * 11 + 3),
                 column_config={
                     "source": st.column_config.TextColumn("Where (file:line or #record)", width="medium"),
                     "reason": st.column_config.TextColumn("Why it was rejected", width="large"),
                 })


st.title("Load articles", anchor=False)
st.caption("Add article files (JSON, JSONL, CSV, HTML, text) to the store. Each file is previewed first; "
           "nothing is stored until you press “Add to store”.")

# -- the result of the last "Add to store" ---------------------------------------------------------
results = st.session_state.get(RESULTS_KEY)
if results:
    added = sum(r.added for r in results)
    (st.success if added else st.info)(escape_markdown(ingest.result_summary(results)),
                                      icon=":material/check_circle:" if added else ":material/info:")
    st.dataframe(ingest.result_rows(results), hide_index=True, width="stretch", key="load_results_table",
                 column_config={
                     "file": st.column_config.TextColumn("File", width="medium"),
                     "added": st.column_config.NumberColumn("Added", format="%d"),
                     "duplicates": st.column_config.NumberColumn("Already in the store", format="%d"),
                     "renamed": st.column_config.NumberColumn(
                         "Stored under a new id", format="%d",
                         help="Another article already had the id given in the file; the new one got a derived id."),
                     "rejected": st.column_config.NumberColumn("Rejected", format="%d"),
                 })
    for r in results:
        for note in r.renamed:
            st.caption(escape_markdown(note))
    rejections = ingest.result_rejections(results)
    if not rejections.empty:
        with st.expander(f"Rejected records ({len(rejections):,})"):
            _rejected_table(rejections, "load_results_rejected")
    if added:
        links = st.columns([1, 1, 3])
        links[0].page_link("app.py", label="See the Overview", icon=":material/dashboard:",
                           query_params=ctx.query_params or None)
        links[1].page_link("pages/4_Articles.py", label="Read the articles", icon=":material/article:",
                           query_params=ctx.query_params or None)
    st.button("Dismiss", key="load_dismiss", on_click=lambda: st.session_state.pop(RESULTS_KEY, None),
              icon=":material/close:")
    st.divider()

# -- upload and preview ----------------------------------------------------------------------------
gen = st.session_state.setdefault(GEN_KEY, 0)
files = st.file_uploader(
    f"Article files (up to {ingest.MAX_UPLOAD_MB} MB each)", type=ingest.UPLOAD_TYPES, accept_multiple_files=True,
    max_upload_size=ingest.MAX_UPLOAD_MB, key=f"load_files_{gen}",
    help="JSON (an object or a list of objects), JSON Lines and CSV with fields such as id, url, title, published, "
         "publisher, language, body; or saved article pages (.html, .htm, .txt). Any common encoding is read.")
st.caption(f"Accepted: {', '.join('.' + t for t in ingest.UPLOAD_TYPES)} · at most {ingest.MAX_UPLOAD_MB} MB per "
           "file. File names are only labels: nothing is saved under them.")

previews: list[ingest.FilePreview] = []
MAX_BYTES = ingest.MAX_UPLOAD_MB * 1024 * 1024
if files:
    # The browser refuses bigger files, but a request can still carry one: it is named (by its base name
    # only: ingest.upload_label), never read, and nothing of it is added.
    too_big = [f for f in files if f.size > MAX_BYTES]
    for f in too_big:
        st.error(escape_markdown(f"{ingest.upload_label(f.name)} is {f.size / 1024 / 1024:.1f} MB, over "
                                 f"the limit of {ingest.MAX_UPLOAD_MB} MB per file: it was not read and nothing "
                                 "from it will be added."), icon=":material/block:")
    files = [f for f in files if f.size <= MAX_BYTES]
if files:
    db = str(ctx.db_path)
    version = store_version(ctx.db_path)
    seen: list[str] = []
    payloads = []
    for f in files:
        data = f.getvalue()
        payloads.append((f.name, data))
        p = _preview(data, f.name, db, version, tuple(seen))
        previews.append(p)
        seen.extend(p.hashes)

    st.subheader("Preview", anchor=False)
    n_articles = sum(p.n_articles for p in previews)
    n_new = sum(p.n_new for p in previews)
    n_rejected = sum(p.n_rejected for p in previews)
    st.caption(f"{len(previews):,} file{'s' if len(previews) != 1 else ''}: {n_articles:,} articles "
               f"({n_new:,} new), {n_rejected:,} rejected.")
    for i, p in enumerate(previews):
        with st.expander(escape_markdown(f"{p.name} — {p.summary()}"), expanded=len(previews) <= 3,
                         icon=":material/description:"):
            if p.articles.empty:
                st.caption("No article could be read from this file.")
            else:
                st.dataframe(p.articles, hide_index=True, width="stretch", key=f"load_preview_{gen}_{i}",
                             height=min(35 * (len(p.articles) + 1) + 3, 35 * 11 + 3), placeholder="—",
                             column_config={
                                 "title": st.column_config.TextColumn("Title", width=280),
                                 "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD",
                                                                          width=95),
                                 "publisher": st.column_config.TextColumn("Publisher", width=120),
                                 "language": st.column_config.TextColumn("Language", width=75),
                                 "entities": st.column_config.NumberColumn("Entities", format="%d", width=65),
                                 "quotes": st.column_config.NumberColumn("Quotes", format="%d", width=60),
                                 "claims": st.column_config.NumberColumn(
                                     "Claims", format="%d", width=60,
                                     help="Export or import decisions (status claims) found."),
                                 "state": st.column_config.TextColumn("In the store?", width=150),
                                 "notes": st.column_config.TextColumn(
                                     "Loader notes", width=130, help="What the loader could not establish."),
                                 "source": st.column_config.TextColumn("Where in the file", width=160),
                             })
            if not p.rejected.empty:
                st.caption(f"Rejected ({p.n_rejected:,}):")
                _rejected_table(p.rejected, f"load_rejected_{gen}_{i}")

    label = (f"Add {n_new:,} new article{'s' if n_new != 1 else ''} to the store" if n_new
             else "Add to store")
    if st.button(label, type="primary", icon=":material/upload:", key="load_add", disabled=n_articles == 0,
                 help="Each file is written in its own transaction: a file goes in completely or not at all. "
                      "Articles already in the store are skipped."):
        progress = st.progress(0.0, text="Adding…")

        def on_progress(done: int, total: int, name: str) -> None:
            progress.progress(min(done / total, 1.0), text=escape_markdown(f"Adding {name}: {done:,} of {total:,}"))

        try:
            with Store(ctx.db_path) as store:
                done_results = ingest.ingest_uploads(store, payloads, on_progress)
        except (StoreError, sqlite3.Error, OSError) as exc:
            st.error(escape_markdown(f"Cannot write to the store at {ctx.db_path}: {exc}"), icon=":material/error:")
        else:
            progress.progress(1.0, text="Done")
            st.session_state[RESULTS_KEY] = done_results
            st.session_state[GEN_KEY] = gen + 1  # empty the uploader
            clear_caches()  # every page reads the new articles on its next run
            st.rerun()

# -- what is in the store ---------------------------------------------------------------------------
st.divider()
st.subheader("Articles in the store", anchor=False)
st.caption(f"{len(ctx.frames.articles):,} articles" + (" under the sidebar filters" if ctx.filtered else "")
           + ", newest first.")
article_table(ctx.frames.articles, key="load_store_articles")
