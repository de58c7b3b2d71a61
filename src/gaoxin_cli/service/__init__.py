"""The service layer: what each command does, as plain functions of a :class:`Session`.

``cli/`` parses options and renders; between the two it calls one function here, which
reads the store through :class:`~gaoxin_cli.service.snapshot.Snapshot`, applies the pure
rules and returns plain values (NamedTuples and dataclasses) that ``render/`` draws. No
module here reads argv, the environment or the clock: "today" is the session's.
"""
