"""Nothing that came from an article or an upload is ever run or rendered as markup.

1. A static check over the dashboard and core code (chipwatch/, chipwatch_ui/, pages/, app.py): no eval/exec,
   no pickle (or marshal/shelve), no shell, no raw HTML in Streamlit (unsafe_allow_html, st.html,
   components.html/iframe), no unsafe YAML. Allowed exceptions are listed in ALLOWED with their reason.
2. Streamlit calls that render Markdown (captions, alerts, headings, expander/tab/button labels) get a
   constant, a number, or text passed through chipwatch_ui.text.escape_markdown; the few other
   expressions are listed in MARKDOWN_ALLOWED with why they cannot hold article text.
3. Plotly renders a subset of HTML (<b>, <a href>, <span style>, ...) in every label, hover, legend, tick
   and table cell: on the hostile store, no figure of any page draws raw markup from an article.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import hostile_support as H
from chipwatch.charts import generations, overview, stances, status
from chipwatch_ui.text import escape_markdown

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "chipwatch_ui").rglob("*.py"),
                  *(ROOT / "chipwatch").rglob("*.py")])

BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
# subprocess itself is not banned (a tool may start a child process on its own arguments); a shell is.
BANNED_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve", "joblib"}
BANNED_ATTRS = {  # (object, attribute) — called or referenced
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execve"), ("os", "execl"), ("os", "execlp"),
    ("os", "execvp"), ("os", "spawnl"), ("os", "spawnv"), ("os", "posix_spawn"), ("os", "startfile"),
    ("st", "html"), ("components", "html"), ("components", "iframe"), ("components", "declare_component"),
    ("pd", "read_pickle"), ("pandas", "read_pickle"), ("yaml", "load"), ("yaml", "unsafe_load"),
    ("pd", "eval"), ("pandas", "eval"),
}
BANNED_KEYWORDS = {("shell", True), ("unsafe_allow_html", True), ("allow_pickle", True)}
BANNED_TEXT = ("unsafe_allow_html=True", "st.html(", "components.html", "streamlit.components")

# (path relative to the repository, what was found): why it is allowed. Keep it short and explicit.
ALLOWED: dict[tuple[str, str], str] = {}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _findings(path: Path) -> list[tuple[str, int, str]]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED_CALLS:
            found.append((node.func.id + "(", node.lineno))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in BANNED_MODULES:
                    found.append((f"import {name}", node.lineno))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit.components"):
                found.append((f"from {node.module} import", node.lineno))
            if isinstance(node, ast.ImportFrom) and node.module == "os":
                for a in node.names:
                    if ("os", a.name) in BANNED_ATTRS:
                        found.append((f"from os import {a.name}", node.lineno))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in BANNED_ATTRS:
            found.append((f"{node.value.id}.{node.attr}", node.lineno))
        if isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant) \
                and (node.arg, node.value.value) in BANNED_KEYWORDS:
            found.append((f"{node.arg}={node.value.value}", node.lineno))
    for text in BANNED_TEXT:
        for i, line in enumerate(source.splitlines(), 1):
            if text in line:
                found.append((text, i))
    return [(_rel(path), line, what) for what, line in found]


def _with_parents(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node
    return tree


def test_the_sources_exist():
    rel = {_rel(p) for p in SOURCES}
    assert {"app.py", "pages/4_Articles.py", "chipwatch_ui/frame.py", "chipwatch/report.py",
            "chipwatch/charts/overview.py", "chipwatch/export.py"} <= rel


def test_no_eval_pickle_shell_or_raw_html_anywhere():
    problems = []
    for path in SOURCES:
        for rel, line, what in _findings(path):
            if (rel, what) not in ALLOWED:
                problems.append(f"{rel}:{line}: {what}")
    assert not problems, "\n".join(problems)


def test_dataframe_eval_and_query_are_not_used():
    # DataFrame.eval / .query evaluate a string expression: never on anything built from data.
    problems = []
    for path in SOURCES:
        tree = _with_parents(ast.parse(path.read_text(encoding="utf-8")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("eval", "query") and not isinstance(node.func.value, ast.Constant):
                problems.append(f"{_rel(path)}:{node.lineno}: .{node.func.attr}(")
    assert not problems, "\n".join(problems)


def test_the_static_check_catches_what_it_should(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\nimport os\nimport subprocess\nimport streamlit as st\n"
        "import streamlit.components.v1 as components\n"
        "eval(x)\nexec(y)\nos.system('ls')\nsubprocess.run('ls', shell=True)\n"
        "st.markdown(t, unsafe_allow_html=True)\nst.html(t)\ncomponents.html(t)\n", encoding="utf-8")
    whats = {what for _, _, what in _findings_outside(bad)}
    assert {"import pickle", "eval(", "exec(", "os.system", "shell=True",
            "unsafe_allow_html=True", "st.html", "components.html"} <= whats


def _findings_outside(path: Path):
    global ROOT
    saved = ROOT
    try:
        ROOT = path.parent
        return _findings(path)
    finally:
        ROOT = saved


# -- Markdown-rendering Streamlit calls ------------------------------------------------------------------

# Calls whose first argument (or label=/text=) Streamlit renders as Markdown.
MARKDOWN_CALLS = {"caption", "info", "warning", "error", "success", "exception", "subheader", "title", "header",
                  "markdown", "write", "expander", "toast", "button", "download_button", "page_link", "tabs",
                  "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider", "text_input", "text_area",
                  "number_input", "date_input", "file_uploader", "segmented_control", "pills", "metric", "popover",
                  "progress", "status", "link_button"}
UI_SOURCES = [p for p in SOURCES if _rel(p).split("/")[0] in ("app.py", "pages", "chipwatch_ui")]

# (file, the expression as ast.unparse gives it): why it cannot hold article or upload text.
MARKDOWN_ALLOWED: dict[tuple[str, str], str] = {
    ("pages/3_Stakeholder_stances.py",
     "f'No stakeholder stances were found in {where}. Widen the filters in the sidebar to see stances.'"):
        "`where` is built from a count and constant words",
    ("pages/1_Chip_generations.py", "scatter.title"): "a ChartSection title: a constant of the figure builder",
    ("pages/1_Chip_generations.py", "timeline.title"): "a ChartSection title: a constant of the figure builder",
    ("pages/1_Chip_generations.py",
     "'No chip to plot for this choice of vendors' + (' and variants' if variants_only else '') + "
     "(f' (no TPP in the knowledge base for: {missing}).' if missing else '.')"):
        "`missing` lists knowledge-base chip ids (the scatter's data is the knowledge base, not articles)",
    ("pages/2_Export_status.py",
     "f\"{undated} article claim{('s give' if undated != 1 else ' gives')} no decision date: listed last, such a "
     "claim sets a status only before the first dated decision for its country.\""): "`undated` is a count",
    ("pages/5_Load_articles.py",
     "f\"Accepted: {', '.join(('.' + t for t in ingest.UPLOAD_TYPES))} · at most {ingest.MAX_UPLOAD_MB} MB per "
     "file. File names are only labels: nothing is saved under them.\""): "constants of chipwatch.ingest_preview",
    ("pages/5_Load_articles.py", "label"): "the Add button's label: counts and constant words",
    ("chipwatch_ui/frame.py", "spec.title"): "page titles (chipwatch_ui.pages.PAGES)",
    ("chipwatch_ui/frame.py", "label"): "a filter's label: a constant of FACET_LABELS",
    ("app.py", "name"): "a metric name from the page's METRICS table (constant words)",
}


def _safe_markdown_arg(node: ast.AST) -> bool:
    """A constant, an escape_markdown(...) call, or an f-string/concatenation/conditional of those and of
    numbers (len(...), values with a format spec such as :, or :%Y-%m-%d) and ALL_CAPS constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("escape_markdown", "len"):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and isinstance(node.func.value, (ast.Name, ast.Attribute)) \
            and _constant_name(node.func.value):
        return True
    if isinstance(node, (ast.Name, ast.Attribute)) and _constant_name(node):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_safe_markdown_arg(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return node.format_spec is not None or _safe_markdown_arg(node.value)
    if isinstance(node, ast.BinOp):
        return _safe_markdown_arg(node.left) and _safe_markdown_arg(node.right)
    if isinstance(node, ast.IfExp):
        return _safe_markdown_arg(node.body) and _safe_markdown_arg(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_safe_markdown_arg(e) for e in node.elts)
    return False


def _constant_name(node: ast.AST) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return bool(name) and name.strip("_").isupper()


def _markdown_args(call: ast.Call) -> list[ast.AST]:
    # page_link's first argument is the page, progress's the fraction: only their label/text is Markdown.
    args = [] if call.func.attr in ("page_link", "progress") else list(call.args[:1])
    args += [k.value for k in call.keywords if k.arg in ("label", "body", "text", "value")]
    return args


def test_markdown_rendering_calls_get_only_constants_numbers_or_escaped_text():
    problems = []
    for path in UI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in MARKDOWN_CALLS):
                continue
            if node.func.attr == "write" and not (isinstance(node.func.value, ast.Name)
                                                  and node.func.value.id in ("st", "col", "cols")):
                continue  # a file's .write(), not st.write
            for arg in _markdown_args(node):
                if _safe_markdown_arg(arg):
                    continue
                source = ast.unparse(arg)
                if (_rel(path), source) not in MARKDOWN_ALLOWED:
                    problems.append(f"{_rel(path)}:{node.lineno}: st.{node.func.attr}({source[:120]})")
    assert not problems, ("Markdown-rendering calls with text that is neither constant nor escaped "
                          "(wrap it in escape_markdown or list it in MARKDOWN_ALLOWED with the reason):\n"
                          + "\n".join(problems))


