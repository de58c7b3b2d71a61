"""``gaoxin notify``: the daily digest mail of the 三单 ladder.

* :mod:`~gaoxin_cli.notify.runner` — files the notices due today (store + rules) and
  works out which (notice, recipient) pairs still need a mail;
* :mod:`~gaoxin_cli.notify.digest` — one digest per recipient: plain text and HTML (pure);
* :mod:`~gaoxin_cli.notify.message` — the MIME message, headers only from checked values;
* :mod:`~gaoxin_cli.notify.smtp` — :func:`~gaoxin_cli.notify.smtp.send`, the one place
  that talks SMTP; :mod:`~gaoxin_cli.notify.outbox` writes ``.eml`` files instead;
* :mod:`~gaoxin_cli.notify.lock` — one ``notify`` at a time per database.
"""
