"""``gaoxin site`` without a browser: escaping, the CSP of every page, file names, what a
one-unit site holds, incremental writes and the loopback-only preview. The pages in a
real browser: tests/test_site_browser.py."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from gaoxin_cli.render.site.layout import CSP, slug
from gaoxin_cli.render.site.output import MANIFEST
from helpers import REPO, run
from site_data import AS_OF, NOTE, PROBLEM, TITLE, UNIT, build, make_ws, ok, pages


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("site-injected")
    ws = make_ws(root, inject=True)
    out = root / "out"
    build(ws, out)
    return out, pages(out)


@pytest.fixture(scope="module")
def plain_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ws(tmp_path_factory.mktemp("site-plain"))


def test_the_site_has_every_page(injected: tuple[Path, dict[str, str]]) -> None:
    out, found = injected
    for name in ("index", "overdue", "listed", "problems", "ranking", "bulletins", "notices"):
        assert f"{name}.html" in found
    assert {p for p in found if p.startswith("tasks/")} == {
        f"tasks/{t}.html"
        for t in ("J1", "J2", "J3", "C1", "C2", "C3", "E1", "E2", "X1", "W1", "W2", "W3")
    }
    assert "units/jianshe.html" in found and "bulletins/2020-06.html" in found
    assert [p for p in found if p.startswith("notices/")]  # notify filed some
    assert (out / "site.css").is_file() and (out / "site.js").is_file()
    # the dashboard's figures are those of `status` on the same day
    status = found["index.html"]
    assert "截至 2020-07-06（周一）" in status
    # the task page: 三定, the timeline with the report, the notice and the problem
    task = found["tasks/J3.html"]
    assert "开工建设" in task and "2020-06-05" in task
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in task
    assert "问题〔2020〕1号" in task
    assert re.search(r'href="\.\./notices/[a-z]+-2020-\d{3}\.html"', task)
    assert "<svg " in task and "<polyline " in task
    # the ranking: June as awarded, with each unit's --explain lines
    ranking = found["ranking.html"]
    assert "流动红旗：教育局" in ranking and "<details " in ranking


def test_user_text_is_escaped_on_every_page(injected: tuple[Path, dict[str, str]]) -> None:
    _, found = injected
    raw = ("<script>alert", "<img src=x", "</td><b>", "onerror=alert(2)>")
    for path, html in found.items():
        for payload in raw:
            assert payload not in html, (path, payload)
        # the page's own markup: a script only by src, no inline handler, no style attribute
        assert not re.search(r"<script(?![^>]*\bsrc=\"(\.\./)*site\.js\")", html), path
        for tag in re.findall(r"<[a-zA-Z][^>]*>", html):  # the real tags (text has no "<")
            assert not re.search(r"\s(on[a-z]+|style)=", tag), (path, tag)
    escaped = {
        "tasks/J3.html": [
            "&lt;script&gt;alert(1)&lt;/script&gt; *x* | y",
            "[red]建设局&lt;/td&gt;",
        ],
        "index.html": ["&lt;script&gt;alert(1)&lt;/script&gt;", "管线迁改&lt;script&gt;alert(3)"],
        "problems.html": ["管线迁改&lt;script&gt;alert(3)&lt;/script&gt;"],
        "units/jianshe.html": ["[red]建设局&lt;/td&gt;&lt;b&gt;|"],
    }
    for path, texts in escaped.items():
        for text in texts:
            assert text in found[path], (path, text)
    assert TITLE and UNIT and NOTE and PROBLEM  # the payloads these strings escape


def test_every_page_forbids_remote_loads(injected: tuple[Path, dict[str, str]]) -> None:
    out, found = injected
    for path, html in found.items():
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert len(metas) == 1, path
        policy = metas[0]
        assert "default-src 'none'" in policy, path
        if path.startswith("bulletins/"):  # the bulletin's own inline style, by hash
            assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", policy), path
        else:
            assert policy == CSP
        # the CSP comes before anything that loads
        first_load = min(html.find(x) % len(html) for x in ('<link rel="stylesheet"', "<style>"))
        assert html.index("Content-Security-Policy") < first_load, path
        assert not re.search(r"(?i)https?://|//[a-z0-9]|@import|url\(", html), path
        for ref in re.findall(r'(?:href|src)="([^"]+)"', html):
            assert not re.match(r"(?i)[a-z][a-z0-9+.-]*:", ref) or ref == "data:,", (path, ref)
    for asset in ("site.css", "site.js"):
        text = (out / asset).read_text(encoding="utf-8")
        assert not re.search(r"(?i)https?:|@import|url\(|fetch\(|XMLHttpRequest", text)


def test_every_page_is_dated(injected: tuple[Path, dict[str, str]]) -> None:
    _, found = injected
    for path, html in found.items():
        if path.startswith("bulletins/"):  # as issued on its award, not rewritten daily
            assert "2020-07-02" in html and "2020-07-06" not in html, path
        else:
            assert '<p class="asof">截至 2020-07-06（周一）' in html, path


def test_estimated_years_are_marked(plain_ws: Path, tmp_path: Path) -> None:
    # 2031 has no holiday data: its working days are estimated, and every page says so
    build(plain_ws, tmp_path / "o", as_of="2031-03-03")
    for path, html in pages(tmp_path / "o").items():
        if not path.startswith("bulletins/"):
            assert re.search(r'<span class="estimated">[^<]*2031', html), path


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("J3", "J3"),
        ("a.b", "a~2Eb"),
        ("../etc/passwd", "~2E~2E~2Fetc~2Fpasswd"),
        ("督办", "~E7~9D~A3~E5~8A~9E"),
        ("", "~"),
        (".hidden", "~2Ehidden"),
    ],
)
def test_file_names_are_sanitised(value: str, name: str) -> None:
    assert slug(value) == name
    assert re.fullmatch(r"[A-Za-z0-9_~-]+", slug(value))


def test_file_names_never_collide() -> None:
    values = ["a b", "a_b", "a~20b", "a-b", "A-B", "a/b", "a.b", "a~2Eb"]
    assert len({slug(v) for v in values}) == len(values)


def test_every_file_stays_in_its_folder(injected: tuple[Path, dict[str, str]]) -> None:
    out, _ = injected
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
        assert re.fullmatch(r"[A-Za-z0-9_~.-]+", p.name), p


def test_a_unit_site_holds_nothing_of_other_units(plain_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "jiaoyu"
    build(plain_ws, out, "--unit", "教育局")
    found = pages(out)
    assert {p for p in found if p.startswith("tasks/")} == {
        "tasks/E1.html",
        "tasks/E2.html",
        "tasks/X1.html",
    }
    assert {p for p in found if p.startswith("units/")} == {"units/jiaoyu.html"}
    assert not any(p.startswith("bulletins") for p in found)
    others = [
        "建设局", "财政局", "卫生健康局", "jianshe", "caizheng", "weijian",
        "王局长", "赵联络", "孙局长", "周联络", "冯局长", "陈联络",
        "老城区雨污分流改造", "海川路北延", "专项债券申报", "产业基金设立", "区人民医院门诊楼",
        PROBLEM,
    ]  # fmt: skip
    for path, html in found.items():
        for word in others:
            assert word not in html, (path, word)
        for tid in ("J1", "J2", "J3", "C1", "C2", "C3", "W1", "W2", "W3"):
            assert not re.search(rf"\b{tid}\b", html), (path, tid)
    assert "教育局" in found["index.html"] and "第二实验小学新建" in found["units/jiaoyu.html"]
    # its own ranking lines stay, with the rank it had among all
    assert re.search(r'<td class="num" data-label="名次">1</td>', found["ranking.html"])


def test_an_unknown_unit_is_an_error(plain_ws: Path, tmp_path: Path) -> None:
    code, _, err = run(plain_ws, "--as-of", AS_OF, "site", "-o", str(tmp_path / "x"), "-u", "nope")
    assert code == 1 and "nope" in err
    assert not (tmp_path / "x").exists()


def test_an_unwritable_folder_is_an_error(plain_ws: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, out, err = run(plain_ws, "--as-of", AS_OF, "site", "-o", str(blocker / "site"))
    assert code == 1, err
    assert out == "" and "无法写入" in err


def _stamps(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
    }


def test_a_second_build_rewrites_only_the_pages_a_report_touches(
    plain_ws: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(plain_ws, ws)
    out = tmp_path / "out"
    first = build(ws, out)
    assert "0 个未变" in first
    before = _stamps(out)
    again = build(ws, out)
    assert "写入 0 个文件" in again and "删除 0 个" in again
    assert _stamps(out) == before  # nothing touched at all

    ok(ws, "--as-of", AS_OF, "feedback", "E1", "-m", "主体封顶")
    build(ws, out)
    after = _stamps(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert "tasks/E1.html" in changed
    assert "主体封顶" in (out / "tasks" / "E1.html").read_text(encoding="utf-8")
    # the pages that show E1's progress may change; no other task, unit, notice or bulletin
    allowed = {"tasks/E1.html", "index.html", "units/jiaoyu.html", "ranking.html", MANIFEST}
    assert changed <= allowed, changed - allowed
    for p in before:
        if p.startswith(("tasks/", "notices/", "bulletins/")) and p != "tasks/E1.html":
            assert after[p] == before[p], p


def test_two_processes_write_the_same_site_as_one(
    plain_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoxin_cli.render.site import parallel

    build(plain_ws, tmp_path / "one")
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    if parallel.workers(12) == 1:
        pytest.skip("one CPU, or no fork: the site is always made in one process")
    err = build(plain_ws, tmp_path / "two")
    assert "写入 33 个文件" in err or "0 个未变" in err
    one, two = tmp_path / "one", tmp_path / "two"
    names = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    # and the child's pages are in the manifest: the next build rewrites nothing
    assert "写入 0 个文件" in build(plain_ws, two)


def test_a_page_gone_from_the_folder_is_made_again(plain_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(plain_ws, out)
    page = out / "tasks" / "E2.html"
    text = page.read_text(encoding="utf-8")
    page.unlink()
    assert "写入 1 个文件" in build(plain_ws, out)
    assert page.read_text(encoding="utf-8") == text


def test_pages_no_longer_built_are_removed_and_nothing_else(plain_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(plain_ws, out)
    mine = out / "notes.txt"  # the office's own file in the folder: never touched
    mine.write_text("keep", encoding="utf-8")
    assert "tasks/W3.html" in (out / MANIFEST).read_text(encoding="utf-8")
    build(plain_ws, out, "--unit", "weijian")
    assert not (out / "tasks" / "J1.html").exists()
    assert (out / "tasks" / "W3.html").exists()
    assert mine.read_text(encoding="utf-8") == "keep"


def test_english(plain_ws: Path, tmp_path: Path) -> None:
    _, err = ok(plain_ws, "--lang", "en", "--as-of", AS_OF, "site", "-o", str(tmp_path / "en"))
    assert "site written to" in err
    html = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "as of 2020-07-06 (Monday)" in html
    assert "Overview" in html and "Needs attention" in html


def test_serve_listens_on_loopback_only(plain_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    args = ["-C", str(plain_ws), "--as-of", AS_OF, "site", "-o", str(out), "--serve"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaoxin_cli", *args, "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        url = None
        for _ in range(5):
            line = proc.stderr.readline()
            found = re.search(r"http://[^\s（]+/", line)
            if found:
                url = found.group(0)
                break
        assert url is not None and url.startswith("http://127.0.0.1:"), url
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        with urllib.request.urlopen(url + "index.html", timeout=10) as resp:
            assert resp.status == 200
            assert "Content-Security-Policy" in resp.read().decode("utf-8")
        # the socket is bound to 127.0.0.1, not to every interface
        listening = _listening_addresses(port)
        assert listening == {"127.0.0.1"}, listening
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _listening_addresses(port: int) -> set[str]:
    """The local addresses listening on TCP *port* (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if int(hexport, 16) != port or state != "0A":  # 0A: LISTEN
                continue
            if len(addr) == 8:
                found.add(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
            else:
                found.add(addr)
    return found


def test_a_unit_page_says_when_each_task_reports_next(plain_ws: Path, tmp_path: Path) -> None:
    """Reports are monthly by the 25th here. As of 2020-06-01, E1 (due 6/30) next reports
    by Thursday 6/25 — 端午, moved to Sunday 6/28, its 调休 working day; E2 (due 5/15) owes
    none; a missed report of May 25 comes first."""
    out = tmp_path / "june"
    build(plain_ws, out, as_of="2020-06-01")
    html = pages(out)["units/jiaoyu.html"]
    section = html[html.index("反馈：应报未报与下次截止") :]
    section = section[: section.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]  # after the header row
    cells = [re.findall(r'data-label="([^"]+)">(.*?)</td>', row, re.S) for row in rows]
    by_task = {re.sub(r"<[^>]+>", "", dict(c)["任务"]): dict(c) for c in cells}
    assert by_task["E1"]["下次截止"] == "2020-06-28"
    assert "E2" not in by_task or by_task["E2"]["下次截止"] == "—"
    missed = [t for t, c in by_task.items() if c["应报未报"] != "—"]
    assert list(by_task)[: len(missed)] == missed  # the missed ones first