def test_every_markdown_exception_is_still_needed():
    used = set()
    for path in UI_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MARKDOWN_CALLS:
                used |= {(_rel(path), ast.unparse(a)) for a in _markdown_args(node)}
    assert not set(MARKDOWN_ALLOWED) - used, set(MARKDOWN_ALLOWED) - used


def test_escape_markdown_neutralises_every_markdown_payload():
    for payload in H.PAYLOADS:
        out = escape_markdown(payload)
        for special in "<>[]()*#:$`_|~!":
            assert not re.search(r"(?<!\\)" + re.escape(special), out.replace("\\\\", "")), (payload, special, out)


# -- plotly text --------------------------------------------------------------------------------------------

RAW = ("<img", "<script", "<b>Wire", "</script")  # a hostile payload as plotly would render it
HOSTILE_WORDS = ("onerror", "alert(", "calc'", "javascript:")  # any trace of article text

RENDERED_TRACE_KEYS = {"name", "text", "hovertext", "hovertemplate", "texttemplate", "legendgrouptitle",
                       "header", "cells", "title", "labels"}
DATA_KEYS = {"x", "y", "customdata", "ids", "meta", "locations", "z", "base", "lat", "lon"}


def _strings(obj, path=""):
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


# plotly.js decodes only these named entities (svg_text_utils.convertEntities) and numeric ones: any other
# (html.escape's "&quot;") would be drawn literally.
PLOTLY_ENTITIES = {"mu", "amp", "lt", "gt", "nbsp", "times", "plusmn", "deg"}


