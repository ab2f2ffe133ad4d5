#pragma once
// The dopamine spike train of a modulated projection (stdp_dopamine, calcium with a
// dopamine_population), kept on the host and mirrored to the device.
#include <vector>

#include "core/ids.hpp"
#include "engine/checkpoint_state.hpp"
#include "kernels/decay_table.hpp"
#include "kernels/dopamine_deliver.hpp"

namespace spikeweave::engine {

// Effective times (spike time + dopamine delay), spikes at one time merged, and the
// concentration n right after each (jump 1/tau_n, decay tau_n).
class DopamineTrain {
 public:
  DopamineTrain(double tau_n_ms, double dt_ms, Step delay_steps)
      : tau_n_ms_(tau_n_ms), delay_steps_(delay_steps) {
    signal_.decay_n = kernels::DecayTable::make(dt_ms / tau_n_ms);
  }
  void add(const std::vector<Step>& stamps) {
    if (stamps.empty()) return;
    const double jump = 1.0 / tau_n_ms_;
    for (Step stamp : stamps) {
      const Step effective = stamp + delay_steps_;
      if (!stamps_.empty() && stamps_.back() == effective) {
        n_after_.back() += jump;
        continue;
      }
      n_after_.push_back(
          jump + (stamps_.empty() ? 0.0 : n_after_.back() * decay(effective - stamps_.back())));
      stamps_.push_back(effective);
    }
    upload();
  }
  // Drops spikes before `oldest_needed` except the last one (the reference value of n).
  void prune(Step oldest_needed) {
    std::size_t keep_from = 0;
    while (keep_from + 1 < stamps_.size() && stamps_[keep_from + 1] <= oldest_needed) ++keep_from;
    if (keep_from == 0) return;
    stamps_.erase(stamps_.begin(), stamps_.begin() + static_cast<long>(keep_from));
    n_after_.erase(n_after_.begin(), n_after_.begin() + static_cast<long>(keep_from));
    upload();
  }
  double n_at(Step t) const {
    std::size_t k = stamps_.size();
    while (k > 0 && stamps_[k - 1] > t) --k;
    return k == 0 ? 0.0 : n_after_[k - 1] * decay(t - stamps_[k - 1]);
  }
  const kernels::DopamineSignal& signal() const { return signal_; }

  // Checkpoints: every rank holds the same train (all modulator spikes reach every rank that
  // has the projection, and pruning follows the global sweep clock), so rank 0 saves it.
  void save(StateWriter& w, const std::string& prefix, bool root) const {
    io::CheckpointBlock stamps = io::empty_block(prefix + "stamp", 1, 1, true);
    io::CheckpointBlock n_after = io::empty_block(prefix + "n_after", 1, 1, false);
    if (root) {
      for (std::size_t k = 0; k < stamps_.size(); ++k) {
        stamps.keys.push_back(k);
        n_after.keys.push_back(k);
        stamps.ints.push_back(stamps_[k]);
        n_after.reals.push_back(n_after_[k]);
      }
    }
    w.put_block(std::move(stamps));
    w.put_block(std::move(n_after));
  }
  void restore(StateReader& r, const std::string& prefix) {
    const io::CheckpointBlock stamps = r.all(prefix + "stamp");
    const io::CheckpointBlock n_after = r.all(prefix + "n_after");
    stamps_.assign(stamps.ints.begin(), stamps.ints.end());
    n_after_.assign(n_after.reals.begin(), n_after.reals.end());
    if (stamps_.size() != n_after_.size()) {
      throw FileError(prefix + "stamp", "dopamine stamps and concentrations differ in length");
    }
    upload();
  }

 private:
  double decay(Step k) const {
    return kernels::DecayTable::compute(k, signal_.decay_n.steps_per_tau);
  }
  void upload() {
    kernels::View<std::int64_t*> stamp("dopamine.stamp", stamps_.size());
    kernels::View<double*> n_after("dopamine.n_after", n_after_.size());
    auto host_stamp = Kokkos::create_mirror_view(stamp);
    auto host_n = Kokkos::create_mirror_view(n_after);
    for (std::size_t k = 0; k < stamps_.size(); ++k) {
      host_stamp(k) = stamps_[k];
      host_n(k) = n_after_[k];
    }
    Kokkos::deep_copy(stamp, host_stamp);
    Kokkos::deep_copy(n_after, host_n);
    signal_.stamp = stamp;
    signal_.n_after = n_after;
    signal_.count = static_cast<int>(stamps_.size());
  }

  double tau_n_ms_;
  Step delay_steps_;
  std::vector<Step> stamps_;
  std::vector<double> n_after_;
  kernels::DopamineSignal signal_;
};

}  // namespace spikeweave::engine
