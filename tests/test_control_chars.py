"""One set of control characters, three uses that agree: for every character of
``gaoxin_cli.strings.CONTROL_CHARS`` the plan refuses it in a title, the screen shows it
as an escape, and mail (headers and bodies) never carries it raw.

The three used to disagree (U+2028 passed validation, was escaped on screen and blanked
in mail); they now derive from one definition, and this pins that they stay together.
"""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_cli.loading.files import load_plan
from gaoxin_cli.models import spec
from gaoxin_cli.models.spec import to_record
from gaoxin_cli.notify import digest, message
from gaoxin_cli.render.text import safe
from gaoxin_cli.store.notices import StoredNotice
from gaoxin_cli.strings import CONTROL_CHARS, MULTILINE_ALLOWED, control_class
from helpers import examples

CHARS = sorted(CONTROL_CHARS)


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def test_the_set() -> None:
    """C0, DEL, C1, the line/paragraph separators and Unicode's Bidi_Control property."""
    codes = {ord(c) for c in CONTROL_CHARS}
    assert set(range(0x20)) <= codes and set(range(0x7F, 0xA0)) <= codes
    bidi_control = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    assert bidi_control | {0x2028, 0x2029} == codes - set(range(0x20)) - set(range(0x7F, 0xA0))
    assert not any(c.isprintable() for c in CONTROL_CHARS)  # safe()'s fast path holds
    assert "\t" not in control_class(MULTILINE_ALLOWED)
    assert "\\x0a" not in control_class(MULTILINE_ALLOWED)


def _title_refused(tmp_path: Path, ch: str) -> bool:
    plan = tmp_path / f"p{ord(ch):04x}.yaml"
    # a YAML escape: the only way most of these can be written in a plan file at all
    escape = f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    plan.write_text(
        f'tasks:\n  - id: T-01\n    title: "a{escape}b"\n    lead: x\n    due: 2020-06-30\n',
        encoding="utf-8",
    )
    loaded, diags = load_plan(plan, plan.name)
    assert loaded.doc is not None  # the file parsed; the title is what is refused
    return not loaded.entries and any(d.line == 3 for d in diags)


def _mail(ch: str) -> email.message.EmailMessage:
    """A digest whose every piece of user text carries *ch* (as if it had slipped past
    the plan checks: a tampered database, an old version)."""
    valid = to_record(
        spec.ConfigSpec.model_validate(
            {
                "org": {"name": "测试区", "office": "duchashi"},
                "units": {
                    "duchashi": {
                        "name": "督查室",
                        "head": {"name": "张主任"},
                        "contact": {"name": "李联络"},
                    }
                },
            }
        )
    )
    cfg = valid._replace(org=valid.org._replace(name=f"测试{ch}区"))
    esc = f"\\u{ord(ch):04x}"  # JSON escape in the stored notice
    notice = StoredNotice(
        1,
        "督办〔2020〕1号",
        "supervise",
        2020,
        1,
        "LT-01",
        3,
        date(2020, 6, 24),
        date(2020, 6, 30),
        f"jian{ch}she",
        "[]",
        f'{{"task": "LT-01", "title": "公{esc}寓", "card": 3, "lead": "x{esc}y"}}',
    )
    person = {"role": "contact", "name": f"赵{ch}六", "email": "contact@jianshe.example.org"}
    (d,) = digest.group([(notice, person, False)])
    mail = to_record(
        spec.MailConfigSpec(
            host="127.0.0.1", port=25, security="none", sender="duban@gaoxin.example.org"
        )
    )
    out = message.build(cfg, mail, date(2020, 6, 24), d, datetime(2020, 6, 24, 8, 0).astimezone())
    parsed = email.message_from_bytes(out.as_bytes(), policy=policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


@pytest.mark.parametrize("ch", CHARS, ids=_name)
def test_refused_escaped_and_blanked_alike(tmp_path: Path, ch: str) -> None:
    # validation: a title carrying it is refused, at the title's line
    assert _title_refused(tmp_path, ch)
    # screen: shown as a visible escape, never raw (one line and several lines alike,
    # except the tab and LF that multi-line text keeps)
    shown = safe(f"a{ch}b")
    assert ch not in shown and shown == f"a{_escape(ch)}b"
    if ch not in MULTILINE_ALLOWED:
        assert ch not in safe(f"a{ch}b", multiline=True)
    # mail: no header and no body line carries it
    parsed = _mail(ch)
    for name, value in parsed.items():
        assert ch not in str(value), (name, value)
    assert "测试 区" in str(parsed["Subject"])  # made a space, not dropped
    assert parsed["To"].addresses[0].display_name == "赵 六"
    for part in parsed.iter_parts():
        body = part.get_content()
        assert "公 寓" in body
        # CRLF ends the body's own lines; the user text never brings a break in
        lines = body.split("\r\n")
        assert not any(ch in line for line in lines), part.get_content_type()


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@settings(max_examples=examples(500), deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "Z", "9", "牌", "任务", " ", "\u3000", "\xa0", "\t", "\n", *CHARS]),
        max_size=12,
    ).map("".join)
)
def test_mail_clean_is_control_blanked_and_spaces_collapsed(text: str) -> None:
    """digest.clean: every control character a space, runs of whitespace one space, none
    at either end; its shortcut for text already so is the same function."""
    from gaoxin_cli.strings import CONTROL

    assert digest.clean(text) == " ".join(CONTROL.sub(" ", text).split())
