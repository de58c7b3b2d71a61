"""``gaoxin notify`` posting to work-group robots (钉钉, 企业微信, 飞书) on a local server
that speaks their webhook APIs (tests/robot_server.py) — with mail to a real SMTP
server alongside, as a real run does.

The workspace is test_notify_smtp's (2020 calendar): on Wed 2020-06-24 LT-01 (建设局,
red) gets a 督办单, LT-02 (财政局, listed) a 催办单, and each task its 交办单; 建设局's
group has a signed 钉钉 robot with a keyword, 财政局's a 企业微信 robot, the office's a
signed 飞书 robot, and 王主任 (责任领导 of LT-01) a 钉钉 robot of his own.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaoxin_cli.cli import app
from gaoxin_cli.notify import robots
from gaoxin_cli.store import Store
from gaoxin_cli.store.notices import deliveries, notices
from helpers import REPO
from robot_server import Robot, RobotServer, robot_server
from smtp_server import Handler, smtp_server

SECRET_DT = "SEC0123456789abcdef-dingtalk"
SECRET_FS = "fs-secret-42"

CONFIG = """\
org: {{name: 测试区管委会, short: 测试区, office: duchashi}}
units:
  duchashi:
    name: 督查室
    kind: office
    head: {{name: 张主任, email: head@duchashi.example.org}}
    contact: {{name: 李联络, email: contact@duchashi.example.org, phone: 0537-1234567, user_id: ou_li}}
    robots:
      group: {{kind: feishu, webhook: "{base}/open-apis/bot/v2/hook/fs-office", secret_env: GX_FS_SECRET, allow_http: true, timeout_s: 1}}
  jianshe:
    name: 建设局
    head: {{name: 王局长, email: head@jianshe.example.org, phone: "13800000002"}}
    contact: {{name: 赵联络, email: contact@jianshe.example.org, phone: "13800000001"}}
    robots:
      dingtalk: {{kind: dingtalk, webhook: "{base}/robot/send?access_token=dt-jianshe", secret_env: GX_DT_SECRET, keyword: 督查, allow_http: true, timeout_s: 1}}
  caizheng:
    name: 财政局
    head: {{name: 孙局长, user_id: sunjz}}
    contact: {{name: 周联络, email: contact@caizheng.example.org, user_id: zhoull}}
    robots:
      wecom: {{kind: wecom, webhook: "{base}/cgi-bin/webhook/send?key=wc-caizheng", allow_http: true, timeout_s: 1}}
leaders:
  L-wang:
    name: 王主任
    title: 管委会主任
    email: wang@gaoxin.example.org
    phone: "13900000009"
    robots:
      phone: {{kind: dingtalk, webhook: "{base}/robot/send?access_token=dt-wang", allow_http: true, timeout_s: 1}}
  L-li: {{name: 李副主任, title: 管委会副主任}}
mail:
  host: 127.0.0.1
  port: {port}
  security: none
  sender: duban@gaoxin.example.org
  timeout_s: 5
"""

PLAN = """\
tasks:
  - id: LT-01
    title: {title}
    lead: jianshe
    support: [caizheng]
    leader: L-wang
    measures: [完成主体, 竣工验收]
    due: 2020-06-16
  - id: LT-02
    title: 财政专项资金拨付
    lead: caizheng
    measures: [拨付资金]
    due: 2020-06-30
    listed: {{since: 2020-03-02, by: L-li}}
  - id: LT-03
    title: 口袋公园建设
    lead: jianshe
    measures: [完成设计]
    due: 2020-09-30
"""

ENV = {"GX_DT_SECRET": SECRET_DT, "GX_FS_SECRET": SECRET_FS, "COLUMNS": "80"}
DAY = "2020-06-24"


class Site:
    """The robot server, the SMTP server's handler and the workspace."""

    def __init__(self, robots: RobotServer, mail: Handler, ws: Path) -> None:
        self.robots, self.mail, self.ws = robots, mail, ws

    def robot(self, token: str) -> Robot:
        return self.robots.robots[token]


