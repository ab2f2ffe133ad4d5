#include "engine/plastic_projection.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/errors.hpp"
#include "engine/neuron_group.hpp"
#include "kernels/dopamine_deliver.hpp"
#include "kernels/stdp_deliver.hpp"

namespace spikeweave::engine {
namespace {

using plasticity::Pairing;
using plasticity::PlasticitySpec;
using plasticity::RuleKind;

// Trace-based STDP (pair, power-law, triplet) with weights stored as `Weight`.
template <class Weight, class Rule>
class StdpProjection final : public Projection {
 public:
  StdpProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                 NeuronGroup& target, PostHistories& histories, const Rule& rule,
                 int interval_steps)
      : Projection(net, index, std::move(tables)) {
    const network::ProjectionSpec& spec = net.projections[index];
    const PlasticitySpec& p = *spec.plasticity;
    const double dt = net.simulation.dt_ms;
    auto& s = deliver_.s;
    s.syn = device_synapses(tables_);
    s.rule = rule;
    double tau_plus = 0, tau_minus = 0;
    switch (p.rule) {
      case RuleKind::kStdpPair:
        tau_plus = p.pair.tau_plus_ms;
        tau_minus = p.pair.tau_minus_ms;
        s.pairing = static_cast<kernels::PairingMode>(p.pair.pairing);
        break;
      case RuleKind::kStdpPowerLaw:
        tau_plus = p.power_law.tau_plus_ms;
        tau_minus = p.power_law.tau_minus_ms;
        break;
      case RuleKind::kStdpTriplet:
        tau_plus = p.triplet.tau_plus_ms;
        tau_minus = p.triplet.tau_minus_ms;
        s.triplet = true;
        s.decay_x = kernels::DecayTable::make(dt / p.triplet.tau_x_ms);
        s.channel_triplet =
            histories.require_channel(spec.target, p.triplet.tau_y_ms, p.history_capacity);
        break;
      default:
        throw InternalError("StdpProjection built for a rule it does not implement");
    }
    s.decay_plus = kernels::DecayTable::make(dt / tau_plus);
    s.channel_minus = histories.require_channel(spec.target, tau_minus, p.history_capacity);
    const std::string& name = spec.name;
    const std::uint64_t n = tables_.synapses;
    s.weight = kernels::View<Weight*>(name + ".weight", n);
    {
      auto host = Kokkos::create_mirror_view(s.weight);
      for (std::uint64_t k = 0; k < n; ++k) host(k) = static_cast<Weight>(tables_.weight_at(k));
      Kokkos::deep_copy(s.weight, host);
    }
    // The float table weights are no longer needed: the device weights are the truth now.
    tables_.weight = network::HostView<float*>();
    tables_.weight_double = network::HostView<double*>();
    s.syn.weight = kernels::View<const float*>();
    if (s.pairing == kernels::PairingMode::kNearestPreCentered) {
      s.pre_centered_trace = kernels::View<double*>(name + ".pre_centered_trace", n);
    }
    const std::uint64_t rows = tables_.rows();
    s.rows.t_last = kernels::View<std::int64_t*>(name + ".t_last", rows);
    s.rows.t_done = kernels::View<std::int64_t*>(name + ".t_done", rows);
    s.rows.r1 = kernels::View<double*>(name + ".r1", rows);
    s.rows.r2 = kernels::View<double*>(name + ".r2", s.triplet ? rows : 0);
    // Postsynaptic times T - d of one interval's spikes span interval + (d_max - d_min) steps.
    int d_min = 65535, d_max = 0;
    for (std::uint64_t seg = 0; seg < tables_.segments(); ++seg) {
      d_min = std::min<int>(d_min, tables_.segment_delay(seg));
      d_max = std::max<int>(d_max, tables_.segment_delay(seg));
    }
    if (d_max < d_min) d_min = d_max = 1;
    max_delay_steps_ = d_max;
    s.kminus =
        kernels::View<double**>(name + ".kminus", interval_steps + d_max - d_min, target.size());
    kminus_table_.kminus = s.kminus;
    kminus_table_.channel = s.channel_minus;
    kminus_table_.nearest = s.pairing != kernels::PairingMode::kAllToAll;
    deliver_.ring = target.ring();
    deliver_.port = port_of(spec);
    deliver_.slots = static_cast<int>(target.ring().extent(1));
    sweep_steps_ = std::max<Step>(1, std::llround(p.sweep_interval_ms / dt));
  }

