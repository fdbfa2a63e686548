"""Run every benchmark and print one Markdown table of the results, for the README.

    python tests/benchmarks/run_all.py [--quick] [--only check,gui,...] [--out FILE] [--timeout S]

Each bench_*.py runs in its own process (as a user would run it, so one benchmark's imports and
caches can't speed up the next) with --json, and its last stdout line is read back. Progress and
each benchmark's own output go to stderr; stdout is only the machine line and the table, so
`run_all.py > speed.md` gives the README snippet. --quick passes small sizes and run counts: it
checks that everything works in a few minutes, its figures are not the ones to publish.
A benchmark that fails, times out or prints no JSON shows its error in the table; the rest still run.
Exit status is 1 if any benchmark failed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (name, script, arguments for the full run, arguments for --quick, extra environment)
# The full-run arguments are empty on purpose: each script's defaults are its methodology.
BENCHMARKS = [
    ("check", "bench_check.py", [], ["--runs", "5"], {}),
    ("gui", "bench_gui.py", [], ["--keystrokes", "30", "--startup-runs", "1", "--results", "3"], {"QT_QPA_PLATFORM": "offscreen"}),
    ("docx", "bench_docx.py", [], ["--runs", "2"], {}),
    ("ledger", "bench_ledger.py", [], ["1"], {}),
    ("batch", "bench_batch.py", [], ["--reports", "40", "--runs", "3"], {}),
]


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> str:
    cpu = ""
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):  # x86; many ARM kernels have no such line
            cpu = line.split(":", 1)[1].strip()
            break
    cpu = cpu or platform.processor() or platform.machine() or "unknown CPU"
    parts = [cpu, f"{os.cpu_count()} cores"]
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            parts.append(f"{int(line.split()[1]) / 1024 / 1024:.1f} GB RAM")
            break
    try:
        distro = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except (OSError, AttributeError):  # not Linux, or Python older than 3.10
        distro = ""
    system = f"{platform.system()} {platform.release()}"
    parts.append(f"{distro} ({system})" if distro else system)
    parts.append(f"Python {platform.python_version()}")
    parts.append(f"PySide6 {pyside_version()}")
    return ", ".join(parts)


def pyside_version() -> str:
    # pip may have installed only PySide6_Essentials (as in this project's venv), not "PySide6"
    for dist in ("PySide6", "PySide6_Essentials", "PySide6-Essentials"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        import PySide6
        return PySide6.__version__
    except ImportError:
        return "not installed"


def run_one(name: str, script: str, args: list[str], env_extra: dict, timeout: float) -> dict:
    """Run one benchmark; returns its JSON object, or {"bench": name, "error": text}."""
    home = tempfile.mkdtemp(prefix=f"bench-{name}-home-")
    # a fresh data folder per benchmark, so first-start figures (jieba's cache) really are first starts
    # UTF-8 pipes whatever the console's code page is (Windows), since we decode them as UTF-8
    env = {**os.environ, "REPORT_ASSISTANT_HOME": home, "PYTHONIOENCODING": "utf-8", **env_extra}
    cmd = [sys.executable, str(HERE / script), "--json", *args]
    print(f"== {name}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    last = ""
    timed_out = threading.Event()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err:
        # stderr goes to a file, not a pipe, so the child can never block on a full pipe while we
        # read stdout; its own session lets a timeout stop it and any workers/children it started
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, text=True,
                                encoding="utf-8", errors="replace", cwd=HERE.parents[1],
                                start_new_session=(os.name == "posix"))

        def stop() -> None:
            timed_out.set()
            try:
                if os.name == "posix":
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            except OSError:
                pass  # already gone

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # echoed as it comes, so a long run shows it is alive
                if line.strip():
                    last = line.strip()
                    if not last.startswith("{"):
                        print(f"   {line.rstrip()}", file=sys.stderr, flush=True)
            code = proc.wait()
        finally:
            timer.cancel()
        err.seek(0)
        errors = err.read()
    shutil.rmtree(home, ignore_errors=True)
    print(f"   finished in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    if timed_out.is_set():
        return {"bench": name, "error": f"timed out after {timeout:.0f} s"}
    if code != 0:
        sys.stderr.write(errors if errors.endswith("\n") or not errors else errors + "\n")
        lines = [ln.strip() for ln in errors.splitlines() if ln.strip()]
        return {"bench": name, "error": f"exit code {code}: {lines[-1] if lines else 'no error output'}"}
    try:
        data = json.loads(last)
    except ValueError as exc:
        return {"bench": name, "error": f"no JSON result line ({exc})"}
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return {"bench": name, "error": "the JSON line has no results list"}
    return data


def number(value: float) -> str:
    # three significant figures: the machine's noise is larger than anything finer ("g" would turn
    # 1234 into 1.23e+03, so large values are simply rounded to a whole number)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(outcomes: list[dict], scripts: dict[str, str]) -> list[str]:
    lines = ["| benchmark | figure | target |", "|---|---|---|"]
    for outcome in outcomes:
        name = f"{outcome['bench']} (`{scripts.get(outcome['bench'], '?')}`)"
        if "error" in outcome:
            lines.append(f"| {cell(name)} | **failed**: {cell(outcome['error'])} | |")
            continue
        if not outcome["results"]:
            lines.append(f"| {cell(name)} | (no figures reported) | |")
        for i, row in enumerate(outcome["results"]):
            # the benchmark's name only on its first row: the rows below belong to it
            label = cell(name) if i == 0 else ""
            figure = f"{row['what']}: **{number(row['value'])} {row['unit']}**"
            lines.append(f"| {label} | {cell(figure)} | {cell(row.get('target') or '')} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few runs: a smoke test")
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(b[0] for b in BENCHMARKS))
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark (default 3600)")
    args = parser.parse_args()

    chosen = BENCHMARKS
    if args.only:
        wanted = {n.strip() for n in args.only.split(",") if n.strip()}
        unknown = wanted - {b[0] for b in BENCHMARKS}
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        chosen = [b for b in BENCHMARKS if b[0] in wanted]

    outcomes = []
    for name, script, full, quick, env_extra in chosen:
        outcomes.append(run_one(name, script, quick if args.quick else full, env_extra, args.timeout))

    when = datetime.date.today().isoformat()
    header = f"Machine: {machine()}. Run on {when}"
    header += " with --quick (small sizes, few runs: not representative)." if args.quick else "."
    text = "\n".join([header, "", *table(outcomes, {b[0]: b[1] for b in BENCHMARKS})]) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"table written to {args.out}", file=sys.stderr)
    return 1 if any("error" in o for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
