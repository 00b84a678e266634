"""The strategy registry, entry-point discovery, and configuring methods (private)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, cast

import attrs

from forsvarlig import _serial
from forsvarlig.errors import (
    CatalogueValidationError,
    ForsvarligError,
    PluginError,
    PluginLoadError,
    PluginRegistrationError,
    Problem,
    ScoringError,
    UnknownPluginError,
    UnknownReferenceError,
    ValidationError,
)
from forsvarlig.scoring._strategy import ScoringStrategy, bind

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from forsvarlig.catalogue import Catalogue, Method

#: The entry-point group third-party strategies are declared in.
ENTRY_POINT_GROUP: Final = "forsvarlig.scoring"

P = TypeVar("P")

#: A strategy factory: `(params, catalogue) -> ScoringStrategy`.
Factory = Callable[[Mapping[str, Any], "Catalogue"], ScoringStrategy]


@attrs.frozen
class StrategyInfo:
    """What a registry knows of one strategy name, without loading it.

    Args:
        name: The strategy's name.
        origin: `builtin`, `registered` (by a call to `register`), or the
            distribution and version that declares it as an entry point.
        entry_point: The entry point's value (`module:attribute`), for plugins.
        problem: Why the name cannot be used (a clash), or None.

    Examples:
        >>> from forsvarlig.scoring import available_strategies
        >>> available_strategies()["matrix"].origin
        'builtin'

    Added in version 0.1.
    """

    name: str
    origin: str
    entry_point: str | None = None
    problem: str | None = None


class PluginRegistry(Generic[P]):
    """A registry of named plugins of one entry-point group (private base; see `StrategyRegistry`)."""

    #: The entry-point group plugins are declared in.
    group: str = ""

    #: Whether a plugin must be callable (a factory).
    _callable: bool = True
    _name_help: str = "a name is lowercase letters, digits and hyphens (e.g. `banded`)"

    def _builtin_plugins(self) -> Mapping[str, P]:
        return {}

    def _valid_name(self, name: str) -> bool:
        from forsvarlig._ids import SLUG_RE

        return SLUG_RE.match(name) is not None

    def __init__(self, *, builtins: bool = True, entry_points: bool = True) -> None:
        self._factories: dict[str, P] = {}
        self._origins: dict[str, str] = {}
        self._pending: dict[str, EntryPoint] = {}
        self._clashes: dict[str, str] = {}
        self._discovered = not entry_points
        self._lock = threading.RLock()
        if builtins:
            for name, factory in self._builtin_plugins().items():
                self._factories[name] = factory
                self._origins[name] = "builtin"

    def register(self, name: str, factory: P, *, replace: bool = False) -> None:
        """Register a strategy factory under a name.

        Raises:
            PluginRegistrationError: If the name is taken (unless `replace`),
                is not a slug, or the factory is not callable.
        """
        if not isinstance(name, str) or not self._valid_name(name):
            reason = self._name_help
            raise PluginRegistrationError(self.group, str(name), reason)
        if self._callable and not callable(factory):  # a runtime check for untyped callers
            reason = f"the plugin must be callable, got {factory!r}"
            raise PluginRegistrationError(self.group, name, reason)
        with self._lock:
            taken = self._origins.get(name) or (
                self._describe(self._pending[name]) if name in self._pending else None
            )
            if taken is not None and not replace:
                reason = f"the name is taken by {taken}; pass replace=True to replace it"
                raise PluginRegistrationError(self.group, name, reason)
            self._pending.pop(name, None)
            self._clashes.pop(name, None)
            self._factories[name] = factory
            self._origins[name] = "registered"

    def get(self, name: str) -> P:
        """Return the factory registered under a name, loading a plugin if need be.

        Raises:
            UnknownPluginError: If no strategy has the name.
            PluginRegistrationError: If two sources give the name.
            PluginLoadError: If the plugin fails to import.
        """
        if not isinstance(name, str):
            raise UnknownPluginError(self.group, repr(name), sorted(self._names()))
        self._discover()
        with self._lock:
            if name in self._clashes:
                raise PluginRegistrationError(self.group, name, self._clashes[name])
            if name in self._factories:
                return self._factories[name]
            ep = self._pending.get(name)
            if ep is None:
                raise UnknownPluginError(self.group, str(name), sorted(self._names()))
            try:
                factory = ep.load()
            except Exception as exc:
                dist = self._dist(ep)
                raise PluginLoadError(self.group, name, ep.value, dist) from exc
            if self._callable and not callable(factory):
                reason = f"its entry point {ep.value} is {factory!r}, not a factory"
                raise PluginRegistrationError(self.group, name, reason)
            del self._pending[name]
            self._factories[name] = factory
            self._origins[name] = self._dist(ep) or "plugin"
            return cast("P", factory)

    def available(self) -> Mapping[str, StrategyInfo]:
        """Every strategy name known, with where it comes from; nothing is imported."""
        self._discover()
        with self._lock:
            out: dict[str, StrategyInfo] = {}
            for name, origin in self._origins.items():
                out[name] = StrategyInfo(name, origin, None, self._clashes.get(name))
            for name, ep in self._pending.items():
                out[name] = StrategyInfo(name, self._dist(ep) or "plugin", ep.value, self._clashes.get(name))
            for name, problem in self._clashes.items():
                out.setdefault(name, StrategyInfo(name, "plugins", None, problem))
            return MappingProxyType(dict(sorted(out.items())))

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        self._discover()
        return name in self._factories or name in self._pending or name in self._clashes

    def _names(self) -> list[str]:
        return [*self._factories, *self._pending]

    @staticmethod
    def _dist(ep: EntryPoint) -> str | None:
        dist = getattr(ep, "dist", None)
        if dist is None:
            return None
        return f"{dist.metadata['Name']} {dist.version}"

    def _describe(self, ep: EntryPoint) -> str:
        return f"the plugin {ep.value}" + (f" from {self._dist(ep)}" if self._dist(ep) else "")

    def _discover(self) -> None:
        if self._discovered:
            return
        with self._lock:
            if self._discovered:  # another thread may have finished meanwhile
                return  # type: ignore[unreachable]
            from importlib.metadata import entry_points

            found: dict[str, list[EntryPoint]] = {}
            for ep in entry_points(group=self.group):
                same = found.setdefault(ep.name, [])
                # The same distribution can be seen twice (a path listed twice).
                if not any(e.value == ep.value and self._dist(e) == self._dist(ep) for e in same):
                    same.append(ep)
            for name, eps in found.items():
                if len(eps) > 1:
                    self._clashes[name] = "it is declared by more than one plugin: " + ", ".join(
                        self._describe(e) for e in eps
                    )
                elif name in self._origins:
                    self._clashes[name] = (
                        f"it is both {self._origins[name]} and {self._describe(eps[0])};"
                        " register the one you want with replace=True"
                    )
                else:
                    self._pending[name] = eps[0]
            self._discovered = True


class StrategyRegistry(PluginRegistry["Factory"]):
    """Strategy names to factories: the built-ins, your own, and installed plugins.

    Plugins are declared in the entry-point group `forsvarlig.scoring`. They
    are discovered on the first lookup (reading installed metadata only), and
    a plugin is imported only when its name is asked for, so a broken plugin
    fails alone, with `PluginLoadError`. A name given twice — by two plugins,
    or by a plugin and a built-in or registered strategy — is an error when
    it is looked up, unless `register(..., replace=True)` settles it.

    Args:
        builtins: Start with the built-in strategies (`matrix`, `product`,
            `fine-kinney`, `oira-three-criteria`, `oira-two-criteria`).
        entry_points: Discover plugins from installed distributions.

    Examples:
        >>> from forsvarlig.scoring import StrategyRegistry
        >>> registry = StrategyRegistry(entry_points=False)
        >>> sorted(registry.available())[:3]
        ['fine-kinney', 'matrix', 'oira-three-criteria']

    Added in version 0.1.
    """

    group = ENTRY_POINT_GROUP

    def _builtin_plugins(self) -> Mapping[str, Factory]:
        from forsvarlig.scoring._builtin import BUILTIN

        return BUILTIN

    def scorer(self, method: Method | str, catalogue: Catalogue) -> ScoringStrategy:
        """Configure a catalogue method's strategy, bound to the method. See `scorer`."""
        from forsvarlig.catalogue import Catalogue, Method

        if not isinstance(catalogue, Catalogue):
            msg = f"catalogue must be a Catalogue, got {type(catalogue).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        if isinstance(method, str):
            found = catalogue.method(method)
        elif isinstance(method, Method):
            found = method
        else:
            msg = f"method must be a Method or a method id, got {type(method).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        try:
            factory = self.get(found.strategy)
        except UnknownPluginError as exc:
            raise _placed(catalogue, found, ("strategy",), str(exc), "reference") from exc
        try:
            strategy = factory(copy.deepcopy(found.params), catalogue)
        except ValidationError as exc:
            problems = []
            for p in exc.problems:
                at = _where(catalogue, found, ("params", *_serial.parse_path(p.path)))
                problems.append(attrs.evolve(at, message=p.message, code=p.code))
            problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise CatalogueValidationError(problems) from exc
        except (UnknownReferenceError, ScoringError) as exc:
            # A plugin's lookups in the catalogue, or a table it cannot fill.
            raise _placed(catalogue, found, ("params",), str(exc), "reference") from exc
        except ForsvarligError:
            raise
        except Exception as exc:
            msg = f"the strategy {found.strategy!r} failed to configure the method {found.id!r}: {exc!r}"
            raise PluginError(msg) from exc
        if not isinstance(strategy, ScoringStrategy):  # a runtime check for untyped plugins
            reason = f"its factory returned {type(strategy).__name__}, not a ScoringStrategy"  # type: ignore[unreachable]
            raise PluginRegistrationError(ENTRY_POINT_GROUP, found.strategy, reason)
        return bind(strategy, found)

    def check(self, catalogue: Catalogue) -> None:
        """Configure every method of a catalogue; see `check_methods`."""
        problems: list[Problem] = []
        for method in catalogue.methods.values():
            try:
                self.scorer(method, catalogue)
            except ValidationError as exc:
                problems.extend(exc.problems)
            except ForsvarligError as exc:
                at = _where(catalogue, method, ("strategy",))
                problems.append(attrs.evolve(at, message=str(exc), code="plugin"))
        if problems:
            raise CatalogueValidationError(problems)


