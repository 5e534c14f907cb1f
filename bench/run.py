"""The performance benchmark: reports, pages, serving under load, and the cold CLI.

Run with `.venv/bin/python -m bench` (see bench/README.md). On SQLite always, and on
PostgreSQL when TRACKER_TEST_POSTGRES_URL names a server (a database `nap_bench` is created
there and dropped at the end unless --keep).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
AS_OF_DATES = [date(2012, 6, 1), date(2020, 1, 15), date(2025, 6, 30)]
PAGE_AS_OF = "2025-06-30"
TIMELINE_STATE = "TJK"
MILESTONE_ID = 4242
CLIENTS = 16


def page_paths() -> dict[str, str]:
    """The pages measured, by name."""
    q = f"as_of={PAGE_AS_OF}"
    return {
        "dashboard": f"/?{q}",
        "timeline": f"/states/{TIMELINE_STATE}?{q}",
        "milestone": f"/milestones/{MILESTONE_ID}?{q}",
        "report": f"/report?{q}",
    }


# --- databases ----------------------------------------------------------------------------


def prepare(url: str, scale: float) -> dict[str, Any]:
    """Migrate an empty database to head and fill it; returns row counts and seconds."""
    from alembic import command

    from bench.generate import Scale, load
    from tracker.db import make_engine
    from tracker.schema_changes import alembic_config

    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    started = time.perf_counter()
    counts = load(engine, Scale(milestones_per_state=round(500 * scale)))
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"rows": counts, "generate_s": round(seconds, 2)}


def backends(args: argparse.Namespace) -> dict[str, str]:
    """Database URLs to measure, by backend."""
    urls = {"sqlite": f"sqlite:///{args.sqlite}"}
    server = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
    if server and not args.sqlite_only:
        from sqlalchemy import make_url

        from config import normalise_url

        base = make_url(normalise_url(server))
        urls["postgresql"] = base.set(database="nap_bench").render_as_string(False)
    return urls


def _admin_sql(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def fresh(backend: str, url: str) -> None:
    """Empty the benchmark database (a new SQLite file or a new PostgreSQL database)."""
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _admin_sql(url, 'DROP DATABASE IF EXISTS "nap_bench" WITH (FORCE)')
        _admin_sql(url, 'CREATE DATABASE "nap_bench"')


# --- in process (run in a child process so that its peak memory is the app's own) ----------


def _timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited via fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def in_process(url: str, runs: int) -> dict[str, Any]:
    """Report as of three dates, then pages through the test client."""
    from config import Config
    from tests.querycount import count_statements
    from tracker import create_app, reports

    app = create_app(Config(require_secret=False), DATABASE_URL=url)
    engine = app.extensions["tracker.engine"]
    maker = app.extensions["tracker.sessionmaker"]
    out: dict[str, Any] = {"report": {}, "pages": {}}

    def report(as_of: date) -> reports.Report:
        with maker() as session:
            return reports.build_report(session, as_of)

    for as_of in AS_OF_DATES:
        report(as_of)  # warm: imports, caches, the database's pages
        median_ms, result = _timed(lambda d=as_of: report(d), runs)  # type: ignore[misc]
        with count_statements(engine) as sent:
            report(as_of)
        tracemalloc.start()
        report(as_of)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["report"][as_of.isoformat()] = {
            "ms": round(median_ms, 1),
            "statements": len(sent),
            "traced_peak_mb": round(peak / 2**20, 1),
            "overdue": len(result.overdue),
            "upcoming": len(result.upcoming),
        }
    out["report_maxrss_mb"] = peak_rss_mb()
    # Each page rendered (the page cache off: what the first request after a write costs),
    # then served again from the cache (what every later request costs).
    uncached = create_app(Config(require_secret=False), DATABASE_URL=url, PAGE_CACHE_MB=0)
    for mode, each in (("pages", uncached), ("cached_pages", app)):
        client, pages = each.test_client(), out.setdefault(mode, {})
        for name, path in page_paths().items():
            assert client.get(path).status_code == 200, path
            median_ms, response = _timed(lambda p=path, c=client: c.get(p), runs)  # type: ignore[misc]
            with count_statements(each.extensions["tracker.engine"]) as sent:
                client.get(path)
            pages[name] = {
                "path": path,
                "ms": round(median_ms, 1),
                "statements": len(sent),
                "kb": round(len(response.data) / 1024, 1),
            }
    out["maxrss_mb"] = peak_rss_mb()
    return out


def run_in_child(url: str, runs: int) -> dict[str, Any]:
    """in_process() in a fresh interpreter; its JSON from stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--child", url, "--runs", str(runs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- serving ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def gunicorn(app_path: str, url: str) -> Any:
    """gunicorn with 2 sync workers serving app_path; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench"}
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", app_path],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/static/tracker.css", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def load(url: str, seconds: int) -> dict[str, Any]:
    """Requests/s and latency percentiles at CLIENTS concurrent clients."""
    for _ in range(8):  # every worker has loaded its templates and opened its connection
        urllib.request.urlopen(url, timeout=60).read()
    if shutil.which("wrk"):
        done = subprocess.run(
            ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "30s",
             "-s", str(HERE / "percentiles.lua"), url],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
        result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
        result["tool"] = "wrk"
        return result
    return _python_load(url, seconds)


def _python_load(url: str, seconds: int) -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    stop = time.perf_counter() + seconds

    def client() -> list[float]:
        latencies = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            urllib.request.urlopen(url, timeout=30).read()
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    with ThreadPoolExecutor(CLIENTS) as pool:
        all_ms = sorted(x for part in pool.map(lambda _: client(), range(CLIENTS)) for x in part)
    q = statistics.quantiles(all_ms, n=100)
    return {
        "requests": len(all_ms), "rps": round(len(all_ms) / seconds, 1), "p50_ms": q[49],
        "p95_ms": q[94], "p99_ms": q[98], "errors": 0, "tool": "python threads",
    }  # fmt: skip


def serve(url: str, seconds: int) -> dict[str, Any]:
    """Each page under load, then the bare route under the same server config."""
    out: dict[str, Any] = {}
    with gunicorn("bench.wsgi:app", url) as base:
        for name, path in page_paths().items():
            out[name] = load(base + path, seconds)
    with gunicorn("bench.wsgi:bare", url) as base:
        out["bare"] = load(base + "/", seconds)
    for figures in out.values():
        figures["rps_vs_bare"] = round(figures["rps"] / out["bare"]["rps"], 3)
        figures["p50_vs_bare"] = round(figures["p50_ms"] / max(out["bare"]["p50_ms"], 1e-3), 1)
    return out


# --- cold CLI -----------------------------------------------------------------------------


def cold_cli(url: str, runs: int) -> dict[str, Any]:
    """`tracker report` as a new process, beside importing flask and sqlalchemy."""
    report = f"{VENV_BIN / 'tracker'} report --as-of {PAGE_AS_OF} > /dev/null"
    bare = f"{sys.executable} -c 'import flask, sqlalchemy'"
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    if shutil.which("hyperfine"):
        export = Path("/tmp/nap-bench-hyperfine.json")
        subprocess.run(
            ["hyperfine", "--warmup", "2", "--runs", str(runs),
             "--export-json", str(export), "--style", "none", bare, report],
            env=env, cwd=ROOT, capture_output=True, check=True,
        )  # fmt: skip
        results = json.loads(export.read_text())["results"]
        bare_ms, report_ms = (r["median"] * 1000 for r in results)
        tool = "hyperfine"
    else:
        bare_ms, report_ms = (_median_process(command, env, runs) for command in (bare, report))
        tool = "subprocess"
    return {
        "bare_import_ms": round(bare_ms, 1),
        "tracker_report_ms": round(report_ms, 1),
        "ratio": round(report_ms / bare_ms, 2),
        "tool": tool,
    }


def _median_process(command: str, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, shell=True, env=env, cwd=ROOT, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


# --- output -------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    lines = []
    for backend, r in results["backends"].items():
        lines.append(f"== {backend} ==  rows: {r.get('rows', {}).get('milestones', '?')} "
                     f"milestones, generated in {r.get('generate_s', '-')} s")  # fmt: skip
        ip = r["in_process"]
        for as_of, f in ip["report"].items():
            lines.append(
                f"report as of {as_of}: {f['ms']:8.1f} ms  {f['statements']:2d} statements  "
                f"traced peak {f['traced_peak_mb']} MB  ({f['overdue']} overdue, "
                f"{f['upcoming']} upcoming)"
            )
        lines.append(f"process peak RSS after the reports: {ip['report_maxrss_mb']} MB; "
                     f"after the pages: {ip['maxrss_mb']} MB")  # fmt: skip
        for name, f in ip["pages"].items():
            c = ip.get("cached_pages", {}).get(name, {})
            lines.append(
                f"page {name:10s} {f['ms']:8.1f} ms  {f['statements']:2d} statements  "
                f"(cached {c.get('ms', '-')} ms, {c.get('statements', '-')})  "
                f"{f['kb']} kB  {f['path']}"
            )
        for name, f in r.get("serve", {}).items():
            lines.append(
                f"served {name:10s} {f['rps']:8.1f} req/s ({f['rps_vs_bare']:.1%} of bare)  "
                f"p50 {f['p50_ms']:.1f} p95 {f['p95_ms']:.1f} p99 {f['p99_ms']:.1f} ms  "
                f"errors {f['errors']}"
            )
        if "cli" in r:
            c = r["cli"]
            lines.append(
                f"cold `tracker report` {c['tracker_report_ms']} ms vs bare import "
                f"{c['bare_import_ms']} ms: {c['ratio']}x"
            )
        lines.append("")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem_kb = next(
        int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
        if ln.startswith("MemTotal")
    )  # fmt: skip
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def main() -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="x 500 milestones per State")
    parser.add_argument("--seconds", type=int, default=10, help="load per page under gunicorn")
    parser.add_argument("--runs", type=int, default=7, help="repetitions for medians")
    parser.add_argument("--skip-load", action="store_true", help="reuse the generated databases")
    parser.add_argument("--skip-serve", action="store_true", help="no gunicorn load test")
    parser.add_argument("--skip-cli", action="store_true", help="no cold CLI timing")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--sqlite", default="/tmp/nap-bench.sqlite3", help="SQLite file")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(in_process(args.child, args.runs)))
        return
    sys.path.insert(0, str(ROOT))
    results: dict[str, Any] = {"machine": machine(), "scale": args.scale, "backends": {}}
    for backend, url in backends(args).items():
        r: dict[str, Any] = {}
        if not args.skip_load:
            fresh(backend, url)
            print(f"[{backend}] generating ...", flush=True)
            r.update(prepare(url, args.scale))
        print(f"[{backend}] in-process ...", flush=True)
        r["in_process"] = run_in_child(url, args.runs)
        if not args.skip_serve:
            print(f"[{backend}] serving under load ...", flush=True)
            r["serve"] = serve(url, args.seconds)
        if not args.skip_cli:
            print(f"[{backend}] cold CLI ...", flush=True)
            r["cli"] = cold_cli(url, max(args.runs, 5))
        results["backends"][backend] = r
        if backend == "postgresql" and not args.keep:
            _admin_sql(url, 'DROP DATABASE IF EXISTS "nap_bench" WITH (FORCE)')
    print(table(results))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
