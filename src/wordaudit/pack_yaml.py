"""A rule pack's YAML text → its document, every mapping a ``LineMapping``
that remembers the lines of its keys (for ``file:line:`` messages)."""

from __future__ import annotations

from typing import Any

import yaml

from wordaudit.errors import RuleFileError
from wordaudit.rules import LineMapping


class _LineLoader(yaml.SafeLoader):
    pass


# libyaml parses a pack ten times as fast as PyYAML's pure-Python reader (1 ms
# against 11 ms for the shipped pack), but it is more lenient (it takes a tab
# where PyYAML reports one) and words its errors differently. So it reads only
# the packs that ship with wordaudit, which tests prove it reads as
# _LineLoader does; a user's pack gets _LineLoader and its messages.
_FastLineLoader: type[yaml.SafeLoader | yaml.CSafeLoader] = (
    type("_FastLineLoader", (yaml.CSafeLoader,), {}) if yaml.__with_libyaml__ else _LineLoader
)


def _construct_mapping(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.MappingNode) -> LineMapping:
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    # Merge keys ("<<: *defaults") as PyYAML's own mappings take them: the
    # merged entries first, the mapping's own winning.
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[str(key)] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
if _FastLineLoader is not _LineLoader:
    _FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_document(name: str, text: str, *, shipped: bool) -> Any:
    """The document of the pack ``name``; invalid YAML raises RuleFileError."""
    try:
        return parse_pack(text, shipped=shipped)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(name, line, f"invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(name, None, f"invalid YAML: {exc}") from exc


def parse_pack(text: str, *, shipped: bool = False) -> Any:
    if shipped:
        try:
            return yaml.load(text, Loader=_FastLineLoader)
        except yaml.YAMLError:
            pass  # the error, if any, as _LineLoader words it
    return yaml.load(text, Loader=_LineLoader)
