"""`make bench` keeps its figures as text and as JSON (bench/run_all.py), each line's numbers
with their units under the line's label, so that two runs can be compared."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_run_all", ROOT / "bench" / "run_all.py")
run_all = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_all)


def test_a_line_gives_its_label_and_its_numbers_with_their_units():
    assert run_all.figures("  steady check (breaches kept)         3.22 s      33 queries  (598 kept)") == {
        "label": "steady check (breaches kept)",
        "figures": [
            {"value": 3.22, "unit": "s"},
            {"value": 33.0, "unit": "queries"},
            {"value": 598.0, "unit": ""},
        ],
    }
    assert run_all.figures("  dashboard, manager   median    187.6 ms    13 queries    103 KB    22.2x floor")[
        "figures"
    ] == [
        {"value": 187.6, "unit": "ms"},
        {"value": 13.0, "unit": "queries"},
        {"value": 103.0, "unit": "KB"},
        {"value": 22.2, "unit": "x"},
    ]
    assert run_all.figures("all values: 2,000 thresholds")["figures"] == [{"value": 2000.0, "unit": ""}]
    assert run_all.figures("no figures here") is None


def test_the_runner_writes_text_and_json_and_fails_when_a_script_fails(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text("print('floor: bare COPY   1.50 s')\nprint('import   2.25 s   1.5x floor')\n")
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nprint('half way 10 ms')\nsys.exit(3)\n")
    out = tmp_path / "figures"

    code = run_all.main([str(good), str(bad), "--out", str(out), "--database-url", ""])

    assert code == 1
    (report_file,) = out.glob("*.json")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert [(s["script"], s["exit"]) for s in report["scripts"]] == [(str(good), 0), (str(bad), 3)]
    assert report["scripts"][0]["figures"][1] == {
        "label": "import",
        "figures": [{"value": 2.25, "unit": "s"}, {"value": 1.5, "unit": "x"}],
    }
    assert report["machine"]["cpus"]
    assert "load_before" in report["machine"]
    assert "half way 10 ms" in report_file.with_suffix(".txt").read_text(encoding="utf-8")
