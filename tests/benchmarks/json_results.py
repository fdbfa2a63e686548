"""The `--json` line every benchmark prints last, read by run_all.py.

Each script keeps its human-readable output and, with --json, adds one line at the very end:
{"bench": name, "results": [{"what", "value", "unit", "target"}, ...]}. Only the figures the
benchmark is about go in (medians, percentiles, single timings, memory); min/max and file sizes stay
in the human output, so the combined table stays short enough for the README.
"""
from __future__ import annotations

import json
import sys


class Results:
    def __init__(self, bench: str, enabled: bool) -> None:
        self.bench = bench
        self.enabled = enabled
        self.rows: list[dict] = []

    def add(self, what: str, value: float, unit: str, target: str | None = None) -> None:
        # rounded only to keep the line readable; 4 decimals is below any timer's resolution here
        self.rows.append({"what": what, "value": round(float(value), 4), "unit": unit, "target": target})

    def emit(self) -> None:
        if not self.enabled:
            return
        # flushed first so nothing the script printed earlier can land after the JSON line
        sys.stdout.flush()
        print(json.dumps({"bench": self.bench, "results": self.rows}, ensure_ascii=False), flush=True)
