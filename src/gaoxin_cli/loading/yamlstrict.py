"""A strict YAML reader on PyYAML's C event parser.

It builds plain Python data (dict / list / str / int / float / bool / None) straight
from the event stream and remembers where every value came from, so a schema error
can be reported at ``file:line:col``. What it refuses, each as a diagnostic:

* duplicate keys (naming both lines), anchors, aliases and ``<<`` merge keys;
* any explicit tag except ``!!str`` (``!!python/object``, ``!!binary`` …);
* more than one document, nesting deeper than 32, keys that are not plain text;
* plain scalars that YAML 1.1 and YAML 1.2 read differently, or that surprise people:
  ``yes``/``no``/``on``/``off`` (booleans in 1.1), ``0123`` (octal 83), ``12:30``
  (sexagesimal 750), ``1_000``, ``0x1F``, ``.inf``. Quote them to mean text.

Dates are left as text; the models parse ``YYYY-MM-DD`` themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.reader import ReaderError

from gaoxin_cli.i18n import Msg
from gaoxin_cli.loading.diagnostics import Diagnostic
from gaoxin_cli.loading.parsed import MISS, ParsedCache

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32
STR_TAG = "tag:yaml.org,2002:str"

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_BOOL_11 = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
# First characters of every plain scalar that is not simply text (null, booleans, numbers).
_SPECIAL_START = frozenset("0123456789+-.~nNtTfFyYoO")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# Forms YAML 1.1 turns into numbers that a reader would not expect (or 1.2 reads otherwise).
_NUM_11 = re.compile(
    r"[-+]?(?:"
    r"0[0-9_]+(?:\.[0-9_]*)?"  # 0123 (octal 83 in 1.1), 08
    r"|0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+"
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"  # 12:30 (750), 1:20:30
    r"|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"  # 1_000
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN)"
    r")"
)

# Scalar positions: (line, col), 1-based.
Pos = tuple[int, int]


@dataclass(slots=True)
class Marks:
    """Where a container and its members start: for a dict, key and value positions."""

    start: Pos
    keys: dict[str, Pos] = field(default_factory=dict)
    values: dict[str, Pos] = field(default_factory=dict)
    items: list[Pos] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """Parsed YAML data with the positions of every container and member.

    A document read by the fast pass (:func:`parse` on a file without a single
    diagnostic) has no positions yet: it keeps its text, and the first :meth:`locate`
    reads it again with positions (the same data, in new containers that replace
    ``data``). Most files are never asked where something is, so most never pay for
    positions: 8 bytes of text per character instead of ~60 bytes of marks per value.
    """

    _data: Any
    _marks: dict[int, Marks] | None
    # Positions already reported by the reader, so schema errors there are not repeated.
    reported: set[Pos] = field(default_factory=set)
    # Where the top-level value starts (a scalar root has no Marks of its own).
    start: Pos = (1, 1)
    # The text and name of a fast-read document, until its positions are read.
    _source: tuple[str, str] | None = None

    _released: bool = False
    # The text and name the document was read from, kept for :meth:`__reduce__`.
    _text: tuple[str, str] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its text (the second process of ``workspace._load_plans`` sends
        documents back): marks are keyed by ``id()`` of this process's containers, so
        they cannot travel; the receiver reads data and positions again if asked."""
        if self._text is None:
            raise TypeError("a Document without its text cannot be pickled")
        return (_unpickle_document, (self._text, self.reported, self.start))

    @property
    def data(self) -> Any:
        """The document's data (read again if :meth:`release` let it go)."""
        if self._released:
            self._read_again()
        return self._data

    @property
    def marks(self) -> dict[int, Marks]:
        """The marks of every container of ``data`` (read now if not yet)."""
        if self._marks is None:
            self._read_again()
            assert self._marks is not None
        return self._marks

    def _read_again(self) -> None:
        assert self._source is not None, "a document without marks keeps its text"
        doc, _ = _parse_marked(*self._source)
        assert doc is not None, "the fast pass accepted it: the full one does too"
        self._data, self._marks, self.start = doc.data, doc.marks, doc.start
        self._source, self._released = None, False

    def release(self) -> None:
        """Let the data of a fast-read document go once it has been validated; it is
        read again (with positions) if a later check asks where something is. A city's
        100,000 tasks are ~400 MB of raw dicts held for nothing otherwise."""
        if self._marks is None and self._source is not None:
            self._data, self._released = None, True

    def locate(self, loc: tuple[Any, ...], *, key: bool = False) -> Pos:
        """Position of the value at *loc* (or of its key); the nearest known parent else.

        Pydantic marks an error in a mapping key with a trailing ``"[key]"`` part:
        ``("units", "1st", "[key]")`` is the key ``1st``, not its value.
        """
        all_marks = self.marks
        node = self.data
        pos: Pos = self._start(node) or self.start
        for i, part in enumerate(loc):
            marks = all_marks.get(id(node))
            if marks is None:
                return pos
            last = i == len(loc) - 1
            if isinstance(node, dict) and isinstance(part, str):
                if part not in node:
                    return marks.start
                if (key and last) or (not last and loc[i + 1] == "[key]"):
                    return marks.keys.get(part, marks.start)
                pos = marks.values.get(part, marks.start)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                pos = marks.items[part] if part < len(marks.items) else marks.start
                node = node[part]
            elif part == "[key]" and i > 0:
                return pos
            else:
                return pos
        return pos

    def locate_key(self, loc: tuple[Any, ...]) -> Pos:
        return self.locate(loc, key=True)

    def _start(self, node: Any) -> Pos | None:
        m = self.marks.get(id(node))
        return m.start if m else None


