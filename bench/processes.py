"""What the benchmarks read about processes from /proc: their children, CPU time and memory."""

import os
from pathlib import Path


def tree(pid: int) -> list[int]:
    """A process and its living children (a Celery or gunicorn parent and its workers)."""
    try:
        return [pid, *(int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        return [pid]


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) these processes have used."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def resident_kb(pids: list[int]) -> int:
    """Resident memory (kB) of these processes."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def postgres() -> list[int]:
    """Every PostgreSQL process on this machine (its backends come and go with connections)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found
