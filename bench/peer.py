"""Side by side with Redmine (issue 17): the tracker and Redmine 5 serving the same data.

Run with `make bench-peer` (`.venv/bin/python -m bench.peer --install`; see bench/README.md).
Redmine comes from Debian's packages (redmine, redmine-sqlite, puma, wrk) and serves with puma
in cluster mode, 2 workers, production; the bench data (193 States, 96 500 milestones) is
copied into its SQLite database as one project per State and one issue per milestone. The
tracker serves under gunicorn with 2 workers, once with the page cache off and once with it
on. Each page is measured alone (single requests) and under `wrk -t2 -c16`, the servers
alternated and idle before each run. When Redmine cannot be installed or run, it says why
and exits 0 without figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
PACKAGES = ["redmine", "redmine-sqlite", "puma", "wrk"]
REDMINE_ROOT = Path("/usr/share/redmine")
REDMINE_LOCK = Path("/var/lib/redmine/Gemfile.lock")
# The database the package created (migrated, default data loaded); copied, never written.
REDMINE_TEMPLATE = Path(
    "/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default"
)
AS_OF = date(2025, 6, 30)  # bench.run.PAGE_AS_OF: the generated history ends that day
WITHIN = 90  # the report's default horizon in days
CLIENTS = 16
SETTINGS = {"per_page_options": "25,50,100,500", "issues_export_limit": "100000"}
MODULES = ["issue_tracking", "gantt", "calendar"]


class Unavailable(Exception):
    """Redmine cannot be installed or run here; the message says why."""


# --- the pages compared -------------------------------------------------------------------


def ours_paths() -> dict[str, str]:
    """The tracker's pages, by name (as of the day the generated history ends)."""
    q = f"as_of={AS_OF.isoformat()}"
    return {
        "dashboard": f"/?{q}",
        "report": f"/report?{q}",
        "timeline": f"/states/TJK?{q}",
        "report_csv": f"/report.csv?{q}",
    }


def _issues(path: str, due_on_or_before: date | None, **params: str) -> str:
    """A Redmine issue query: open issues, optionally due by a day, sorted by due date."""
    query: list[tuple[str, str]] = [
        ("set_filter", "1"),
        ("f[]", "status_id"),
        ("op[status_id]", "o"),
    ]
    if due_on_or_before is not None:
        query += [
            ("f[]", "due_date"),
            ("op[due_date]", "<="),
            ("v[due_date][]", due_on_or_before.isoformat()),
        ]
    query += list(params.items())
    return f"{path}?{urlencode(query)}"


def peer_paths() -> dict[str, str]:
    """Redmine's pages, by name: the nearest equivalent of each of ours."""
    overdue_by = AS_OF - timedelta(days=1)  # overdue: the whole window passed before as-of
    due_by = AS_OF + timedelta(days=WITHIN)
    gantt = [("set_filter", "1"), ("f[]", "status_id"), ("op[status_id]", "*")]
    gantt += [("year", "2024"), ("month", "7"), ("months", "24")]
    return {
        "grouped": _issues("/issues", None, group_by="project", sort="project,id"),
        "overdue_100": _issues("/issues", overdue_by, sort="due_date,id", per_page="100"),
        "due_500": _issues("/issues", due_by, sort="due_date,id", per_page="500"),
        "gantt_500": f"/issues/gantt?{urlencode(gantt)}",
        "csv": _issues("/issues.csv", due_by, sort="due_date,id"),
    }


@dataclass(frozen=True)
class Pair:
    """One line of the table: a page of ours beside Redmine's nearest equivalent."""

    label: str
    ours: str
    peer: str


PAIRS = [
    Pair("dashboard vs issues grouped by project", "dashboard", "grouped"),
    Pair("report page vs overdue list of 100", "report", "overdue_100"),
    Pair("report page vs overdue+upcoming list of 500", "report", "due_500"),
    Pair("State timeline (TJK) vs Gantt of 500 issues", "timeline", "gantt_500"),
    Pair("report CSV vs issues CSV export", "report_csv", "csv"),
]


