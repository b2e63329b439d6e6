"""The fast paths of the Export status page give exactly what the straightforward code gives.

At 100k articles the page builds hovers and tables per column (chipwatch.charts.status: day_texts,
origin_texts, ...), resolves every event once and selects from that (status_timeline._decided),
finds timeline spans with array comparisons (_spans) and looks article ids up once per category
(_positions). Each is checked here against a per-row / per-selection reference on a small frame
that has the awkward cases: curated and article rows, an architecture row, undated claims, both
sides, same-day disagreements, a missing title, an uncertain curated row.
"""
from __future__ import annotations

from typing import Optional

import pandas as pd
import pytest

from chipwatch import status_timeline as stl
from chipwatch.charts import status as cs
from chipwatch.columns import positions_in
from status_rows import articles, frame, row


@pytest.fixture
def rows():
    curated_uncertain = dict(row("2025-04-09", "H20", "license_required"), uncertain=True)
    df = frame(
        row("2025-01-13", "H200", "banned", evidence="The interim final rule bars <b>sales</b> & more."),
        row("2025-12-08", "H200", "conditional"),
        row("2025-12-08", "H200", "allowed", origin="article", article="a1"),  # same day: curated wins
        row("2025-12-09", "H200", "allowed", origin="article", article="a1"),
        row("2025-12-09", "H200", "banned", origin="article", article="a2"),  # 1 vote each: stricter wins
        row("2025-12-09", "H200", "banned", origin="article", article="a3"),
        row("2026-01-28", "H200", "allowed", dest="ARE"),
        row("2026-02-01", "H200", "allowed", dest="ARE", origin="article", article="a2"),  # extends the span
        row(None, "H200", "pending", origin="article", article="a1", evidence="H200 had been held up " * 9),
        row(None, "H200", "license_required", dest="SGP", origin="article", article="a4"),  # undated, alone
        row("2025-10-30", "Blackwell", "banned"),
        row("2025-11-02", "B200", "banned", origin="article", article="a3", side="import"),
        row("2025-09-17", "H20", "discouraged", side="import", origin="article", article="a4"),
        curated_uncertain,
    )
    arts = articles(a1="2025-12-10", a2="2025-12-11", a3="2025-12-12", a4="2025-09-18")
    arts.loc[arts["id"] == "a3", "title"] = None  # the origin falls back to the claim's source
    arts["id"] = arts["id"].astype("category")
    df["article_id"] = pd.Categorical(df["article_id"], categories=arts["id"].cat.categories)
    return stl.enrich_status(df, arts)


CHIPS = ["H200", "H20", "B200", "Blackwell", None]
WHENS = [None, "2025-12-08", "2025-06-30"]


# -- status_timeline: one resolve, many selections ---------------------------------------------------------

def as_of_reference(df, chip, when, side, kb):
    """status_as_of as resolve() of its own selection."""
    ev = stl._select_chip(stl.events(df, kb), chip, kb)
    ev = ev[ev["side"] == side]
    cutoff = stl.to_timestamp(when)
    if cutoff is not None:
        ev = ev[ev["effective"] <= cutoff]
    resolved = stl.resolve(ev)
    if resolved.empty:
        return resolved.reindex(columns=stl.EVENT_COLUMNS + ["reports", "conflicting"])
    latest = resolved.sort_values("effective").groupby("destination", sort=False).tail(1).assign(chip=chip)
    return latest.sort_values(["country", "destination"]).reset_index(drop=True)


@pytest.mark.parametrize("chip", [c for c in CHIPS if c])
@pytest.mark.parametrize("when", WHENS)
@pytest.mark.parametrize("side", ["export", "import"])
def test_as_of_selected_from_all_resolved_equals_resolving_the_selection(rows, kb, chip, when, side):
    pd.testing.assert_frame_equal(stl.status_as_of(rows, chip, when, side, kb=kb),
                                  as_of_reference(rows, chip, when, side, kb))


@pytest.mark.parametrize("when", WHENS)
@pytest.mark.parametrize("side", ["export", "import"])
def test_matrix_selected_from_all_resolved_equals_resolving_the_selection(rows, kb, when, side):
    ev = stl._select_chip(stl.events(rows, kb)[lambda e: e["side"] == side], None, kb)
    cutoff = stl.to_timestamp(when)
    want = stl.resolve(ev if cutoff is None else ev[ev["effective"] <= cutoff])
    got = stl._decided(rows, kb, lambda e: stl._up_to(stl._select_chip(stl._on_side(e, side), None, kb), cutoff))
    pd.testing.assert_frame_equal(got, want)


