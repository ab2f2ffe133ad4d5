"""spikeweave.rate (numpy) against spikeweave.torch, and bad input: every mistake raises a Python
exception with a clear message (the interpreter never crashes). Needs the compiled module
(CTest sets PYTHONPATH=<build>/python); the torch comparisons need python3-torch."""
import math
import unittest

import numpy as np

import spikeweave
import spikeweave.rate as rate
from spikeweave import _engine

try:
    import torch
    from spikeweave.torch import simulate_rate_network
except ImportError:  # pragma: no cover - CI installs python3-torch
    torch = None

DT, TAU = 0.1, 1.0


def network(n=12, batch=None, seed=0):
    rng = np.random.default_rng(seed)
    W = 1.5 / math.sqrt(n) * rng.standard_normal((batch, n, n) if batch else (n, n))
    h0 = rng.standard_normal((batch, n) if batch else n)
    I = 0.2 * rng.standard_normal(n)
    return W, h0, I


class NumpyApi(unittest.TestCase):
    def test_shapes_and_dtypes(self):
        W, h0, I = network()
        x = rate.simulate(W, h0, 25, DT, TAU, I=I)
        self.assertEqual(x.shape, (25, 12))
        self.assertEqual(x.dtype, np.float64)
        x, h = rate.simulate(W.astype(np.float32), h0.astype(np.float32), 25, DT, TAU,
                             return_h=True)
        self.assertEqual((x.dtype, h.shape), (np.float32, (25, 12)))
        np.testing.assert_allclose(x, np.tanh(h), atol=1e-6)
        Wb, h0b, _ = network(batch=3)
        self.assertEqual(rate.simulate(Wb, h0b, 7, DT, TAU, noise_std=0.1).shape, (3, 7, 12))

    def test_euler_step_by_hand(self):
        W, h0, I = network(n=5)
        xi = rate.noise(4, 3, 5).astype(np.float64)  # float32 deviates, exact in float64
        x, h = rate.simulate(W, h0, 3, DT, TAU, I=I, noise_std=0.2, seed=4, return_h=True)
        state = h0
        for t in range(3):
            state = state + DT / TAU * (-state + W @ np.tanh(state) + I) + 0.2 * xi[t]
            np.testing.assert_allclose(h[t], state, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(x, np.tanh(h), rtol=1e-14, atol=1e-15)

    def test_value_and_grad_mse_against_finite_differences(self):
        W, h0, I = network(n=6, seed=1)
        target = np.sin(np.arange(20 * 6)).reshape(20, 6) * 0.5
        args = dict(I=I, noise_std=0.1, seed=3)
        value, grads = rate.value_and_grad(W, h0, 20, DT, TAU, target=target, **args)
        x = rate.simulate(W, h0, 20, DT, TAU, **args)
        self.assertAlmostEqual(value, float(np.mean((x - target) ** 2)), places=14)
        for (i, j) in ((0, 0), (2, 5), (4, 1)):
            step = 1e-6
            Wp, Wm = W.copy(), W.copy()
            Wp[i, j] += step
            Wm[i, j] -= step
            fd = (rate.value_and_grad(Wp, h0, 20, DT, TAU, target=target, **args)[0] -
                  rate.value_and_grad(Wm, h0, 20, DT, TAU, target=target, **args)[0]) / (2 * step)
            self.assertAlmostEqual(grads.W[i, j], fd, delta=1e-7 * max(1.0, abs(fd)))
        self.assertEqual((grads.W.shape, grads.I.shape, grads.h0.shape), ((6, 6), (6,), (6,)))

    def test_value_and_grad_with_a_loss_function(self):
        W, h0, I = network(n=6, batch=2, seed=2)
        value, grads = rate.value_and_grad(W, h0, 10, DT, TAU, I=I,
                                           loss=lambda x: (float(x.sum()), np.ones_like(x)))
        self.assertEqual((grads.W.shape, grads.I.shape, grads.h0.shape), ((2, 6, 6), (6,), (2, 6)))
        self.assertAlmostEqual(value, float(rate.simulate(W, h0, 10, DT, TAU, I=I).sum()))

    @unittest.skipIf(torch is None, "python3-torch is not installed")
    def test_numpy_and_torch_agree(self):
        W, h0, I = network(n=10, batch=3, seed=3)
        target = np.cos(np.arange(3 * 15 * 10)).reshape(3, 15, 10)
        value, grads = rate.value_and_grad(W, h0, 15, DT, TAU, target=target, I=I,
                                           noise_std=0.2, seed=8)
        tW, th0, tI = (torch.tensor(a, requires_grad=True) for a in (W, h0, I))
        x = simulate_rate_network(tW, th0, 15, DT, TAU, I=tI, noise_std=0.2, seed=8)
        np.testing.assert_array_equal(x.detach().numpy(),
                                      rate.simulate(W, h0, 15, DT, TAU, I=I, noise_std=0.2,
                                                    seed=8))
        loss = ((x - torch.from_numpy(target)) ** 2).mean()
        loss.backward()
        self.assertAlmostEqual(value, loss.item(), places=14)
        np.testing.assert_allclose(grads.W, tW.grad.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads.I, tI.grad.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads.h0, th0.grad.numpy(), rtol=1e-12, atol=1e-15)

    def test_package_exposes_the_modules(self):
        self.assertIs(spikeweave.rate, rate)
        self.assertIn(_engine.backend, ("Serial", "OpenMP", "Threads", "Cuda", "HIP", "SYCL"))


class BadInput(unittest.TestCase):
    """Clear exceptions, never a crash."""

    def assertRaisesMessage(self, error, fragment, f, *args, **kwargs):
        with self.assertRaises(error) as caught:
            f(*args, **kwargs)
        self.assertIn(fragment, str(caught.exception))

    def test_numpy_shapes(self):
        W, h0, I = network(n=4)
        self.assertRaisesMessage(ValueError, "W: expected shape [N, N] or [B, N, N], got [4, 3]",
                                 rate.simulate, W[:, :3], h0, 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "h0: expected shape [N] or [B, N] with N = 4",
                                 rate.simulate, W, h0[:3], 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "I: expected shape", rate.simulate, W, h0, 5, DT,
                                 TAU, I=np.zeros(5))
        Wb, _, _ = network(n=4, batch=2)
        self.assertRaisesMessage(ValueError, "batch sizes differ: W has 2, h0 has 3",
                                 rate.simulate, Wb, np.zeros((3, 4)), 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "target: expected shape [5, 4]",
                                 rate.value_and_grad, W, h0, 5, DT, TAU, target=np.zeros((4, 4)))

    def test_numpy_values(self):
        W, h0, I = network(n=4)
        bad = W.copy()
        bad[1, 2] = np.nan
        self.assertRaisesMessage(ValueError, "W: contains non-finite values", rate.simulate, bad,
                                 h0, 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "h0: contains non-finite values", rate.simulate, W,
                                 np.full(4, np.inf), 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "dt: expected a finite number > 0, got 0",
                                 rate.simulate, W, h0, 5, 0, TAU)
        self.assertRaisesMessage(ValueError, "dt: expected a finite number > 0, got -0.1",
                                 rate.simulate, W, h0, 5, -0.1, TAU)
        self.assertRaisesMessage(ValueError, "tau: expected a finite number > 0",
                                 rate.simulate, W, h0, 5, DT, float("nan"))
        self.assertRaisesMessage(ValueError, "dt (2.0) must not exceed tau (1.0)", rate.simulate,
                                 W, h0, 5, 2.0, 1.0)
        self.assertRaisesMessage(ValueError, "T: expected a positive integer", rate.simulate, W,
                                 h0, 0, DT, TAU)
        self.assertRaisesMessage(ValueError, "noise_std: expected a finite number >= 0",
                                 rate.simulate, W, h0, 5, DT, TAU, noise_std=-1.0)
        self.assertRaisesMessage(ValueError, "nonlinearity: expected one of", rate.simulate, W,
                                 h0, 5, DT, TAU, nonlinearity="softplus")
        self.assertRaisesMessage(ValueError, "W: expected an array of numbers", rate.simulate,
                                 [["a", "b"], ["c", "d"]], np.zeros(2), 5, DT, TAU)

    @unittest.skipIf(torch is None, "python3-torch is not installed")
    def test_torch_arguments(self):
        W = torch.zeros(4, 4, dtype=torch.float64)
        h0 = torch.zeros(4, dtype=torch.float64)
        self.assertRaisesMessage(TypeError, "h0: dtype torch.float32 differs from W's",
                                 simulate_rate_network, W, h0.float(), 5, DT, TAU)
        self.assertRaisesMessage(TypeError, "W: expected float32 or float64, got torch.int64",
                                 simulate_rate_network, W.long(), h0, 5, DT, TAU)
        self.assertRaisesMessage(TypeError, "W: expected a torch.Tensor",
                                 simulate_rate_network, W.numpy(), h0, 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "h0: expected shape [N] or [B, N] with N = 4",
                                 simulate_rate_network, W, torch.zeros(2, 3, 4,
                                                                       dtype=torch.float64),
                                 5, DT, TAU)
        self.assertRaisesMessage(ValueError, "I: contains non-finite values",
                                 simulate_rate_network, W, h0, 5, DT, TAU,
                                 I=torch.full((4,), float("nan"), dtype=torch.float64))
        self.assertRaisesMessage(ValueError, "dt: expected a finite number > 0, got 0.0",
                                 simulate_rate_network, W, h0, 5, 0.0, TAU)

    def test_engine_checks_its_own_arguments(self):
        # The compiled functions validate shapes themselves: no out-of-bounds access.
        w = np.zeros((2, 3, 3))
        cases = [
            (ValueError, "w: expected shape [M, N, N], got [2, 3, 4]",
             lambda: _engine.rate.forward(np.zeros((2, 3, 4)), np.zeros((2, 1, 3)), None, 5, 0.1,
                                          0.0, 0)),
            (ValueError, "h0: expected shape [2, 1, 3], got [2, 1, 4]",
             lambda: _engine.rate.forward(w, np.zeros((2, 1, 4)), None, 5, 0.1, 0.0, 0)),
            (ValueError, "input: expected shape [2, 3], got [3]",
             lambda: _engine.rate.forward(w, np.zeros((2, 1, 3)), np.zeros(3), 5, 0.1, 0.0, 0)),
            (ValueError, "a = dt / tau must be in (0, 1]",
             lambda: _engine.rate.forward(w, np.zeros((2, 1, 3)), None, 5, 1.5, 0.0, 0)),
            (ValueError, "steps: expected at least 1",
             lambda: _engine.rate.forward(w, np.zeros((2, 1, 3)), None, 0, 0.1, 0.0, 0)),
            (ValueError, "w: non-finite value",
             lambda: _engine.rate.forward(np.full((1, 2, 2), np.nan), np.zeros((1, 1, 2)), None,
                                          5, 0.1, 0.0, 0)),
            (TypeError, "w: expected float32 or float64",
             lambda: _engine.rate.forward(np.zeros((1, 2, 2), dtype=np.int32),
                                          np.zeros((1, 1, 2)), None, 5, 0.1, 0.0, 0)),
            (ValueError, "grad_x: expected shape [2, 1, 5, 3], got [2, 1, 4, 3]",
             lambda: _engine.rate.backward(w, np.zeros((2, 1, 3)), np.zeros((2, 1, 5, 3)),
                                           np.zeros((2, 1, 5, 3)), np.zeros((2, 1, 4, 3)), None,
                                           0.1)),
            (ValueError, "h: expected shape [2, 1, 5, 3]",
             lambda: _engine.rate.backward(w, np.zeros((2, 1, 3)), np.zeros((2, 1, 5, 3)),
                                           np.zeros((2, 5, 3)), None, None, 0.1)),
            (ValueError, "nonlinearity: expected tanh, relu or sigmoid",
             lambda: _engine.rate.forward(w, np.zeros((2, 1, 3)), None, 5, 0.1, 0.0, 0, "elu")),
        ]
        for error, fragment, call in cases:
            with self.subTest(fragment=fragment):
                self.assertRaisesMessage(error, fragment, call)


if __name__ == "__main__":
    unittest.main()
