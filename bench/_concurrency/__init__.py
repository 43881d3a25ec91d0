"""The concurrency driver: clients writing through all five APIs to two servers at once.

``run`` does it all and returns a ``Report``; ``bench/concurrency.py`` runs it from the
command line and prints the figures, ``tests/hardening/test_concurrency_dialects.py`` asserts
its checks.
"""

from .runner import run
from .verify import Report

__all__ = ["Report", "run"]
