"""spikeweave.torch: a drop-in PyTorch function for differentiable rate networks, whose forward
and backward run SpikeWeave's kernels (the engine's Euler step and its BPTT).

    from spikeweave.torch import simulate_rate_network
    x = simulate_rate_network(W, h0, T=100, dt=0.1, tau=1.0, I=I, noise_std=0.1, seed=1)
    loss = ((x - target) ** 2).mean()
    loss.backward()            # W.grad, I.grad, h0.grad

Model, shapes and noise as spikeweave.rate (docs/python.md). Needs Debian's python3-torch.
"""
import torch

from . import _rate_layout
from ._rate_layout import plan, check_scalars

__all__ = ["simulate_rate_network", "RateNetworkFunction"]


def _engine_inputs(layout, W, h0, I):
    """numpy views of the tensors in the engine's [M, K, ...] layout."""
    n, M, K = layout.n, layout.networks, layout.trials
    w = W.detach().expand(M, n, n).contiguous().numpy()
    h = h0.detach().expand(layout.batch, n).contiguous().reshape(M, K, n).numpy()
    i = None if I is None else I.detach().expand(M, n).contiguous().numpy()
    return w, h, i


class RateNetworkFunction(torch.autograd.Function):
    """apply(W, h0, I, steps, a, noise_std, seed, layout, phi) -> (x, h), both shaped
    layout.output_shape(steps). Use simulate_rate_network(), which checks the arguments."""

    @staticmethod
    def forward(ctx, W, h0, I, steps, a, noise_std, seed, layout, phi):
        engine = _rate_layout.engine()
        w, h_0, i = _engine_inputs(layout, W, h0, I)
        x, h = engine.rate.forward(w, h_0, i, steps, a, noise_std, seed, phi)
        shape = layout.output_shape(steps)
        x_t = torch.from_numpy(x.reshape(shape))
        h_t = torch.from_numpy(h.reshape(shape))
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(W, h0, x_t, h_t)
        ctx.layout, ctx.steps, ctx.a, ctx.phi, ctx.has_input = layout, steps, a, phi, I is not None
        return x_t, h_t

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_x, grad_h):
        if grad_x is None and grad_h is None:
            return (None,) * 9
        engine = _rate_layout.engine()
        W, h0, x, h = ctx.saved_tensors
        L = ctx.layout
        w, h_0, _ = _engine_inputs(L, W, h0, None)
        trace = L.engine_trace_shape(ctx.steps)

        def engine_grad(g):
            return None if g is None else g.detach().to(W.dtype).contiguous().reshape(trace).numpy()

        gw, gi, g0 = engine.rate.backward(w, h_0, x.detach().numpy().reshape(trace),
                                          h.detach().numpy().reshape(trace), engine_grad(grad_x),
                                          engine_grad(grad_h), ctx.a, ctx.phi)
        gw, gi, g0 = torch.from_numpy(gw), torch.from_numpy(gi), torch.from_numpy(g0)
        g0 = g0.reshape(L.batch, L.n)
        grad_W = gw if L.w_batched else gw.sum(0).reshape(W.shape)
        grad_I = None
        if ctx.has_input and ctx.needs_input_grad[2]:
            grad_I = gi if L.i_batched else gi.sum(0)
        grad_h0 = g0 if L.h0_batched else g0.sum(0)
        return (grad_W if ctx.needs_input_grad[0] else None,
                grad_h0 if ctx.needs_input_grad[1] else None,
                grad_I, None, None, None, None, None, None)


def _check_tensor(name, value, dtype=None):
    if not torch.is_tensor(value):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    if value.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{name}: expected float32 or float64, got {value.dtype}")
    if dtype is not None and value.dtype != dtype:
        raise TypeError(f"{name}: dtype {value.dtype} differs from W's {dtype}")
    if value.device.type != "cpu":
        raise ValueError(f"{name}: expected a CPU tensor, got one on {value.device} "
                         "(this build of the engine runs on the host)")
    if not bool(torch.isfinite(value.detach()).all()):
        raise ValueError(f"{name}: contains non-finite values (nan or inf)")


def simulate_rate_network(W, h0, T, dt, tau, I=None, noise_std=0.0, return_h=False, seed=None,
                          nonlinearity="tanh"):
    """Simulates tau dh/dt = -h + W tanh(h) + I + noise with T Euler steps of dt.

    W: [N, N] or [B, N, N] (W[i, j]: from neuron j onto neuron i); h0: [N] or [B, N];
    I: None, [N] or [B, N]; all float32 or all float64, on the CPU. Returns the activity
    x = tanh(h) after steps 1..T, [T, N] (or [B, T, N]), and with return_h=True (x, h).
    Differentiable with respect to W, h0 and I: backward runs SpikeWeave's BPTT kernel.
    noise_std: standard deviation of the noise added to h per step; the deviates are a pure
    function of (seed, batch element, step, neuron) (spikeweave.rate.noise); seed=None draws the
    seed from torch's default generator, so torch.manual_seed makes runs repeatable.
    0 < dt <= tau (same unit).
    """
    _check_tensor("W", W)
    _check_tensor("h0", h0, W.dtype)
    if I is not None:
        _check_tensor("I", I, W.dtype)
    if seed is None:
        seed = int(torch.randint(0, 2**62, (1,)).item())
    steps, a, noise_std, seed = check_scalars(T, dt, tau, noise_std, seed, nonlinearity)
    layout = plan(W.shape, h0.shape, None if I is None else I.shape)
    x, h = RateNetworkFunction.apply(W, h0, I, steps, a, noise_std, seed, layout, nonlinearity)
    return (x, h) if return_h else x