# --- pure helpers (tests/test_bench_peer.py) --------------------------------------------------


def parse_wrk(output: str) -> dict[str, Any]:
    """wrk's figures: the RESULT line of bench/percentiles.lua, else wrk's own summary."""
    for line in output.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rps is None:
        raise ValueError("no Requests/sec in wrk's output")
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    errors = sum(
        int(n)
        for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        + re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    return {
        "requests": int(requests.group(1)) if requests else None,
        "rps": float(rps.group(1)),
        "errors": errors,
    }


@dataclass(frozen=True)
class BenchMilestone:
    """What Redmine is given of one generated milestone."""

    id: int
    title: str
    due_start: date
    due_end: date
    status: str
    status_since: date | None
    states: tuple[str, ...]
    host: str | None = None

    @property
    def home(self) -> str:
        """The State whose project holds the issue: the host, else the first participant."""
        return self.host or min(self.states)


@dataclass(frozen=True)
class RedmineIds:
    """Rows of the freshly installed Redmine that the copied issues refer to."""

    tracker_ids: list[int]
    open_status_ids: list[int]  # in position order: the first is the trackers' default
    closed_status_ids: list[int]
    priority_id: int
    author_id: int


@dataclass
class RedmineRows:
    """Rows to insert, by table, in the order of the columns named in INSERTS."""

    projects: list[tuple[Any, ...]] = field(default_factory=list)
    enabled_modules: list[tuple[Any, ...]] = field(default_factory=list)
    projects_trackers: list[tuple[Any, ...]] = field(default_factory=list)
    issues: list[tuple[Any, ...]] = field(default_factory=list)


INSERTS = {
    "projects": "id, name, description, homepage, is_public, created_on, updated_on, "
    "identifier, status, lft, rgt, inherit_members",
    "enabled_modules": "project_id, name",
    "projects_trackers": "project_id, tracker_id",
    "issues": "id, tracker_id, project_id, subject, description, due_date, status_id, "
    "priority_id, author_id, lock_version, created_on, updated_on, start_date, done_ratio, "
    "root_id, lft, rgt, is_private, closed_on",
}


def status_id(status: str, ids: RedmineIds) -> int:
    """Redmine's status for ours: planned -> New, in progress -> In Progress, done -> Closed,
    cancelled -> Rejected (open stays open, closed stays closed)."""
    opened, closed = ids.open_status_ids, ids.closed_status_ids
    return {
        "planned": opened[0],
        "in_progress": opened[min(1, len(opened) - 1)],
        "done": closed[0],
        "cancelled": closed[-1],
    }[status]


def redmine_rows(
    states: list[tuple[str, str]],
    milestones: Iterable[BenchMilestone],
    ids: RedmineIds,
    now: datetime,
) -> RedmineRows:
    """One public project per State (identifier its code in lower case), one issue per
    milestone in its home State's project: start = window start, due = window end."""
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    rows = RedmineRows()
    project_ids: dict[str, int] = {}
    for n, (code, name) in enumerate(sorted(states), start=1):
        project_ids[code] = n
        rows.projects.append(
            (n, name, "", "", 1, stamp, stamp, code.lower(), 1, 2 * n - 1, 2 * n, 0)
        )
        rows.enabled_modules += [(n, module) for module in MODULES]
        rows.projects_trackers += [(n, tracker) for tracker in ids.tracker_ids]
    for m in milestones:
        state = status_id(m.status, ids)
        is_closed = state in ids.closed_status_ids
        closed_on = f"{m.status_since or m.due_end} 12:00:00" if is_closed else None
        rows.issues.append(
            (m.id, ids.tracker_ids[0], project_ids[m.home], m.title[:255], "",
             m.due_end.isoformat(), state, ids.priority_id, ids.author_id, 0, stamp, stamp,
             m.due_start.isoformat(), 100 if is_closed else 0, m.id, 1, 2, 0, closed_on)
        )  # fmt: skip
    return rows


def wrk_seconds(alone_ms: float, least: int, most: int) -> int:
    """How long to load a page: at least long enough to serve the 16 connections' requests
    1.5 times over on 2 workers. A shorter run counts only the first batch's stragglers: puma
    runs up to 10 requests at once in threads, so they all finish late and together."""
    needed = 1.5 * CLIENTS * alone_ms / 1000 / 2
    return max(least, min(most, math.ceil(needed)))


def median(values: Iterable[float]) -> float | None:
    """The median, or None when nothing was measured."""
    values = list(values)
    return round(statistics.median(values), 1) if values else None


# --- installing Redmine -----------------------------------------------------------------


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


def missing_packages() -> list[str]:
    """The packages of PACKAGES that dpkg does not list as installed."""
    if not shutil.which("dpkg-query"):
        return list(PACKAGES)
    missing = []
    for package in PACKAGES:
        done = _run(["dpkg-query", "-W", "-f", "${Status}", package])
        if done.returncode != 0 or "install ok installed" not in done.stdout:
            missing.append(package)
    return missing


def install_packages() -> None:
    """apt-get install the missing packages (after apt-get update if the first try fails)."""
    if os.geteuid() != 0:
        raise Unavailable("installing Redmine needs root (apt-get); run as root or install "
                          f"{' '.join(PACKAGES)} first")  # fmt: skip
    if not shutil.which("apt-get"):
        raise Unavailable("no apt-get: Redmine is installed from Debian's packages")
    command = ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"[peer] {' '.join(command)} ...", flush=True)
    started = time.perf_counter()
    done = _run(command, env=env)
    if done.returncode != 0:
        _run(["apt-get", "update", "-q"], env=env)
        done = _run(command, env=env)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise Unavailable("apt-get install failed: " + " / ".join(tail))
    print(f"[peer] installed in {time.perf_counter() - started:.0f} s", flush=True)


