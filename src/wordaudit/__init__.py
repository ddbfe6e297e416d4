"""wordaudit: find "back office" language and suggest customer-impacting wording.

Library use::

    from wordaudit import audit_text, audit_paths
    findings = audit_text("Our back-office team", format="markdown")
    result = audit_paths(["policies/"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "audit_paths", "audit_text"]

if TYPE_CHECKING:
    from wordaudit.api import audit_paths, audit_text


def __getattr__(name: str) -> Any:
    # Keep `import wordaudit` (and so `wordaudit --version`) free of the engine.
    if name in ("audit_text", "audit_paths"):
        from wordaudit import api

        return getattr(api, name)
    raise AttributeError(name)
