"""The mail mechanics of ``gaoxin notify`` (the run itself is ``service/notify.py``).

* :mod:`~gaoxin_cli.notify.digest` — one digest per recipient: plain text and HTML (pure);
* :mod:`~gaoxin_cli.notify.message` — the MIME message, headers only from checked values;
* :mod:`~gaoxin_cli.notify.smtp` — :func:`~gaoxin_cli.notify.smtp.send`, the one place
  that talks SMTP; :mod:`~gaoxin_cli.notify.outbox` writes ``.eml`` files instead;
* :mod:`~gaoxin_cli.notify.lock` — one ``notify`` at a time per database.
"""