def puma_in_bundle() -> bool:
    """Whether Redmine's resolved bundle has puma (added through Gemfile.local)."""
    return REDMINE_LOCK.exists() and "\n    puma (" in REDMINE_LOCK.read_text()


def add_puma() -> None:
    """Add puma to Redmine's bundle through Gemfile.local, from the Debian gems only."""
    local = REDMINE_ROOT / "Gemfile.local"
    if os.geteuid() != 0:
        raise Unavailable(f"puma is not in Redmine's bundle; adding it to {local} needs root")
    text = local.read_text() if local.exists() else ""
    if not re.search(r"^\s*gem ['\"]puma['\"]", text, re.MULTILINE):
        local.write_text(text + ("" if text.endswith("\n") or not text else "\n") + "gem 'puma'\n")
    REDMINE_LOCK.unlink(missing_ok=True)
    done = _run(["bundle", "install", "--local", "--quiet"], cwd=REDMINE_ROOT)
    if done.returncode != 0 or not puma_in_bundle():
        raise Unavailable("bundle install --local with puma failed: " + done.stderr.strip()[-300:])
    shutil.chown(REDMINE_LOCK, "www-data", "www-data")


def ensure_redmine(install: bool) -> None:
    """Redmine, puma in its bundle and wrk, installing them when asked; else Unavailable."""
    missing = missing_packages()
    if missing and not install:
        raise Unavailable(f"not installed: {' '.join(missing)} (make bench-peer, or --install, "
                          "installs them from Debian's packages)")  # fmt: skip
    if missing:
        install_packages()
    if not puma_in_bundle():
        add_puma()
    if not os.access(REDMINE_TEMPLATE, os.R_OK):
        raise Unavailable(f"cannot read Redmine's database {REDMINE_TEMPLATE} (root or www-data)")
    if not shutil.which("wrk"):
        raise Unavailable("wrk is not on PATH")


# --- copying the bench data into Redmine ----------------------------------------------------


