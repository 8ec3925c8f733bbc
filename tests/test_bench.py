"""`make bench` keeps working: the whole harness on a city of 100 clients, one second per page."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_and_writes_its_table(tmp_path):
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is missing in CI: .ci/run should have installed it.")
        pytest.skip("Benchmark test skipped: install wrk (apt-get install wrk) to run it.")
    command = [sys.executable, "bench/run.py", "--clients", "100", "--seconds", "1", "--database", "sqlite"]
    command += ["--results", str(tmp_path)]  # the developer's own results stay as they are
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    table = (tmp_path / "sqlite.md").read_text()
    pages, partials = table.split("| htmx answer")
    rows = [line for line in pages.splitlines() if line.startswith("| ") and "req/s" not in line]
    assert len(rows) == 13  # the bare endpoint, ten pages, and two of them rendered anew
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[1]) > 0, row  # requests per second
        assert cells[7] == "0", row  # no errors, no redirects to the login page
    rows = [line for line in partials.splitlines() if line.startswith("| ")]
    assert len(rows) == 4  # the htmx answers, measured on a copy of the city
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert 0 < float(cells[1]) <= 10 and cells[2] == "ok", row
    assert "Scheduler: the daily pass" in table  # timed over a copy of the city too
