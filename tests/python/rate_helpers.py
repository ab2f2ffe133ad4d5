"""Shared pieces of the rate-network tests: the package with its compiled module (PYTHONPATH set
by CTest to <build>/python; by hand: PYTHONPATH=<build>/python /usr/bin/python3 test_*.py) and a
plain PyTorch reference of the Euler loop."""
import numpy as np

import spikeweave.rate as sw_rate


def reference_euler(W, h0, T, dt, tau, I=None, noise_std=0.0, seed=0):
    """The model in plain PyTorch ops (autograd differentiates it): returns (x, h) like
    simulate_rate_network, with the noise deviates the engine uses for this seed."""
    import torch
    batched = W.dim() == 3 or h0.dim() == 2 or (I is not None and I.dim() == 2)
    n = W.shape[-1]
    batch = max([W.shape[0] if W.dim() == 3 else 1, h0.shape[0] if h0.dim() == 2 else 1,
                 I.shape[0] if I is not None and I.dim() == 2 else 1])
    xi = torch.from_numpy(sw_rate.noise(seed, T, n, batch=batch)).to(W.dtype)
    h = h0.expand(batch, n)
    Wb = W.expand(batch, n, n)
    xs, hs = [], []
    for t in range(T):
        drive = torch.bmm(Wb, torch.tanh(h).unsqueeze(-1)).squeeze(-1)
        if I is not None:
            drive = drive + I
        h = h + (dt / tau) * (-h + drive) + noise_std * xi[:, t]
        xs.append(torch.tanh(h))
        hs.append(h)
    x, h = torch.stack(xs, 1), torch.stack(hs, 1)
    return (x, h) if batched else (x[0], h[0])


def random_network(torch, n, batch=None, dtype=None, gain=1.5, seed=0):
    """W (batched if batch), h0 [batch, n] and I [n], leaves that require gradients."""
    g = torch.Generator().manual_seed(seed)
    dtype = dtype or torch.float64
    shape = (batch, n, n) if batch else (n, n)
    W = (gain / n ** 0.5 * torch.randn(*shape, generator=g, dtype=torch.float64)).to(dtype)
    h0 = torch.randn(batch or 1, n, generator=g, dtype=torch.float64).to(dtype)
    if not batch:
        h0 = h0[0]
    I = (0.2 * torch.randn(n, generator=g, dtype=torch.float64)).to(dtype)
    return W.requires_grad_(), h0.requires_grad_(), I.requires_grad_()


def max_relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))
