"""Validation: the model's known answers (queueing theory, Deming's demos) and checks against them.

:mod:`incentsim.validation.queueing` holds Erlang C and Erlang A theory;
:mod:`incentsim.validation.checks` holds the checks that ``incentsim validate`` runs,
each comparing a simulated or computed figure with its theoretical value.
"""

from __future__ import annotations

from incentsim.validation.queueing import ErlangA, ErlangC, erlang_a, erlang_b, erlang_c

__all__ = ["ErlangA", "ErlangC", "erlang_a", "erlang_b", "erlang_c"]
