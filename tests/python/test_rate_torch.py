"""spikeweave.torch.simulate_rate_network: gradients (gradcheck, and PyTorch's own autograd through
the same Euler loop), float32, noise determinism. Needs Debian's python3-torch and the compiled
module (CTest sets PYTHONPATH=<build>/python)."""
import unittest

import torch

from rate_helpers import max_relative, random_network, reference_euler
from spikeweave.torch import simulate_rate_network as simulate

DT, TAU = 0.1, 1.0


class Gradcheck(unittest.TestCase):
    """torch.autograd.gradcheck (central differences, float64) on small networks."""

    def check(self, W, h0, I, noise_std, return_h=False, T=12):
        def f(W, h0, I):
            return simulate(W, h0, T, DT, TAU, I=I, noise_std=noise_std, seed=5,
                            return_h=return_h)
        self.assertTrue(torch.autograd.gradcheck(f, (W, h0, I), eps=1e-6, atol=1e-7, rtol=1e-5))

    def test_single_network_without_noise(self):
        self.check(*random_network(torch, 5), noise_std=0.0)

    def test_single_network_with_noise(self):
        self.check(*random_network(torch, 5, seed=1), noise_std=0.2)

    def test_batched_networks_with_noise(self):
        W, h0, I = random_network(torch, 4, batch=3, seed=2)
        self.check(W, h0, I, noise_std=0.2)

    def test_shared_weights_batched_states_and_inputs(self):
        W, _, _ = random_network(torch, 4, seed=3)
        _, h0, _ = random_network(torch, 4, batch=3, seed=4)
        I = (0.1 * torch.randn(3, 4, dtype=torch.float64)).requires_grad_()
        self.check(W, h0, I, noise_std=0.2)

    def test_h_output_too(self):
        self.check(*random_network(torch, 4, seed=6), noise_std=0.1, return_h=True)


class AgainstPyTorchAutograd(unittest.TestCase):
    """W.grad (and I.grad, h0.grad) equal PyTorch's autograd through the same loop, float64."""

    def compare(self, W, h0, I, noise_std, T=60, return_h=False):
        x, h = simulate(W, h0, T, DT, TAU, I=I, noise_std=noise_std, seed=11, return_h=True)
        xr, hr = reference_euler(W, h0, T, DT, TAU, I=I, noise_std=noise_std, seed=11)
        self.assertLess(max_relative(x.detach(), xr.detach()), 1e-12)
        self.assertLess(max_relative(h.detach(), hr.detach()), 1e-12)
        target = torch.sin(torch.arange(x.numel(), dtype=x.dtype)).reshape(x.shape)

        def loss(x, h):
            return ((x - target) ** 2).mean() + (0.1 * h.sum() if return_h else 0.0)

        grads = torch.autograd.grad(loss(x, h), (W, h0, I))
        reference = torch.autograd.grad(loss(xr, hr), (W, h0, I))
        for name, g, r in zip(("W", "h0", "I"), grads, reference):
            self.assertEqual(g.shape, r.shape, name)
            self.assertLess(max_relative(g, r), 1e-10, name)

    def test_single_network_without_noise(self):
        self.compare(*random_network(torch, 20), noise_std=0.0)

    def test_single_network_with_noise(self):
        self.compare(*random_network(torch, 20, seed=1), noise_std=0.3)

    def test_batch_of_networks_with_noise_and_h_loss(self):
        self.compare(*random_network(torch, 17, batch=4, seed=2), noise_std=0.3, return_h=True)

    def test_loss_backward_fills_leaf_gradients(self):
        W, h0, I = random_network(torch, 8, batch=2, seed=3)
        simulate(W, h0, 30, DT, TAU, I=I, noise_std=0.1, seed=1).pow(2).mean().backward()
        xr, _ = reference_euler(W, h0, 30, DT, TAU, I=I, noise_std=0.1, seed=1)
        reference = torch.autograd.grad(xr.pow(2).mean(), (W, h0, I))
        for leaf, r in zip((W, h0, I), reference):
            self.assertIsNotNone(leaf.grad)
            self.assertLess(max_relative(leaf.grad, r), 1e-10)


class Float32(unittest.TestCase):
    def test_float32_close_to_float64(self):
        W, h0, I = random_network(torch, 30, batch=2, seed=4)
        x64 = simulate(W, h0, 50, DT, TAU, I=I, noise_std=0.1, seed=2)
        W32, h032, I32 = (t.detach().float().requires_grad_() for t in (W, h0, I))
        x32 = simulate(W32, h032, 50, DT, TAU, I=I32, noise_std=0.1, seed=2)
        self.assertEqual(x32.dtype, torch.float32)
        self.assertLess((x32.double() - x64).abs().max().item(), 1e-4)
        x32.pow(2).mean().backward()
        x64.pow(2).mean().backward()
        self.assertEqual(W32.grad.dtype, torch.float32)
        self.assertLess(max_relative(W32.grad, W.grad), 1e-3)
        self.assertLess(max_relative(h032.grad, h0.grad), 1e-3)


class Noise(unittest.TestCase):
    def test_deterministic_given_seed(self):
        W, h0, _ = random_network(torch, 10, seed=5)
        a = simulate(W, h0, 40, DT, TAU, noise_std=0.5, seed=7)
        b = simulate(W, h0, 40, DT, TAU, noise_std=0.5, seed=7)
        c = simulate(W, h0, 40, DT, TAU, noise_std=0.5, seed=8)
        self.assertTrue(torch.equal(a, b))
        self.assertFalse(torch.equal(a, c))

    def test_default_seed_follows_torch_manual_seed(self):
        W, h0, _ = random_network(torch, 10, seed=5)
        torch.manual_seed(3)
        a = simulate(W, h0, 40, DT, TAU, noise_std=0.5)
        torch.manual_seed(3)
        b = simulate(W, h0, 40, DT, TAU, noise_std=0.5)
        self.assertTrue(torch.equal(a, b))

    def test_batch_element_noise_is_independent_of_layout(self):
        # Element b of a batch gets the same noise whether the batch is trials of one network
        # (shared W) or separate networks (batched W).
        W, h0, I = random_network(torch, 9, batch=3, seed=6)
        shared = simulate(W[0], h0, 30, DT, TAU, noise_std=0.4, seed=9)
        separate = simulate(W[0].expand(3, 9, 9), h0, 30, DT, TAU, noise_std=0.4, seed=9)
        self.assertLess((shared - separate).abs().max().item(), 1e-13)


if __name__ == "__main__":
    unittest.main()