def _where(catalogue: Catalogue, method: Method, path: tuple[Any, ...]) -> Problem:
    from forsvarlig.catalogue import locate

    at = locate(catalogue, method.id, path)
    if at.source is None:
        # A method not from a catalogue file: name it in the path.
        return attrs.evolve(at, path=f"{method.id}:" + at.path)
    return at


def _placed(
    catalogue: Catalogue, method: Method, path: tuple[Any, ...], message: str, code: str
) -> ValidationError:
    at = _where(catalogue, method, path)
    return CatalogueValidationError([attrs.evolve(at, message=message, code=code)])


class Once(Generic[P]):
    """A value made on first use, once, however many threads ask (private: the default registries)."""

    def __init__(self, make: Callable[[], P]) -> None:
        self._make = make
        self._value: P | None = None
        self._lock = threading.Lock()

    def __call__(self) -> P:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._make()
        return self._value


_default: Once[StrategyRegistry] = Once(StrategyRegistry)


def default_registry() -> StrategyRegistry:
    """Return the registry the module-level functions use, made on first use.

    Examples:
        >>> from forsvarlig.scoring import default_registry
        >>> default_registry() is default_registry()
        True

    Added in version 0.1.
    """
    return _default()


def register_strategy(name: str, factory: Factory, *, replace: bool = False) -> None:
    """Register a strategy factory in the default registry; see `StrategyRegistry.register`.

    Examples:
        >>> from forsvarlig.scoring import register_strategy, get_strategy
        >>> register_strategy("product", get_strategy("product"))
        Traceback (most recent call last):
        ...
        forsvarlig.errors.PluginRegistrationError: cannot register 'product' in forsvarlig.scoring: ...

    Added in version 0.1.
    """
    default_registry().register(name, factory, replace=replace)


