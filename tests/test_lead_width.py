"""The 牵头 column uses the terminal's width (issue 14, item 7): at 80 columns it stays
capped so the title and the reasons keep their room; on a wide terminal a long unit name
is shown whole instead of cut to "住房和…" with columns to spare."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run

LONG = "高新区住房和城乡建设局"  # 11 characters, 22 cells


@pytest.fixture
def long_lead(ws: Path) -> Path:
    config = ws / "gaoxin.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: 建设局", f"name: {LONG}"),
        encoding="utf-8",
    )
    return ws


@pytest.mark.parametrize("command", ["status", "overdue"])
def test_a_long_unit_name_is_whole_on_a_wide_terminal(long_lead: Path, command: str) -> None:
    code, out, err = run(long_lead, "--as-of", "2020-06-24", command, columns=160)
    assert (code, err) == (0, "")
    row = next(line for line in out.splitlines() if "JC-01" in line)
    assert LONG in row


@pytest.mark.parametrize("command", ["status", "overdue"])
def test_at_80_columns_the_lead_stays_capped(long_lead: Path, command: str) -> None:
    code, out, err = run(long_lead, "--as-of", "2020-06-24", command, columns=80)
    assert (code, err) == (0, "")
    row = next(line for line in out.splitlines() if "JC-01" in line)
    assert LONG not in row and "高新" in row
