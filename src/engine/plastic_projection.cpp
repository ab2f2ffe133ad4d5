#include "engine/plastic_projection.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/errors.hpp"
#include "engine/neuron_group.hpp"
#include "kernels/calcium_deliver.hpp"
#include "kernels/dopamine_deliver.hpp"
#include "kernels/plastic_deliver.hpp"
#include "kernels/stdp_deliver.hpp"
#include "kernels/tagging.hpp"

namespace spikeweave::engine {
namespace {

using plasticity::PlasticitySpec;
using plasticity::RuleKind;

// The dopamine spike train of a modulated projection, kept on the host and mirrored to the
// device: effective times (spike time + dopamine delay), spikes at one time merged, and the
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

// What every plastic projection has: device weights, per-row state, the depression table, the
// sweep cadence, optional homeostatic gain and tagging. `Synapses` is the kernel-side state
// struct (StdpSynapses or DopamineSynapses), which derived classes run kernels on.
template <class Weight, class Synapses>
class PlasticProjection : public Projection {
 public:
  bool plastic() const override { return true; }

  void bind(const PostHistories& histories, const PostRates& rates) override {
    s_.post = histories.history(target_);
    kminus_table_.post = s_.post;
    s_.syn.gain = rates.gain(target_);
    if (tagging_) {
      protein_.rate_hz = rates.rate(target_, tagging_rate_trace_);
    }
  }

  void deliver(const SpikeBatch& batch, Step first_step) override {
    // Spikes emitted at steps first_step + lag have stamps first_step + lag + 1; their depression
    // reads the target's trace at stamp - d >= first_step + 1 - d_max.
    kminus_table_.base = first_step + 1 - max_delay_steps_;
    s_.kminus_base = kminus_table_.base;
    Kokkos::parallel_for(
        kernels::StdpKminusTable::kLabel,
        Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(s_.kminus.extent(1))),
        kminus_table_);
    deliver_.s = s_;
    deliver_.spikes = batch.spikes;
    deliver_.run_begin = batch.run_begin;
    deliver_.first_step = first_step;
    deliver_.run(batch.runs);
    after_deliver();
  }

  void sweep(Step stamp) override {
    if (stamp / sweep_steps_ != last_sweep_ / sweep_steps_) {
      kernels::PlasticSweep<Synapses>{s_, stamp - sweep_steps_, stamp}.run();
      after_sweep(stamp - sweep_steps_);
      last_sweep_ = stamp;
    }
    if (!tagging_) return;
    // sweep() runs once per communication interval, which may span several tagging updates:
    // apply one update (with the factors of one update_interval_ms) per boundary crossed, so the
    // slow processes keep their own pace whatever the minimum delay.
    const Step updates = stamp / tagging_steps_ - last_tagging_ / tagging_steps_;
    if (updates <= 0) return;
    protein_.dopamine_trigger = dopamine_above(stamp);
    for (Step u = 0; u < updates; ++u) {
      Kokkos::parallel_for(
          kernels::ProteinUpdate::kLabel,
          Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(protein_.protein.extent(0))),
          protein_);
      Kokkos::parallel_for(
          kernels::TaggingUpdate<Weight>::kLabel,
          Kokkos::RangePolicy<kernels::ExecSpace, Kokkos::IndexType<std::uint64_t>>(
              0, tagging_update_.weight.extent(0)),
          tagging_update_);
    }
    last_tagging_ = stamp;
  }