def make_ws(root: Path, base: str, port: int, title: str = "人才公寓建设") -> Path:
    ws = root / "ws"
    (ws / "plans").mkdir(parents=True, exist_ok=True)
    (ws / "gaoxin.yaml").write_text(CONFIG.format(base=base, port=port), encoding="utf-8")
    plan = PLAN.format(title=json.dumps(title, ensure_ascii=False))  # JSON text is YAML
    (ws / "plans" / "esc.yaml").write_text(plan, encoding="utf-8")
    from gaoxin_cli.models.state import Event

    day = date(2020, 6, 10)
    with Store.open(ws / "data" / "gaoxin.db", write=True) as st:
        st.add(
            [
                Event("LT-01", "feedback", day, progress=95, note="主体完工"),
                Event("LT-02", "feedback", day, progress=95, note="资金到位"),
                Event("LT-03", "feedback", day, progress=70, note="设计完成"),
            ]
        )
    return ws


@pytest.fixture
def site(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Site]:
    title = getattr(request, "param", "人才公寓建设")
    with robot_server() as rs, smtp_server() as (handler, port):
        rs.add("dingtalk", "dt-jianshe", secret=SECRET_DT, keyword="督查")
        rs.add("wecom", "wc-caizheng")
        rs.add("feishu", "fs-office", secret=SECRET_FS)
        rs.add("dingtalk", "dt-wang")
        yield Site(rs, handler, make_ws(tmp_path, rs.base, port, title))


def notify(ws: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["-C", str(ws), "--as-of", DAY, "notify", *args], env=env if env is not None else ENV
    )
    return result.exit_code, result.stdout, result.stderr


def robot_deliveries(ws: Path) -> list[tuple[str, str, str]]:
    return [d for d in _all_deliveries(ws) if d[1].startswith("robot:")]


def _all_deliveries(ws: Path) -> list[tuple[str, str, str]]:
    with Store.open(ws / "data" / "gaoxin.db", write=False) as st:
        by_id = {n.id: n.number for n in notices(st)}
        return sorted(
            (by_id[d.notice_id], d.recipient, d.sent_on.isoformat())
            for ds in deliveries(st).values()
            for d in ds
        )


EXPECTED = [
    ("交办〔2020〕1号", "robot:unit:caizheng:wecom"),  # LT-01's: 财政局 supports it
    ("交办〔2020〕1号", "robot:unit:jianshe:dingtalk"),
    ("交办〔2020〕2号", "robot:unit:caizheng:wecom"),
    ("交办〔2020〕3号", "robot:unit:jianshe:dingtalk"),
    ("催办〔2020〕1号", "robot:unit:caizheng:wecom"),
    ("督办〔2020〕1号", "robot:leader:L-wang:phone"),
    ("督办〔2020〕1号", "robot:unit:duchashi:group"),
    ("督办〔2020〕1号", "robot:unit:jianshe:dingtalk"),
]


# --- one run ---------------------------------------------------------------------------


def test_each_group_gets_one_message_signed_with_its_notices(site: Site) -> None:
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert "群机器人：4 个群应发 4 条，已发送 4 条" in out
    got = sorted((n, k) for n, k, _ in robot_deliveries(site.ws))
    assert got == sorted(EXPECTED)
    assert {d for _, _, d in robot_deliveries(site.ws)} == {DAY}
    # one message per group, every one accepted on the first try (signature, keyword)
    for token in ("dt-jianshe", "wc-caizheng", "fs-office", "dt-wang"):
        assert site.robot(token).seen == ["ok"], token
    (text,) = site.robot("dt-jianshe").texts()
    doc = site.robot("dt-jianshe").received[0]
    assert doc["msgtype"] == "markdown"
    assert "督查" in doc["markdown"]["title"]  # the robot's keyword
    # one block per task: its notices of the day, highest rung first
    assert "**督办单 督办〔2020〕1号、交办单 交办〔2020〕1号（红牌）**" in text
    assert "**交办单 交办〔2020〕3号**" in text
    assert "- 事项：LT-01 人才公寓建设" in text
    assert "- 牵头单位：建设局" in text
    assert "- 请于 2020-06-30 前反馈" in text
    assert "逾期" in text  # the card's reason
    assert text.index("督办〔2020〕1号") < text.index("交办〔2020〕1号")  # highest rung first
    # the 督办单 addresses 建设局's contact and head: both @-ed by phone
    assert doc["at"] == {
        "atMobiles": ["13800000001", "13800000002"],
        "atUserIds": [],
        "isAtAll": False,
    }
    assert text.endswith("@13800000001 @13800000002")
    assert "李联络（电话 0537-1234567）" in text  # how to 签收
    # 企业微信 @s by user id in the markdown; 飞书 in a lark_md card
    (wecom,) = site.robot("wc-caizheng").texts()
    assert "<@zhoull>" in wecom and "<@sunjz>" in wecom
    (office,) = site.robot("fs-office").received
    assert office["msg_type"] == "interactive"
    assert "<at id=ou_li></at>" in office["card"]["elements"][0]["text"]["content"]
    (wang,) = site.robot("dt-wang").received
    assert wang["at"]["atMobiles"] == ["13900000009"]
    assert "督办〔2020〕1号" in wang["markdown"]["text"]
    # mail went out as before
    assert len(site.mail.received) == 6


