"""wordaudit.record: the value classes of the model behave as frozen, slotted dataclasses."""

from __future__ import annotations

import pickle

import pytest

from wordaudit.model import Finding, Severity
from wordaudit.record import FrozenInstanceError, as_dict, field, fields, record, replace


@record
class _Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


@record
class _Derived:
    text: str
    length: int = field(init=False, repr=False, compare=False)
    notes: list[str] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "length", len(self.text))


@record(eq=False)
class _Identity:
    name: str


@record(frozen=False)
class _Holder:
    count: int = 0
    seen: list[str] = field(default_factory=list)


def test_fields_defaults_and_order() -> None:
    assert [f.name for f in fields(_Point)] == ["x", "y", "tags"]
    assert _Point(1) == _Point(1, 0, ())
    assert _Point(x=2, tags=("a",)).tags == ("a",)
    assert _Point.__match_args__ == ("x", "y", "tags")
    with pytest.raises(TypeError):
        _Point()  # type: ignore[call-arg]


def test_equality_and_hash_follow_the_compared_fields() -> None:
    assert _Point(1, 2) == _Point(1, 2)
    assert _Point(1, 2) != _Point(2, 1)
    assert len({_Point(1, 2), _Point(1, 2), _Point(3)}) == 2
    # A different class with the same values is not equal, as with dataclasses.
    assert _Point(1, 2) != (1, 2, ())  # type: ignore[comparison-overlap]
    first, second = _Derived("abc", ["one"]), _Derived("abc", ["two"])
    assert first == second
    assert hash(first) == hash(second)
    assert _Identity("a") != _Identity("a")


def test_frozen_and_slotted() -> None:
    point = _Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y
    assert not hasattr(point, "__dict__")
    holder = _Holder()
    holder.count += 1
    holder.seen.append("a")
    assert holder == _Holder(1, ["a"])
    assert _Holder().seen is not _Holder().seen
    with pytest.raises(AttributeError):
        holder.other = 1  # type: ignore[attr-defined]


def test_post_init_and_fields_outside_init() -> None:
    derived = _Derived("back office")
    assert derived.length == 11
    assert repr(derived) == "_Derived(text='back office', notes=[])"
    assert repr(_Point(1, 2)) == "_Point(x=1, y=2, tags=())"


def test_replace_runs_post_init_again() -> None:
    derived = replace(_Derived("abc"), text="abcdef")
    assert derived.length == 6
    assert replace(_Point(1, 2), y=5) == _Point(1, 5)
    with pytest.raises(TypeError):
        replace(_Point(1), z=3)


def test_pickles_between_processes() -> None:
    for value in (_Point(1, 2, ("a",)), _Derived("abc", ["n"]), _Holder(2, ["x"])):
        copy = pickle.loads(pickle.dumps(value))
        assert copy == value
        assert type(copy) is type(value)
    assert pickle.loads(pickle.dumps(_Derived("abcd"))).length == 4


def test_the_model_round_trips() -> None:
    finding = Finding(
        path="a.md",
        rule="back-office",
        severity=Severity.WARNING,
        match="back office",
        message="m",
        suggestions=("operations",),
        line=1,
        column=5,
        end_line=1,
        end_column=16,
        page=None,
        location="line 1",
        context="the back office",
    )
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert as_dict(finding)["rule"] == "back-office"
    assert as_dict(finding)["block_kind"] == "paragraph"
    assert replace(finding, page=2).page == 2
    assert list(as_dict(finding)) == [f.name for f in fields(Finding)]


def test_refuses_what_it_does_not_support() -> None:
    with pytest.raises(TypeError, match="without a default"):

        @record
        class _Bad:
            x: int = 0
            y: int  # type: ignore[misc]

    with pytest.raises(ValueError, match="default_factory"):

        @record(frozen=False)
        class _Shared:
            seen: list[str] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(TypeError, match="derive"):

        @record
        class _Child(_Point):
            z: int = 0