def _has_raw(text: str) -> bool:
    return any(r in text for r in RAW) or any(m not in PLOTLY_ENTITIES for m in re.findall(r"&([A-Za-z]+);", text))


def _column(customdata, i):
    out = []
    for row in customdata or []:
        if isinstance(row, (list, tuple)) and len(row) > i:
            out.append(row[i])
        elif not isinstance(row, (list, tuple)) and i == 0:
            out.append(row)
    return out


def _axis_key(ref: str, letter: str) -> str:
    return f"{letter}axis" + (ref[1:] if ref and len(ref) > 1 else "")


def hostile_figures(frames):
    figs = []
    sections = []
    for module in (overview, generations, status, stances):
        sections += module.report_sections(frames)
    sections += overview.report_sections(frames, breakdown="publisher")
    sections += status.report_sections(frames, side="import")
    for group_by in ("affiliation", "type"):
        sections += stances.report_sections(frames, group_by=group_by)
    from chipwatch import stances_view as sv

    over_time = sv.stance_over_time(frames.stances, by="holder", kb=frames.kb)
    figs.append(("stance-over-time-by-holder", stances.stance_timeline(over_time)))
    figs += [(s.name, s.figure) for s in sections]
    return figs


def figure_problems(name: str, fig) -> list[str]:
    spec = json.loads(fig.to_json())
    problems = []
    layout = spec.get("layout", {})
    for i, trace in enumerate(spec.get("data", [])):
        for key in RENDERED_TRACE_KEYS:
            for path, text in _strings(trace.get(key), f"data[{i}].{key}"):
                if _has_raw(text):
                    problems.append(f"{name}: {path} = {text[:80]!r}")
        template = trace.get("hovertemplate") or ""
        for t in [template] if isinstance(template, str) else template:
            if any(w in t for w in HOSTILE_WORDS):
                problems.append(f"{name}: data[{i}].hovertemplate holds article text: {t[:80]!r}")
            for ref in re.findall(r"%\{(customdata\[\d+\]|x|y|text|location|label|hovertext)[^}]*\}", t or ""):
                if ref.startswith("customdata"):
                    values = _column(trace.get("customdata"), int(ref[11:-1]))
                else:
                    values = trace.get(ref) if isinstance(trace.get(ref), list) else []
                for v in values:
                    if isinstance(v, str) and _has_raw(v):
                        problems.append(f"{name}: data[{i}] hover shows %{{{ref}}} = {v[:80]!r}")
        # Without a hovertemplate, plotly's default hover shows x, y, text and the trace name.
        if not template and trace.get("hoverinfo") not in ("skip", "none"):
            for key in ("x", "y", "text", "hovertext", "labels", "locations"):
                for path, v in _strings(trace.get(key), f"data[{i}].{key}"):
                    if _has_raw(v):
                        problems.append(f"{name}: default hover shows {path} = {v[:80]!r}")
        # Category values are drawn as tick labels unless the axis has its own (escaped) ticktext.
        for letter in ("x", "y"):
            values = [v for _, v in _strings(trace.get(letter))]
            if not any(_has_raw(v) for v in values):
                continue
            axis = layout.get(_axis_key(trace.get(f"{letter}axis", letter), letter), {})
            if axis.get("showticklabels") is False or axis.get("visible") is False:
                continue  # this axis draws no labels (a shared axis draws them once, checked on its own trace)
            if axis.get("tickmode") != "array" or axis.get("ticktext") is None:
                problems.append(f"{name}: data[{i}].{letter} holds raw markup drawn as tick labels")
    for path, text in _strings(layout):
        if any(path.endswith(k) or f".{k}" in path for k in ("categoryarray", "tickvals")):
            continue
        if _has_raw(text):
            problems.append(f"{name}: layout.{path} = {text[:80]!r}")
    return problems