def read_bench(path: Path) -> tuple[list[tuple[str, str]], list[BenchMilestone]]:
    """States and milestones of the generated bench database."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        states = [(str(c), str(n)) for c, n in db.execute("SELECT code, name FROM states")]
        participants: dict[int, list[str]] = {}
        for milestone_id, code in db.execute("SELECT milestone_id, state_code "
                                             "FROM milestone_states"):  # fmt: skip
            participants.setdefault(milestone_id, []).append(code)
        milestones = [
            BenchMilestone(
                id=i,
                title=title,
                due_start=date.fromisoformat(start),
                due_end=date.fromisoformat(end),
                status=status.lower(),
                status_since=date.fromisoformat(since) if since else None,
                states=tuple(sorted(participants[i])),
                host=host,
            )
            for i, title, start, end, status, since, host in db.execute(
                "SELECT id, title, due_start, due_end, status, status_since, host_state_code "
                "FROM milestones ORDER BY id"
            )
        ]
    return states, milestones


def redmine_ids(db: sqlite3.Connection) -> RedmineIds:
    """The trackers, statuses, default priority and admin of a fresh Redmine database."""

    def ids(sql: str) -> list[int]:
        return [int(row[0]) for row in db.execute(sql)]

    return RedmineIds(
        tracker_ids=ids("SELECT id FROM trackers ORDER BY position, id"),
        open_status_ids=ids(
            "SELECT id FROM issue_statuses WHERE NOT is_closed ORDER BY position, id"
        ),
        closed_status_ids=ids(
            "SELECT id FROM issue_statuses WHERE is_closed ORDER BY position, id"
        ),
        priority_id=ids(
            "SELECT id FROM enumerations WHERE type = 'IssuePriority' "
            "ORDER BY is_default DESC, position LIMIT 1"
        )[0],
        author_id=ids("SELECT id FROM users WHERE admin ORDER BY id LIMIT 1")[0],
    )


def fill_redmine(bench_db: Path, target: Path) -> dict[str, Any]:
    """A copy of Redmine's fresh database with the bench data and settings bulk-inserted
    (no ANALYZE: with statistics SQLite plans Redmine's Gantt as a full scan, 19 s)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    dst = sqlite3.connect(target)
    with closing(sqlite3.connect(f"file:{REDMINE_TEMPLATE}?mode=ro", uri=True)) as src:
        src.backup(dst)
    started = time.perf_counter()
    states, milestones = read_bench(bench_db)
    with dst:
        if dst.execute("SELECT count(*) FROM projects").fetchone()[0]:
            raise Unavailable(f"{REDMINE_TEMPLATE} already has projects: not a fresh Redmine")
        rows = redmine_rows(states, milestones, redmine_ids(dst), datetime.now())
        for table, columns in INSERTS.items():
            values = getattr(rows, table)
            marks = ", ".join("?" * len(values[0]))
            dst.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        dst.executemany("DELETE FROM settings WHERE name = ?", [(n,) for n in SETTINGS])
        dst.executemany(
            "INSERT INTO settings (name, value, updated_on) VALUES (?, ?, ?)",
            [(name, value, stamp) for name, value in SETTINGS.items()],
        )
    dst.close()
    return {
        "projects": len(rows.projects),
        "issues": len(rows.issues),
        "insert_s": round(time.perf_counter() - started, 1),
    }


def ensure_bench_db(path: Path) -> dict[str, Any]:
    """The generated bench database, made (migrate + bench.generate) when it is missing."""
    if path.exists():
        return {"reused": str(path)}
    from bench.run import fresh, prepare

    url = f"sqlite:///{path}"
    fresh("sqlite", url)
    print(f"[peer] generating the bench data into {path} ...", flush=True)
    return prepare(url, 1.0)


# --- servers ------------------------------------------------------------------------------


def _free_port() -> int:
    from bench.run import _free_port as free_port

    return free_port()


def _tree(root: int) -> list[int]:
    """root and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children.get(pid, [])
    return pids


def _cpu_ticks(pids: Iterable[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Server:
    """A server process group started by this script, its base URL and its processes."""

    name: str
    process: subprocess.Popen[bytes]
    base: str

    def pids(self) -> list[int]:
        """The server's processes (master and workers)."""
        return _tree(self.process.pid)

    def memory_mb(self) -> dict[str, float]:
        """Peak (VmHWM) and current (VmRSS) resident memory, summed over its processes."""
        pids = self.pids()
        return {
            "peak_mb": round(sum(_status_kb(p, "VmHWM") for p in pids) / 1024, 1),
            "rss_mb": round(sum(_status_kb(p, "VmRSS") for p in pids) / 1024, 1),
            "processes": len(pids),
        }


@contextmanager
def serve(name: str, command: list[str], cwd: Path, env: dict[str, str], port: int,
          ready: str, log: Path, boot_s: float = 180) -> Iterator[Server]:  # fmt: skip
    """Start command in its own process group; stop that group (and only it) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(name, process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.perf_counter() + boot_s
        while True:
            if process.poll() is not None:
                raise Unavailable(f"{name} exited with {process.returncode}; see {log}")
            try:
                urllib.request.urlopen(server.base + ready, timeout=30).read()
                break
            except OSError as error:
                if time.perf_counter() > deadline:
                    raise Unavailable(
                        f"{name} did not answer in {boot_s:.0f} s; see {log}"
                    ) from error
                time.sleep(0.5)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def ours(name: str, bench_db: Path, cache_mb: int, work: Path) -> Any:
    """The tracker under gunicorn, 2 sync workers, as `python -m bench` serves it."""
    port = _free_port()
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{bench_db}",
        "TRACKER_SECRET_KEY": "bench",
        "TRACKER_PAGE_CACHE_MB": str(cache_mb),
    }
    command = [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
               "--timeout", "300", "--log-level", "warning", "bench.wsgi:app"]  # fmt: skip
    return serve(name, command, ROOT, env, port, "/static/tracker.css", work / f"{name}.log")


def redmine(database: Path, work: Path) -> Any:
    """Redmine on puma, cluster mode with 2 workers, production, reading the filled copy."""
    port = _free_port()
    env = {"RAILS_ENV": "production", "DATABASE_URL": f"sqlite3://{database}"}
    command = ["bundle", "exec", "puma", "-e", "production", "-w", "2",
               "-b", f"tcp://127.0.0.1:{port}", "config.ru"]  # fmt: skip
    return serve("redmine", command, REDMINE_ROOT, env, port, "/projects", work / "redmine.log")


def wait_idle(servers: Iterable[Server], busy: float = 0.05, timeout: float = 300) -> float:
    """Seconds waited until every server used under `busy` of a core for half a second."""
    pids = [p for s in servers for p in s.pids()]
    tick = os.sysconf("SC_CLK_TCK")
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        before = _cpu_ticks(pids)
        time.sleep(0.5)
        if (_cpu_ticks(pids) - before) / tick / 0.5 < busy:
            break
    return round(time.perf_counter() - started, 1)


# --- measuring ----------------------------------------------------------------------------


def fetch(url: str) -> tuple[float, bytes]:
    """One request: milliseconds and body (a status other than 200 raises)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body: bytes = response.read()
    return (time.perf_counter() - started) * 1000, body


def alone(url: str, times: int) -> list[float]:
    """Milliseconds of `times` single requests, one after the other."""
    return [round(fetch(url)[0], 1) for _ in range(times)]


def wrk(url: str, seconds: int) -> dict[str, Any]:
    """wrk -t2 -c16 for `seconds`: req/s, latency percentiles, errors."""
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "120s",
         "-s", str(HERE / "percentiles.lua"), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return parse_wrk(done.stdout)


def rows_shown(name: str, body: bytes) -> int | None:
    """How many issues (or CSV rows) a Redmine page shows: what the comparison is with."""
    text = body.decode("utf-8", "replace")
    if name.endswith("csv"):
        return max(text.count("\n") - 1, 0)
    if name == "gantt_500":
        return len(re.findall(r'class="[^"]*\bissue-subject\b', text))
    return len(re.findall(r'<tr id="issue-\d+"', text))


@dataclass
class Target:
    """A page on a server: what one wrk run measures."""

    key: str  # e.g. "ours_uncached:dashboard"
    server: Server
    path: str


def measure(targets: list[Target], everyone: list[Server], args: argparse.Namespace,
            ) -> dict[str, Any]:  # fmt: skip
    """--rounds rounds over all targets, the order reversed every other round."""
    runs: dict[str, dict[str, list[Any]]] = {t.key: {"rps": [], "alone_ms": [], "wrk": []}
                                             for t in targets}  # fmt: skip
    loads = []
    for n in range(args.rounds):
        loads.append(os.getloadavg()[0])
        order = targets if n % 2 == 0 else targets[::-1]
        print(f"[peer] round {n + 1}/{args.rounds} (load {loads[-1]:.1f})", flush=True)
        for t in order:
            url = t.server.base + t.path
            wait_idle(everyone)
            ms = alone(url, args.alone)
            waited = wait_idle(everyone)
            seconds = wrk_seconds(median(ms) or 0, args.seconds, args.max_seconds)
            figures = wrk(url, seconds)
            figures.update(idle_wait_s=waited, seconds=seconds)
            run = runs[t.key]
            run["alone_ms"] += ms
            run["rps"].append(figures["rps"])
            run["wrk"].append(figures)
            print(f"  {t.key:28s} {figures['rps']:8.1f} req/s  alone {median(ms)} ms  "
                  f"({seconds} s)  errors {figures['errors']}", flush=True)  # fmt: skip
    loads.append(os.getloadavg()[0])
    return {"runs": runs, "load_per_round": [round(x, 2) for x in loads]}


def summarise(runs: dict[str, dict[str, list[Any]]]) -> dict[str, dict[str, Any]]:
    """Per target: median req/s over rounds, median ms alone over all single requests."""
    return {
        key: {
            "rps": median(run["rps"]),
            "alone_ms": median(run["alone_ms"]),
            "errors": sum(w["errors"] for w in run["wrk"]),
        }
        for key, run in runs.items()
    }


def _cell(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value}{unit}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def pair_rows(summary: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The table's rows: each pair with the ratios ours/peer (req/s)."""
    out = []
    for pair in PAIRS:
        uncached = summary[f"ours_uncached:{pair.ours}"]
        cached = summary[f"ours_cached:{pair.ours}"]
        peer = summary[f"redmine:{pair.peer}"]
        out.append({
            "pair": pair.label, "ours": pair.ours, "peer": pair.peer,
            "ours_cached_rps": cached["rps"], "ours_uncached_rps": uncached["rps"],
            "ours_uncached_alone_ms": uncached["alone_ms"],
            "peer_rps": peer["rps"], "peer_alone_ms": peer["alone_ms"],
            "uncached_ratio": _ratio(uncached["rps"], peer["rps"]),
            "cached_ratio": _ratio(cached["rps"], peer["rps"]),
            "alone_ratio": _ratio(peer["alone_ms"], uncached["alone_ms"]),
        })  # fmt: skip
    return out


def table(results: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    heads = ["ours cached", "ours uncached", "alone", "Redmine", "alone", "ratio uncached",
             "cached", "alone"]  # fmt: skip
    widths = [12, 13, 10, 12, 10, 14, 8, 8]
    lines = [f"{'pair (req/s under wrk; ms alone)':46s} "
             + " ".join(f"{h:>{w}s}" for h, w in zip(heads, widths, strict=True))]  # fmt: skip
    for r in results["pairs"]:
        cells = [
            _cell(r["ours_cached_rps"], " r/s"), _cell(r["ours_uncached_rps"], " r/s"),
            _cell(r["ours_uncached_alone_ms"], " ms"), _cell(r["peer_rps"], " r/s"),
            _cell(r["peer_alone_ms"], " ms"), _cell(r["uncached_ratio"], "x"),
            _cell(r["cached_ratio"], "x"), _cell(r["alone_ratio"], "x"),
        ]  # fmt: skip
        row = " ".join(f"{c:>{w}s}" for c, w in zip(cells, widths, strict=True))
        lines.append(f"{r['pair']:46s} {row}")
    memory = ", ".join(f"{k} {v['peak_mb']} MB peak ({v['processes']} processes)"
                       for k, v in results["memory"].items())  # fmt: skip
    lines.append(f"memory: {memory}")
    shown = ", ".join(f"{k} {v}" for k, v in results["rows_shown"].items())
    lines.append(f"rows shown: {shown}")
    loads = results["load_per_round"]
    lines.append(f"load average (1 min) at each round's start and at the end: {loads}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fill Redmine, start the three servers, measure, and gather the results."""
    from bench.run import machine

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    bench_db = Path(args.bench_db)
    results: dict[str, Any] = {"machine": machine(), "load_at_start": os.getloadavg()}
    results["bench_db"] = ensure_bench_db(bench_db)
    peer_db = work / "redmine.sqlite3"
    if args.skip_fill and peer_db.exists():
        results["redmine_fill"] = {"reused": str(peer_db)}
    else:
        print("[peer] copying the bench data into Redmine ...", flush=True)
        results["redmine_fill"] = fill_redmine(bench_db, peer_db)
    version = _run(["dpkg-query", "-W", "-f", "${Version}", "redmine"]).stdout.strip()
    results["setup"] = {
        "redmine": version, "as_of": AS_OF.isoformat(), "settings": SETTINGS,
        "wrk": f"-t2 -c{CLIENTS}", "seconds": [args.seconds, args.max_seconds],
        "rounds": args.rounds,
        "alone_requests": args.alone, "ours": ours_paths(), "peer": peer_paths(),
    }  # fmt: skip
    print("[peer] starting the servers ...", flush=True)
    with ExitStack() as stack:
        peer = stack.enter_context(redmine(peer_db, work))
        uncached = stack.enter_context(ours("ours_uncached", bench_db, 0, work))
        cached = stack.enter_context(ours("ours_cached", bench_db, 64, work))
        everyone = [peer, uncached, cached]
        targets = [Target(f"redmine:{n}", peer, p) for n, p in peer_paths().items()]
        for name, path in ours_paths().items():
            targets += [Target(f"{s.name}:{name}", s, path) for s in (uncached, cached)]
        # Interleave: a Redmine page, then one of ours (uncached, cached), and so on.
        peers = [t for t in targets if t.server is peer]
        mine = [t for t in targets if t.server is not peer]
        targets = [t for i in range(max(len(peers), len(mine) // 2)) for t in
                   peers[i : i + 1] + mine[2 * i : 2 * i + 2]]  # fmt: skip
        sizes, shown = {}, {}
        for t in targets:  # warm every worker, and see what each page shows
            for _ in range(3):
                _ms, body = fetch(t.server.base + t.path)
            sizes[t.key] = round(len(body) / 1024, 1)
            if t.server is peer or t.key.endswith("csv"):
                shown[t.key] = rows_shown(t.key.split(":", 1)[1], body)
        results["kb"], results["rows_shown"] = sizes, shown
        measured = measure(targets, everyone, args)
        results["memory"] = {s.name: s.memory_mb() for s in everyone}
    results["load_per_round"] = measured["load_per_round"]
    results["targets"] = summarise(measured["runs"])
    results["pairs"] = pair_rows(results["targets"])
    results["raw"] = measured["runs"]
    return results


def main() -> None:
    """Parse the flags; install Redmine when asked and possible; measure; print and write."""
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=summary)
    parser.add_argument("--install", action="store_true", help="apt-get install Redmine etc.")
    parser.add_argument("--seconds", type=int, default=5, help="least wrk duration per page")
    parser.add_argument("--max-seconds", type=int, default=120, help="most wrk duration")
    parser.add_argument("--rounds", type=int, default=4, help="alternated rounds (medians)")
    parser.add_argument("--alone", type=int, default=5, help="single requests per round")
    parser.add_argument("--bench-db", default="/tmp/nap-peer/bench.sqlite3",
                        help="generated bench database (made when missing)")  # fmt: skip
    parser.add_argument("--work", default="/tmp/nap-peer", help="Redmine's copy, server logs")
    parser.add_argument("--skip-fill", action="store_true", help="reuse Redmine's filled copy")
    parser.add_argument("--out", default=str(HERE / "peer-results.json"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    try:
        ensure_redmine(args.install)
        results = run(args)
    except Unavailable as reason:
        print(f"[peer] no side-by-side figures: {reason}")
        return
    print(table(results))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
