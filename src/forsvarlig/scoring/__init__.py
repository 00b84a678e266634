"""Scoring: strategies as plugins, methods as data, scores that explain themselves.

A catalogue *method* names a strategy and the data it scores with (a matrix;
or scales, a band set and thresholds). `scorer` turns a method into a
configured `ScoringStrategy`, whose `score` gives a `Score` with its
provenance and `score_many` gives `ScoreColumns` for many rows at once.
Strategies are found by name in a `StrategyRegistry`: the built-ins
(`matrix`, `product`, `fine-kinney`, `oira-three-criteria`,
`oira-two-criteria`), your own (`register_strategy`), and installed plugins
declared in the entry-point group `forsvarlig.scoring`.

Vector strings (`Score.vector`) are provisional until 1.0.

Examples:
    >>> from forsvarlig import default_catalogue
    >>> from forsvarlig.scoring import scorer
    >>> s = scorer("fv.talk-matrix", default_catalogue())
    >>> score = s.score({"frequency": "daily", "consequence": "complaints"})
    >>> score.band, score.vector
    ('high', 'FV:1/fv.talk-matrix@1/frequency:daily/consequence:complaints')
"""

from forsvarlig.scoring._registry import (
    ENTRY_POINT_GROUP,
    Factory,
    StrategyInfo,
    StrategyRegistry,
    available_strategies,
    check_methods,
    default_registry,
    get_strategy,
    register_strategy,
    scorer,
)
from forsvarlig.scoring._score import VECTOR_PREFIX, Score, ScoreColumns, parse_vector
from forsvarlig.scoring._strategy import ScoringStrategy, TabulatedStrategy

__all__ = [
    "ENTRY_POINT_GROUP",
    "VECTOR_PREFIX",
    "Factory",
    "Score",
    "ScoreColumns",
    "ScoringStrategy",
    "StrategyInfo",
    "StrategyRegistry",
    "TabulatedStrategy",
    "available_strategies",
    "check_methods",
    "default_registry",
    "get_strategy",
    "parse_vector",
    "register_strategy",
    "scorer",
]
