"""Plain-text helpers (no streamlit import).

Streamlit's st.caption / st.markdown / widget labels interpret Markdown and
directives such as ``:red[...]`` or ``:material/x:``. Strings that come from data
(publisher names, paths, titles) must be escaped before they go into such
elements; article text itself goes only into st.text / st.dataframe.
"""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def escape_markdown(text: object) -> str:
    """Backslash-escape every Markdown/directive character so the string renders literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
