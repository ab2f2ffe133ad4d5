"""Differentiable rate networks on numpy arrays, run by SpikeWeave's compiled kernels.

    tau dh/dt = -h + W phi(h) + I + noise,   Euler:
    h[t+1] = h[t] + (dt / tau) (-h[t] + W phi(h[t]) + I) + noise_std xi[t],   x[t] = phi(h[t])

`simulate` returns x after steps 1..T ([T, N], or [B, T, N] for a batch); `value_and_grad`
differentiates a loss of x by backpropagation through time (the engine's BPTT kernel) with
respect to W, I and h0. W[i, j] is the weight from neuron j onto neuron i. `noise_std` is the
standard deviation of the noise added to h in each step (the engine's sqrt(dt) sigma); the
deviates xi are a pure function of (seed, batch element, step, neuron): `noise(seed, ...)`
returns them. The same functions for PyTorch: spikeweave.torch.simulate_rate_network.
See docs/python.md.
"""
from collections import namedtuple

import numpy as np

from . import _rate_layout
from ._rate_layout import plan, check_scalars

__all__ = ["simulate", "value_and_grad", "noise", "RateGradients"]

RateGradients = namedtuple("RateGradients", ["W", "I", "h0"])
RateGradients.__doc__ = "dL/dW, dL/dI and dL/dh0, each shaped like its argument (I: [N] if None)."


def _dtype(*arrays):
    dtype = np.result_type(*[a for a in arrays if a is not None])
    return np.float32 if dtype == np.float32 else np.float64


def _as_array(name, value, dtype):
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name}: expected an array of numbers ({error})") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains non-finite values (nan or inf)")
    return array


class _Prepared:
    """The user's arguments checked and laid out for the engine."""

    def __init__(self, W, h0, T, dt, tau, I, noise_std, seed, nonlinearity):
        self.steps, self.a, self.noise_std, self.seed = check_scalars(
            T, dt, tau, noise_std, seed, nonlinearity)
        self.phi = nonlinearity
        W_in, h0_in, I_in = (np.asarray(v) if v is not None else None for v in (W, h0, I))
        self.dtype = _dtype(W_in, h0_in, I_in)
        self.W = _as_array("W", W_in, self.dtype)
        self.h0 = _as_array("h0", h0_in, self.dtype)
        self.I = None if I is None else _as_array("I", I_in, self.dtype)
        self.layout = plan(self.W.shape, self.h0.shape, None if self.I is None else self.I.shape)
        L = self.layout
        n, M, K = L.n, L.networks, L.trials
        self.w_engine = np.ascontiguousarray(np.broadcast_to(self.W, (M, n, n)))
        h0 = np.ascontiguousarray(np.broadcast_to(self.h0, (L.batch, n)))
        self.h0_engine = h0.reshape(M, K, n)
        self.i_engine = (None if self.I is None
                         else np.ascontiguousarray(np.broadcast_to(self.I, (M, n))))

    def forward(self):
        engine = _rate_layout.engine()
        self.x, self.h = engine.rate.forward(self.w_engine, self.h0_engine, self.i_engine,
                                             self.steps, self.a, self.noise_std, self.seed,
                                             self.phi)
        shape = self.layout.output_shape(self.steps)
        return self.x.reshape(shape), self.h.reshape(shape)

    def backward(self, grad_x, grad_h=None):
        engine = _rate_layout.engine()
        L = self.layout
        trace = L.engine_trace_shape(self.steps)
        shape = L.output_shape(self.steps)

        def engine_grad(name, g):
            if g is None:
                return None
            g = np.asarray(g, dtype=self.dtype)
            if g.shape != shape:
                raise ValueError(f"{name}: expected shape {list(shape)}, got {list(g.shape)}")
            return np.ascontiguousarray(g).reshape(trace)

        gw, gi, g0 = engine.rate.backward(self.w_engine, self.h0_engine, self.x, self.h,
                                          engine_grad("dL/dx", grad_x),
                                          engine_grad("dL/dh", grad_h), self.a, self.phi)
        g0 = g0.reshape(L.batch, L.n)
        return RateGradients(
            W=gw if L.w_batched else gw.sum(axis=0).reshape(self.W.shape),
            I=gi if L.i_batched else gi.sum(axis=0),
            h0=g0 if L.h0_batched else g0.sum(axis=0))


def simulate(W, h0, T, dt, tau, I=None, noise_std=0.0, return_h=False, seed=0,
             nonlinearity="tanh"):
    """Simulates T Euler steps; returns x = phi(h) after steps 1..T, [T, N] or [B, T, N].

    W: [N, N] or [B, N, N]; h0: [N] or [B, N]; I: None, [N] or [B, N] (any of them batched
    makes a batch of B networks; unbatched ones are shared). dt, tau: same unit, 0 < dt <= tau.
    noise_std: standard deviation of the noise added to h per step; seed: the noise realisation.
    return_h: also return h after steps 1..T, as (x, h). float32 inputs give float32 results,
    anything else float64.
    """
    x, h = _Prepared(W, h0, T, dt, tau, I, noise_std, seed, nonlinearity).forward()
    return (x, h) if return_h else x


def value_and_grad(W, h0, T, dt, tau, target=None, loss=None, I=None, noise_std=0.0, seed=0,
                   nonlinearity="tanh"):
    """A loss of the trace x and its gradients with respect to W, I and h0 (BPTT).

    Either `target` (shaped like x: the loss is the mean squared error mean((x - target)^2)) or
    `loss`, a function x -> (value, dvalue/dx). Other arguments as simulate(). Returns
    (value, RateGradients(W, I, h0)), each gradient shaped like its argument.
    """
    if (target is None) == (loss is None):
        raise ValueError("value_and_grad: give exactly one of target (MSE) and loss")
    prepared = _Prepared(W, h0, T, dt, tau, I, noise_std, seed, nonlinearity)
    x, _ = prepared.forward()
    if target is not None:
        y = _as_array("target", target, prepared.dtype)
        if y.shape != x.shape:
            raise ValueError(f"target: expected shape {list(x.shape)}, got {list(y.shape)}")
        error = x - y
        value = float(np.mean(np.square(error, dtype=np.float64)))
        grad_x = (2.0 / x.size) * error
    else:
        value, grad_x = loss(x)
    return value, prepared.backward(grad_x)


def noise(seed, T, N, batch=None):
    """The standard normal deviates xi [T, N] (or [batch, T, N]) that simulate() scales by
    noise_std for this seed: element b of a batch gets row b. float32 (Philox4x32-10 and
    Box-Muller, as the engine's datasets: batch element b is trial b of dataset network 0)."""
    engine = _rate_layout.engine()
    xi = engine.rate.noise(int(seed), 1 if batch is None else int(batch), int(T), int(N))
    return xi[0] if batch is None else xi
