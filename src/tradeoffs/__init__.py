"""An executable, fact-checked handbook of production-AI trade-offs.

The public surface is small: one module per trade-off (``tradeoffs.build_vs_buy``, ...), the
evidence registry (``tradeoffs.evidence``), the shared chart theme (``tradeoffs.charts``) and the
``tradeoffs`` command (``tradeoffs.cli``).
"""

from importlib.metadata import PackageNotFoundError, version

from tradeoffs._errors import InvalidParameterError

try:
    __version__ = version("tradeoffs")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

__all__ = ["InvalidParameterError", "__version__"]
