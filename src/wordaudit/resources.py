"""What a scan may use: how many workers (the CPUs it may run on) and the
limits on each file. Apart from ``workers`` so that a scan the cache answers,
which starts no worker, need not import it."""

from __future__ import annotations

import os
from pathlib import Path

from wordaudit.record import record


@record
class Limits:
    timeout: float = 60.0
    memory_bytes: int = 1 << 30

    @property
    def memory_text(self) -> str:
        gib = self.memory_bytes / (1 << 30)
        return f"{gib:g} GB" if gib >= 1 else f"{self.memory_bytes // (1 << 20)} MB"


def default_jobs(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The CPUs this process may run on: its affinity, capped by a container's
    CPU quota (a CI job limited to 2 CPUs on a 64-core host must not start 64
    workers, each with its own memory)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    quota = cpu_quota(cgroup)
    return max(1, min(cpus, quota) if quota is not None else cpus)


def cpu_quota(cgroup: Path) -> int | None:
    """A cgroup's CPU limit in whole CPUs, rounded up (v2 ``cpu.max``, else v1
    ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``); None when there is none."""
    try:
        quota, period = (cgroup / "cpu.max").read_text(encoding="ascii").split()[:2]
        return None if quota == "max" else _whole_cpus(int(quota), int(period))
    except (OSError, ValueError):
        pass
    try:
        v1 = cgroup / "cpu"
        quota_us = int((v1 / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        return _whole_cpus(quota_us, int((v1 / "cpu.cfs_period_us").read_text(encoding="ascii")))
    except (OSError, ValueError):
        return None


def _whole_cpus(quota: int, period: int) -> int | None:
    if quota <= 0 or period <= 0:
        return None  # -1: no limit
    return max(1, -(-quota // period))
