"""Which files git says changed: ``--changed-since REF`` and ``--staged``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from wordaudit.errors import ConfigError


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ConfigError("git is not installed, so --changed-since and --staged cannot work") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ConfigError(f"git: {reason}")
    return done.stdout


def changed_files(*, since: str | None = None, staged: bool = False, cwd: Path | None = None) -> set[Path]:
    """Resolved paths of files added, copied, modified or renamed; with
    ``since``, against that commit (untracked files count as changed)."""
    folder = cwd or Path.cwd()
    root = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
    names: list[str] = []
    if staged:
        names += _git(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"], root).split("\0")
    if since is not None:
        names += _git(["diff", "--name-only", "--diff-filter=ACMR", "-z", since, "--"], root).split("\0")
        names += _git(["ls-files", "--others", "--exclude-standard", "-z"], root).split("\0")
    return {(root / name).resolve() for name in names if name}