  std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const override {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s_.weight);
    const auto gain = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s_.syn.gain);
    std::vector<double> values;
    values.reserve(synapses.size());
    for (std::uint64_t k : synapses) {
      const double w = this->weight_from_state(static_cast<double>(host(k)));
      values.push_back(gain.extent(0) > 0 ? w * gain(tables_.target(k)) : w);
    }
    return values;
  }

  std::vector<double> state(const std::string& variable,
                            const std::vector<std::uint64_t>& synapses) const override {
    const kernels::View<const Weight*> values =
        variable == "late_weight" ? kernels::View<const Weight*>(tagging_update_.late)
                                  : state_view(variable);
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), values);
    std::vector<double> out;
    out.reserve(synapses.size());
    for (std::uint64_t k : synapses)
      out.push_back(host.extent(0) > k ? static_cast<double>(host(k)) : 0.0);
    return out;
  }

  std::uint64_t bytes() const override {
    return tables_.bytes() + s_.weight.span() * sizeof(Weight) + s_.kminus.span() * sizeof(double) +
           (s_.rows.t_last.span() + s_.rows.t_done.span()) * sizeof(std::int64_t) +
           (s_.rows.r1.span() + s_.rows.r2.span()) * sizeof(double) +
           (tagging_update_.late.span() + tagging_update_.baseline.span()) * sizeof(Weight) +
           extra_bytes();
  }

 protected:
  // tau_minus_ms <= 0: the rule needs no depression table.
  PlasticProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                    NeuronGroup& target, PostHistories& histories, PostRates& rates,
                    int interval_steps, double tau_minus_ms, bool nearest)
      : Projection(net, index, std::move(tables)) {
    const network::ProjectionSpec& spec = net.projections[index];
    const PlasticitySpec& p = *spec.plasticity;
    const double dt = net.simulation.dt_ms;
    const std::string& name = spec.name;
    s_.syn = device_synapses(tables_);
    const std::uint64_t n = tables_.synapses;
    s_.weight = kernels::View<Weight*>(name + ".weight", n);
    {
      auto host = Kokkos::create_mirror_view(s_.weight);
      for (std::uint64_t k = 0; k < n; ++k) host(k) = static_cast<Weight>(tables_.weight_at(k));
      Kokkos::deep_copy(s_.weight, host);
    }
    // The device weights are the truth from here on; the build's copy goes.
    tables_.weight = network::HostView<float*>();
    tables_.weight_double = network::HostView<double*>();
    s_.syn.weight = kernels::View<const float*>();
    const std::uint64_t rows = tables_.rows();
    s_.rows.t_last = kernels::View<std::int64_t*>(name + ".t_last", rows);
    s_.rows.t_done = kernels::View<std::int64_t*>(name + ".t_done", rows);
    s_.rows.r1 = kernels::View<double*>(name + ".r1", rows);
    // Postsynaptic times T - d of one interval's spikes span interval + (d_max - d_min) steps.
    int d_min = 65535, d_max = 0;
    for (std::uint64_t seg = 0; seg < tables_.segments(); ++seg) {
      d_min = std::min<int>(d_min, tables_.segment_delay(seg));
      d_max = std::max<int>(d_max, tables_.segment_delay(seg));
    }
    if (d_max < d_min) d_min = d_max = 1;
    max_delay_steps_ = d_max;
    s_.kminus =
        kernels::View<double**>(name + ".kminus", interval_steps + d_max - d_min, target.size());
    kminus_table_.kminus = s_.kminus;
    kminus_table_.channel =
        histories.require_channel(spec.target, tau_minus_ms, p.history_capacity);
    kminus_table_.nearest = nearest;
    sweep_steps_ = std::max<Step>(1, std::llround(p.sweep_interval_ms / dt));
    if (p.homeostatic)
      rates.require_gain(spec.target, *p.homeostatic, p.key + ".homeostatic_scaling");
    if (p.tagging) set_up_tagging(*p.tagging, spec, target, rates, dt);
    deliver_.ring = target.ring();
    deliver_.port = port_of(spec);
    deliver_.slots = static_cast<int>(target.ring().extent(1));
  }

  // Hooks after the shared kernels ran: checks of a rule's flags, pruning of modulator trains.
  // Rules whose stored state is not the weight call this once they have converted it.
  void reset_tagging_baseline() {
    if (tagging_) Kokkos::deep_copy(baseline_, s_.weight);
  }

  virtual void after_deliver() {}
  // A rule's own per-synapse state variable by name (see the recording's `variables`).
  virtual kernels::View<const Weight*> state_view(const std::string& variable) const {
    (void)variable;
    return {};
  }
  virtual void after_sweep(Step idle_before) { (void)idle_before; }
  virtual bool dopamine_above(Step stamp) const {
    (void)stamp;
    return false;
  }
  virtual std::uint64_t extra_bytes() const { return 0; }
  // The weight a stored plastic state stands for (the state is the weight except for calcium).
  virtual double weight_from_state(double state) const { return state; }

  Synapses s_;
  kernels::StdpKminusTable kminus_table_;
  kernels::PlasticDeliver<Synapses> deliver_;
  int max_delay_steps_ = 1;
  std::optional<plasticity::TaggingParams> tagging_;

 private:
  void set_up_tagging(const plasticity::TaggingParams& g, const network::ProjectionSpec& spec,
                      NeuronGroup& target, PostRates& rates, double dt) {
    tagging_ = g;
    const std::uint64_t n = tables_.synapses;
    tagging_steps_ = std::max<Step>(1, std::llround(g.update_interval_ms / dt));
    tagging_rate_trace_ =
        rates.require_rate(spec.target, g.rate_tau_ms, 0.0, spec.key + ".plasticity.tagging");
    protein_.protein = kernels::View<double*>(spec.name + ".protein", target.size());
    protein_.rate_threshold_hz = g.protein_rate_threshold_hz;
    const double u_ms = static_cast<double>(tagging_steps_) * dt;
    protein_.keep = std::exp(-u_ms / g.tau_protein_ms);
    tagging_update_.weight = s_.weight;
    tagging_update_.late = kernels::View<Weight*>(spec.name + ".late_weight", n);
    baseline_ = kernels::View<Weight*>(spec.name + ".baseline_weight", n);
    Kokkos::deep_copy(baseline_, s_.weight);
    tagging_update_.baseline = baseline_;
    tagging_update_.target = s_.syn.target;
    tagging_update_.protein = protein_.protein;
    // The calcium rule stores the efficacy rho: its threshold is in rho units.
    const PlasticitySpec& p = *spec.plasticity;
    const double state_per_weight =
        p.rule == RuleKind::kCalcium ? 1.0 / (p.calcium.w_max - p.calcium.w_min) : 1.0;
    tagging_update_.tag_threshold = g.tag_threshold * state_per_weight;
    switch (p.rule) {
      case RuleKind::kCalcium:
        tagging_update_.state_min = 0.0;
        tagging_update_.state_max = 1.0;
        break;
      case RuleKind::kStdpPair:
        tagging_update_.state_min = 0.0;
        tagging_update_.state_max = p.pair.w_max;
        break;
      case RuleKind::kStdpTriplet:
        tagging_update_.state_min = 0.0;
        tagging_update_.state_max = p.triplet.w_max;
        break;
      case RuleKind::kStdpDopamine:
        tagging_update_.state_min = p.dopamine.w_min;
        tagging_update_.state_max = p.dopamine.w_max;
        break;
      default:
        tagging_update_.state_min = 0.0;
        break;
    }
    tagging_update_.consolidate = -std::expm1(-u_ms / g.tau_consolidation_ms);
    tagging_update_.early_keep = std::exp(-u_ms / g.tau_early_ms);
  }

  Step sweep_steps_ = 1;
  Step last_sweep_ = 0;
  Step tagging_steps_ = 1;
  Step last_tagging_ = 0;
  int tagging_rate_trace_ = 0;
  kernels::ProteinUpdate protein_;
  kernels::TaggingUpdate<Weight> tagging_update_;
  kernels::View<Weight*> baseline_;
};

