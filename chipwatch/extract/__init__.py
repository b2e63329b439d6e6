"""One Article -> Extraction: sentences, entity mentions (title and body), quotes with
speakers, stances, and export/import status claims.

Each stage is a plain function over the previous stages' output so it can be tested
and re-run alone; this module only wires them together.
"""
from __future__ import annotations

from chipwatch.extract.mentions import find_mentions
from chipwatch.extract.quotes import find_quotes
from chipwatch.extract.sentences import split_sentences
from chipwatch.extract.stance import find_stances
from chipwatch.extract.status import find_status_claims
from chipwatch.models import Article, Extraction

# Bump when a rule change alters output, so stored extractions can be recomputed.
EXTRACTOR_VERSION = "2"

__all__ = ["extract", "EXTRACTOR_VERSION", "split_sentences", "find_mentions", "find_quotes", "find_stances"]


def extract(article: Article, kb=None) -> Extraction:
    if kb is None:
        from chipwatch.knowledge import load_knowledge

        kb = load_knowledge()
    title, body = article.title or "", article.body or ""
    title_sentences = split_sentences(title, article.language)
    body_sentences = split_sentences(body, article.language)
    mentions = (find_mentions(title, kb, "title", title_sentences)
                + find_mentions(body, kb, "body", body_sentences))
    body_mentions = [m for m in mentions if m.field == "body"]
    quotes = find_quotes(article, body_mentions, body_sentences, kb)
    stances = find_stances(article, quotes, mentions, body_sentences, kb)
    claims = find_status_claims(article, body_mentions, body_sentences, kb)
    return Extraction(mentions=mentions, quotes=quotes, stances=stances, status_claims=claims)
