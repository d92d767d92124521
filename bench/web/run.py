"""`make bench-web`: how fast the public pages are on a ten-year archive, under load.

    .venv/bin/python -m bench.web.run [--duration 15] [--connections 8] [--keep] [--no-docs]

1. creates its own PostgreSQL database (BENCH_DATABASE_URL, by default
   postgres://postgres@127.0.0.1:5432/quorum_bench; the name must contain "bench", as the
   database is dropped first and at the end) and a temporary QUORUM_VAR_DIR;
2. applies every migration there is, fills a large county council's ten-year archive
   (bench/web/fill.py) and runs VACUUM ANALYZE, as autovacuum would have;
3. counts each page's SQL queries with Django's test client (bench/web/probe.py);
4. serves the project with gunicorn on 127.0.0.1 (DEBUG off, settings bench.web.settings:
   the project's plus a trivial view, the framework's own ceiling) and loads each page
   with wrk: a warm-up, then a measured run; a page that takes seconds on its own is
   reported as such and not loaded;
5. prints wrk's raw output and a Markdown summary, and writes the summary into
   docs/benchmarks.md, under "## Web pages (make bench-web)" (only between its markers).
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from bench.machine import one_cpu_seconds

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Web pages (make bench-web)"
RESULTS_START = "<!-- bench-web results: written by `make bench-web`; edits between these markers are replaced -->"
RESULTS_END = "<!-- end of bench-web results -->"
LUA = Path(__file__).with_name("report.lua")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/quorum_bench"
# The page cache's Redis, as in production (BENCH_CACHE_URL; the keys are prefixed and carry
# the public content generation, so a database other work uses is safe).
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/12"
# A page slower than this on its own is not load-tested: with four connections queued on each
# worker, wrk would record a handful of requests or only time-outs.
SLOW_SECONDS = 2.0
# The surge (--surge): as many residents at once as the load probe of issue 21, each giving
# up after 10 s.
SURGE_CONNECTIONS = 200
SURGE_TIMEOUT = "10s"
# Targets, against the trivial view measured in the same run.
TARGET_SHARE_OF_TRIVIAL_RPS = 0.5
TARGET_TIMES_TRIVIAL_P95 = 2.0
TARGET_SEARCH_P95_MS = 100
TARGET_SURGE_P99_MS = 1000


def say(message: str = "") -> None:
    print(message, flush=True)


# -- prerequisites ---------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is not installed; installing Debian's package (apt-get install -y wrk)...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)  # noqa: S607
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit(
        "bench-web needs the load generator wrk. Install it with `sudo apt-get install wrk` "
        "(Debian/Ubuntu) or `brew install wrk` (macOS), then run `make bench-web` again."
    )


class Database:
    """The benchmark's own PostgreSQL database, created empty and dropped at the end."""

    def __init__(self, url: str):
        parts = urlparse(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"bench-web runs on PostgreSQL; {url!r} is not a postgres:// URL.")
        self.url = url
        self.name = unquote(parts.path.lstrip("/"))
        if "bench" not in self.name:
            raise SystemExit(f"Refusing to drop and recreate {self.name!r}: the database name must contain 'bench'.")
        self.connect_args = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or "") or None,
        }

    def _run(self, dbname: str, *statements: str) -> list:
        import psycopg2

        connection = psycopg2.connect(dbname=dbname, **self.connect_args)
        connection.autocommit = True
        rows = []
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    rows.append(cursor.fetchall() if cursor.description else None)
        finally:
            connection.close()
        return rows

    def recreate(self) -> None:
        quoted = '"' + self.name.replace('"', '""') + '"'
        self._run("postgres", f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", f"CREATE DATABASE {quoted}")

    def drop(self) -> None:
        quoted = '"' + self.name.replace('"', '""') + '"'
        self._run("postgres", f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")

    def vacuum_analyze(self) -> None:
        self._run(self.name, "VACUUM ANALYZE")

    def active_queries(self) -> int:
        """Queries running in the benchmark's database, apart from this one."""
        (rows,) = self._run(
            self.name,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()",
        )
        return rows[0][0]

    def backends(self) -> list[int]:
        """The PostgreSQL server processes serving the benchmark's database (the web workers'
        connections), apart from this one."""
        (rows,) = self._run(
            self.name, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in rows]

    def server(self) -> dict:
        version, buffers = self._run(self.name, "SHOW server_version", "SHOW shared_buffers")
        return {"version": version[0][0], "shared_buffers": buffers[0][0]}


# -- steps -------------------------------------------------------------------------------------


def cache_url() -> str:
    """BENCH_CACHE_URL when Redis answers there; else "" (each worker keeps pages in memory)."""
    url = os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL)
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any reason Redis is not there
        say(f"== No Redis at {url} ({error}): each worker keeps its pages in its own memory")
        return ""
    return url


def django_env(database_url: str, var_dir: str, cache: str = "") -> dict:
    env = {**os.environ}
    env.pop("QUORUM_ENVIRONMENT", None)  # the demo settings, but...
    env.pop("QUORUM_CACHE_URL", None)
    if cache:
        env["QUORUM_CACHE_URL"] = cache
    env.update(
        {
            "DEBUG": "0",  # ...with DEBUG off, as served
            "DATABASE_URL": database_url,
            "QUORUM_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "bench.web.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run_json(command: list[str], env: dict) -> object:
    """Run a step, echoing its output; its last line is JSON."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    last = ""
    for line in process.stdout:
        if line.startswith(("{", "[")):
            last = line
        else:
            print(line, end="", flush=True)
    if process.wait() != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}).")
    return json.loads(last)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "bench.web.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", "1",
        "--timeout", "120",
        "--error-logfile", str(log), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}:\n{log.read_text() if log.exists() else ''}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _cpu_ticks(pids: list[int]) -> int:
    """User and system CPU time (clock ticks) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _ticks_by_process(pids: list[int]) -> dict[int, int]:
    return {pid: _cpu_ticks([pid]) for pid in pids if Path(f"/proc/{pid}/stat").exists()}


class ServerCpu:
    """The CPU time the web workers and the database's server processes spend on a run of
    requests, read from /proc (PostgreSQL on this machine): what one request costs, which
    with the number of CPUs bounds the requests/s, and so the latency of a queue of
    connections, whatever the code's speed alone. Sampled every half second through the run:
    a database process that ended during it (its connection closed at CONN_MAX_AGE) took at
    most half a second's ticks with it, and the figure is then marked a lower bound."""

    def __init__(self, server_pid: int, database: "Database"):
        self.server_pid, self.database = server_pid, database

    def sample(self) -> tuple[dict[int, int], dict[int, int]]:
        return (
            _ticks_by_process([self.server_pid, *_children(self.server_pid)]),
            _ticks_by_process(self.database.backends()),
        )

    @staticmethod
    def latest(kept, sample):
        """Each process's latest ticks, those that ended since keeping their last sample."""
        if kept is None:
            return sample
        return tuple({**old, **new} for old, new in zip(kept, sample, strict=True))

    @staticmethod
    def per_request(before, after, requests: int) -> dict | None:
        if not requests or not Path("/proc").exists():
            return None
        tick_ms = 1000 / os.sysconf("SC_CLK_TCK")

        def spent(first: dict[int, int], last: dict[int, int]) -> float:
            return sum(ticks - first.get(pid, 0) for pid, ticks in last.items()) * tick_ms / requests

        return {
            "web_ms": round(spent(before[0], after[0]), 1),
            "database_ms": round(spent(before[1], after[1]), 1),
            # A process gone between two samples took up to half a second's ticks with it.
            "database_ended": bool(set(after[1]) - set(ServerCpu.alive(after[1]))),
        }

    @staticmethod
    def alive(ticks: dict[int, int]) -> list[int]:
        return [pid for pid in ticks if Path(f"/proc/{pid}/stat").exists()]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def wait_idle(port: int, server_pid: int, database: "Database", limit: float = 180) -> None:
    """Wait until the server has worked off what the last run left queued (wrk closes its
    connections at the end, but requests already accepted are still served, and their
    queries still run), so that one page's backlog is neither measured as the next page's
    latency nor counted as other people's work."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=limit) as response:  # noqa: S310
                response.read()
        except OSError:
            time.sleep(0.5)
            continue
        if time.monotonic() - started >= 0.05:
            continue
        if not Path("/proc").exists():
            return
        # Every worker idle (no CPU over half a second) and no query of ours still running.
        workers = [server_pid, *_children(server_pid)]
        before = _cpu_ticks(workers)
        time.sleep(0.5)
        if _cpu_ticks(workers) - before <= 1 and database.active_queries() == 0:
            return
    say(f"   (the server was still busy after {limit:.0f} s)")


def load(
    wrk: str,
    url: str,
    *,
    threads: int,
    connections: int,
    seconds: int,
    warmup: int,
    settle,
    headers: dict | None = None,
    timeout: str = "30s",
    cpu: ServerCpu | None = None,
) -> dict:
    common = ["-t", str(threads), "-c", str(connections), "--timeout", timeout]
    for name, value in (headers or {}).items():
        common += ["-H", f"{name}: {value}"]
    if warmup:
        subprocess.run([wrk, *common, "-d", f"{warmup}s", url], check=True, capture_output=True)  # noqa: S603
        if settle:
            settle()
    command = [wrk, *common, "-d", f"{seconds}s", "--latency", "-s", str(LUA), url]
    say("$ " + " ".join(command))
    before = cpu.sample() if cpu else None
    after = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as running:  # noqa: S603
        while cpu and running.poll() is None:
            # Sampled through the run, not only at its end: a database process that ends
            # (a connection older than CONN_MAX_AGE) keeps the ticks it had at the last sample.
            after = ServerCpu.latest(after, cpu.sample())
            time.sleep(0.5)
        output = running.stdout.read()
    if running.returncode:
        raise subprocess.CalledProcessError(running.returncode, command, output)
    if cpu:
        after = ServerCpu.latest(after, cpu.sample())
    report = [line for line in output.splitlines() if not line.startswith("BENCH_RESULT ")]
    say("\n".join(report))
    found = re.search(r"^BENCH_RESULT (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise SystemExit("wrk did not print the BENCH_RESULT line (is bench/web/report.lua intact?)")
    result = json.loads(found.group(1))
    if cpu:
        result["cpu"] = ServerCpu.per_request(before, after, result["requests"])
    return result


# -- the report ----------------------------------------------------------------------------------


def machine(database: Database, wrk: str) -> dict:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(found.group(1)) / 1024 / 1024:.0f} GB RAM" if found else ""
    system = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.exists():
        found = re.search(r'^PRETTY_NAME="?([^"\n]+)', os_release.read_text(), re.MULTILINE)
        system = found.group(1) if found else system
    import django
    import gunicorn

    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.splitlines()  # noqa: S603
    server = database.server()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "one_cpu_seconds": one_cpu_seconds(),
        "memory": memory,
        "system": system,
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgres": f"PostgreSQL {server['version']} (shared_buffers {server['shared_buffers']})",
        "wrk": " ".join(wrk_version[0].split()[:2]) if wrk_version else "wrk",
    }


def background_cpu(seconds: float = 5.0) -> float | None:
    """Per cent of the machine's CPU time busy over a few seconds while none of the
    benchmark's own processes run: other people's work, which the load figures then share
    the CPUs with."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None

    def sample() -> tuple[int, int]:
        values = [int(v) for v in stat.read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values[:8]), idle

    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    total = total_after - total_before
    return round(100 * (1 - (idle_after - idle_before) / total), 1) if total else None


def wait_quiet(limit: float, threshold: float = 15) -> None:
    """On a shared machine, wait (up to `limit` seconds) for other work to calm down before
    loading the pages, so that the figures are the server's and not the neighbours'."""
    deadline = time.monotonic() + limit
    while True:
        busy = background_cpu(3)
        if busy is None or busy <= threshold:
            return
        if time.monotonic() >= deadline:
            say(f"== Other work keeps {busy}% of the CPUs busy; measuring anyway (see the notes).")
            return
        say(f"== Other work keeps {busy}% of the CPUs busy; waiting for a quieter moment...")
        time.sleep(5)


def ms(microseconds: float) -> str:
    value = microseconds / 1000
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def cpu_cell(cpu: dict | None) -> str:
    if not cpu:
        return ""
    at_least = "at least " if cpu["database_ended"] else ""
    return f"{at_least}{cpu['web_ms']:,.1f} + {cpu['database_ms']:,.1f}"


def short_sql(sql: str, width: int = 260) -> str:
    """The part of a query that says what it does: FROM onwards, shortened."""
    sql = " ".join(sql.split())
    start = sql.find(" FROM ")
    text = ("SELECT … " + sql[start + 1 :]) if start > 0 else sql
    return (text[:width] + " …") if len(text) > width else text


def markdown(run: dict) -> str:
    lines = [
        RESULTS_START,
        "",
        f"### Latest run: {run['date']}",
        "",
        f"Command: `{run['command']}` (gunicorn {run['workers']} sync workers, 1 thread each; "
        f"wrk {run['threads']} threads, {run['connections']} connections, {run['warmup']} s warm-up "
        f"then {run['duration']} s per page; anonymous reader; all on 127.0.0.1).",
        "",
        "| Page | p50 (ms) | p95 (ms) | Requests/s | CPU a request: web + database (ms) | SQL queries | Alone (ms) | Size (KB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    notes = []
    for page in run["pages"]:
        result = page.get("load")
        size = f"{page['bytes'] / 1024:,.1f}" if page["bytes"] >= 1024 else f"{page['bytes']} B"
        name = f"{page['name']}<br>`{page['path']}`"
        alone = f"{page['single_ms']:,.0f}" if page["single_ms"] >= 100 else f"{page['single_ms']:,.1f}"
        if page["status"] != 200:
            lines.append(f"| {name} | HTTP {page['status']} | | | | {page['queries']} | {alone} | {size} |")
            continue
        if result is None:
            lines.append(f"| {name} | not loaded | not loaded | | | {page['queries']} | {alone} | {size} |")
            notes.append(
                f"- {page['name']}: one request alone took {page['single_ms'] / 1000:,.1f} s, so it was not "
                f"load-tested (wrk would only record time-outs)."
            )
            continue
        lines.append(
            f"| {name} | {ms(result['p50_us'])} | {ms(result['p95_us'])} | {result['rps']:,.1f} "
            f"| {cpu_cell(result.get('cpu'))} | {page['queries']} | {alone} | {size} |"
        )
        errors = sum(result[key] for key in result if key.startswith("errors_"))
        if errors:
            notes.append(f"- {page['name']}: {errors} errors under load ({result}).")
        if 0 < result["requests"] < 100:
            notes.append(
                f"- {page['name']}: only {result['requests']} requests completed in {run['duration']} s, "
                "so its p95 rests on few samples."
            )
    lines += [
        "",
        "p50 and p95: latency under load (wrk's `latency:percentile`); Requests/s: completed "
        "responses per second over the run; CPU a request: the CPU time the web workers and "
        "PostgreSQL's processes for the database spent over the run, divided by the requests "
        '("at least" where a database process ended during the run); with '
        f"{run['machine']['cpus']} CPUs and {run['connections']} connections, a page costing C ms of "
        f"CPU is answered in about {run['connections']} x C / {run['machine']['cpus']} ms at best "
        "(the connections queue for the CPUs); "
        "SQL queries: one request through Django's test client; Alone: that one request's time "
        "on its own, without HTTP.",
        "",
    ]
    lines += targets_table(run)
    lines += picker_table(run)
    samples = [(p["name"], p["background"]) for p in run["pages"] if p.get("background") is not None]
    samples.append(("after the load", run["background_after"]))
    busy = [value for _, value in samples if value is not None]
    if busy:
        line = (
            "- CPU busy with other people's work (sampled for 2 s while the benchmark's own processes "
            "were idle, before each page's load and after the last): "
            + ", ".join(f"{name} {value:g}%" for name, value in samples if value is not None)
            + "."
        )
        if max(busy) > 15:
            line += (
                " Other processes were competing for the CPUs, so the figures under load are "
                "pessimistic; run again on a quiet machine for clean ones."
            )
        notes.insert(0, line)
    if notes:
        lines += ["Notes on this run:", "", *notes, ""]
    slow = [p for p in run["pages"] if p["slowest_sql_ms"] >= 20]
    if slow:
        lines += ["Slowest SQL query of each page where it took 20 ms or more (one request alone):", ""]
        for page in slow:
            lines.append(f"- {page['name']}: {page['slowest_sql_ms']:,.0f} ms: `{short_sql(page['slowest_sql'])}`")
        lines.append("")
    m = run["machine"]
    lines += [
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory']}, {m['system']}; Python {m['python']}, "
        f"Django {m['django']}, gunicorn {m['gunicorn']}, {m['postgres']}, {m['wrk']}. The server, the "
        "database and the load generator share these CPUs. One CPU's speed, after the load: ten million "
        f"additions in a Python loop in {m.get('one_cpu_seconds', '?')} s (fastest of 5; lower is faster).",
        "",
        f"Data ({run['fill_seconds']:,.0f} s to fill, seed {run['seed']}, scale {run['scale']:g}; "
        f"migrations applied: {run['migrations']}):",
        "",
        "| What | Rows |",
        "| --- | ---: |",
        *[f"| {key} | {value:,} |" for key, value in run["volumes"].items()],
        "",
        RESULTS_END,
    ]
    return "\n".join(lines)


def picker_table(run: dict) -> list[str]:
    """Issue 15's target: the officer's meeting picker answers in under 50 ms."""
    from bench.web.picker import REPEAT, TARGET_MS

    lines = [
        f"The officer's meeting picker (the admin's autocomplete box for a meeting), signed in, "
        f"through Django's test client (no network), {REPEAT} requests per term after a warm-up "
        f"(target: under {TARGET_MS} ms):",
        "",
        "| Typed | Meetings found | Median (ms) | p95 (ms) | Queries | Met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in run.get("picker", []):
        found = f"{e['found']}{'+' if e['more'] else ''}"
        met = e["status"] == 200 and e["p95_ms"] < TARGET_MS
        lines.append(
            f"| {e['term']} | {found} | {e['median_ms']} | {e['p95_ms']} | {e['queries']} | {'yes' if met else '**no**'} |"
        )
    return [*lines, ""]


def targets_table(run: dict) -> list[str]:
    """Each target of issue 21 against this run: pages and feeds as a share of the trivial
    view's requests/s and a multiple of its p95; search p95 in ms; the surge."""
    pages = run["pages"]
    trivial = next((p["load"] for p in pages if p.get("target") == "ceiling" and p.get("load")), None)
    if trivial is None:
        return []
    lines = [
        f"Page cache: {run['cache']}. Targets (issue 21), against the trivial view in this run "
        f"({trivial['rps']:,.0f} requests/s, p95 {ms(trivial['p95_us'])} ms):",
        "",
        "| Page | Requests/s, share of trivial (>= 50%) | p95, multiple of trivial's (<= 2x) | Search p95 (< 100 ms) | Met |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for page in pages:
        result, target = page.get("load"), page.get("target")
        if target not in ("page", "search"):
            continue
        if result is None:
            lines.append(f"| {page['name']} | not loaded | | | no |")
            continue
        share = result["rps"] / trivial["rps"]
        times = result["p95_us"] / trivial["p95_us"]
        errors = sum(result[key] for key in result if key.startswith("errors_"))
        if target == "page":
            met = share >= TARGET_SHARE_OF_TRIVIAL_RPS and times <= TARGET_TIMES_TRIVIAL_P95 and not errors
            search = ""
        else:
            met = result["p95_us"] / 1000 < TARGET_SEARCH_P95_MS and not errors
            search = f"{ms(result['p95_us'])} ms"
        lines.append(f"| {page['name']} | {share:.0%} | {times:.2f}x | {search} | {'yes' if met else '**no**'} |")
    lines.append("")
    if run.get("surge"):
        lines += [
            f"Surge: gunicorn {run['surge_workers']} sync workers, wrk {SURGE_CONNECTIONS} connections for "
            f"{run['surge_seconds']} s per page, a request given up after {SURGE_TIMEOUT} "
            f"(targets: no time-outs, no errors, p99 under {TARGET_SURGE_P99_MS / 1000:g} s):",
            "",
            "| Page | Requests | Requests/s | p50 (ms) | p99 (ms) | Max (ms) | Time-outs | Other errors | Met |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for entry in run["surge"]:
            r = entry["load"]
            other = r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_status"]
            met = r["errors_timeout"] == 0 and other == 0 and r["p99_us"] / 1000 < TARGET_SURGE_P99_MS
            lines.append(
                f"| {entry['name']} | {r['requests']:,} | {r['rps']:,.1f} | {ms(r['p50_us'])} | {ms(r['p99_us'])} "
                f"| {ms(r['max_us'])} | {r['errors_timeout']} | {other} | {'yes' if met else '**no**'} |"
            )
        lines.append("")
    return lines


DEFAULT_SECTION = f"""{HEADING}

`make bench-web` (that is, `.venv/bin/python -m bench.web.run`; `--help` for the options)
measures the public pages on the archive a large county council builds up in ten years,
under concurrent load. It needs PostgreSQL on 127.0.0.1:5432 (`BENCH_DATABASE_URL` for
another server; the database name must contain "bench", as it is dropped and recreated) and
Debian's `wrk` (installed for you when run as root). On a quiet two-core machine it takes
about four minutes and leaves nothing behind (`--keep` keeps the database to explore).

- **Data** (bench/web/fill.py): 40 committees, 5,000 meetings over ten years (and three
  months ahead), 50,000 agenda items, 20,000 reports, 100,000 appendix documents (seven in
  ten uploaded PDFs with their extracted text, the rest rich text), 84 councillors with their
  committee places in each council term, attendance and minutes. Text comes from a fixed
  vocabulary of council words and a seeded generator, so every run has the same archive;
  each report has a subject that most of its sentences are about, so a search term matches
  the papers about it and a few more. About 3% of reports are Part II. Rows go in with
  `bulk_create`, after every migration present is applied, then `VACUUM ANALYZE`.
- **Pages**: home, a meeting (the latest with published minutes and a full agenda), the
  committee with the most meetings, search (a common phrase and a rare site name), the
  papers RSS feed and the meetings iCalendar feed, all as the public sees them; and a
  trivial view (bench/web/urls.py, through the same middleware) as the framework's own
  ceiling.
- **Load**: gunicorn (settings `bench.web.settings`: the project's, DEBUG off, persistent
  database connections) and wrk on loopback; the percentiles are wrk's. A page that takes
  more than {SLOW_SECONDS:g} s on its own is reported, not loaded. The runner waits (up to two
  minutes) for other work on the machine to calm down and reports how busy the CPUs were.

"""


def write_docs(results: str) -> None:
    """Replace this benchmark's results in docs/benchmarks.md, touching nothing else: other
    sections belong to other benchmarks (and the prose of this one is written by hand)."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    match = re.search(rf"^{re.escape(HEADING)}[ \t]*$", text, re.MULTILINE)
    if match is None:
        text = text.rstrip("\n") + "\n\n" + DEFAULT_SECTION + results + "\n"
    else:
        following = re.search(r"^## ", text[match.end() :], re.MULTILINE)
        end = match.end() + following.start() if following else len(text)
        section = text[match.start() : end]
        if RESULTS_START in section and RESULTS_END in section:
            before, rest = section.split(RESULTS_START, 1)
            after = rest.split(RESULTS_END, 1)[1]
            section = before + results + after
        else:
            section = section.rstrip("\n") + "\n\n" + results + "\n" + ("\n" if following else "")
        text = text[: match.start()] + section + text[end:]
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    temporary = DOCS.with_name(DOCS.name + ".bench-web.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(DOCS)


# -- main ------------------------------------------------------------------------------------------


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds of measured load per page (15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up load per page (3)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full archive, for a quick try")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="seconds to wait for other work on the machine to calm down before the load (120)",
    )
    parser.add_argument(
        "--surge",
        type=int,
        default=0,
        help=f"then {SURGE_CONNECTIONS} connections for this many seconds on each page type (make bench-web-surge: 60)",
    )
    parser.add_argument(
        "--surge-workers", type=int, default=4, help="gunicorn workers for the surge (4, as in the README)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the var folder")
    parser.add_argument(
        "--picker-only", action="store_true", help="fill the archive, time the officer's meeting picker, print, stop"
    )
    parser.add_argument("--no-docs", action="store_true", help="print the results only")
    args = parser.parse_args(argv)

    started = time.monotonic()
    wrk = ensure_wrk()
    database = Database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    var_dir = tempfile.mkdtemp(prefix="quorum-bench-web-")
    env = django_env(database.url, var_dir, cache_url())
    python = sys.executable
    server = None
    try:
        say(f"== Database {database.name} (recreated) and var folder {var_dir}")
        database.recreate()
        subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        migrations = subprocess.run(  # noqa: S603
            [python, "manage.py", "showmigrations", "committee", "-p"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        applied = [m for m in migrations if m.startswith("committee.")]
        migrations_note = f"committee up to {applied[-1].split('.', 1)[1]}" if applied else "none"
        say(f"== Filling the archive (scale {args.scale:g}, seed {args.seed})")
        filled = run_json([python, "-m", "bench.web.fill", "--scale", str(args.scale), "--seed", str(args.seed)], env)
        for key, value in filled["volumes"].items():
            say(f"  {key}: {value:,}")
        say("== VACUUM ANALYZE")
        database.vacuum_analyze()
        say("== One request per page through the test client (SQL queries)")
        pages = run_json([python, "-m", "bench.web.probe"], env)
        for page in pages:
            say(
                f"  {page['name']} {page['path']}: HTTP {page['status']}, {page['bytes']:,} bytes, "
                f"{page['queries']} queries ({page['sql_ms']:,.1f} ms of SQL), {page['single_ms']:,.1f} ms"
            )
            for query_ms, sql in page.pop("sql"):
                if query_ms >= 20:
                    say(f"    {query_ms:,.1f} ms: {' '.join(sql.split())[:2000]}")
        say("== The officer's meeting picker, signed in (test client)")
        picker = run_json([python, "-m", "bench.web.picker"], env)
        for entry in picker:
            say(
                f"  {entry['term']!r}: {entry['found']} found, median {entry['median_ms']} ms, p95 {entry['p95_ms']} ms"
            )
        if args.picker_only:
            say("\n" + "\n".join(picker_table({"picker": picker})))
            return
        if args.quiet_wait:
            wait_quiet(args.quiet_wait)
        port = free_port()
        say(f"== gunicorn on 127.0.0.1:{port} ({args.workers} workers), wrk -t{args.threads} -c{args.connections}")
        server = start_gunicorn(env, port, args.workers, Path(var_dir) / "gunicorn.log")
        for page in pages:
            say(f"\n-- {page['name']}")
            if page["status"] != 200:
                say(f"   skipped: HTTP {page['status']}")
                continue
            if page["single_ms"] > SLOW_SECONDS * 1000:
                say(f"   not loaded: one request alone takes {page['single_ms'] / 1000:,.1f} s")
                continue
            wait_idle(port, server.pid, database)
            page["background"] = background_cpu(2)
            say(f"   CPU busy with other work just before: {page['background']}%")
            page["load"] = load(
                wrk,
                f"http://127.0.0.1:{port}{page['path']}",
                threads=args.threads,
                connections=args.connections,
                seconds=args.duration,
                warmup=args.warmup,
                settle=lambda: wait_idle(port, server.pid, database),
                headers=page.get("headers"),
                cpu=ServerCpu(server.pid, database),
            )
            wait_idle(port, server.pid, database)
        stop(server)
        server = None
        surge = []
        if args.surge:
            say(
                f"\n== Surge: gunicorn with {args.surge_workers} workers (the README's production), "
                f"wrk -c{SURGE_CONNECTIONS} for {args.surge} s per page, time-out {SURGE_TIMEOUT}"
            )
            server = start_gunicorn(env, port, args.surge_workers, Path(var_dir) / "gunicorn-surge.log")
            for page in pages:
                if page.get("target") not in ("page", "search") or page.get("headers") or not page.get("load"):
                    continue  # a surge is of anonymous residents, on pages that loaded above
                say(f"\n-- surge: {page['name']}")
                wait_idle(port, server.pid, database)
                result = load(
                    wrk,
                    f"http://127.0.0.1:{port}{page['path']}",
                    threads=args.threads,
                    connections=SURGE_CONNECTIONS,
                    seconds=args.surge,
                    warmup=0,
                    settle=None,
                    timeout=SURGE_TIMEOUT,
                )
                surge.append({"name": page["name"], "path": page["path"], "load": result})
            wait_idle(port, server.pid, database)
            stop(server)
            server = None
        background_after = background_cpu(2)
        say(f"== CPU busy with other work after the load: {background_after}%")
        command = "make bench-web"
        defaults = {
            "duration": 15, "warmup": 3, "connections": 8, "threads": 2, "workers": 2, "scale": 1.0, "surge": 0,
        }  # fmt: skip
        changed = [f"--{k} {getattr(args, k):g}" for k, v in defaults.items() if getattr(args, k) != v]
        if changed:
            command = ".venv/bin/python -m bench.web.run " + " ".join(changed)
        run = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command,
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
            "warmup": args.warmup,
            "scale": args.scale,
            "seed": args.seed,
            "pages": pages,
            "picker": picker,
            "volumes": filled["volumes"],
            "fill_seconds": filled["seconds"],
            "migrations": migrations_note,
            "machine": machine(database, wrk),
            "background_after": background_after,
            "surge": surge,
            "surge_seconds": args.surge,
            "surge_workers": args.surge_workers,
            "cache": "Redis" if env.get("QUORUM_CACHE_URL") else "each worker's memory",
        }
        results = markdown(run)
        say("\n" + results)
        if not args.no_docs:
            write_docs(results)
            say(f"\nWritten to {DOCS.relative_to(ROOT)} (section {HEADING!r}).")
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            say(f"Kept: DATABASE_URL={database.url} QUORUM_VAR_DIR={var_dir}")
        else:
            database.drop()
            shutil.rmtree(var_dir, ignore_errors=True)
    say(f"bench-web took {time.monotonic() - started:,.0f} s.")


if __name__ == "__main__":
    main()
