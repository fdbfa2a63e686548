"""主体责任报告助手 — start the window, or run a command-line subcommand.

    python main.py                 the program's window
    python main.py FILE            the window with FILE open
    python main.py check FILE...   check reports on the command line (see core/cli.py)
    python main.py stats FILE...   list the countable items
    python main.py ledger FILE... --out LEDGER.xlsx   append them to an Excel ledger
    python main.py export FILE --docx OUT.docx [--force]   export in GB/T 9704 layout
    python main.py annotate FILE [--out OUT.docx] [--info]   the report with its findings as Word comments
    python main.py compare OLD NEW [--json]   compare with last period's report
    python main.py batch FOLDER --out REVIEW.xlsx   review every report under a folder
    python main.py rules test [FILE...]   check a rule or word-list file and run its examples
    python main.py --version
"""
from __future__ import annotations

import multiprocessing
import sys

COMMANDS = ("check", "stats", "ledger", "export", "annotate", "compare", "batch", "rules")


def main(argv: list[str] | None = None) -> int:
    # Batch review starts worker processes; in the bundled program they re-enter through here.
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        from core.cli import main as cli_main  # the command line never imports Qt

        return cli_main(argv)
    # The check process starts first: its Python, rules and jieba load while Qt and the window do.
    from core.check.check_service import CheckService

    service = CheckService()
    service.start()
    from ui.app import run

    return run(argv, service)


if __name__ == "__main__":
    sys.exit(main())
