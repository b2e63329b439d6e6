"""Fixtures for the robustness tests: the hostile store (tests/ui/hostile_support.py), built once per session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for p in (str(TESTS.parent), str(TESTS / "ui"), str(TESTS / "robustness")):
    if p not in sys.path:
        sys.path.insert(0, p)

from hostile_support import build_hostile_store  # noqa: E402


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Path:
    return build_hostile_store(tmp_path_factory.mktemp("hostile") / "chipwatch.db")


@pytest.fixture(scope="session")
def hostile_frames(hostile_store):
    from chipwatch.frames import load_frames

    return load_frames(hostile_store)