def periods_reference(df, chip, side, kb, today):
    """status_periods with the per-row loop the spans replace."""
    ev = stl._select_chip(stl.events(df, kb), chip, kb)
    if side is not None:
        ev = ev[ev["side"] == side]
    columns = ["chip", "destination", "country", "side", "status", "start", "end", "ongoing", "decisions",
               "evidence", "source", "url", "title", "origin", "actor", "article_id", "event_id", "named_as",
               "scope", "date_basis", "uncertain"]
    resolved = stl.resolve(ev)
    if resolved.empty:
        return None
    spans, current = [], None
    for r in resolved.sort_values(stl.KEY + ["effective"]).to_dict("records"):
        same_key = current is not None and all(current[k] == r[k] for k in stl.KEY)
        if same_key and r["status"] == current["status"]:
            current["decisions"] += 1
            continue
        if current is not None:
            current["end"] = r["effective"] if same_key else max(today, current["start"])
            current["ongoing"] = not same_key
            spans.append(current)
        current = {c: r.get(c) for c in columns}
        current.update(start=r["effective"], decisions=1)
    current["end"] = max(today, current["start"])
    current["ongoing"] = True
    spans.append(current)
    return pd.DataFrame(spans).reindex(columns=columns)


@pytest.mark.parametrize("chip", CHIPS)
@pytest.mark.parametrize("side", [None, "export", "import"])
@pytest.mark.parametrize("today", ["2027-01-01", "2025-12-08"])  # the second ends some spans before they start
def test_spans_equal_the_row_loop(rows, kb, chip, side, today):
    today = pd.Timestamp(today)
    want = periods_reference(rows, chip, side, kb, today)
    resolved = stl._decided(rows, kb, lambda e: stl._on_side(stl._select_chip(e, chip, kb), side))
    if want is None:
        assert resolved.empty
        return
    columns = list(want.columns)
    got = pd.DataFrame(stl._spans(resolved, columns, today), columns=columns)
    pd.testing.assert_frame_equal(got, want)


def test_the_remembered_status_is_not_changed_by_its_callers(rows, kb):
    first = stl.status_as_of(rows, "H200", None, "export", kb=kb)
    first["status"] = "scribbled"
    first.loc[0, "country"] = "scribbled"
    again = stl.status_as_of(rows, "H200", None, "export", kb=kb)
    assert "scribbled" not in set(again["status"]) | set(again["country"])
    pd.testing.assert_frame_equal(again, as_of_reference(rows, "H200", None, "export", kb))


def test_article_positions_equal_positions_in(rows):
    arts = articles(a1="2025-12-10", a2="2025-12-11", a3="2025-12-12", a4="2025-09-18", a9="2025-01-01")
    ids = pd.Series(pd.Categorical(["a2", None, "a9", "a1", "zz", "a2"], categories=["a1", "a2", "a9", "zz"]))
    meta, index = stl._article_ids(arts)
    for _ in range(2):  # computed, then remembered
        assert stl._positions(ids, arts, index).tolist() == positions_in(ids, arts["id"]).tolist()
    plain = ids.astype(object)
    assert stl._positions(plain, arts, index).tolist() == positions_in(plain, arts["id"]).tolist()


# -- charts: the row helpers over columns --------------------------------------------------------------------

def records(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records")


def test_column_helpers_equal_the_row_helpers(rows, kb):
    for chip in ("H200", "H20", "Blackwell"):
        for frame_ in (stl.evidence_rows(rows, chip, None, None, kb=kb), stl.status_periods(rows, chip, kb=kb),
                       stl.status_as_of(rows, chip, None, "export", kb=kb)):
            recs = records(frame_)
            assert cs.origin_texts(frame_) == [cs.origin_text(r) for r in recs]
            assert cs.named_texts(frame_) == [cs.named_text(r) for r in recs]
            if "effective" in frame_.columns:
                assert cs.since_texts(frame_) == [cs.since_text(r) for r in recs]
            for col in ("date", "reported", "effective", "start", "end"):
                if col in frame_.columns:
                    assert cs.day_texts(frame_[col]) == [cs.day_text(v) for v in frame_[col]]


def test_day_texts_and_per_value_on_awkward_values():
    values = pd.Series([pd.Timestamp("2025-01-02 13:45"), pd.NaT, pd.Timestamp("1999-12-31")])
    assert cs.day_texts(values) == ["2025-01-02", "", "1999-12-31"]
    mixed = pd.Series(["2025-03-04", None, pd.Timestamp("2025-05-06"), "not a day"], dtype=object)
    assert cs.day_texts(mixed) == [cs.day_text(v) for v in mixed]
    calls = []
    texts = ["a <b>", None, "a <b>", float("nan"), "c"]
    assert cs.per_value(texts, lambda v: calls.append(v) or cs.snippet(v)) == [cs.snippet(v) for v in texts]
    assert calls.count("a <b>") == 1


def test_snippet_is_the_same_from_the_cache():
    text = "美国商务部 said the H20 licence " * 12
    assert cs.snippet(text) == cs.snippet(text) == cs._snippet.__wrapped__(text, 64, 3)
    assert cs.snippet(None) == cs.snippet(float("nan")) == ""


def hover_reference(df: pd.DataFrame) -> list[list[str]]:
    out = []
    for r in records(df):
        named = cs.named_text(r) if r.get("scope") == "architecture" else ""
        notes = " · ".join(x for x in (f"Decision names {named}" if named else "", cs.agreement_text(r)) if x)
        out.append([r["destination"], cs.theme.plain(str(r.get("country") or r["destination"])),
                    cs.status_label(r["status"]), cs.since_text(r), cs.snippet(r.get("evidence")),
                    cs.theme.plain(cs.origin_text(r)), cs.theme.plain(notes)])
    return out


def evidence_table_reference(evidence: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Date": pd.to_datetime(evidence["date"]),
        "Destination": [f"{n} ({c})" for n, c in zip(evidence["country"], evidence["destination"])],
        "Status": evidence["status"].map(cs.status_label),
        "On the map": evidence["counts"].astype(bool),
        "Evidence": evidence["evidence"],
        "Source link": evidence["url"],
        "Article": evidence["title"].where(evidence["origin"] != "curated", None),
        "Origin": ["Curated timeline" + (" (uncertain)" if bool(u) else "") if o == "curated" else "Article claim"
                   for o, u in zip(evidence["origin"], evidence["uncertain"])],
        "Reported": pd.to_datetime(evidence["reported"]),
        "Chip": [cs.named_text(r) for r in records(evidence)],
        "Actor": [cs.country_name(a) if isinstance(a, str) and len(a) == 3 and a.isupper() else a
                  for a in evidence["actor"]],
        "Side": evidence["side"].map(lambda s: cs.SIDE_WORDS.get(s, s).capitalize()),
    }).reset_index(drop=True)


