"""PyNN parameter values (numbers, RandomDistribution, arrays, in LazyArrays) as engine values.

A number becomes a number; a RandomDistribution one of the engine's distributions (drawn by the
engine from its own Philox streams, so the PyNN RandomDistribution's rng and seed are not used):
    uniform(low, high)                             -> { uniform = [low, high] }
    normal(mu, sigma)                              -> { normal = [mu, sigma] }
    normal_clipped(mu, sigma, low, high)           -> normal with min/max, bounds = "redraw"
    normal_clipped_to_boundary(mu, sigma, low, high) -> normal with min/max, bounds = "clip"
each scaled by a unit factor (a negative factor mirrors the distribution). Anything else raises
NotImplementedError.
"""
import numbers

import numpy as np
from lazyarray import larray
from pyNN.random import RandomDistribution


class Unsupported(NotImplementedError):
    pass


def base_value(value):
    """The value a LazyArray was made from, when no operation was applied to it; else None."""
    if isinstance(value, larray):
        if value.operations:
            return None
        return value.base_value
    return value


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _scaled_bounds(low, high, factor):
    a, b = low * factor, high * factor
    return (a, b) if a <= b else (b, a)


def engine_distribution(value, factor, what):
    """An engine value (number or distribution table) for a homogeneous PyNN value."""
    value = base_value(value)
    if is_number(value) or (isinstance(value, np.ndarray) and value.size == 1):
        return float(value) * factor
    if isinstance(value, RandomDistribution):
        p = value.parameters
        name = value.name
        if name == "uniform":
            low, high = _scaled_bounds(p["low"], p["high"], factor)
            return {"uniform": [low, high]}
        if name in ("normal", "normal_clipped", "normal_clipped_to_boundary"):
            table = {"normal": [p["mu"] * factor, p["sigma"] * abs(factor)]}
            if name != "normal":
                low, high = _scaled_bounds(p["low"], p["high"], factor)
                if np.isfinite(low):
                    table["min"] = low
                if np.isfinite(high):
                    table["max"] = high
                table["bounds"] = "redraw" if name == "normal_clipped" else "clip"
            return table
        raise Unsupported(
            f"spikeweave.pynn: {what}: RandomDistribution('{name}') is not supported; the "
            "engine draws uniform, normal, normal_clipped and normal_clipped_to_boundary")
    raise Unsupported(
        f"spikeweave.pynn: {what}: per-connection values ({type(value).__name__}) are not "
        "supported: the engine takes one number or distribution per projection (use "
        "FromListConnector for explicit weights and delays)")


def distribution_bounds(value):
    """(lowest, highest) a value can take, for PyNN's sign checks."""
    value = base_value(value)
    if isinstance(value, RandomDistribution):
        p = value.parameters
        if value.name == "uniform":
            return p["low"], p["high"]
        low, high = p.get("low", -np.inf), p.get("high", np.inf)
        return low, high
    v = float(value)
    return v, v
