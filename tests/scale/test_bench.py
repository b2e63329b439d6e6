"""The benchmark command runs end to end and reports consistent figures (no timing is asserted)."""
import json

from chipwatch.cli import main


def test_bench_smallest_size_reports_every_measure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--sizes", "200", "--out", str(out), "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert "| measure | 200 articles |" in printed
    report = json.loads(out.read_text())
    (row,) = report["sizes"]
    assert row["articles"] == 200 and row["stored_articles"] == 200
    for key in ("floor_mb_s", "load_articles_s", "extract_1_articles_s", "extract_all_articles_s",
                "ingest_s", "store_mb", "frames_cold_load_s", "peak_rss_mb", "peak_rss_workers_mb"):
        assert row[key] > 0, key
    assert row["frame_rows"]["articles"] == 200
    assert set(row["page_rerun_s"]) == {"app.py", "pages/1_Chip_generations.py", "pages/2_Export_status.py",
                                        "pages/3_Stakeholder_stances.py", "pages/4_Articles.py",
                                        "pages/5_Load_articles.py"}
    assert all(v == 1.0 for v in row["page_ratio_to_smallest"].values())
    assert set(row["page_new_filter_s"]) == set(row["page_rerun_s"]) and all(
        v > 0 for v in row["page_new_filter_s"].values())
    assert row["peak_rss_dashboard_mb"] > 0
    assert "filter never seen before: Overview" in printed and "dashboard under AppTest" in printed


def test_bench_rejects_bad_sizes(capsys):
    assert main(["bench", "--sizes", "ten"]) == 2
    assert main(["bench", "--sizes", "0"]) == 2
