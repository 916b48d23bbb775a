"""The run command's last step (scripts/serve.sh): the site and a worker, stopped by one Ctrl-C."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import BASE_DIR, child_env, free_port, wait_for

pytestmark = pytest.mark.integration


def descendants(pid: int) -> set[int]:
    """Every process below pid, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


def process_table(pids: set[int]) -> str:
    """What each of these processes is doing (state, kernel wait, command), for a failure message."""
    if not pids:
        return "(no processes)"
    listing = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid,ppid,pgid,sid,stat,wchan:24,etime,args", "-p", ",".join(map(str, sorted(pids)))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    masks = {pid: _signal_masks(pid) for pid in sorted(pids)}
    return f"{listing.stdout}signals ignored and blocked (SigIgn, SigBlk): {masks}"


def _signal_masks(pid: int) -> tuple[str, ...]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return ("gone",)
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return tuple(fields.get(name, "?").strip() for name in ("SigIgn", "SigBlk"))


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own site on loopback)
    except urllib.error.HTTPError:
        return True  # any answer at all: the site is up
    except OSError:
        return False
    return True


def test_ctrl_c_stops_the_site_and_the_worker_within_seconds(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = child_env(
        DEBUG="1",
        PORT=str(port),
        STADSHART_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",  # beat's rounds stay in this test's own folder
    )
    # A terminal's shell starts a command with Ctrl-C at its default, neither ignored nor blocked.
    # A child inherits both, and something earlier in a long test run can leave this process
    # ignoring SIGINT; then serve.sh and runserver ignored Ctrl-C too (a full run on 2026-11-28).
    # Handled and unblocked here, it reaches the child at its default.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with log.open("w") as out:
            # Its own process group, as a terminal runs a command: Ctrl-C signals the whole group.
            serve = subprocess.Popen(  # noqa: S603
                ["bash", "scripts/serve.sh"], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, previous)
    started: set[int] = set()
    try:
        assert wait_for(lambda: answers(f"http://127.0.0.1:{port}/"), timeout=90), log.read_text()[-3000:]
        assert wait_for(lambda: " ready." in log.read_text(), timeout=90), log.read_text()[-3000:]
        started = descendants(serve.pid)
        assert len(started) >= 3  # the site, the worker and its pool

        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        stopped_at = time.monotonic()
        # The worker gets five seconds to finish a task, then is stopped cold (scripts/serve.sh).
        # Alone this takes under 10 s even at load 6; in full runs on a slow two-core machine it
        # passed 20 s twice (2026-11-27), so the bound is 30 s: a hang still fails.
        try:
            serve.wait(timeout=45)
        except subprocess.TimeoutExpired:
            pytest.fail(
                "serve.sh still running 45 s after Ctrl-C; its processes:\n"
                f"{process_table(started | descendants(serve.pid) | {serve.pid})}\n{log.read_text()[:3000]}"
            )
        assert wait_for(lambda: not any(alive(pid) for pid in started), timeout=20), process_table(started)
        assert time.monotonic() - stopped_at < 30, log.read_text()[:3000]
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for pid in started | descendants(serve.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
