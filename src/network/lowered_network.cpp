#include "network/lowered_network.hpp"

#include "core/time_grid.hpp"

namespace spikeweave::network {

LoweredNetwork lower_network(const NetworkSpec& spec) {
  LoweredNetwork net;
  net.spec = spec;
  const double dt = spec.simulation.dt_ms;
  net.flush_steps = interval_to_steps(spec.simulation.flush_interval_ms, dt, 0);
  net.min_delay_steps = spec.min_delay_steps();
  net.max_delay_steps = spec.max_delay_steps();
  for (const PopulationSpec& p : spec.populations) {
    net.models.push_back(p.model->lower(p.params, dt, p.key + ".params"));
  }
  for (const ProjectionSpec& p : spec.projections) {
    net.plasticity.push_back(p.plasticity ? plasticity::lower_plasticity(*p.plasticity, dt)
                                          : plasticity::LoweredPlasticity{});
  }
  return net;
}

}  // namespace spikeweave::network
