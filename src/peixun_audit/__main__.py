"""``python -m peixun_audit`` and the ``peixun-audit`` console script.

Importing this module costs nothing: a spawned reading worker re-imports the main
module of its parent, and must not pay for the CLI's imports (typer, rich) before it
can read a workbook."""


def run() -> None:
    from .cli import main

    main()


if __name__ == "__main__":
    run()