  bool plastic() const override { return true; }
  void bind(const PostHistories& histories) override {
    deliver_.s.post = histories.history(target_);
    kminus_table_.post = deliver_.s.post;
  }

  void deliver(const SpikeBatch& batch, Step first_step) override {
    // Spikes emitted at steps first_step + lag have stamps first_step + lag + 1; their depression
    // looks at the target's trace at stamp - d >= first_step + 1 - d_max.
    kminus_table_.base = first_step + 1 - max_delay_steps_;
    deliver_.s.kminus_base = kminus_table_.base;
    Kokkos::parallel_for(
        kernels::StdpKminusTable::kLabel,
        Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(deliver_.s.kminus.extent(1))),
        kminus_table_);
    deliver_.spikes = batch.spikes;
    deliver_.run_begin = batch.run_begin;
    deliver_.first_step = first_step;
    deliver_.run(batch.runs);
  }

  void sweep(Step stamp) override {
    if (stamp / sweep_steps_ == last_sweep_ / sweep_steps_) return;
    kernels::StdpSweep<Weight, Rule> sweep{deliver_.s, stamp - sweep_steps_, stamp};
    sweep.run();
    last_sweep_ = stamp;
  }

  std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const override {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver_.s.weight);
    std::vector<double> values;
    values.reserve(synapses.size());
    for (std::uint64_t k : synapses) values.push_back(static_cast<double>(host(k)));
    return values;
  }

  std::uint64_t bytes() const override {
    const auto& s = deliver_.s;
    return tables_.bytes() + s.weight.span() * sizeof(Weight) + s.kminus.span() * sizeof(double) +
           s.pre_centered_trace.span() * sizeof(double) +
           (s.rows.t_last.span() + s.rows.t_done.span()) * sizeof(std::int64_t) +
           (s.rows.r1.span() + s.rows.r2.span()) * sizeof(double);
  }

 private:
  kernels::StdpDeliver<Weight, Rule> deliver_;
  kernels::StdpKminusTable kminus_table_;
  int max_delay_steps_ = 1;
  Step sweep_steps_ = 1;
  Step last_sweep_ = 0;
};

// Postsynaptic times T - d of one interval's spikes span interval + (d_max - d_min) steps.
std::pair<int, int> delay_range(const network::SynapseTables& tables) {
  int d_min = 65535, d_max = 0;
  for (std::uint64_t seg = 0; seg < tables.segments(); ++seg) {
    d_min = std::min<int>(d_min, tables.segment_delay(seg));
    d_max = std::max<int>(d_max, tables.segment_delay(seg));
  }
  if (d_max < d_min) d_min = d_max = 1;
  return {d_min, d_max};
}

