import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def kb():
    from chipwatch.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store.db"
