#pragma once
// Adaptive Gauss-Kronrod (7/15 points) quadrature for the smooth integrands of the diffusion
// theory. Header-only so that the theory library needs nothing but the standard library.
#include <cmath>
#include <functional>

namespace spikeweave::validation {

// Integral of f over [a, b] to a relative tolerance `rel_tol` of the total (or `abs_tol`,
// whichever is looser). Subintervals are bisected until the Kronrod-Gauss difference on each is
// below its share of the tolerance, or `max_depth` bisections deep.
double integrate(const std::function<double(double)>& f, double a, double b, double rel_tol = 1e-12,
                 double abs_tol = 0.0, int max_depth = 40);

}  // namespace spikeweave::validation
