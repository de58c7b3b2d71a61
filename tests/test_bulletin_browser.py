"""The HTML bulletin in a real headless browser: it renders, prints on A4, needs no network.

Needs Chromium on PATH (``chromium``, ``chromium-browser`` or ``google-chrome``); CI
installs it (Debian: ``apt-get install -y chromium fonts-noto-cjk``). Without one the
tests are skipped, saying so.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.models.state import Event
from gaoxin_cli.store import Store

DATA = Path(__file__).parent / "data" / "ranking"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

# CI (.ci/run) installs Chromium and sets GAOXIN_REQUIRE_BROWSER=1: there a missing
# browser is a failure, not a skip; on a developer's machine the tests skip, saying why.
if BROWSER is None and os.environ.get("GAOXIN_REQUIRE_BROWSER") == "1":
    raise RuntimeError("GAOXIN_REQUIRE_BROWSER=1 but no Chromium was found on PATH")

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no headless browser: install Chromium (apt-get install -y chromium) to run these",
)


# Task titles as long as real ones (the workspace's are four or five characters).
LONG_TITLES = {
    "title: 海川路北延": "title: 推进海川路北延工程征地拆迁和管线迁改并完成主线路基施工",
    "title: 产业基金设立": "title: 设立市级产业引导基金并完成首批子基金的遴选与注册登记",
}
# The printed A4 content box in CSS pixels: (210 − 2 × 16) mm at 96 px per inch.
A4_WIDTH = round((210 - 2 * 16) / 25.4 * 96)
PHONE_WIDTH = 375


def build(tmp: Path, *, long_titles: bool = False, lang: str = "zh") -> Path:
    """The June 2020 bulletin of the hand-computed workspace, as one HTML file."""
    ws = tmp / "ws"
    shutil.copytree(DATA, ws)
    if long_titles:
        plan = ws / "plans" / "q2.yaml"
        text = plan.read_text(encoding="utf-8")
        for short, long in LONG_TITLES.items():
            text = text.replace(short, long)
        plan.write_text(text, encoding="utf-8")
    events = []
    for line in (ws / "history.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc["at"] = date.fromisoformat(doc["at"])
        events.append(Event(**doc))
    with Store.open(ws / "data" / "gaoxin.db", write=True) as store:
        store.add(events)
    target = tmp / "bulletin.html"
    args = ["-C", str(ws), "--lang", lang, "--as-of", "2020-07-01", "bulletin", "-p", "2020-06"]
    result = CliRunner().invoke(app, [*args, "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def long_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("browser-long"), long_titles=True)


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium, isolated: its own profile, no background network, no sandbox
    (CI runs as root), and every host name resolving nowhere — the page gets no network."""
    assert BROWSER is not None
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-extensions",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_prints_to_pdf_on_a4(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "b.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?![a-z])", data)
    assert 1 <= len(pages) <= 3, len(pages)
    # A4 is 595 × 842 points; Chromium writes each page's MediaBox.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in boxes)


def test_dom_holds_the_ranking_and_the_chart(page: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    rows = re.findall(r"<tr(?: class=\"(\w+)\")?><td class=\"num\">(\d)</td>", dom)
    assert rows == [("holder", "1"), ("", "2"), ("bottom", "3"), ("bottom", "4")]
    for unit in ("教育局", "卫生健康局", "财政局", "建设局"):
        assert unit in dom
    assert dom.count("<rect ") == 4
    assert "流动红旗：教育局（106.00）" in dom


def test_needs_nothing_from_the_network(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"(?i)https?://|\bsrc=|\bhref=|<link|<script|@import|url\(", text)


# Injected into a copy of the page (the bulletin itself has no scripts): measures the
# laid-out page and writes the numbers into the parent page, which --dump-dom hands back.
MEASURE = """<script>
const out = {viewport: innerWidth, page: document.documentElement.scrollWidth, titles: []};
for (const td of document.querySelectorAll("#red tbody td:nth-child(2)")) {
  const range = document.createRange();
  range.selectNodeContents(td);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  out.titles.push({
    lines: tops.size,
    height: range.getBoundingClientRect().height,
    lineHeight: parseFloat(getComputedStyle(td).lineHeight),
    fontSize: parseFloat(getComputedStyle(td).fontSize),
    width: td.clientWidth,
  });
}
parent.document.getElementById("measured").textContent = JSON.stringify(out);
</script>"""


def framed(page: Path, width: int, target: Path, *, measure: bool) -> Path:
    """The bulletin in an iframe exactly ``width`` CSS pixels wide: headless Chromium will
    not make its window narrower than 500 px, an iframe's viewport is what it is given."""
    body = page.read_text(encoding="utf-8")
    if measure:
        body = body.replace("</body>", MEASURE + "</body>")
    target.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;display:block;width:{width}px;height:2000px"'
        f' srcdoc="{html.escape(body, quote=True)}"></iframe>'
        '<pre id="measured"></pre></body></html>',
        encoding="utf-8",
    )
    return target