// Trace-based STDP (pair, power-law, triplet).
template <class Weight, class Rule>
class StdpProjection final : public PlasticProjection<Weight, kernels::StdpSynapses<Weight, Rule>> {
  using Base = PlasticProjection<Weight, kernels::StdpSynapses<Weight, Rule>>;

 public:
  StdpProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                 NeuronGroup& target, PostHistories& histories, PostRates& rates, const Rule& rule,
                 int interval_steps, double tau_plus_ms, double tau_minus_ms,
                 kernels::PairingMode pairing)
      : Base(net, index, std::move(tables), target, histories, rates, interval_steps, tau_minus_ms,
             pairing != kernels::PairingMode::kAllToAll) {
    const PlasticitySpec& p = *net.projections[index].plasticity;
    const double dt = net.simulation.dt_ms;
    auto& s = this->s_;
    s.rule = rule;
    s.pairing = pairing;
    s.channel_minus = this->kminus_table_.channel;
    s.decay_plus = kernels::DecayTable::make(dt / tau_plus_ms);
    if (p.rule == RuleKind::kStdpTriplet) {
      s.triplet = true;
      s.decay_x = kernels::DecayTable::make(dt / p.triplet.tau_x_ms);
      s.channel_triplet =
          histories.require_channel(this->target_, p.triplet.tau_y_ms, p.history_capacity);
      s.rows.r2 = kernels::View<double*>(net.projections[index].name + ".r2", this->tables_.rows());
    }
    if (pairing == kernels::PairingMode::kNearestPreCentered) {
      s.pre_centered_trace = kernels::View<double*>(
          net.projections[index].name + ".pre_centered_trace", this->tables_.synapses);
    }
  }

 protected:
  std::uint64_t extra_bytes() const override {
    return this->s_.pre_centered_trace.span() * sizeof(double);
  }
};

