"""``python -m peixun_audit`` and the ``peixun-audit`` console script.

Importing this module costs nothing: a spawned reading worker re-imports the main
module of its parent, and must not pay for the CLI's imports (typer, rich) before it
can read a workbook."""

import gc
import os
import signal


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the CLI has set its own handler: nothing started yet, nothing to
    clean up; exit 130 without a traceback."""
    os._exit(130)


def run() -> None:
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    # the CLI's imports make modules, classes and functions, all kept to the end (main
    # freezes them, heap.keep_to_the_end): the collector's passes meanwhile found nothing
    gc.disable()
    from .cli import main  # sets the CLI's own handler first thing

    gc.enable()
    main()


if __name__ == "__main__":
    run()
