"""Logging for `coach run` and `coach tick`: plain lines for a terminal, or one JSON object per
line (LOG_FORMAT=json) for a log collector. Configured once, at the edge (cli.py)."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# APScheduler logs two INFO lines per job run ("Running job", "executed successfully"): with a
# pass every few seconds that is ~86,000 lines a day of nothing. Shown at DEBUG only.
CHATTY = ("apscheduler.executors.default", "apscheduler.scheduler")


def configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(levelname)s %(name)s %(message)s",
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp=True,  # ISO 8601, UTC
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
