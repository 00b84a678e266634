"""The review-rule registry and the entry-point group `forsvarlig.rules` (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from forsvarlig.errors import PluginError, PluginRegistrationError
from forsvarlig.rules._core import Rule
from forsvarlig.scoring._registry import Once, PluginRegistry, StrategyInfo

#: The entry-point group third-party review rules are declared in.
RULES_GROUP: Final = "forsvarlig.rules"


class RuleRegistry(PluginRegistry[Rule]):
    """Rule codes to rules: the built-ins, your own, and installed plugins.

    Works as `forsvarlig.scoring.StrategyRegistry` does: plugins are declared
    in the entry-point group `forsvarlig.rules` (an entry point names a rule
    object, or a class made with no arguments), discovered on first use, and
    a code given twice is an error unless `register(..., replace=True)`.
    `rules()` loads every rule; one that fails to load is left out and
    reported by `failures`, so it breaks no other.

    Args:
        builtins: Start with the built-in rules.
        entry_points: Discover plugins from installed distributions.

    Examples:
        >>> from forsvarlig.rules import RuleRegistry
        >>> "fv.high-risk-without-measure" in RuleRegistry(entry_points=False).available()
        True

    Added in version 0.1.
    """

    group = RULES_GROUP
    _callable = False
    _name_help = "a rule's code is an id in your namespace (e.g. `acme.night-work-reviewed`)"

    def _valid_name(self, name: str) -> bool:
        from forsvarlig._ids import ID_RE

        return ID_RE.match(name) is not None

    def __init__(self, *, builtins: bool = True, entry_points: bool = True) -> None:
        super().__init__(builtins=builtins, entry_points=entry_points)
        self._failures: dict[str, PluginError] = {}

    def _builtin_plugins(self) -> Mapping[str, Rule]:
        from forsvarlig.rules._builtin import BUILTIN

        return {rule.code: rule for rule in BUILTIN}

    def rule(self, code: str) -> Rule:
        """Return the rule with this code (a class named by an entry point is made here)."""
        found: Any = self.get(code)
        if isinstance(found, type):
            found = found()
        if not isinstance(found, Rule):
            reason = f"{found!r} is not a review rule (it needs `code` and `check(context)`)"
            raise PluginRegistrationError(self.group, code, reason)
        return found

    def rules(self) -> list[Rule]:
        """Every rule, loaded; one that fails to load is left out (see `failures`)."""
        out = []
        for code in self.available():
            try:
                out.append(self.rule(code))
            except PluginError as exc:
                self._failures[code] = exc
        return out

    @property
    def failures(self) -> Mapping[str, PluginError]:
        """The rules `rules()` could not load, with why."""
        return dict(self._failures)


_default: Once[RuleRegistry] = Once(RuleRegistry)


def default_rules() -> RuleRegistry:
    """Return the registry `review` uses by default, made on first use.

    Examples:
        >>> from forsvarlig.rules import default_rules
        >>> default_rules() is default_rules()
        True

    Added in version 0.1.
    """
    return _default()


def register_rule(rule: Rule, *, replace: bool = False) -> None:
    """Register a rule in the default registry, under its code.

    Examples:
        >>> from forsvarlig.rules import get_rule, register_rule
        >>> register_rule(get_rule("fv.symptoms-only"))
        Traceback (most recent call last):
        ...
        forsvarlig.errors.PluginRegistrationError: cannot register 'fv.symptoms-only' in forsvarlig.rules: ...

    Added in version 0.1.
    """
    if not isinstance(rule, Rule):
        raise PluginRegistrationError(
            RULES_GROUP, repr(rule), "not a review rule (it needs `code` and `check`)"
        )
    default_rules().register(rule.code, rule, replace=replace)


def get_rule(code: str) -> Rule:
    """Return a rule of the default registry by its code.

    Examples:
        >>> from forsvarlig.rules import get_rule
        >>> get_rule("fv.symptoms-only").code
        'fv.symptoms-only'

    Added in version 0.1.
    """
    return default_rules().rule(code)


def available_rules() -> Mapping[str, StrategyInfo]:
    """Every rule code in the default registry, with where it comes from.

    Examples:
        >>> from forsvarlig.rules import available_rules
        >>> available_rules()["fv.no-participation"].origin
        'builtin'

    Added in version 0.1.
    """
    return default_rules().available()