// Reward-modulated STDP with the dopamine signal of a designated population.
template <class Weight>
class DopamineProjection final
    : public PlasticProjection<Weight, kernels::DopamineSynapses<Weight>> {
  using Base = PlasticProjection<Weight, kernels::DopamineSynapses<Weight>>;

 public:
  DopamineProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                     NeuronGroup& target, PostHistories& histories, PostRates& rates,
                     int interval_steps)
      : Base(net, index, std::move(tables), target, histories, rates, interval_steps,
             net.projections[index].plasticity->dopamine.tau_minus_ms, false),
        train_(net.projections[index].plasticity->dopamine.tau_n_ms, net.simulation.dt_ms,
               delay_steps(net.projections[index].plasticity->dopamine.dopamine_delay_ms,
                           net.simulation.dt_ms)) {
    const PlasticitySpec& p = *net.projections[index].plasticity;
    const plasticity::StdpDopamineParams& d = p.dopamine;
    const double dt = net.simulation.dt_ms;
    auto& s = this->s_;
    s.p = kernels::DopamineParams{d.a_plus, d.a_minus, d.tau_c_ms, d.tau_n_ms,
                                  d.b,      d.w_min,   d.w_max,    dt};
    s.decay_plus = kernels::DecayTable::make(dt / d.tau_plus_ms);
    s.dopamine = train_.signal();
    s.eligibility = kernels::View<Weight*>(net.projections[index].name + ".eligibility",
                                           this->tables_.synapses);
    protein_dopamine_threshold_ = p.tagging ? p.tagging->protein_dopamine_threshold : 0.0;
    modulator_ = net.population_index(d.dopamine_population);
  }

  int modulator_population() const override { return modulator_; }
  void add_modulator_spikes(const std::vector<Step>& stamps) override {
    train_.add(stamps);
    this->s_.dopamine = train_.signal();
  }

 protected:
  kernels::View<const Weight*> state_view(const std::string& variable) const override {
    return variable == "eligibility" ? kernels::View<const Weight*>(this->s_.eligibility)
                                     : kernels::View<const Weight*>();
  }
  void after_sweep(Step idle_before) override {
    // Every row is now integrated to at least idle_before.
    train_.prune(idle_before);
    this->s_.dopamine = train_.signal();
  }
  bool dopamine_above(Step stamp) const override {
    return protein_dopamine_threshold_ > 0.0 && train_.n_at(stamp) > protein_dopamine_threshold_;
  }
  std::uint64_t extra_bytes() const override {
    return this->s_.eligibility.span() * sizeof(Weight);
  }

 private:
  static Step delay_steps(double delay_ms, double dt_ms) {
    return delay_ms > 0 ? std::llround(delay_ms / dt_ms) : 1;
  }

  DopamineTrain train_;
  double protein_dopamine_threshold_ = 0.0;
  int modulator_ = -1;
};

