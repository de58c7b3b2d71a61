"""--help texts in the user's language (decided before options are parsed).

The texts themselves live in one table, :data:`gaoxin_cli.i18n.help_text.HELP`.
"""

from gaoxin_cli.i18n import initial_lang
from gaoxin_cli.i18n.help_text import HELP

HELP_LANG = initial_lang()


def H(key: str) -> str:
    zh, en = HELP[key]
    return zh if HELP_LANG == "zh" else en