def test_plotly_figures_draw_no_markup_from_articles(hostile_frames):
    figs = hostile_figures(hostile_frames)
    assert len(figs) > 15
    problems = [p for name, fig in figs for p in figure_problems(name, fig)]
    assert not problems, "\n".join(problems)


def test_hostile_text_does_reach_the_figures_escaped(hostile_frames):
    """Not vacuous: the hostile strings are in the figures, escaped for plotly."""
    dump = "\n".join(json.dumps(json.loads(fig.to_json()), ensure_ascii=False) for _, fig in hostile_figures(hostile_frames))
    for escaped in ("&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(2)&lt;/script&gt;",
                    "@evil &lt;b&gt;Wire&lt;/b&gt;", "anonymous (&lt;img src=x onerror=alert(1)&gt; 일보)"):
        assert escaped in dump, escaped


def test_the_figure_check_catches_raw_markup():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[1], y=[H.IMG], hovertemplate="%{y} %{customdata[0]}<extra></extra>", name=H.SCRIPT,
                           customdata=[["say &quot;hi&quot;"]]))
    problems = figure_problems("probe", fig)
    assert any("hover shows %{y}" in p for p in problems)
    assert any("hover shows %{customdata[0]}" in p for p in problems)  # an entity plotly shows literally
    assert any(".name" in p for p in problems)
    assert any("tick labels" in p for p in problems)


@pytest.mark.parametrize("text, expected", [
    ("Reuters", "Reuters"), ("연합뉴스", "연합뉴스"), ("AT&T", "AT&amp;T"), (H.IMG, "&lt;img src=x onerror=alert(1)&gt;"),
    ('say "hi"', 'say "hi"'), (None, ""), (3, "3"),
])
def test_plain_escapes_only_what_plotly_reads_as_markup(text, expected):
    from chipwatch.charts.theme import plain

    assert plain(text) == expected