def test_a_second_run_posts_nothing(site: Site) -> None:
    assert notify(site.ws)[0] == 0
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert "群机器人" not in out or "应发 0 条" in out
    assert all(len(site.robot(t).received) == 1 for t in site.robots.robots)
    # the notice's sheet lists the group deliveries with the mail ones
    result = CliRunner().invoke(
        app, ["-C", str(site.ws), "--as-of", DAY, "notice", "show", "督办〔2020〕1号"]
    )
    assert result.exit_code == 0, result.stderr
    assert "robot:unit:jianshe:dingtalk" in result.stdout
    assert "robot:leader:L-wang:phone" in result.stdout


def test_an_office_with_robots_and_no_mail_posts_and_mails_nothing(site: Site) -> None:
    """Many offices reach their units only through the work groups: without a mail:
    section the run files the notices, posts them, says mail is off and exits 0; it mails
    nothing, asks no address, and a second run posts nothing more."""
    config = site.ws / "gaoxin.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("mail:\n")], encoding="utf-8")
    code, out, err = notify(site.ws, "--dry-run")
    assert code == 0, err
    assert "只发群机器人" in out and "封" not in out
    assert all(site.robot(t).seen == [] for t in site.robots.robots)
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert "邮件：gaoxin.yaml 没有 mail 配置，只发群机器人" in out
    assert "群机器人：4 个群应发 4 条，已发送 4 条" in out
    assert "没有邮箱" not in err and err == ""
    assert site.mail.received == []
    assert sorted((n, k) for n, k, _ in robot_deliveries(site.ws)) == sorted(EXPECTED)
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert all(len(site.robot(t).received) == 1 for t in site.robots.robots)
    # mail: added later: the next run mails the notices, and the groups get nothing again
    config.write_text(text, encoding="utf-8")
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert "邮件：应发" in out and site.mail.received != []
    mailed = {d for _, k, d in _all_deliveries(site.ws) if not k.startswith("robot:")}
    assert mailed == {DAY}
    assert all(len(site.robot(t).received) == 1 for t in site.robots.robots)
    config.write_text(text[: text.index("mail:\n")], encoding="utf-8")
    # English, and a workspace with neither mail nor robots is still refused
    code, out, _ = notify(site.ws, "--dry-run", env={**ENV, "GAOXIN_LANG": "en"})
    assert code == 0 and "mail: gaoxin.yaml has no mail section; group robots only" in out
    bare = "\n".join(
        ln
        for ln in text[: text.index("mail:\n")].splitlines()
        if "robots:" not in ln and "webhook" not in ln
    )
    config.write_text(bare + "\n", encoding="utf-8")
    code, _, err = notify(site.ws)
    assert code == 1 and "也没有群机器人" in err


def test_english(site: Site) -> None:
    code, out, _ = notify(site.ws, env={**ENV, "GAOXIN_LANG": "en"})
    assert code == 0
    assert "group robots: 4 message(s) due to 4 group(s), 4 sent" in out
    (text,) = site.robot("dt-jianshe").texts()
    assert "**supervision notice 督办〔2020〕1号, assignment 交办〔2020〕1号 (red)**" in text
    assert "- Reply by 2020-06-30" in text


# --- failures: words, exit 1, retried next run ---------------------------------------

FAILURES = [
    ("sign", "签名校验失败（310000 sign not match）"),
    ("keyword", "消息不含机器人的自定义关键词（310000 keywords not in content）"),
    ("removed", "机器人已被移除、停用或 webhook 地址无效（300001 token is not exist）"),
    ("http500", "机器人服务器返回 HTTP 500"),
    ("slow", "1 秒内没有回答"),
    ("drop", "连接失败："),
]


