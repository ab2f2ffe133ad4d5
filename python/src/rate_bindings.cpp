// spikeweave._engine.rate: explicit rate networks (src/rate/explicit.hpp) over numpy arrays.
// Shapes are checked here, so that no call can read or write outside an array; spikeweave.rate
// and spikeweave.torch check the user's arguments first and name them in their messages.
#include <pybind11/numpy.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "rate/explicit.hpp"
#include "rate/normals.hpp"

namespace py = pybind11;

namespace spikeweave::python {

namespace {

using rate::ExplicitInputs;
using rate::ExplicitRate;
using rate::ExplicitShape;
using rate::Nonlinearity;

template <class Real>
using Array = py::array_t<Real, py::array::c_style | py::array::forcecast>;

// One cached workspace per precision, rebuilt when the shape changes; calls are serialised.
template <class Real>
struct Cache {
  std::mutex mutex;
  std::unique_ptr<ExplicitRate<Real>> rate;

  ExplicitRate<Real>& get(const ExplicitShape& s) {
    const bool same = rate && rate->shape().networks == s.networks &&
                      rate->shape().trials == s.trials && rate->shape().neurons == s.neurons &&
                      rate->shape().steps == s.steps && rate->shape().phi == s.phi;
    if (!same) {
      rate.reset();
      rate = std::make_unique<ExplicitRate<Real>>(s);
    }
    return *rate;
  }
};

template <class Real>
Cache<Real>& cache() {
  static Cache<Real> instance;
  return instance;
}

Nonlinearity parse_phi(const std::string& name) {
  if (name == "tanh") return Nonlinearity::kTanh;
  if (name == "relu") return Nonlinearity::kRelu;
  if (name == "sigmoid") return Nonlinearity::kSigmoid;
  throw py::value_error("nonlinearity: expected tanh, relu or sigmoid, got '" + name + "'");
}

std::string shape_text(const std::vector<py::ssize_t>& shape) {
  std::string text = "[";
  for (std::size_t d = 0; d < shape.size(); ++d) text += (d ? ", " : "") + std::to_string(shape[d]);
  return text + "]";
}

template <class Real>
Array<Real> as_array(const py::handle& object, const char* name,
                     const std::vector<py::ssize_t>& shape) {
  Array<Real> array = Array<Real>::ensure(object);
  if (!array) throw py::type_error(std::string(name) + ": expected an array of numbers");
  const std::vector<py::ssize_t> actual(array.shape(), array.shape() + array.ndim());
  if (actual != shape)
    throw py::value_error(std::string(name) + ": expected shape " + shape_text(shape) + ", got " +
                          shape_text(actual));
  return array;
}

template <class Real>
void require_finite(const Array<Real>& array, const char* name) {
  const Real* data = array.data();
  for (py::ssize_t e = 0; e < array.size(); ++e) {
    if (!std::isfinite(data[e]))
      throw py::value_error(std::string(name) + ": non-finite value (" + std::to_string(data[e]) +
                            ") at flat index " + std::to_string(e));
  }
}

void require_coefficients(double a, double noise_scale) {
  if (!(a > 0.0 && a <= 1.0))
    throw py::value_error("a = dt / tau must be in (0, 1], got " + std::to_string(a));
  if (!(std::isfinite(noise_scale) && noise_scale >= 0.0))
    throw py::value_error("noise_scale must be finite and >= 0, got " +
                          std::to_string(noise_scale));
}

template <class Real>
py::tuple forward(const py::array& w_object, const py::object& h0_object,
                  const py::object& input_object, int steps, double a, double noise_scale,
                  std::uint64_t seed, const std::string& phi) {
  if (w_object.ndim() != 3 || w_object.shape(1) != w_object.shape(2))
    throw py::value_error("w: expected shape [M, N, N], got " +
                          shape_text({w_object.shape(), w_object.shape() + w_object.ndim()}));
  const py::ssize_t M = w_object.shape(0), N = w_object.shape(1);
  if (M < 1 || N < 1) throw py::value_error("w: expected at least one network of one neuron");
  if (steps < 1) throw py::value_error("steps: expected at least 1, got " + std::to_string(steps));
  require_coefficients(a, noise_scale);
  const Array<Real> w = as_array<Real>(w_object, "w", {M, N, N});
  const Array<Real> probe = Array<Real>::ensure(h0_object);
  if (!probe || probe.ndim() != 3) throw py::value_error("h0: expected shape [M, K, N]");
  const py::ssize_t K = probe.shape(1);
  if (K < 1) throw py::value_error("h0: expected at least one trial");
  const Array<Real> h0 = as_array<Real>(h0_object, "h0", {M, K, N});
  Array<Real> input;
  if (!input_object.is_none()) input = as_array<Real>(input_object, "input", {M, N});
  require_finite(w, "w");
  require_finite(h0, "h0");
  if (!input_object.is_none()) require_finite(input, "input");
  if (static_cast<double>(steps) * static_cast<double>(N) >= 2147483648.0)
    throw py::value_error("steps x neurons must be below 2^31");

  ExplicitShape shape;
  shape.networks = static_cast<int>(M);
  shape.trials = static_cast<int>(K);
  shape.neurons = static_cast<int>(N);
  shape.steps = steps;
  shape.phi = parse_phi(phi);
  ExplicitInputs<Real> in;
  in.w = w.data();
  in.input = input_object.is_none() ? nullptr : input.data();
  in.h0 = h0.data();
  in.a = a;
  in.noise_scale = noise_scale;
  in.seed = seed;
  Array<Real> x({M, K, static_cast<py::ssize_t>(steps), N});
  Array<Real> h({M, K, static_cast<py::ssize_t>(steps), N});
  Real* x_data = x.mutable_data();
  Real* h_data = h.mutable_data();
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(cache<Real>().mutex);
    cache<Real>().get(shape).forward(in, x_data, h_data);
  }
  return py::make_tuple(x, h);
}

template <class Real>
py::tuple backward(const py::array& w_object, const py::object& h0_object,
                   const py::object& x_object, const py::object& h_object,
                   const py::object& grad_x_object, const py::object& grad_h_object, double a,
                   const std::string& phi) {
  if (w_object.ndim() != 3 || w_object.shape(1) != w_object.shape(2))
    throw py::value_error("w: expected shape [M, N, N]");
  const py::ssize_t M = w_object.shape(0), N = w_object.shape(1);
  const Array<Real> probe = Array<Real>::ensure(x_object);
  if (!probe || probe.ndim() != 4) throw py::value_error("x: expected shape [M, K, T, N]");
  const py::ssize_t K = probe.shape(1), T = probe.shape(2);
  if (M < 1 || N < 1 || K < 1 || T < 1) throw py::value_error("x: expected a non-empty trace");
  require_coefficients(a, 0.0);
  const Array<Real> w = as_array<Real>(w_object, "w", {M, N, N});
  const Array<Real> h0 = as_array<Real>(h0_object, "h0", {M, K, N});
  const Array<Real> x = as_array<Real>(x_object, "x", {M, K, T, N});
  const Array<Real> h = as_array<Real>(h_object, "h", {M, K, T, N});
  Array<Real> grad_x, grad_h;
  if (!grad_x_object.is_none()) grad_x = as_array<Real>(grad_x_object, "grad_x", {M, K, T, N});
  if (!grad_h_object.is_none()) grad_h = as_array<Real>(grad_h_object, "grad_h", {M, K, T, N});

  ExplicitShape shape;
  shape.networks = static_cast<int>(M);
  shape.trials = static_cast<int>(K);
  shape.neurons = static_cast<int>(N);
  shape.steps = static_cast<int>(T);
  shape.phi = parse_phi(phi);
  ExplicitInputs<Real> in;
  in.w = w.data();
  in.h0 = h0.data();
  in.a = a;
  const Real* gx = grad_x_object.is_none() ? nullptr : grad_x.data();
  const Real* gh = grad_h_object.is_none() ? nullptr : grad_h.data();
  Array<Real> grad_w({M, N, N});
  Array<Real> grad_input({M, N});
  Array<Real> grad_h0({M, K, N});
  Real* gw = grad_w.mutable_data();
  Real* gi = grad_input.mutable_data();
  Real* g0 = grad_h0.mutable_data();
  const Real* x_data = x.data();
  const Real* h_data = h.data();
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(cache<Real>().mutex);
    cache<Real>().get(shape).backward(in, x_data, h_data, gx, gh, gw, gi, g0);
  }
  return py::make_tuple(grad_w, grad_input, grad_h0);
}

