#pragma once
// Parameters of the izhikevich model (Izhikevich 2003, NEST's `izhikevich`) and their lowering.
// Plain structs: the kernel includes this header; the TOML parser lives in
// izhikevich_describe.cpp. Defaults are NEST's (regular spiking).
#include <limits>

namespace spikeweave::model {

struct IzhikevichParams {
  double a = 0.02;        // time scale of the recovery variable u [1/ms]
  double b = 0.2;         // sensitivity of u to v (dimensionless)
  double c_mv = -65.0;    // reset value of v [mV]
  double d = 8.0;         // increment of u at a spike [mV, as NEST's U_m]
  double v_th_mv = 30.0;  // spike cut-off (peak) [mV]
  double i_e_pa = 0.0;    // constant input current [pA]; 1 pA adds 1 mV/ms to dv/dt (NEST)
  double v_min_mv = -std::numeric_limits<double>::infinity();  // lower bound of v [mV]
  bool consistent_integration = true;  // forward Euler (NEST's default) or the 2003 scheme
};

// What the kernel needs.
struct IzhikevichLowered {
  IzhikevichParams params;
  double step_ms = 0.0;
};

}  // namespace spikeweave::model
