"""Time every dashboard page's rerun after a filter change under AppTest (for `chipwatch bench`).

    python -m chipwatch_ui.page_timing STORE.db [RUNS]

Prints one JSON line: {"pages": {page script: median seconds of RUNS reruns}, "new_filter":
{page script: median seconds of the first two reruns}, "peak_rss_mb": this process's peak}.
The chip filter alternates between two values, so from the third rerun on the filtered frames
come from the cache (an analyst going back and forth); the first two reruns each filter anew.
Lives here, not in chipwatch/, because it needs streamlit; the benchmark runs it in a subprocess.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import sys
import time

from chipwatch.bench import PAGE_SCRIPTS
from chipwatch.paths import REPO_ROOT

# Alternating values of the chip filter: each timed run is a real filter change.
FILTER_VALUES = (["H200"], ["H20"])


def page_times(db_path: str, runs: int = 5) -> dict:
    os.environ["CHIPWATCH_DB"] = db_path
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # AppTest outside a server logs "missing ScriptRunContext" on every run: noise, not news.
    logging.disable(logging.WARNING)
    out, new_filter = {}, {}
    for script in PAGE_SCRIPTS:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=600)
        at.run()
        if script != "app.py":
            at.switch_page(script).run()
        times = []
        for i in range(runs):
            at.multiselect(key="chip").set_value(FILTER_VALUES[i % 2])
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{script}: {at.exception[0].value}")
        out[script] = statistics.median(times)
        new_filter[script] = statistics.median(times[:2])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return {"pages": out, "new_filter": new_filter, "peak_rss_mb": round(peak, 1)}


if __name__ == "__main__":
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(json.dumps(page_times(sys.argv[1], runs)))
