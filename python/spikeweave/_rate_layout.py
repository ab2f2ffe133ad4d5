"""Argument checks and batch layout shared by spikeweave.rate (numpy) and spikeweave.torch.

The user's arrays: W [N, N] or [B, N, N], h0 [N] or [B, N], I None, [N] or [B, N]. The engine
(spikeweave._engine.rate) takes M networks of K trials: w [M, N, N], h0 [M, K, N], input [M, N].
When neither W nor I is batched, the batch is K = B trials of one network (one matrix-matrix
product per step); otherwise it is M = B networks of one trial. Either way batch element b gets
the same noise (stream (seed, noise, 0, b) of the engine), so the layout never changes results
beyond rounding.
"""
import math
import numbers

_NONLINEARITIES = ("tanh", "relu", "sigmoid")


class Layout:
    """How the user's shapes map onto the engine's [M, K, ...] arrays."""

    def __init__(self, n, batch, batched, w_batched, i_batched, h0_batched):
        self.n = n
        self.batch = batch            # B (1 when nothing is batched)
        self.batched = batched        # outputs [B, T, N] (else [T, N])
        self.w_batched = w_batched
        self.i_batched = i_batched
        self.h0_batched = h0_batched
        self.shared = not (w_batched or i_batched)   # one network, K = B trials
        self.networks = 1 if self.shared else batch   # M
        self.trials = batch if self.shared else 1     # K

    def output_shape(self, steps):
        return (self.batch, steps, self.n) if self.batched else (steps, self.n)

    def engine_trace_shape(self, steps):
        return (self.networks, self.trials, steps, self.n)


def _shape_text(shape):
    return "[" + ", ".join(str(int(d)) for d in shape) + "]"


def plan(w_shape, h0_shape, i_shape):
    """Checks the shapes (tuples; i_shape None when I is None) and returns their Layout."""
    w_shape, h0_shape = tuple(w_shape), tuple(h0_shape)
    if len(w_shape) not in (2, 3) or w_shape[-1] != w_shape[-2]:
        raise ValueError(f"W: expected shape [N, N] or [B, N, N], got {_shape_text(w_shape)}")
    n = int(w_shape[-1])
    if n < 1:
        raise ValueError("W: expected at least one neuron, got shape " + _shape_text(w_shape))
    batches = {}
    if len(w_shape) == 3:
        batches["W"] = int(w_shape[0])
    if len(h0_shape) not in (1, 2) or h0_shape[-1] != n:
        raise ValueError(f"h0: expected shape [N] or [B, N] with N = {n} (from W), "
                         f"got {_shape_text(h0_shape)}")
    if len(h0_shape) == 2:
        batches["h0"] = int(h0_shape[0])
    if i_shape is not None:
        i_shape = tuple(i_shape)
        if len(i_shape) not in (1, 2) or i_shape[-1] != n:
            raise ValueError(f"I: expected shape [N] or [B, N] with N = {n} (from W), "
                             f"got {_shape_text(i_shape)}")
        if len(i_shape) == 2:
            batches["I"] = int(i_shape[0])
    sizes = set(batches.values())
    if len(sizes) > 1:
        raise ValueError("batch sizes differ: " +
                         ", ".join(f"{name} has {size}" for name, size in batches.items()))
    batch = sizes.pop() if sizes else 1
    if batch < 1:
        raise ValueError("the batch is empty (B = 0)")
    return Layout(n, batch, bool(batches), "W" in batches, "I" in batches, "h0" in batches)


def check_scalars(T, dt, tau, noise_std, seed, nonlinearity):
    """Checks the scalar arguments; returns (steps, a = dt / tau, noise_std, seed)."""
    if isinstance(T, bool) or not isinstance(T, numbers.Integral) or T < 1:
        raise ValueError(f"T: expected a positive integer number of steps, got {T!r}")
    for name, value in (("dt", dt), ("tau", tau)):
        if not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name}: expected a finite number > 0, got {value!r}")
    if dt > tau:
        raise ValueError(f"dt ({dt}) must not exceed tau ({tau}): Euler needs dt / tau <= 1")
    if (not isinstance(noise_std, numbers.Real) or not math.isfinite(noise_std)
            or noise_std < 0):
        raise ValueError(f"noise_std: expected a finite number >= 0, got {noise_std!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**64:
        raise ValueError(f"seed: expected an integer in [0, 2^64), got {seed!r}")
    if nonlinearity not in _NONLINEARITIES:
        raise ValueError(f"nonlinearity: expected one of {', '.join(_NONLINEARITIES)}, "
                         f"got {nonlinearity!r}")
    return int(T), float(dt) / float(tau), float(noise_std), int(seed)


def engine():
    """spikeweave._engine, or an ImportError that says how to build and find it."""
    try:
        from . import _engine
    except ImportError as error:
        raise ImportError(
            "spikeweave._engine, SpikeWeave's compiled module, cannot be imported "
            f"({error}). Build it with CMake (it needs Debian's pybind11-dev and python3-dev; "
            "cmake --build build makes build/python/spikeweave/_engine*.so) and put "
            "<build>/python on PYTHONPATH, under Debian's /usr/bin/python3 (docs/python.md)."
        ) from error
    return _engine