@pytest.mark.parametrize(("behaviour", "words"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_refusal_is_reported_in_words_and_sent_next_run(
    site: Site, behaviour: str, words: str
) -> None:
    dt = site.robot("dt-jianshe")
    dt.behaviours = [behaviour]
    dt.delay = 3.0
    code, out, err = notify(site.ws)
    assert code == 1
    assert "1 条群机器人消息未送达" in err
    assert "群机器人 建设局 dingtalk（督办〔2020〕1号、交办〔2020〕1号、交办〔2020〕3号）：" in err
    assert words in err
    assert "已发送 3 条" in out
    assert dt.received == [] or behaviour == "slow"
    assert not [k for _, k, _ in robot_deliveries(site.ws) if k == "robot:unit:jianshe:dingtalk"]
    # the next run sends what was left, and nothing twice
    code, out, err = notify(site.ws)
    assert code == 0, err
    assert "群机器人：1 个群应发 1 条，已发送 1 条" in out
    assert sorted((n, k) for n, k, _ in robot_deliveries(site.ws)) == sorted(EXPECTED)
    for token in ("wc-caizheng", "fs-office", "dt-wang"):
        assert len(site.robot(token).received) == 1


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_an_https_webhook_is_verified_beside_plain_http_ones(site: Site, tmp_path: Path) -> None:
    """Plain-http robots make the run skip the CA bundle only when every webhook is
    http://: one https webhook with a certificate nobody signed is refused, the others
    are posted."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with robot_server(tls=context) as secure:
        assert secure.base.startswith("https://")
        secure.add("wecom", "wc-caizheng")
        config = site.ws / "gaoxin.yaml"
        text = config.read_text(encoding="utf-8").replace(
            f"{site.robots.base}/cgi-bin/", f"{secure.base}/cgi-bin/"
        )
        config.write_text(text, encoding="utf-8")
        code, _, err = notify(site.ws)
        assert code == 1
        assert "群机器人 财政局 wecom（" in err
        assert "CERTIFICATE_VERIFY_FAILED" in err or "certificate verify failed" in err
        assert secure.robots["wc-caizheng"].received == []
        assert len(site.robot("dt-jianshe").received) == 1
        assert not [k for _, k, _ in robot_deliveries(site.ws) if k == "robot:unit:caizheng:wecom"]


def test_a_wrong_secret_is_a_bad_signature(site: Site) -> None:
    code, _, err = notify(site.ws, env={**ENV, "GX_FS_SECRET": "not-it"})
    assert code == 1
    assert "群机器人 督查室 group（督办〔2020〕1号）：签名校验失败（19021" in err


def test_a_missing_secret_is_named(site: Site) -> None:
    env = {k: v for k, v in ENV.items() if k != "GX_DT_SECRET"}
    code, _, err = notify(site.ws, env=env)
    assert code == 1
    assert "环境变量 GX_DT_SECRET 没有设置" in err
    assert site.robot("dt-jianshe").seen == []  # nothing was posted unsigned


def test_rate_limit_is_waited_out_not_dropped(site: Site, tmp_path: Path) -> None:
    """The service with a short window: 企业微信 answers 45009 twice, then takes it."""
    from gaoxin_cli.cli import context
    from gaoxin_cli.cli.root import Settings
    from gaoxin_cli.service import notify as service
    from gaoxin_cli.service.channels import ChannelRun

    site.robot("wc-caizheng").behaviours = ["rate", "rate"]
    waits: list[float] = []

    def sleep(s: float) -> None:
        import time

        waits.append(s)
        time.sleep(min(s, 0.05))

    limits = robots.Limits({"dingtalk": (20, 0.2), "wecom": (20, 0.2), "feishu": (5, 0.2)})
    run = ChannelRun(
        {"GX_DT_SECRET": SECRET_DT, "GX_FS_SECRET": SECRET_FS}, sleep=sleep, limits=limits
    )
    sess = context.session(
        Settings(workspace=site.ws, db=None, as_of=date(2020, 6, 24), lang="zh", cwd=site.ws)
    )
    from datetime import datetime

    done = service.run(
        sess, service.SmtpTransport(), datetime(2020, 6, 24, 9), lambda: "t", robots=run
    )
    assert done.robots is not None and done.robots.ok
    assert site.robot("wc-caizheng").seen == ["rate", "rate", "ok"]
    assert waits == [0.2, 0.2]
    assert done.robots.waited_s == pytest.approx(0.4)


def test_pacing_keeps_under_the_window() -> None:
    """21 messages to one 钉钉 robot: the 21st waits for the window (20 a minute)."""
    waits: list[float] = []
    pacer = robots._Pacer(robots.Limits(), waits.append)
    post = _post("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=x")
    for _ in range(21):
        pacer.before(post)
    assert len(waits) == 1 and 59 < waits[0] <= 60


# --- injection stays text -------------------------------------------------------------

EVIL = "@all [点我](http://evil.example/x) <at id=all></at> <@everyone> **粗** # 标题"


@pytest.mark.parametrize("site", [EVIL], indirect=True)
def test_markdown_and_mentions_in_a_title_stay_text(site: Site) -> None:
    code, _, err = notify(site.ws)
    assert code == 0, err
    for token, kind in (
        ("dt-jianshe", "dingtalk"),
        ("wc-caizheng", "wecom"),
        ("fs-office", "feishu"),
    ):
        (text,) = site.robot(token).texts()
        line = next(x for x in text.splitlines() if "LT-01" in x)
        assert line == (
            "- 事项：LT-01 ＠all ［点我］（http：//evil.example/x） ＜at id=all＞＜/at＞ "
            "＜＠everyone＞ ＊＊粗＊＊ ＃ 标题"
        ), kind
        assert "@all" not in text and "<at id=all>" not in text and "](" not in text
    dt = site.robot("dt-jianshe").received[0]
    assert dt["at"]["isAtAll"] is False


def test_inert_keeps_plain_chinese() -> None:
    assert robots.inert("济宁大道东延（一期）建成通车") == "济宁大道东延（一期）建成通车"
    assert robots.inert("a\r\nBcc: x") == "a Bcc: x"


# --- signatures as documented ----------------------------------------------------------


def test_signatures_match_the_documented_recipes() -> None:
    # The expected values come from openssl, not from the code under test:
    #   printf '1600000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
    #   printf '' | openssl dgst -sha256 -hmac "$(printf '1600000000\nabc')" -binary | base64
    # 钉钉: HMAC-SHA256 keyed by the secret over "timestamp\nsecret", base64, url-encoded
    assert (
        robots.dingtalk_sign("SECabc", 1600000000000)
        == "ABcUcMOwyGGKmiNbHqEbhvKpuIGkMXqT1gAGfAAmnk8="
    )
    # 飞书: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing, base64
    assert robots.feishu_sign("abc", 1600000000) == "6L6POH2rt4SuqaKjbCNoZ7H6Z3R3OevLdHc4Q+A+cEY="
    url, _ = robots.signed(
        _post("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t"),
        "SECabc",
        1600000000.0,
    )
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1600000000000"
        "&sign=ABcUcMOwyGGKmiNbHqEbhvKpuIGkMXqT1gAGfAAmnk8%3D"
    )


def _post(kind: str, webhook: str, **kw: object) -> robots.Post:
    from gaoxin_cli.models import spec

    r = spec.to_record(spec.RobotSpec(kind=kind, webhook=webhook, allow_http=True, **kw))  # type: ignore[arg-type]
    return robots.Post(
        robots.Channel("robot:unit:u:r", "U", "r", r), "t", "x", (), (), (1,), ("n",)
    )


# --- dry run, outbox, validate ---------------------------------------------------------


def test_dry_run_prints_the_messages_and_posts_nothing(site: Site) -> None:
    code, out, err = notify(site.ws, "--dry-run")
    assert code == 0, err
    assert "群机器人：将向 4 个群发送 4 条" in out
    assert "—— 群机器人 1/4 ——" in out
    assert "机器人：督查室 group（feishu）" in out
    assert "@：13800000001 13800000002" in out
    assert all(r.seen == [] for r in site.robots.robots.values())
    assert robot_deliveries(site.ws) == []


def test_outbox_writes_json_and_records(site: Site, tmp_path: Path) -> None:
    box = tmp_path / "box"
    code, out, err = notify(site.ws, "--outbox", str(box))
    assert code == 0, err
    assert f"群机器人：4 条已写入 {box}" in out
    files = sorted(box.glob("*robot*.json"))
    assert len(files) == 4
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    assert set(doc) == {"channel", "kind", "webhook", "notices", "part", "parts", "payload"}
    assert "access_token" not in json.dumps([json.loads(f.read_text()) for f in files])
    assert all(r.seen == [] for r in site.robots.robots.values())
    assert sorted((n, k) for n, k, _ in robot_deliveries(site.ws)) == sorted(EXPECTED)


def test_validate_wants_https_unless_allowed(site: Site) -> None:
    cfg = site.ws / "gaoxin.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(", allow_http: true", "", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["-C", str(site.ws), "validate", "--format", "json"])
    assert result.exit_code == 1
    (diag,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "X331"]
    assert diag["line"] == 9  # the office robot's line
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("kind: feishu", "kind: slack"), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["-C", str(site.ws), "validate"])
    assert result.exit_code == 1
    assert (
        "S204 单位（units） 的 duchashi 的 群机器人（robots） 的 group 的 类别（kind）"
        in result.stdout
    )


# --- two runs at once ------------------------------------------------------------------


def test_two_concurrent_runs_post_each_notice_once(site: Site) -> None:
    for r in site.robots.robots.values():
        r.behaviours = ["slow"]
        r.delay = 0.3
    env = {**ENV, "PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "gaoxin_cli", "-C", str(site.ws), "--as-of", DAY, "notify"]
    procs = [
        subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [(p.wait(60), *p.communicate()) for p in procs]
    assert any(code == 0 for code, _, _ in results), results
    for code, _, err in results:
        assert code in (0, 1), err
        if code == 1:
            assert "notify" in err  # the other run held the lock
    assert all(len(r.received) == 1 for r in site.robots.robots.values())
    assert sorted((n, k) for n, k, _ in robot_deliveries(site.ws)) == sorted(EXPECTED)
    assert len(site.mail.received) == 6


# --- a big day -------------------------------------------------------------------------


def test_a_big_day_goes_in_few_messages_within_each_platforms_limit() -> None:
    """300 tasks for one unit (a first run's 交办单): one line a task, split only at the
    platform's size limit (企业微信 4096 bytes), every notice carried exactly once."""
    import yaml

    from gaoxin_cli.models import spec
    from gaoxin_cli.models.notice import StoredNotice

    config = spec.to_record(
        spec.ConfigSpec.model_validate(
            yaml.safe_load(CONFIG.format(base="https://example.org", port=25))
        )
    )
    day = date(2020, 6, 24)
    ns = [
        StoredNotice(
            i,
            f"交办〔2020〕{i}号",
            "assign",
            2020,
            i,
            f"T-{i:03d}",
            0,
            day,
            date(2020, 6, 30),
            "caizheng",
            "[]",
            json.dumps({"task": f"T-{i:03d}", "title": "财政专项资金拨付第" + str(i) + "批"}),
        )
        for i in range(1, 301)
    ]
    for name, kind, limit in (("wecom", "wecom", 4096), ("dingtalk", "dingtalk", 20000)):
        unit = config.units["caizheng"] if kind == "wecom" else config.units["jianshe"]
        channel = robots.Channel(f"robot:unit:x:{name}", "财政局", name, unit.robots[name])
        posts = robots.build(config, channel, ns, [], day)
        assert all(len(p.text.encode()) <= limit for p in posts), kind
        assert sorted(i for p in posts for i in p.notice_ids) == list(range(1, 301))
        assert all(p.parts == len(posts) for p in posts)
        assert (
            "事项较多，每项一行（通知编号、事项），详情见督办邮件；请于 2020-06-30 前反馈："
            in posts[0].text
        )
        assert "\n- **交办〔2020〕1号** T-001 财政专项资金拨付第1批\n" in posts[0].text
        if kind == "wecom":
            assert 4 <= len(posts) <= 8
            assert "（第 1/" in posts[0].title
        else:
            assert len(posts) <= 2


def test_a_clock_an_hour_off_is_a_bad_signature() -> None:
    """The server checks the timestamp window as the platforms do: a signature stamped
    two hours ago is refused, and said so; stamped now, it is taken."""
    import time

    from gaoxin_cli.i18n import t as tr

    with robot_server() as rs:
        rs.add("dingtalk", "dt", secret=SECRET_DT)
        rs.add("feishu", "fs", secret=SECRET_FS)
        for kind, token, env in (
            ("dingtalk", "dt", "GX_DT_SECRET"),
            ("feishu", "fs", "GX_FS_SECRET"),
        ):
            webhook = rs.robots[token].webhook(rs.base)
            post = _post(kind, webhook, secret_env=env)
            secrets = {"GX_DT_SECRET": SECRET_DT, "GX_FS_SECRET": SECRET_FS}
            late = robots.deliver(
                [post], secrets, lambda p: None, lambda p: True, clock=lambda: time.time() - 7200
            )
            ((_, why),) = late.failed
            assert tr(why.key, "zh", **why.params).startswith("签名校验失败"), kind
            now = robots.deliver([post], secrets, lambda p: None, lambda p: True)
            assert now.sent == [post] and not now.failed
        assert rs.robots["dt"].seen == ["sign", "ok"]
        assert rs.robots["fs"].seen == ["sign", "ok"]
