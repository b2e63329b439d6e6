"""Fixtures for the extractor tests: a small knowledge base written for them
(tests/fixtures/kb_mini), so the tests do not move when data/knowledge changes."""
from __future__ import annotations

from pathlib import Path

import pytest

from chipwatch.knowledge import KnowledgeBase
from chipwatch.models import Article

KB_MINI = Path(__file__).resolve().parents[1] / "fixtures" / "kb_mini"


@pytest.fixture(scope="session")
def kb_mini():
    return KnowledgeBase.load(KB_MINI)


@pytest.fixture
def make_article():
    def _make(body: str, language: str = "en", publisher: str | None = None, title: str = "") -> Article:
        return Article(id="t", source="test", title=title, body=body, language=language, publisher=publisher)
    return _make