def get_strategy(name: str) -> Factory:
    """Return the factory of a strategy in the default registry; see `StrategyRegistry.get`.

    Examples:
        >>> from forsvarlig.scoring import get_strategy
        >>> get_strategy("fine-kinney").__name__
        'fine_kinney'

    Added in version 0.1.
    """
    return default_registry().get(name)


def available_strategies() -> Mapping[str, StrategyInfo]:
    """Every strategy name in the default registry, with its origin.

    Examples:
        >>> from forsvarlig.scoring import available_strategies
        >>> "fine-kinney" in available_strategies()
        True

    Added in version 0.1.
    """
    return default_registry().available()


def scorer(
    method: Method | str, catalogue: Catalogue, *, registry: StrategyRegistry | None = None
) -> ScoringStrategy:
    """Configure a catalogue method: its strategy, made from its params, bound to it.

    Configure once and reuse the result: it is immutable and thread-safe.

    Args:
        method: A method, or the id of one in `catalogue`.
        catalogue: Where the method's matrix, scales and bands are.
        registry: Where to find the strategy; the default registry if None.

    Raises:
        UnknownReferenceError: If the catalogue has no such method.
        CatalogueValidationError: If the method's params are wrong, or name
            an unknown strategy, matrix, scale or band: every problem, placed
            in the method's file where it came from one.
        PluginError: If the strategy's plugin fails to load or to configure.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import scorer
        >>> fk = scorer("fv.fine-kinney", default_catalogue())
        >>> s = fk.score({"probability": "quite-possible", "exposure": "daily", "consequence": "important"})
        >>> s.value, s.band
        (108.0, 'substantial')

    Added in version 0.1.
    """
    return (registry or default_registry()).scorer(method, catalogue)


def check_methods(catalogue: Catalogue, *, registry: StrategyRegistry | None = None) -> None:
    """Configure every method in a catalogue, and report every problem at once.

    `load_catalogue` checks each method's shape; this checks what only its
    strategy knows: that its params are right and every matrix, scale, level
    and band they name exists.

    Raises:
        CatalogueValidationError: Listing each method's problems, placed in
            its file, with a line where the file was YAML.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import check_methods
        >>> check_methods(default_catalogue())

    Added in version 0.1.
    """
    (registry or default_registry()).check(catalogue)
