"""The extractor holds its quality floors on the hand-labelled gold set."""
from chipwatch.evaluate import evaluate, format_table, load_gold
from chipwatch.paths import GOLD_DIR


def test_gold_set_size():
    docs = load_gold(GOLD_DIR)
    assert len(docs) >= 40
    assert sum(d["article"]["language"] == "ko" for d in docs) >= 15


def test_extractor_meets_the_floors():
    scores = evaluate(GOLD_DIR)
    print(format_table(scores))
    assert scores.entities.f1 >= 0.95
    assert scores.quotes.f1 >= 0.85
    assert scores.speaker_accuracy >= 0.85
    assert scores.stance_macro_f1 >= 0.70
    assert scores.claims.f1 >= 0.70


def test_scorer_counts_matches_and_misses():
    from chipwatch.evaluate import Scores, score_article
    from chipwatch.models import Extraction, Mention, Quote, Stance, StatusClaim

    body = 'Trump said "we will allow the H200" on Monday.'
    doc = {"article": {"id": "t", "body": body},
           "expected": {"entities": [{"type": "chip", "id": "H200"}, {"type": "person", "id": "Donald Trump"}],
                        "quotes": [{"speaker": "Donald Trump", "kind": "direct", "text": "we will allow the H200"}],
                        "stances": [{"holder": "Donald Trump", "stance": "favor", "reported_by": None}],
                        "status_claims": [{"chip": "H200", "side": "export", "actor": "USA", "destination": "CHN",
                                           "status": "allowed", "date": "2025-12-08"}]}}
    start = body.index("we will")
    ex = Extraction(
        mentions=[Mention("chip", "H200", "H200", "body", 0, 4, 0), Mention("country", "USA", "US", "body", 0, 2, 0)],
        quotes=[Quote("David Sacks", "Trump", "direct", "we will allow the H200", "said", start + 3, start + 22)],
        stances=[Stance("Donald Trump", "favor", None, "x"), Stance("Donald Trump", "unclear", None, "y")],
        status_claims=[StatusClaim("H200", "export", "USA", "CHN", "allowed", "2025-12-09", "e")],
    )
    s = Scores()
    score_article(doc, ex, s)
    assert (s.entities.tp, s.entities.fp, s.entities.fn) == (1, 1, 1)
    assert (s.quotes.tp, s.quotes.fp, s.quotes.fn) == (1, 0, 0)
    assert (s.speaker_correct, s.speaker_total) == (0, 1)
    assert s.stance["favor"].tp == 1 and s.stance_macro_f1 == 1.0
    assert (s.claims.tp, s.date_correct, s.date_total) == (1, 0, 1)
