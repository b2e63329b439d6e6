"""Print the bad-input outcome table (Markdown) from the cases of test_bad_input.py.

    .venv/bin/python tests/robustness/report.py

Each case is loaded through load_file and load_bytes (which must agree, as in the
test); the table shows what was kept, what was rejected and the first message.
Not a test: pytest only collects test_*.py.
"""
from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _cases_module():
    spec = importlib.util.spec_from_file_location("bad_input_cases", Path(__file__).with_name("test_bad_input.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


def main() -> int:
    m = _cases_module()
    kept = rejected = crashes = 0
    rows = []
    for case in m.CASES:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                arts, errs = m.run_case(case, Path(tmp))
            except Exception as exc:  # an escaped exception or the two entry points disagreeing
                crashes += 1
                rows.append((case.id, "-", "-", f"CRASH {type(exc).__name__}: {exc}"[:200]))
                continue
        crashes += sum("internal error" in e.error for e in errs)
        kept += len(arts)
        rejected += len(errs)
        first = f"`{errs[0].source}`: {errs[0].error}" if errs else case.what
        more = f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""
        rows.append((case.id, f"{len(arts):,}", f"{len(errs):,}", (first + more).replace("|", "\\|")))
    print("| case | articles kept | rejected | message (first rejection) or outcome |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"cases tried: {len(m.CASES)}; records kept: {kept:,}; records rejected: {rejected:,}; crashes: {crashes}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
