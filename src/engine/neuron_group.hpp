#pragma once
// The neurons of one population on this rank: state Views, input ring, fired flags and the
// update kernel of the population's model.
#include <memory>
#include <string>
#include <vector>

#include "kernels/views.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

class NeuronGroup {
 public:
  virtual ~NeuronGroup() = default;

  // Advances every local neuron by one step. Reads and clears ring slot (step mod slots), writes
  // fired flags of row `lag`.
  virtual void update(Step step, int lag) = 0;
  // Membrane potentials [mV] (absolute), or an empty View for source models.
  virtual kernels::View<const double*> v_rel_mv() const { return {}; }
  virtual double e_l_mv() const { return 0.0; }

  const network::PopulationSpec& spec() const { return spec_; }
  int index() const { return index_; }
  int size() const { return static_cast<int>(gids_.size()); }
  const std::vector<Gid>& gids() const { return gids_; }
  kernels::View<const std::uint32_t*> device_gids() const { return device_gids_; }
  kernels::InputRing& ring() { return ring_; }
  kernels::FiredFlags& fired() { return fired_; }
  int slots() const { return slots_; }

 protected:
  NeuronGroup(const network::PopulationSpec& spec, int index, std::vector<Gid> gids,
              int interval_steps, int slots, bool receives_input);

  const network::PopulationSpec& spec_;
  int index_;
  std::vector<Gid> gids_;
  kernels::View<std::uint32_t*> device_gids_;
  kernels::InputRing ring_;
  kernels::FiredFlags fired_;
  int slots_;
};

std::unique_ptr<NeuronGroup> make_neuron_group(const network::NetworkSpec& net, int index,
                                               std::vector<Gid> gids, int interval_steps,
                                               int slots);

}  // namespace spikeweave::engine
