"""Where Chipwatch's bundled data lives, and where the store goes by default."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
KNOWLEDGE_DIR = DATA_DIR / "knowledge"
ARTICLES_DIR = DATA_DIR / "articles"
GOLD_DIR = REPO_ROOT / "tests" / "gold"

DB_ENV_VAR = "CHIPWATCH_DB"


def default_db_path() -> Path:
    """The store path: $CHIPWATCH_DB when set, else data/chipwatch.db."""
    env = os.environ.get(DB_ENV_VAR)
    return Path(env) if env else DATA_DIR / "chipwatch.db"