def _unpickle_document(text: tuple[str, str], reported: set[Pos], start: Pos) -> Document:
    """A pickled :class:`Document`: released, read again from its text when asked."""
    return Document(None, None, reported, start, _source=text, _released=True, _text=text)


class _Stop(Exception):
    """Reading this document cannot go on."""


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


def parse(
    text: str, path: str, cache: ParsedCache | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML document from *text*; never raises on bad input.

    First the fast pass (:func:`_parse_fast`: the data only); the moment it meets
    anything to say, the full reader reads the text from the start, so every diagnostic
    comes from one place and reads the same. *cache*: the fast pass's data kept by
    text from earlier runs (loading/parsed.py), and kept there when read now.
    """
    if cache is not None:
        kept, data = cache.get(text)
        if data is MISS:
            data = _parse_fast(text)
            if data is not _FAILED:
                cache.put(kept, data)
    else:
        data = _parse_fast(text)
    if data is not _FAILED:
        return Document(data, None, _source=(text, path), _text=(text, path)), []
    return _parse_marked(text, path)


def _parse_marked(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """The full reader: the data, the position of every value, every diagnostic."""
    diags: list[Diagnostic] = []
    marks: dict[int, Marks] = {}
    reported: set[Pos] = set()
    root: list[Any] = []
    root_pos: list[Pos] = []
    # Stack frames: [container, marks, pending key or _NO_KEY, key position]
    stack: list[list[Any]] = []
    documents = 0

    def err(code: str, pos: Pos, **params: object) -> None:
        diags.append(Diagnostic("error", code, path, pos[0], pos[1], dict(params)))
        reported.add(pos)

    def add(value: Any, pos: Pos) -> None:
        if not stack:
            root.append(value)
            root_pos.append(pos)
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
            frame[1].items.append(pos)
            return
        key = frame[2]
        if key is _NO_KEY:
            frame[2] = value
            frame[3] = pos
            return
        if key is not _DISCARD:
            container[key] = value
            frame[1].values[key] = pos
        frame[2] = _NO_KEY

    def add_key(ev: Any, pos: Pos) -> bool:
        """Handle a scalar in key position; return True if it was one."""
        if not stack or isinstance(stack[-1][0], list) or stack[-1][2] is not _NO_KEY:
            return False
        frame = stack[-1]
        key = ev.value
        plain = not ev.style  # the C parser says "" for plain, the Python one None
        if plain and key == "<<":
            err("Y105", pos)
            key = _DISCARD
        elif plain and key in _NULL:
            err("Y114", pos, key=key)
            key = _DISCARD
        elif key in frame[1].keys:
            first = frame[1].keys[key]
            err("Y103", pos, key=key, first_line=first[0])
            key = _DISCARD
        else:
            frame[1].keys[key] = pos
        frame[2] = key
        frame[3] = pos
        return True

    def check_node(ev: Any, pos: Pos, allowed_tag: str | None) -> None:
        if ev.anchor is not None:
            err("Y104", pos, name=ev.anchor)
        tag = ev.tag
        if tag is not None and tag != "!" and tag != allowed_tag:
            err("Y106", pos, tag=tag)

    try:
        loader = _Loader(text)
    except UnicodeEncodeError as e:  # lone surrogates: text that came from no UTF-8 file
        line = _text_pos(text, len(text[: e.start].encode("utf-8", "surrogatepass")))[0]
        err("Y101", (line, 1), line=line)
        return None, diags
    try:
        while True:
            try:
                ev: Any = loader.get_event()
            except ReaderError as e:
                # A character YAML does not allow (a raw ESC, NUL …). The C reader gives a
                # byte offset into the UTF-8 text, not a mark.
                problem = str(e).strip().splitlines()[0][:200]
                err("Y102", _text_pos(text, e.position), problem=problem)
                raise _Stop from None
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                problem = (e.problem or e.context or "syntax error").strip()
                slip = _slip(text, mark.line + 1, problem) if mark else None
                if slip is not None:
                    code, pos, params, hint = slip
                    diags.append(Diagnostic.at(code, path, pos, hint=hint, **params))
                    reported.add(pos)
                else:
                    err("Y102", _pos(mark) if mark else (1, 1), problem=problem)
                raise _Stop from None
            except yaml.YAMLError as e:
                err("Y102", (1, 1), problem=str(e).strip().splitlines()[0][:200])
                raise _Stop from None
            if ev is None:
                break
            kind = type(ev)
            if kind is yaml.ScalarEvent:
                pos = _pos(ev.start_mark)
                if add_key(ev, pos):
                    check_node(ev, pos, STR_TAG)
                    continue
                check_node(ev, pos, STR_TAG)
                if stack and stack[-1][5] and not ev.style and _LIST_COMMA.search(ev.value):
                    # [完成征地，主体施工] is one item: the comma is text, not a separator.
                    n = len(_LIST_COMMA.split(ev.value))
                    diags.append(
                        Diagnostic.at("W405", path, pos, hint=Msg("hint.list_comma"), parts=n)
                    )
                add(_scalar(ev, pos, err), pos)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                pos = _pos(ev.start_mark)
                check_node(
                    ev,
                    pos,
                    "tag:yaml.org,2002:map"
                    if kind is yaml.MappingStartEvent
                    else "tag:yaml.org,2002:seq",
                )
                if len(stack) >= MAX_DEPTH:
                    err("Y108", pos, limit=MAX_DEPTH)
                    raise _Stop
                in_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is _NO_KEY
                if in_key:
                    err("Y114", pos, key="…")
                    stack[-1][2] = _DISCARD
                    stack[-1][3] = pos
                container: Any = {} if kind is yaml.MappingStartEvent else []
                m = Marks(pos)
                marks[id(container)] = m
                # The last slot says "this container is a key": it is dropped at its end,
                # and the parent's next value goes with it (the key is already _DISCARD).
                flow_list = kind is yaml.SequenceStartEvent and bool(ev.flow_style)
                stack.append([container, m, _NO_KEY, None, in_key, flow_list])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                if not frame[4]:
                    add(frame[0], frame[1].start)
            elif kind is yaml.AliasEvent:
                pos = _pos(ev.start_mark)
                err("Y104", pos, name=ev.anchor)
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is _NO_KEY:
                    stack[-1][2] = _DISCARD  # an alias as a key: drop the key and its value
                    stack[-1][3] = pos
                else:
                    add(None, pos)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    err("Y109", _pos(ev.start_mark))
                    raise _Stop
    except _Stop:
        return None, diags
    finally:
        loader.dispose()
    if not root:
        return Document(None, marks, reported, _text=(text, path)), diags
    start = root_pos[0] if root_pos else (1, 1)
    return Document(root[0], marks, reported, start, _text=(text, path)), diags


# A Chinese comma or enumeration comma inside a flow-list item.
_LIST_COMMA = re.compile("[，、]")
# ``due：2027-03-31``: a key followed by a full-width colon (the input-method slip).
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)*)([\w-]+)\s*：")
_INDENT_PROBLEMS = (
    "mapping values are not allowed",
    "did not find expected key",
    "expected <block end>",
    "did not find expected '-' indicator",
    "could not find expected ':'",
)

Slip = tuple[str, Pos, dict[str, object], Msg]


def _slip(text: str, line: int, problem: str) -> Slip | None:
    """The common slip behind a YAML syntax error reported at *line*, if it is one.

    PyYAML names the symptom, often a line late ("could not find expected ':'" on the
    line after ``due：2027-03-31``). These are the three slips people make most: a
    full-width colon, a tab in the indentation, a line indented unlike its siblings.
    """
    lines = _BREAK.split(text)
    # 1. A full-width colon after a key, on the error line or just above it.
    for n in range(min(line, len(lines)), max(0, line - 3), -1):
        src = lines[n - 1]
        if src.lstrip().startswith("#"):
            continue
        m = _FULLWIDTH_KEY.match(src)
        if m is not None:
            key = m[2]
            col = src.index("：", m.end(2)) + 1
            return ("Y117", (n, col), {"key": key}, Msg("hint.fullwidth_colon", key=key))
    # 2. A tab in the indentation.
    for n in (line, line - 1):
        if 1 <= n <= len(lines):
            src = lines[n - 1]
            lead = src[: len(src) - len(src.lstrip(" \t"))]
            if "\t" in lead:
                prev = _previous(lines, n)
                want = _indent(lines[prev - 1]) if prev else 0
                pos = (n, lead.index("\t") + 1)
                return ("Y118", pos, {}, Msg("hint.tab_indent", want=want))
    # 3. A line indented unlike its siblings.
    if not problem.startswith(_INDENT_PROBLEMS) or not 1 <= line <= len(lines):
        return None
    return _misindented(lines, line)


def _indent(src: str) -> int:
    return len(src) - len(src.lstrip(" "))


def _blank(src: str) -> bool:
    s = src.strip()
    return not s or s.startswith("#")


def _previous(lines: list[str], n: int) -> int:
    """The number of the last line before line *n* with content (0 if none)."""
    for k in range(n - 1, 0, -1):
        if not _blank(lines[k - 1]):
            return k
    return 0


def _levels(lines: list[str], n: int) -> list[tuple[int, int, bool]]:
    """Indentations open at line *n*: (indent, line giving it, is a ``- `` item)."""
    out: list[tuple[int, int, bool]] = []
    limit = None
    for k in range(n - 1, 0, -1):
        src = lines[k - 1]
        if _blank(src):
            continue
        ind = _indent(src)
        if limit is not None and ind >= limit:
            continue
        body = src[ind:]
        if body.startswith("- ") or body == "-":
            # "  - id: x": the item at 2, its fields at 4.
            inner = ind + 2 + _indent(body[2:])
            if limit is None or inner < limit:
                out.append((inner, k, False))
            out.append((ind, k, True))
        else:
            out.append((ind, k, False))
        limit = ind
        if ind == 0:
            break
    return out


def _misindented(lines: list[str], line: int) -> Slip | None:
    src = lines[line - 1]
    if _blank(src):
        return None
    got = _indent(src)
    prev = _previous(lines, line)
    if not prev:
        return None
    above = lines[prev - 1]
    is_item = src[got:].startswith("-")
    if got > _indent(above):
        # Deeper than the line above, which opens nothing: it should line up with it.
        if above.rstrip().endswith(":") or above.strip() == "-":
            return None
        want, sibling = _indent(above), prev
        levels = _levels(lines, line)
        if levels and levels[0][0] == want and levels[0][2] is False:
            sibling = levels[0][1]
    else:
        levels = _levels(lines, line)
        fits = [lv for lv in levels if lv[0] == got and lv[2] == is_item]
        if fits:
            return None
        candidates = [lv for lv in levels if lv[2] == is_item] or levels
        if not candidates:
            return None
        want, sibling, _ = min(candidates, key=lambda lv: (abs(lv[0] - got), -lv[0]))
        if want == got:
            return None
    params: dict[str, object] = {"line": line, "got": got, "want": want}
    return ("Y119", (line, 1), params, Msg("hint.indent", want=want, sibling=sibling))


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _text_pos(text: str, offset: int) -> Pos:
    """(line, col) of the character at UTF-8 byte *offset* of *text*, counted as libyaml does."""
    head = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace")
    breaks = list(_BREAK.finditer(head))
    line_start = breaks[-1].end() if breaks else 0
    return (len(breaks) + 1, len(head) - line_start + 1)


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY = _Sentinel("NO_KEY")
_DISCARD = _Sentinel("DISCARD")


def _scalar(ev: Any, pos: Pos, err: Any) -> Any:
    value: str = ev.value
    if ev.style or ev.tag == STR_TAG:
        return value
    if value and value[0] not in _SPECIAL_START:
        return value  # most scalars are text: skip the set and pattern checks
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in _BOOL_11:
        err("Y110", pos, value=value)
        return value
    if _INT.fullmatch(value):
        if len(value) > 30:
            err("Y111", pos, value=value[:20] + "…")
            return value
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _NUM_11.fullmatch(value):
        err("Y111", pos, value=value)
        return value
    return value


class _Failed:
    """The fast pass met something the full reader has to say something about."""


_FAILED: Any = _Failed()
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _parse_fast(text: str) -> Any:
    """The data of *text* when the full reader would say nothing about it, else
    :data:`_FAILED`. No positions: the checks of :func:`_parse_marked` that find
    something make it give up, so a document it returns is one the full reader reads
    to the same data with no diagnostic (tests/test_yaml_fast.py holds the two equal).
    """
    try:
        loader = _Loader(text)
    except UnicodeEncodeError:
        return _FAILED
    scalar_event, map_start, seq_start = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    end_events = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    no_key = _NO_KEY
    roots: list[Any] = []
    # The container being filled is kept in locals (the loop runs once per event:
    # ~4,000,000 times for a city's plans); the stack holds the enclosing ones as
    # (container, is a mapping, its pending key, is a flow list).
    container: Any = None  # None: at the top level
    is_map = False
    key: Any = no_key  # the key read whose value comes next (mappings)
    flow_list = False
    stack: list[tuple[Any, bool, Any, bool]] = []
    documents = 0
    try:
        get = loader.get_event
        while True:
            try:
                ev: Any = get()
            except yaml.YAMLError:
                return _FAILED
            if ev is None:
                break
            kind = type(ev)
            if kind is scalar_event:
                if ev.anchor is not None:
                    return _FAILED
                tag = ev.tag
                if tag is not None and tag != "!" and tag != STR_TAG:
                    return _FAILED
                value = ev.value
                style = ev.style
                if is_map and key is no_key:
                    if not style and (value == "<<" or value in _NULL):
                        return _FAILED
                    if value in container:
                        return _FAILED
                    key = value
                    continue
                if flow_list and not style and _LIST_COMMA.search(value):
                    return _FAILED
                if not (style or tag == STR_TAG) and (not value or value[0] in _SPECIAL_START):
                    value = _scalar_fast(value)
                    if value is _FAILED:
                        return _FAILED
                if is_map:
                    container[key] = value
                    key = no_key
                elif container is not None:
                    container.append(value)
                else:
                    roots.append(value)
            elif kind is map_start or kind is seq_start:
                if ev.anchor is not None:
                    return _FAILED
                tag = ev.tag
                if (
                    tag is not None
                    and tag != "!"
                    and tag != (_MAP_TAG if kind is map_start else _SEQ_TAG)
                ):
                    return _FAILED
                if len(stack) >= MAX_DEPTH:
                    return _FAILED
                if is_map and key is no_key:
                    return _FAILED  # a container as a key
                stack.append((container, is_map, key, flow_list))
                if kind is map_start:
                    container, is_map, key, flow_list = {}, True, no_key, False
                else:
                    container, is_map, key = [], False, no_key
                    flow_list = bool(ev.flow_style)
            elif kind in end_events:
                done = container
                container, is_map, key, flow_list = stack.pop()
                if is_map:
                    container[key] = done
                    key = no_key
                elif container is not None:
                    container.append(done)
                else:
                    roots.append(done)
            elif kind is yaml.AliasEvent:
                return _FAILED
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _FAILED
    finally:
        loader.dispose()
    return roots[0] if roots else None


def _scalar_fast(value: str) -> Any:
    """:func:`_scalar` of a plain scalar that may be special; :data:`_FAILED` where
    that one reports something."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in _BOOL_11:
        return _FAILED
    if _INT.fullmatch(value):
        return _FAILED if len(value) > 30 else int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _NUM_11.fullmatch(value):
        return _FAILED
    return value