// Reward-modulated STDP with a dopamine signal from a designated population.
template <class Weight>
class DopamineProjection final : public Projection {
 public:
  DopamineProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                     NeuronGroup& target, PostHistories& histories, int interval_steps)
      : Projection(net, index, std::move(tables)) {
    const network::ProjectionSpec& spec = net.projections[index];
    const PlasticitySpec& p = *spec.plasticity;
    const plasticity::StdpDopamineParams& d = p.dopamine;
    const double dt = net.simulation.dt_ms;
    auto& s = deliver_.s;
    s.syn = device_synapses(tables_);
    s.p = kernels::DopamineParams{d.a_plus, d.a_minus, d.tau_c_ms, d.tau_n_ms,
                                  d.b,      d.w_min,   d.w_max,    dt};
    s.decay_plus = kernels::DecayTable::make(dt / d.tau_plus_ms);
    s.dopamine.decay_n = kernels::DecayTable::make(dt / d.tau_n_ms);
    tau_n_ms_ = d.tau_n_ms;
    channel_ = histories.require_channel(spec.target, d.tau_minus_ms, p.history_capacity);
    modulator_ = net.population_index(d.dopamine_population);
    delay_steps_ = d.dopamine_delay_ms > 0 ? std::llround(d.dopamine_delay_ms / dt) : 1;
    const std::string& name = spec.name;
    const std::uint64_t n = tables_.synapses;
    s.weight = kernels::View<Weight*>(name + ".weight", n);
    {
      auto host = Kokkos::create_mirror_view(s.weight);
      for (std::uint64_t k = 0; k < n; ++k) host(k) = static_cast<Weight>(tables_.weight_at(k));
      Kokkos::deep_copy(s.weight, host);
    }
    tables_.weight = network::HostView<float*>();
    tables_.weight_double = network::HostView<double*>();
    s.syn.weight = kernels::View<const float*>();
    s.eligibility = kernels::View<Weight*>(name + ".eligibility", n);
    const std::uint64_t rows = tables_.rows();
    s.rows.t_last = kernels::View<std::int64_t*>(name + ".t_last", rows);
    s.rows.t_done = kernels::View<std::int64_t*>(name + ".t_done", rows);
    s.rows.r1 = kernels::View<double*>(name + ".r1", rows);
    const auto [d_min, d_max] = delay_range(tables_);
    max_delay_steps_ = d_max;
    s.kminus =
        kernels::View<double**>(name + ".kminus", interval_steps + d_max - d_min, target.size());
    kminus_table_.kminus = s.kminus;
    kminus_table_.channel = channel_;
    deliver_.ring = target.ring();
    deliver_.port = port_of(spec);
    deliver_.slots = static_cast<int>(target.ring().extent(1));
    sweep_steps_ = std::max<Step>(1, std::llround(p.sweep_interval_ms / dt));
  }

  bool plastic() const override { return true; }
  int modulator_population() const override { return modulator_; }

  void bind(const PostHistories& histories) override {
    deliver_.s.post = histories.history(target_);
    kminus_table_.post = deliver_.s.post;
  }

  void add_modulator_spikes(const std::vector<Step>& stamps) override {
    if (stamps.empty()) return;
    for (Step stamp : stamps) {
      const Step effective = stamp + delay_steps_;
      const double jump = 1.0 / tau_n_ms_;
      if (!stamps_.empty() && stamps_.back() == effective) {
        n_after_.back() += jump;
        continue;
      }
      double n = jump;
      if (!stamps_.empty()) {
        n += n_after_.back() *
             kernels::DecayTable::compute(effective - stamps_.back(),
                                          deliver_.s.dopamine.decay_n.steps_per_tau);
      }
      stamps_.push_back(effective);
      n_after_.push_back(n);
    }
    upload_signal();
  }

  void deliver(const SpikeBatch& batch, Step first_step) override {
    kminus_table_.base = first_step + 1 - max_delay_steps_;
    deliver_.s.kminus_base = kminus_table_.base;
    Kokkos::parallel_for(
        kernels::StdpKminusTable::kLabel,
        Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(deliver_.s.kminus.extent(1))),
        kminus_table_);
    deliver_.spikes = batch.spikes;
    deliver_.run_begin = batch.run_begin;
    deliver_.first_step = first_step;
    deliver_.run(batch.runs);
  }

  void sweep(Step stamp) override {
    if (stamp / sweep_steps_ == last_sweep_ / sweep_steps_) return;
    kernels::DopamineSweep<Weight> sweep{deliver_.s, stamp - sweep_steps_, stamp};
    sweep.run();
    last_sweep_ = stamp;
    // Every row is now integrated to at least stamp - sweep_steps: older dopamine spikes are
    // needed only as the reference value of n (keep the last one before that time).
    const Step oldest_needed = stamp - sweep_steps_;
    std::size_t keep_from = 0;
    while (keep_from + 1 < stamps_.size() && stamps_[keep_from + 1] <= oldest_needed) ++keep_from;
    if (keep_from > 0) {
      stamps_.erase(stamps_.begin(), stamps_.begin() + static_cast<long>(keep_from));
      n_after_.erase(n_after_.begin(), n_after_.begin() + static_cast<long>(keep_from));
      upload_signal();
    }
  }

  std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const override {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver_.s.weight);
    std::vector<double> values;
    values.reserve(synapses.size());
    for (std::uint64_t k : synapses) values.push_back(static_cast<double>(host(k)));
    return values;
  }

  std::uint64_t bytes() const override {
    const auto& s = deliver_.s;
    return tables_.bytes() + (s.weight.span() + s.eligibility.span()) * sizeof(Weight) +
           s.kminus.span() * sizeof(double) +
           (s.rows.t_last.span() + s.rows.t_done.span()) * sizeof(std::int64_t) +
           s.rows.r1.span() * sizeof(double);
  }

 private:
  void upload_signal() {
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
    deliver_.s.dopamine.stamp = stamp;
    deliver_.s.dopamine.n_after = n_after;
    deliver_.s.dopamine.count = static_cast<int>(stamps_.size());
  }

  kernels::DopamineDeliver<Weight> deliver_;
  kernels::StdpKminusTable kminus_table_;
  std::vector<Step> stamps_;
  std::vector<double> n_after_;
  double tau_n_ms_ = 200.0;
  int channel_ = 0;
  int modulator_ = -1;
  Step delay_steps_ = 1;
  int max_delay_steps_ = 1;
  Step sweep_steps_ = 1;
  Step last_sweep_ = 0;
};

