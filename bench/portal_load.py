"""Benchmark: the public portal under load, next to a trivial Django view in the same run.

    .venv/bin/python -m bench.portal_load                    # PostgreSQL db stadshart_p1bench, Redis db 1
    .venv/bin/python -m bench.portal_load --duration 20 --connections 50 --workers 3

Starts gunicorn on loopback with production settings (DEBUG off, collected static files, the cache
in Redis as in production, persistent database connections) against a PostgreSQL database that it
fills with `seed_demo --scale N` when empty, then runs `wrk` (Debian package) with 50 concurrent
connections against the home, news and directory pages and against `/health/` (one `SELECT 1`, no
template: the trivial view). Prints requests per second and the 95th percentile latency of each
(wrk's Lua `done()` hook reads the percentile from its latency histogram). Figures, not assertions.
Target: p95 under 100 ms, and each page at least half the trivial view's throughput.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import common

BASE = common.BASE
PYTHON = sys.executable

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout))
end
"""

PAGES = [
    ("trivial view (/health/)", "/health/"),
    ("home", "/"),
    ("news", "/nieuws/"),
    ("directory", "/bedrijvengids/"),
]


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "CACHE_URL": args.cache_url,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "p1-bench-static"),
            "STADSHART_VAR_DIR": str(Path(tempfile.gettempdir()) / "p1-bench-var"),
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def ensure_database(args, env) -> None:
    name = args.database_url.rsplit("/", 1)[1]
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"],  # noqa: S607
        capture_output=True,
    )
    common.manage("migrate", "--no-input", "-v0", env=env)
    started = time.perf_counter()
    out = common.manage("seed_demo", "--if-empty", "--scale", str(args.scale), env=env)
    if "nothing to do" not in out:
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    common.manage("collectstatic", "--no-input", "-v0", env=env)


def wrk(url: str, args, script: Path) -> dict:
    out = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk"),
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/stadshart_p1bench")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--scale", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")

    env = environment(args)
    ensure_database(args, env)
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "stadshart.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.gunicorn_threads),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        print(
            f"gunicorn {args.workers} workers x {args.gunicorn_threads} threads, wrk {args.connections} "
            f"connections for {args.duration} s each, cache {args.cache_url.split('://')[0]}"
        )
        results = {}
        for name, path in PAGES:
            urllib.request.urlopen(f"{base}{path}", timeout=10).read()  # noqa: S310 - warm the cache
            results[name] = figures = wrk(f"{base}{path}", args, Path(script.name))
            print(
                f"{name:<26} {figures['rps']:8.0f} req/s   p50 {figures['p50']:6.1f} ms   "
                f"p95 {figures['p95']:6.1f} ms   p99 {figures['p99']:6.1f} ms   errors {figures['errors']}"
            )
        trivial = results[PAGES[0][0]]["rps"]
        for name, _ in PAGES[1:]:
            figures = results[name]
            ratio = figures["rps"] / trivial
            verdict = "ok" if figures["p95"] < 100 and ratio >= 0.5 else "MISSED"
            print(
                f"{name:<26} {ratio:5.2f} x the trivial view's throughput, p95 {figures['p95']:.1f} ms: {verdict}"
            )
        common.emit(
            "portal_load",
            workers=args.workers,
            gunicorn_threads=args.gunicorn_threads,
            connections=args.connections,
            duration=args.duration,
            scale=args.scale,
            pages={
                name: {key: round(value, 1) for key, value in figures.items() if key != "seconds"}
                for name, figures in results.items()
            },
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
