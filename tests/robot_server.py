"""A local server that speaks the three group robots' webhook APIs (stdlib
``ThreadingHTTPServer`` on 127.0.0.1, a free port, in a thread) for the tests.

Paths, as the platforms shape them (the host is ours, as a 政务钉钉 deployment's is):

* 钉钉 ``POST /robot/send?access_token=TOKEN[&timestamp=&sign=]`` — signature in the query;
* 企业微信 ``POST /cgi-bin/webhook/send?key=TOKEN`` — no signature;
* 飞书 ``POST /open-apis/bot/v2/hook/TOKEN`` — ``timestamp`` and ``sign`` in the body.

Each token is a :class:`Robot` (its secret and keyword, checked like the platform does:
signature, a timestamp within an hour, the keyword in the text) with a queue of
behaviours for its next requests: ``ok``, ``sign`` (answer a signature error), ``rate``
(rate limited), ``removed``, ``http500``, ``slow`` (answer after :attr:`Robot.delay`),
``drop`` (close the connection without an answer). An empty queue answers ``ok``.
What was accepted is kept in :attr:`Robot.received`; every request in :attr:`Robot.seen`.
``robot_server(tls=context)`` serves https with that server context instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# The error answers each platform documents.
ANSWERS: dict[str, dict[str, dict[str, Any]]] = {
    "dingtalk": {
        "ok": {"errcode": 0, "errmsg": "ok"},
        "sign": {"errcode": 310000, "errmsg": "sign not match"},
        "keyword": {"errcode": 310000, "errmsg": "keywords not in content"},
        "rate": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
        "removed": {"errcode": 300001, "errmsg": "token is not exist"},
    },
    "wecom": {
        "ok": {"errcode": 0, "errmsg": "ok"},
        "sign": {"errcode": 93000, "errmsg": "invalid webhook url"},
        "keyword": {"errcode": 40058, "errmsg": "invalid parameter"},
        "rate": {"errcode": 45009, "errmsg": "api freq out of limit"},
        "removed": {"errcode": 93000, "errmsg": "invalid webhook url"},
    },
    "feishu": {
        "ok": {"code": 0, "msg": "success", "data": {}},
        "sign": {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"},
        "keyword": {"code": 19024, "msg": "Key Words Not Found"},
        "rate": {"code": 11232, "msg": "frequency limited"},
        "removed": {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"},
    },
}


@dataclass
class Robot:
    kind: str
    token: str
    secret: str | None = None
    keyword: str | None = None
    behaviours: list[str] = field(default_factory=list)
    delay: float = 2.0
    received: list[dict[str, Any]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # the verdict given to each request

    def webhook(self, base: str) -> str:
        if self.kind == "dingtalk":
            return f"{base}/robot/send?access_token={self.token}"
        if self.kind == "wecom":
            return f"{base}/cgi-bin/webhook/send?key={self.token}"
        return f"{base}/open-apis/bot/v2/hook/{self.token}"

    def texts(self) -> list[str]:
        """The markdown text of each accepted message."""
        out = []
        for doc in self.received:
            if self.kind == "dingtalk":
                out.append(doc["markdown"]["text"])
            elif self.kind == "wecom":
                out.append(doc["markdown"]["content"])
            else:
                out.append(doc["card"]["elements"][0]["text"]["content"])
        return out


def _text_of(kind: str, doc: dict[str, Any]) -> str:
    try:
        if kind == "dingtalk":
            return str(doc["markdown"]["title"]) + str(doc["markdown"]["text"])
        if kind == "wecom":
            return str(doc["markdown"]["content"])
        card = doc["card"]
        return str(card["header"]["title"]["content"]) + str(card["elements"][0]["text"]["content"])
    except (KeyError, IndexError, TypeError):
        return ""


@dataclass
class RobotServer:
    base: str
    robots: dict[str, Robot] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, token: str, **kw: Any) -> Robot:
        robot = Robot(kind, token, **kw)
        self.robots[token] = robot
        return robot

    def verdict(self, kind: str, token: str, query: dict[str, str], doc: Any) -> str:
        """Check the request as the platform would; pop the robot's next behaviour."""
        robot = self.robots.get(token)
        if robot is None or robot.kind != kind:
            return "removed"
        with self.lock:
            planned = robot.behaviours.pop(0) if robot.behaviours else "ok"
        if planned != "ok":
            return planned
        if not isinstance(doc, dict):
            return "keyword"
        if robot.secret is not None:
            if kind == "dingtalk":
                ts, sign = query.get("timestamp", ""), query.get("sign", "")
                if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 3_600_000:
                    return "sign"
                mac = hmac.new(
                    robot.secret.encode(), f"{ts}\n{robot.secret}".encode(), hashlib.sha256
                )
                if sign != base64.b64encode(mac.digest()).decode():
                    return "sign"
            elif kind == "feishu":
                ts, sign = str(doc.get("timestamp", "")), str(doc.get("sign", ""))
                if not ts.isdigit() or abs(time.time() - int(ts)) > 3600:
                    return "sign"
                mac = hmac.new(f"{ts}\n{robot.secret}".encode(), b"", hashlib.sha256)
                if sign != base64.b64encode(mac.digest()).decode():
                    return "sign"
        if robot.keyword is not None and robot.keyword not in _text_of(kind, doc):
            return "keyword"
        return "ok"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = None
        if parts.path == "/robot/send":
            kind, token = "dingtalk", query.get("access_token", "")
        elif parts.path == "/cgi-bin/webhook/send":
            kind, token = "wecom", query.get("key", "")
        elif parts.path.startswith("/open-apis/bot/v2/hook/"):
            kind, token = "feishu", parts.path.rsplit("/", 1)[1]
        else:
            self.send_error(404)
            return
        rs = self.server.robots
        verdict = rs.verdict(kind, token, query, doc)
        robot = rs.robots.get(token)
        if robot is not None:
            robot.seen.append(verdict)
        if verdict == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if verdict == "slow":
            assert robot is not None
            time.sleep(robot.delay)
            verdict = "ok"
        if verdict == "http500":
            body = b"<html>500 Internal Server Error</html>"
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if verdict == "ok" and robot is not None:
            with rs.lock:
                robot.received.append(doc)
        body = json.dumps(ANSWERS[kind][verdict]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    robots: RobotServer


@contextmanager
def robot_server(tls: ssl.SSLContext | None = None) -> Iterator[RobotServer]:
    """A server on 127.0.0.1 (a free port) for the block; https with *tls*."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    host, port = httpd.server_address[:2]
    scheme = "https" if tls is not None else "http"
    httpd.robots = RobotServer(f"{scheme}://{host!s}:{port}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.robots
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
