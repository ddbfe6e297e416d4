"""Frozen value classes that cost little to define: ``@record``.

Every wordaudit command starts a fresh Python, and a pre-commit hook or a
rescan of a cached tree is over in a fraction of a second. On Python 3.11 the
standard ``@dataclass`` compiles each generated method on its own (six
``exec`` calls for a frozen class with slots) and rebuilds the class for its
slots: about 1.6 ms a class on a 2-core CI machine, 40 ms for the 25 classes a
cached rescan defines, and ``import dataclasses`` brings in ``inspect`` (14 ms).
Together that was a fifth of the rescan. ``record`` compiles ``__init__``
alone (the one method whose speed counts: a Word file makes a ``Block`` per
paragraph), makes the others as closures over the fields' names, and builds
the slotted class once: 0.27 ms a class. Instances are made as fast as a
dataclass's.

What it supports is what wordaudit's classes use, with the semantics of
``@dataclass(frozen=True, slots=True)``: fields from the annotations in order,
defaults and ``field(default_factory=..., init=..., repr=..., compare=...)``,
``__post_init__``, equality and hashing over the compared fields (``eq=False``
keeps identity), ``repr``, ``replace``, ``fields``, ``as_dict`` and pickling
(workers send results between processes). Inheritance between records is not
supported: no class here needs it, and refusing it keeps the field order plain.
``frozen=False`` gives the same class without the freezing, for the few
holders of state filled in as a file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


class FrozenInstanceError(AttributeError):
    """An attempt to assign to a field of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field of a record: its name, default and what it takes part in."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Callable[[], Any] | Any = MISSING,
        init: bool = True,
        repr: bool = True,
        compare: bool = True,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """Describe a field beyond its default, as ``dataclasses.field`` does."""
    return Field(default, default_factory, init, repr, compare)


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, eq: bool = True, frozen: bool = True) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[_T] | None = None, /, *, eq: bool = True, frozen: bool = True) -> Any:
    """Make ``cls`` a value class with slots: frozen unless told otherwise."""

    def make(cls: type[_T]) -> type[_T]:
        return _build(cls, eq=eq, mutable=not frozen)

    return make if cls is None else make(cls)