// Dispatch on W's dtype: float32 or float64; the other arrays are converted to it.
template <class F32, class F64>
auto by_dtype(const py::array& w, F32 f32, F64 f64) {
  if (w.dtype().is(py::dtype::of<float>())) return f32();
  if (w.dtype().is(py::dtype::of<double>())) return f64();
  throw py::type_error("w: expected float32 or float64, got " + std::string(py::str(w.dtype())));
}

}  // namespace

void bind_rate(py::module_& m) {
  at_finalize([]() {
    cache<float>().rate.reset();
    cache<double>().rate.reset();
  });
  m.def(
      "forward",
      [](const py::array& w, const py::object& h0, const py::object& input, int steps, double a,
         double noise_scale, std::uint64_t seed, const std::string& phi) {
        return by_dtype(
            w, [&] { return forward<float>(w, h0, input, steps, a, noise_scale, seed, phi); },
            [&] { return forward<double>(w, h0, input, steps, a, noise_scale, seed, phi); });
      },
      py::arg("w"), py::arg("h0"), py::arg("input"), py::arg("steps"), py::arg("a"),
      py::arg("noise_scale"), py::arg("seed"), py::arg("phi") = "tanh",
      "Simulates M networks [M, N, N] with K trials each (h0 [M, K, N], input [M, N] or None);\n"
      "returns (x, h), both [M, K, T, N]: the states after steps 1..T. a = dt / tau;\n"
      "noise_scale: standard deviation of the noise added to h per step.");
  m.def(
      "backward",
      [](const py::array& w, const py::object& h0, const py::object& x, const py::object& h,
         const py::object& grad_x, const py::object& grad_h, double a, const std::string& phi) {
        return by_dtype(
            w, [&] { return backward<float>(w, h0, x, h, grad_x, grad_h, a, phi); },
            [&] { return backward<double>(w, h0, x, h, grad_x, grad_h, a, phi); });
      },
      py::arg("w"), py::arg("h0"), py::arg("x"), py::arg("h"), py::arg("grad_x"), py::arg("grad_h"),
      py::arg("a"), py::arg("phi") = "tanh",
      "Backpropagation through time of forward's trajectory (x, h) for the upstream gradients\n"
      "grad_x, grad_h [M, K, T, N] (None: zero); returns (grad_w, grad_input, grad_h0).");
  m.def(
      "noise",
      [](std::uint64_t seed, py::ssize_t elements, py::ssize_t steps, py::ssize_t neurons) {
        if (elements < 1 || steps < 1 || neurons < 1)
          throw py::value_error("noise: elements, steps and neurons must be positive");
        py::array_t<float> out({elements, steps, neurons});
        float* data = out.mutable_data();
        const long count = static_cast<long>(steps) * neurons;
        {
          py::gil_scoped_release release;
          for (py::ssize_t b = 0; b < elements; ++b) {
            const rate::StreamKey key{seed, rate::RateStream::kNoise, 0,
                                      static_cast<std::uint32_t>(b)};
            rate::fill_normal_sequence(key, count, data + b * count);
          }
        }
        return out;
      },
      py::arg("seed"), py::arg("elements"), py::arg("steps"), py::arg("neurons"),
      "xi [B, T, N] (float32): the standard normal deviates that forward scales by noise_scale\n"
      "for batch element b = m K + k (stream (seed, noise, 0, b), as dataset network 0's trial "
      "b).");
}

}  // namespace spikeweave::python
