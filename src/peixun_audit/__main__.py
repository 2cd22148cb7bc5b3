"""``python -m peixun_audit`` and the ``peixun-audit`` console script.

Importing this module costs nothing: a spawned reading worker re-imports the main
module of its parent, and must not pay for the CLI's imports (typer, rich) before it
can read a workbook."""

import os
import signal


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the CLI has set its own handler: nothing started yet, nothing to
    clean up; exit 130 without a traceback."""
    os._exit(130)


def run() -> None:
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    from .cli import main  # sets the CLI's own handler first thing

    main()


if __name__ == "__main__":
    run()
