#include "theory/quadrature.hpp"

#include <algorithm>
#include <array>

namespace spikeweave::validation {
namespace {

// QUADPACK's 15-point Kronrod nodes (positive half) and weights, and the weights of the embedded
// 7-point Gauss rule (nodes xgk[1], xgk[3], xgk[5], xgk[7]).
constexpr std::array<double, 8> kXgk = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.000000000000000000000000000000000};
constexpr std::array<double, 8> kWgk = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
constexpr std::array<double, 4> kWg = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

struct Estimate {
  double value;
  double error;
};

Estimate kronrod15(const std::function<double(double)>& f, double a, double b) {
  const double centre = 0.5 * (a + b);
  const double half = 0.5 * (b - a);
  const double f_centre = f(centre);
  double kronrod = kWgk[7] * f_centre;
  double gauss = kWg[3] * f_centre;
  for (int j = 0; j < 7; ++j) {
    const double dx = half * kXgk[j];
    const double sum = f(centre - dx) + f(centre + dx);
    kronrod += kWgk[j] * sum;
    if (j % 2 == 1) gauss += kWg[j / 2] * sum;
  }
  return {kronrod * half, std::fabs((kronrod - gauss) * half)};
}

double adapt(const std::function<double(double)>& f, double a, double b, double tol_per_width,
             int depth) {
  const Estimate e = kronrod15(f, a, b);
  if (e.error <= tol_per_width * std::fabs(b - a) || depth <= 0 || !std::isfinite(e.value)) {
    return e.value;
  }
  const double m = 0.5 * (a + b);
  return adapt(f, a, m, tol_per_width, depth - 1) + adapt(f, m, b, tol_per_width, depth - 1);
}

}  // namespace

double integrate(const std::function<double(double)>& f, double a, double b, double rel_tol,
                 double abs_tol, int max_depth) {
  if (a == b) return 0.0;
  // A first estimate on a coarse split sets the absolute target for every subinterval.
  double rough = 0.0;
  const int pieces = 16;
  for (int k = 0; k < pieces; ++k) {
    rough += kronrod15(f, a + (b - a) * k / pieces, a + (b - a) * (k + 1) / pieces).value;
  }
  const double tolerance = std::max(abs_tol, rel_tol * std::fabs(rough));
  if (tolerance == 0.0) return rough;
  return adapt(f, a, b, tolerance / std::fabs(b - a), max_depth);
}

}  // namespace spikeweave::validation