// Calcium-based plasticity, optionally dopamine-modulated.
template <class Weight>
class CalciumProjection final : public PlasticProjection<Weight, kernels::CalciumSynapses<Weight>> {
  using Base = PlasticProjection<Weight, kernels::CalciumSynapses<Weight>>;

 public:
  CalciumProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                    NeuronGroup& target, PostHistories& histories, PostRates& rates,
                    int interval_steps)
      : Base(net, index, std::move(tables), target, histories, rates, interval_steps, 0.0, false),
        train_(net.projections[index].plasticity->calcium.tau_n_ms, net.simulation.dt_ms,
               net.projections[index].plasticity->calcium.dopamine_delay_ms > 0
                   ? std::llround(net.projections[index].plasticity->calcium.dopamine_delay_ms /
                                  net.simulation.dt_ms)
                   : 1) {
    const network::ProjectionSpec& spec = net.projections[index];
    const PlasticitySpec& p = *spec.plasticity;
    const plasticity::CalciumParams& c = p.calcium;
    const double dt = net.simulation.dt_ms;
    auto& s = this->s_;
    s.p = kernels::CalciumParams{c.tau_ca_ms, c.c_pre,
                                 c.c_post,    c.theta_d,
                                 c.theta_p,   c.gamma_d,
                                 c.gamma_p,   c.tau_rho_ms,
                                 c.rho_star,  c.bistable,
                                 c.w_min,     c.w_max,
                                 dt,          static_cast<int>(std::llround(c.pre_delay_ms / dt))};
    s.decay = kernels::DecayTable::make(dt / c.tau_ca_ms);
    s.channel = histories.require_channel(spec.target, c.tau_ca_ms, p.history_capacity);
    if (!c.dopamine_population.empty()) {
      modulator_ = net.population_index(c.dopamine_population);
      s.dopamine_gain = c.dopamine_gain;
      s.tau_n_ms = c.tau_n_ms;
      s.dopamine = train_.signal();
    }
    // The stored state is rho: initial weights map back to efficacies.
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.weight);
    for (std::size_t k = 0; k < host.extent(0); ++k) {
      host(k) = static_cast<Weight>((static_cast<double>(host(k)) - c.w_min) / (c.w_max - c.w_min));
    }
    Kokkos::deep_copy(s.weight, host);
    this->reset_tagging_baseline();
    const std::uint64_t rows = this->tables_.rows();
    s.pending = decltype(s.pending)(spec.name + ".calcium_pending", rows);
    s.pending_count = kernels::View<std::uint32_t*>(spec.name + ".calcium_pending_count", rows);
    s.old_calcium = kernels::View<double*>(spec.name + ".calcium_old", rows);
    s.old_time = kernels::View<std::int64_t*>(spec.name + ".calcium_old_time", rows);
    s.overflow = kernels::View<int*>(spec.name + ".calcium_overflow", 1);
  }

  int modulator_population() const override { return modulator_; }
  void add_modulator_spikes(const std::vector<Step>& stamps) override {
    train_.add(stamps);
    this->s_.dopamine = train_.signal();
  }

 protected:
  kernels::View<const Weight*> state_view(const std::string& variable) const override {
    return variable == "rho" ? kernels::View<const Weight*>(this->s_.weight)
                             : kernels::View<const Weight*>();
  }
  void after_deliver() override {
    auto flag = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), this->s_.overflow);
    if (flag(0) != 0) {
      throw UserError(
          this->key_ + ".plasticity",
          "more than 8 presynaptic spikes of one source within pre_delay_ms; the calcium "
          "rule keeps 8 pending influxes per source");
    }
  }
  void after_sweep(Step idle_before) override {
    if (modulator_ >= 0) {
      train_.prune(idle_before);
      this->s_.dopamine = train_.signal();
    }
  }
  double weight_from_state(double rho) const override {
    return this->s_.p.w_min + rho * (this->s_.p.w_max - this->s_.p.w_min);
  }
  std::uint64_t extra_bytes() const override {
    const auto& s = this->s_;
    return s.pending.span() * sizeof(std::int64_t) +
           s.pending_count.span() * sizeof(std::uint32_t) + s.old_calcium.span() * sizeof(double) +
           s.old_time.span() * sizeof(std::int64_t);
  }

 private:
  DopamineTrain train_;
  int modulator_ = -1;
};

