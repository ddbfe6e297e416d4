"""A finding's identity across runs, for baselines and SARIF.

Built from what the finding *says*, never where it is: the rule, the path,
the matched words and a few words either side, normalised (case, spaces,
hyphens). Lines added above a finding move it without changing it; fixing
the wording removes it. Identical occurrences in one file are told apart by
their order.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from wordaudit.model import Finding

_SEPARATORS = re.compile(r"[\s\-\u00ad\u2010\u2011]+")
_WORD = re.compile(r"\w+")
_NEIGHBOURS = 4


def normalised(text: str) -> str:
    return _SEPARATORS.sub(" ", text.lower()).strip()


def surrounding_words(finding: Finding) -> tuple[str, str]:
    """Up to four words before and after the match, from the finding's context."""
    context = finding.context
    at = context.lower().find(finding.match.lower())
    if at < 0:
        return "", normalised(context)
    before = _WORD.findall(context[:at].lower())[-_NEIGHBOURS:]
    after = _WORD.findall(context[at + len(finding.match) :].lower())[:_NEIGHBOURS]
    return " ".join(before), " ".join(after)


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    seen: Counter[tuple[str, ...]] = Counter()
    prints = []
    for finding in findings:
        before, after = surrounding_words(finding)
        key = (finding.rule, finding.path, normalised(finding.match), before, after)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        prints.append(finding.fingerprint or digest)
    return prints