def periods_table_reference(periods: pd.DataFrame) -> pd.DataFrame:
    cols = ["Chip", "Country", "Country code", "Side", "Status", "From", "To", "Still in force", "Decisions in span",
            "Evidence", "Origin", "Source link"]
    return pd.DataFrame([[r["chip"], r.get("country"), r["destination"], cs.side_label(r["side"]),
                          cs.status_label(r["status"]), cs.day_text(r["start"]), cs.day_text(r["end"]),
                          "yes" if r.get("ongoing") else "no", int(r.get("decisions") or 0), r.get("evidence"),
                          cs.origin_text(r), r.get("url")] for r in records(periods)], columns=cols)


@pytest.mark.parametrize("chip", ["H200", "H20", "Blackwell", "B200"])
def test_tables_and_hovers_equal_the_row_by_row_versions(rows, kb, chip):
    for side in ("export", "import"):
        as_of = stl.status_as_of(rows, chip, None, side, kb=kb)
        assert cs._hover_custom(as_of) == hover_reference(as_of)
        evidence = stl.evidence_rows(rows, chip, None, side, kb=kb)
        if not evidence.empty:
            pd.testing.assert_frame_equal(cs.evidence_table(evidence), evidence_table_reference(evidence))
    periods = stl.status_periods(rows, chip, kb=kb)
    if not periods.empty:
        pd.testing.assert_frame_equal(cs.periods_table(periods), periods_table_reference(periods))


def timeline_reference(periods: pd.DataFrame, when: Optional[str]) -> dict:
    """The timeline's traces built row by row (go.Bar / go.Scatter objects, to_dict per row)."""
    import plotly.graph_objects as go
    df = periods.copy()
    df["label"] = cs._row_labels(df)
    fig = go.Figure()
    for status in cs._statuses(df["status"]):
        sub = df[df["status"] == status]
        start, end = pd.to_datetime(sub["start"]), pd.to_datetime(sub["end"])
        duration = ((end - start).dt.total_seconds() * 1000).clip(lower=86_400_000)
        custom = [[cs.theme.plain(r["label"]), cs.status_label(status), cs.day_text(r["start"]),
                   "today (still in force)" if bool(r.get("ongoing")) else cs.day_text(r["end"]),
                   int(r.get("decisions") or 1)] for r in records(sub)]
        fig.add_trace(go.Bar(orientation="h", y=list(sub["label"]), x=list(duration),
                             base=[cs.day_text(s) for s in start], customdata=custom))
    for basis in ("decision", "reported"):
        sub = df[df["date_basis"].fillna("decision") == basis]
        if not sub.empty:
            custom = [[cs.theme.plain(r["label"]), cs.status_label(r["status"]), cs.day_text(r["start"]),
                       cs.snippet(r.get("evidence")), cs.theme.plain(cs.origin_text(r))] for r in records(sub)]
            fig.add_trace(go.Scatter(x=[cs.day_text(s) for s in sub["start"]], y=list(sub["label"]),
                                     customdata=custom))
    return fig.to_dict()


@pytest.mark.parametrize("chip", ["H200", "H20", "Blackwell", None])
def test_timeline_traces_equal_the_row_by_row_version(rows, kb, chip):
    periods = stl.status_periods(rows, chip, kb=kb)
    got = cs.status_timeline_figure(periods, when="2025-12-08", chip=chip).to_dict()["data"]
    want = timeline_reference(periods, "2025-12-08")["data"]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for key in ("x", "y", "base", "customdata"):
            assert g.get(key) == w.get(key), key
