"""A ranking as data: the JSON of --json and the CSV of --csv (UTF-8, formula-safe cells;
with --excel a byte-order mark and the language's column names, for Excel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gaoxin_cli.i18n import Lang
from gaoxin_cli.ranking.result import Frozen, RankingResult, to_json

if TYPE_CHECKING:
    pass


def frozen_json(frozen: Frozen | None) -> dict[str, Any] | None:
    if frozen is None:
        return None
    return {
        "award": frozen.id,
        "awarded_on": frozen.awarded_on.isoformat(),
        "force_reason": frozen.force_reason,
        "supersedes": frozen.supersedes,
    }


def as_json(
    result: RankingResult, frozen: Frozen | None, lang: Lang, *, only: str | None = None
) -> dict[str, Any]:
    """``to_json`` (what an award freezes) plus where it came from and rendered warnings;
    with *only*, the units list has that unit alone (``ranking --explain UNIT --json``)."""
    doc = to_json(result)
    doc["frozen"] = frozen_json(frozen)
    doc["warning_texts"] = [m.render(lang) for m in result.warnings]
    if only is not None:
        doc["units"] = [u for u in doc["units"] if u["unit"] == only]
    return doc


CSV_FIELDS = (
    "rank",
    "unit",
    "name",
    "score",
    "previous_rank",
    "change",
    "red_cards",
    "yellow_cards",
    "overdue_tasks",
    "overdue_workdays",
    "returned_feedback",
    "missed_reports",
    "early_finishes",
    "completion_rate",
    "target_met",
    "flag",
    "bottom",
    "exempt",
    "tie_break",
)


def spreadsheet_text(value: str) -> str:
    """Text a spreadsheet will show, not run: a leading = + - @ starts a formula in
    Excel and WPS, so such a cell gets a leading apostrophe (OWASP's CSV-injection rule)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


BOM = "\ufeff"


def as_csv(result: RankingResult, *, excel: Lang | None = None) -> str:
    """One row per unit; English column names, plain numbers (for spreadsheets). With
    *excel*, a byte-order mark first (Excel then reads UTF-8, not the ANSI code page) and
    the column names in that language."""
    import csv
    import io

    from gaoxin_cli.i18n import t

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if excel is None:
        w.writerow(CSV_FIELDS)
    else:
        buf.write(BOM)
        w.writerow([spreadsheet_text(t(f"csv.col.{f}", excel)) for f in CSV_FIELDS])
    for r in result.rows:
        st = r.score.stats
        w.writerow(
            [
                r.rank,
                r.unit,
                spreadsheet_text(r.name),
                f"{r.score.points / 100:.2f}",
                "" if r.previous_rank is None else r.previous_rank,
                "" if r.change is None else r.change,
                st.red,
                st.yellow,
                st.overdue,
                st.overdue_wd,
                st.returned,
                st.missed,
                st.early,
                "" if st.rate is None else f"{st.rate:.4f}",
                "" if st.target_met is None else str(st.target_met).lower(),
                str(r.holder).lower(),
                str(r.bottom).lower(),
                str(r.exempt).lower(),
                r.tie_break.by if r.tie_break else "",
            ]
        )
    return buf.getvalue()
