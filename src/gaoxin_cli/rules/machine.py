"""A small state machine shared by the task lifecycle and the 问题提报 loop."""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Lang, Msg


class MsgList(Msg):
    """Several messages joined in the reader's language (、 or ", ")."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Msg]) -> None:
        super().__init__("lifecycle.list")
        self.items = tuple(items)

    def render(self, lang: Lang) -> str:
        return ("、" if lang == "zh" else ", ").join(m.render(lang) for m in self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MsgList) and self.items == other.items

    def __hash__(self) -> int:
        return hash(self.items)


class Machine(NamedTuple):
    """States, actions and the allowed (state, action) → state steps, with the message
    keys that name them: ``{state_prefix}.{state}`` and ``{action_prefix}.{action}``."""

    states: tuple[str, ...]
    actions: tuple[str, ...]
    steps: Mapping[tuple[str, str], str]
    state_prefix: str
    action_prefix: str
    illegal_key: str  # the error, with params state, action and the subject
    final_key: str  # the hint when nothing may follow

    def allowed(self, current: str) -> tuple[str, ...]:
        """The actions that may follow *current*, in :attr:`actions` order."""
        return tuple(a for a in self.actions if (current, a) in self.steps)

    def step(self, current: str, action: str, **subject: str) -> str:
        """The state *action* leads to from *current*; a :class:`GaoxinError` naming the
        current state and the allowed next steps when it is not allowed."""
        if current not in self.states:
            raise ValueError(f"unknown state {current!r}")
        if action not in self.actions:
            raise ValueError(f"unknown action {action!r}")
        nxt = self.steps.get((current, action))
        if nxt is not None:
            return nxt
        steps = self.allowed(current)
        state = Msg(f"{self.state_prefix}.{current}")
        hint = (
            Msg(
                "hint.lifecycle_allowed",
                steps=MsgList(Msg(f"{self.action_prefix}.{a}") for a in steps),
            )
            if steps
            else Msg(self.final_key, state=state)
        )
        raise GaoxinError(
            self.illegal_key,
            state=state,
            action=Msg(f"{self.action_prefix}.{action}"),
            hint=hint,
            **subject,
        )
