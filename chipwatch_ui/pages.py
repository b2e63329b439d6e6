"""The dashboard's pages, in navigation order (pure data; no streamlit import)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str  # path relative to the repository root (the entrypoint's folder)
    title: str
    icon: str  # Material Symbols short code
    help: str

    @property
    def url_path(self) -> str:
        """The URL path Streamlit's pages/ router gives the script ('' for the entrypoint)."""
        if "/" not in self.script:
            return ""
        stem = self.script.rsplit("/", 1)[1].removesuffix(".py")
        number, _, rest = stem.partition("_")
        return rest if number.isdigit() and rest else stem


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app.py", "Overview", ":material/dashboard:",
             "What the evidence says at a glance under the current filters."),
    PageSpec("pages/1_Chip_generations.py", "Chip generations", ":material/memory:",
             "Chips by generation and performance, against the export-control thresholds."),
    PageSpec("pages/2_Export_status.py", "Export status", ":material/public:",
             "Who may sell which chip to whom: the curated timeline and what articles report."),
    PageSpec("pages/3_Stakeholder_stances.py", "Stakeholder stances", ":material/record_voice_over:",
             "Quotes and stances of officials, companies and commentators on the chip trade."),
    PageSpec("pages/4_Articles.py", "Articles", ":material/article:",
             "The articles behind every chart, with what was extracted from each."),
    PageSpec("pages/5_Load_articles.py", "Load articles", ":material/upload_file:",
             "Add article files to the store."),
)


def page_by_title(title: str) -> PageSpec | None:
    return next((p for p in PAGES if p.title == title), None)
