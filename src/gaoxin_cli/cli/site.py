"""``gaoxin site``: the static site for leaders' phones (docs/site.md)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from gaoxin_cli.cli import choices, context
from gaoxin_cli.cli.help import H
from gaoxin_cli.cli.root import app, settings
from gaoxin_cli.errors import GaoxinError
from gaoxin_cli.i18n import Lang

# The preview listens on the loopback interface only: the site is not for the network
# until the office's web server (with its authentication) serves it.
LOOPBACK = "127.0.0.1"


@app.command(help=H("site"))
def site(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help=H("site.opt.output"),
            file_okay=False,
            show_default=False,
        ),
    ],
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", metavar="UNIT", help=H("site.opt.unit"), show_default=False),
    ] = None,
    serve: Annotated[bool, typer.Option("--serve", help=H("site.opt.serve"))] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help=H("site.opt.port"))] = 8000,
) -> None:
    from gaoxin_cli.service import site as service

    s = settings(ctx)
    sess = context.session(s)
    unit = choices.unit(sess.config, unit)
    value = service.site(sess, unit)
    from gaoxin_cli.render import site as view

    done = view.publish(value, sess.config, sess.plan.tasks, s.lang, output)
    sys.stderr.write(view.written(done, str(output), s.lang))
    if serve:
        _serve(output, port, s.lang)


def _serve(root: Path, port: int, lang: Lang) -> None:
    """Serve *root* on 127.0.0.1 until interrupted (^C ends it, exit 130)."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from gaoxin_cli.render import site as view

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # the preview's access log would bury the one line that matters

    handler = functools.partial(Quiet, directory=str(root))
    try:
        server = ThreadingHTTPServer((LOOPBACK, port), handler)
    except OSError as exc:
        raise GaoxinError("error.site_serve", port=port, reason=exc.strerror or exc) from exc
    with server:
        bound = server.server_address[1]
        sys.stderr.write(view.serving(f"http://{LOOPBACK}:{bound}/", lang))
        sys.stderr.flush()
        server.serve_forever()