template <class Weight>
std::unique_ptr<Projection> make_rule(const network::NetworkSpec& net, int index,
                                      network::SynapseTables tables, NeuronGroup& target,
                                      PostHistories& histories, PostRates& rates,
                                      int interval_steps) {
  const PlasticitySpec& p = *net.projections[index].plasticity;
  using kernels::PairingMode;
  switch (p.rule) {
    case RuleKind::kStdpPair: {
      const kernels::PairWeightRule rule{p.pair.lambda, p.pair.alpha, p.pair.mu_plus,
                                         p.pair.mu_minus, p.pair.w_max};
      return std::make_unique<StdpProjection<Weight, kernels::PairWeightRule>>(
          net, index, std::move(tables), target, histories, rates, rule, interval_steps,
          p.pair.tau_plus_ms, p.pair.tau_minus_ms, static_cast<PairingMode>(p.pair.pairing));
    }
    case RuleKind::kStdpPowerLaw: {
      const kernels::PowerLawWeightRule rule{p.power_law.lambda, p.power_law.alpha, p.power_law.mu,
                                             std::is_same_v<Weight, float>};
      return std::make_unique<StdpProjection<Weight, kernels::PowerLawWeightRule>>(
          net, index, std::move(tables), target, histories, rates, rule, interval_steps,
          p.power_law.tau_plus_ms, p.power_law.tau_minus_ms, PairingMode::kAllToAll);
    }
    case RuleKind::kStdpTriplet: {
      const kernels::TripletWeightRule rule{p.triplet.a2_plus, p.triplet.a3_plus,
                                            p.triplet.a2_minus, p.triplet.a3_minus,
                                            p.triplet.w_max};
      return std::make_unique<StdpProjection<Weight, kernels::TripletWeightRule>>(
          net, index, std::move(tables), target, histories, rates, rule, interval_steps,
          p.triplet.tau_plus_ms, p.triplet.tau_minus_ms, PairingMode::kAllToAll);
    }
    case RuleKind::kStdpDopamine:
      return std::make_unique<DopamineProjection<Weight>>(net, index, std::move(tables), target,
                                                          histories, rates, interval_steps);
    case RuleKind::kCalcium:
      return std::make_unique<CalciumProjection<Weight>>(net, index, std::move(tables), target,
                                                         histories, rates, interval_steps);
    case RuleKind::kNone:
      break;
  }
  throw InternalError("no plastic projection for this rule");
}

}  // namespace

std::unique_ptr<Projection> make_plastic_projection(const network::NetworkSpec& net, int index,
                                                    network::SynapseTables tables,
                                                    NeuronGroup& target, PostHistories& histories,
                                                    PostRates& rates, int interval_steps) {
  if (net.projections[index].plasticity->double_weights) {
    return make_rule<double>(net, index, std::move(tables), target, histories, rates,
                             interval_steps);
  }
  return make_rule<float>(net, index, std::move(tables), target, histories, rates, interval_steps);
}

}  // namespace spikeweave::engine
