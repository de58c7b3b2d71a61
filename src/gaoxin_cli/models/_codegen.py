"""The source of ``models/records.py``, generated from the pydantic specs.

Run by cog (``python3 -m cogapp -r src/gaoxin_cli/models/records.py``; the cog block in
records.py imports this module) and by the drift test in tests/test_records.py. Nothing
in a command imports it: it lives in the package rather than in a tools/ script so that
cog and the test import it without path tricks and mypy and ruff check it with the rest.
"""

from collections.abc import Container
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from gaoxin_cli.models.base import LITERALS
from gaoxin_cli.models.spec import SPECS, record_name


def type_source(annotation: Any, defined: Container[str] | None = None) -> str:
    """Python source for a field's type as the record declares it. A record not among
    *defined* (the classes above it in the module, when given) is named in quotes: the
    annotations of records.py are evaluated when it is imported."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return type_source(args[0], defined)
    if annotation is type(None):
        return "None"
    if origin is list:
        return f"tuple[{type_source(args[0], defined)}, ...]"
    if origin is dict:
        return f"dict[{type_source(args[0], defined)}, {type_source(args[1], defined)}]"
    if origin in (Union, UnionType):
        return " | ".join(type_source(a, defined) for a in args)
    if origin is Literal:
        for name, alias in LITERALS.items():
            if get_args(alias) == args:
                return name
        raise ValueError(f"name the literal {annotation!r} in models/base.py LITERALS")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        name = record_name(annotation)
        return name if defined is None or name in defined else f'"{name}"'
    if isinstance(annotation, type):
        return annotation.__name__
    raise ValueError(f"no record type for {annotation!r}")


# Hand-written methods appended to a record (source, indented as in the class body).
METHODS = {
    "Config": """
    def unit_name(self, unit: str | None, *, short: bool = False) -> str:
        \"\"\"A unit's display name: its full name, or with *short* its short name when it
        has one; an id the config does not know is shown as given.\"\"\"
        if not unit:
            return ""
        u = self.units.get(unit)
        if u is None:
            return unit
        return (u.short or u.name) if short else u.name

    def leader_name(self, leader: str | None) -> str:
        \"\"\"A leader's name; an id the config does not know is shown as given.\"\"\"
        if not leader:
            return ""
        p = self.leaders.get(leader)
        return p.name if p else leader

    def unit_ids(self, text: str) -> tuple[str, ...]:
        \"\"\"The ids of the units *text* names: an id (letter case aside), a full name or
        a short name. An exact id wins; more than one id means the name is shared.\"\"\"
        key = text.strip()
        if key in self.units:
            return (key,)
        low = key.casefold()
        return tuple(
            uid
            for uid, u in self.units.items()
            if uid.casefold() == low or key in (u.name, u.short)
        )

    def leader_ids(self, text: str) -> tuple[str, ...]:
        \"\"\"The ids of the leaders *text* names: an id (letter case aside) or a name.\"\"\"
        key = text.strip()
        if key in self.leaders:
            return (key,)
        low = key.casefold()
        return tuple(
            lid for lid, p in self.leaders.items() if lid.casefold() == low or key == p.name
        )

    def resolve_unit(self, text: str) -> str | None:
        \"\"\"The id of the one unit *text* names (see :meth:`unit_ids`), else None.\"\"\"
        ids = self.unit_ids(text)
        return ids[0] if len(ids) == 1 else None

    def resolve_leader(self, text: str) -> str | None:
        \"\"\"The id of the one leader *text* names (see :meth:`leader_ids`), else None.\"\"\"
        ids = self.leader_ids(text)
        return ids[0] if len(ids) == 1 else None
""",
}


def records_source() -> str:
    """The body of ``models/records.py``: one NamedTuple per spec, in SPECS order."""
    out: list[str] = []
    defined: set[str] = set()
    for spec in SPECS:
        doc = (spec.__doc__ or record_name(spec)).strip().splitlines()[0]
        out += ["", "", f"class {record_name(spec)}(NamedTuple):", f'    """{doc}"""', ""]
        out += [
            f"    {name}: {type_source(field.annotation, defined)}"
            for name, field in spec.model_fields.items()
        ]
        defined.add(record_name(spec))
        out += [
            "",
            "    def __reduce__(self) -> tuple[Any, ...]:",
            "        return _REBUILD, (type(self), tuple(self))",
        ]
        if record_name(spec) in METHODS:
            out += METHODS[record_name(spec)].rstrip("\n").split("\n")
    names = "".join(f"\n        {record_name(spec)}," for spec in SPECS)
    out += [
        "",
        "",
        "# What the plan cache keys on besides the files: a cache written with other fields",
        "# is never read back into these classes.",
        'SHAPE = ";".join(',
        "    f\"{cls.__name__}:{','.join(cls._fields)}\"",
        f"    for cls in ({names}",
        "    )",
        ")",
    ]
    return "\n".join(out[2:]) + "\n"