def fields(instance_or_class: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in order."""
    found: tuple[Field, ...] = instance_or_class.__record_fields__
    return found


def replace(instance: _T, /, **changes: Any) -> _T:
    """A copy of ``instance`` with ``changes``; ``__post_init__`` runs again."""
    values = {f.name: getattr(instance, f.name) for f in fields(instance) if f.init and f.name not in changes}
    made: _T = type(instance)(**values, **changes)
    return made


def as_dict(instance: Any) -> dict[str, Any]:
    """The fields' values by name (not recursive: wordaudit's records hold values)."""
    return {f.name: getattr(instance, f.name) for f in fields(instance)}


def _build(cls: type[_T], *, eq: bool, mutable: bool) -> type[_T]:
    namespace = dict(cls.__dict__)
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot derive from another record")
    declared = _fields(namespace)
    for name in (f.name for f in declared):
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(f.name for f in declared)
    namespace["__record_fields__"] = declared
    namespace["__match_args__"] = tuple(f.name for f in declared if f.init)
    globals_ = {
        "MISSING": MISSING,
        "_setattr": object.__setattr__,
    }
    for f in declared:
        if f.default is not MISSING:
            globals_[f"_default_{f.name}"] = f.default
        if f.default_factory is not MISSING:
            globals_[f"_factory_{f.name}"] = f.default_factory
    source = _init_source(cls.__name__, declared, mutable=mutable, post_init="__post_init__" in namespace)
    compiled: dict[str, Any] = {}
    # The source holds field names and generated names only, never a value.
    exec(source, globals_, compiled)
    methods = {**_methods(declared, eq=eq, mutable=mutable), **compiled}
    for name, function in methods.items():
        if function is not None and name not in ("__setattr__", "__delattr__"):
            function.__qualname__ = f"{cls.__qualname__}.{name}"
        namespace[name] = function
    made: type[_T] = type(cls.__name__, cls.__bases__, namespace)
    return made


def _rebuild(cls: type[_T], values: tuple[Any, ...]) -> _T:
    """Unpickle: the fields as they were, without ``__init__`` (as dataclasses do)."""
    instance: _T = cls.__new__(cls)
    for described, value in zip(fields(cls), values, strict=True):
        object.__setattr__(instance, described.name, value)
    return instance


def _fields(namespace: dict[str, Any]) -> tuple[Field, ...]:
    declared: list[Field] = []
    annotations: dict[str, Any] = namespace.get("__annotations__", {})
    for name, annotation in annotations.items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = namespace.get(name, MISSING)
        described = value if isinstance(value, Field) else Field(default=value)
        if isinstance(described.default, (list, dict, set)):
            # One list shared by every instance, as dataclasses also refuse.
            raise ValueError(f"field {name!r}: a mutable default needs default_factory")
        described.name = name
        declared.append(described)
    return tuple(declared)


def _init_source(name: str, declared: tuple[Field, ...], *, mutable: bool, post_init: bool) -> str:
    parameters, body = ["self"], []
    store = "self.{0} = {1}" if mutable else "_setattr(self, '{0}', {1})"
    for f in declared:
        if f.init:
            if f.default is not MISSING:
                parameters.append(f"{f.name}=_default_{f.name}")
            elif f.default_factory is not MISSING:
                parameters.append(f"{f.name}=MISSING")
                body.append(f"if {f.name} is MISSING: {f.name} = _factory_{f.name}()")
            else:
                parameters.append(f.name)
            body.append(store.format(f.name, f.name))
        elif f.default_factory is not MISSING:
            body.append(store.format(f.name, f"_factory_{f.name}()"))
        elif f.default is not MISSING:
            body.append(store.format(f.name, f"_default_{f.name}"))
    if post_init:
        body.append("self.__post_init__()")
    _check_order(name, declared)
    return "\n".join([f"def __init__({', '.join(parameters)}):", *(f"    {line}" for line in body or ["pass"])]) + "\n"


def _methods(declared: tuple[Field, ...], *, eq: bool, mutable: bool) -> dict[str, Any]:
    """The methods that need no compiling: closures over the fields' names."""
    shown = tuple(f.name for f in declared if f.repr)
    shown_values = _getter(shown)
    compared = _getter(tuple(f.name for f in declared if f.compare))
    every = _getter(tuple(f.name for f in declared))

    def _repr(self: Any) -> str:
        values = shown_values(self)
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(shown, values, strict=True))
        return f"{type(self).__qualname__}({inner})"

    def _reduce(self: Any) -> tuple[Any, ...]:
        return (_rebuild, (type(self), every(self)))

    methods: dict[str, Any] = {"__repr__": _repr, "__reduce__": _reduce}
    if eq:

        def _eq(self: Any, other: object) -> Any:
            if other.__class__ is not self.__class__:
                return NotImplemented
            return compared(self) == compared(other)

        def _hash(self: Any) -> int:
            return hash(compared(self))

        methods["__eq__"] = _eq
        methods["__hash__"] = None if mutable else _hash
    if not mutable:
        methods["__setattr__"] = _refuse_assignment
        methods["__delattr__"] = _refuse_deletion
    return methods


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The named attributes of an object as a tuple (always a tuple, even of one or none)."""
    if not names:
        return lambda instance: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    many: Callable[[Any], tuple[Any, ...]] = attrgetter(*names)
    return many


def _check_order(name: str, declared: tuple[Field, ...]) -> None:
    defaulted = False
    for f in declared:
        if not f.init:
            continue
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if defaulted and not has_default:
            raise TypeError(f"{name}: field {f.name!r} without a default follows one with a default")
        defaulted = defaulted or has_default