def keep(artefact: Path) -> None:
    """Screenshots stay in the test's tmp_path; GAOXIN_KEEP_ARTIFACTS=1 copies them to
    tests/artifacts/ too (CI uploads that folder)."""
    if os.environ.get("GAOXIN_KEEP_ARTIFACTS") == "1":
        folder = Path(__file__).parent / "artifacts"
        folder.mkdir(exist_ok=True)
        shutil.copy2(artefact, folder / artefact.name)


@pytest.mark.parametrize(("name", "width"), [("a4", A4_WIDTH), ("phone", PHONE_WIDTH)])
def test_task_titles_take_two_lines_at_most(
    long_page: Path, tmp_path: Path, name: str, width: int
) -> None:
    size = f"--window-size={max(width, 500) + 40},2000"
    shot = tmp_path / f"bulletin-{name}.png"
    plain = framed(long_page, width, tmp_path / "framed.html", measure=False)
    done = chromium(tmp_path, size, f"--screenshot={shot}", plain.as_uri())
    assert shot.exists() and shot.read_bytes().startswith(b"\x89PNG"), done.stderr[-2000:]
    keep(shot)

    probe = framed(long_page, width, tmp_path / "probe.html", measure=True)
    done = chromium(tmp_path, size, "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="measured">(.+?)</pre>', done.stdout)
    assert found, done.stderr[-2000:]
    m = json.loads(found.group(1))
    assert m["viewport"] == width
    # The page itself never scrolls sideways: a wide table scrolls in its own box.
    assert m["page"] <= width, m
    assert len(m["titles"]) == 2, m
    for cell in m["titles"]:
        assert 1 <= cell["lines"] <= 2, m
        assert cell["height"] <= 2 * cell["lineHeight"] + 1, m
        # and room for 32 characters in those two lines whatever the fonts (CJK glyphs are
        # 1 em wide; a machine without CJK fonts draws narrower boxes)
        assert cell["width"] >= 16 * cell["fontSize"], m


def bars(page: str) -> dict[str, str]:
    """The chart's bars: each unit's name (the label before its bar) and its fill."""
    svg = page[page.index("<svg ") : page.index("</svg>")]
    return dict(re.findall(r'<text [^>]*>([^<]+)</text><rect [^>]*\bfill="(#\w+)"', svg))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_marks_the_holder_and_the_bottom_units(tmp_path: Path, lang: str) -> None:
    page = build(tmp_path, lang=lang).read_text(encoding="utf-8")
    fills = bars(page)
    assert fills == {
        "教育局": "#c00",
        "卫生健康局": "#90a4ae",
        "财政局": "#ef6c00",
        "建设局": "#ef6c00",
    }
    legend = re.search(r'<p class="legend">(.*?)</p>', page)
    assert legend
    words = re.sub(r"<[^>]+>", " ", legend.group(1)).split()
    if lang == "zh":
        assert words == ["流动红旗单位", "末位单位", "其他单位"]
    else:
        assert words == ["flag", "holder", "(流动红旗)", "bottom", "units", "other", "units"]
    # the legend's swatches are the bars' colours
    css = page[page.index("<style>") : page.index("</style>")]
    for kind, fill in (("holder", "#c00"), ("bottom", "#ef6c00"), ("other", "#90a4ae")):
        assert f".sw.{kind} {{ background: {fill}; }}" in css
