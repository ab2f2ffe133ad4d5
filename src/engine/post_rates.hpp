#pragma once
// Rate estimates and homeostatic gains of the populations that plasticity needs them for.
// Projections register what they need before the first step; the state is updated once per
// interval, after the neurons, before delivery.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "kernels/post_rates.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

class NeuronGroup;
class StateWriter;
class StateReader;

class PostRates {
 public:
  // A rate trace of population p with time constant tau_ms (initial value initial_hz); returns
  // its index.
  int require_rate(int population, double tau_ms, double initial_hz, const std::string& key);
  // Homeostatic scaling of population p's incoming weights (one parameter set per population).
  void require_gain(int population, const plasticity::HomeostaticScalingParams& params,
                    const std::string& key);
  void allocate(const std::vector<std::unique_ptr<NeuronGroup>>& groups, double dt_ms);
  void update(const std::vector<std::unique_ptr<NeuronGroup>>& groups, int steps);

  kernels::View<const double*> gain(int population) const;
  kernels::View<const double*> rate(int population, int trace) const;
  bool empty() const { return requests_.empty(); }
  // Checkpoints: rate traces and gains under "post_rates/<population>/...", keyed by gid.
  void save_state(StateWriter& w, const std::vector<std::unique_ptr<NeuronGroup>>& groups) const;
  void restore_state(StateReader& r, const std::vector<std::unique_ptr<NeuronGroup>>& groups);

 private:
  struct Request {
    std::vector<double> taus_ms, initial_hz;
    std::optional<plasticity::HomeostaticScalingParams> homeostatic;
    int gain_trace = 0;
  };
  std::map<int, Request> requests_;
  std::map<int, kernels::PostRatesUpdate> state_;
};

}  // namespace spikeweave::engine