template <class Weight>
std::unique_ptr<Projection> make_stdp(const network::NetworkSpec& net, int index,
                                      network::SynapseTables tables, NeuronGroup& target,
                                      PostHistories& histories, int interval_steps) {
  const PlasticitySpec& p = *net.projections[index].plasticity;
  switch (p.rule) {
    case RuleKind::kStdpPair: {
      const kernels::PairWeightRule rule{p.pair.lambda, p.pair.alpha, p.pair.mu_plus,
                                         p.pair.mu_minus, p.pair.w_max};
      return std::make_unique<StdpProjection<Weight, kernels::PairWeightRule>>(
          net, index, std::move(tables), target, histories, rule, interval_steps);
    }
    case RuleKind::kStdpPowerLaw: {
      const kernels::PowerLawWeightRule rule{p.power_law.lambda, p.power_law.alpha, p.power_law.mu,
                                             std::is_same_v<Weight, float>};
      return std::make_unique<StdpProjection<Weight, kernels::PowerLawWeightRule>>(
          net, index, std::move(tables), target, histories, rule, interval_steps);
    }
    case RuleKind::kStdpTriplet: {
      const kernels::TripletWeightRule rule{p.triplet.a2_plus, p.triplet.a3_plus,
                                            p.triplet.a2_minus, p.triplet.a3_minus,
                                            p.triplet.w_max};
      return std::make_unique<StdpProjection<Weight, kernels::TripletWeightRule>>(
          net, index, std::move(tables), target, histories, rule, interval_steps);
    }
    case RuleKind::kStdpDopamine:
      return std::make_unique<DopamineProjection<Weight>>(net, index, std::move(tables), target,
                                                          histories, interval_steps);
  }
  throw InternalError("unknown plasticity rule");
}

}  // namespace

std::unique_ptr<Projection> make_plastic_projection(const network::NetworkSpec& net, int index,
                                                    network::SynapseTables tables,
                                                    NeuronGroup& target, PostHistories& histories,
                                                    int interval_steps) {
  if (net.projections[index].plasticity->double_weights) {
    return make_stdp<double>(net, index, std::move(tables), target, histories, interval_steps);
  }
  return make_stdp<float>(net, index, std::move(tables), target, histories, interval_steps);
}

}  // namespace spikeweave::engine
