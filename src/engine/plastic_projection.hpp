#pragma once
// Plastic projections: synapse weights in device memory, updated by the projection's rule as
// spikes are delivered (see kernels/plastic_deliver.hpp). Each rule's folder derives its
// projection from PlasticProjection and registers a factory (docs/extending.md).
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/checkpoint_state.hpp"
#include "engine/incoming_normalizer.hpp"
#include "engine/neuron_group.hpp"
#include "engine/post_histories.hpp"
#include "engine/post_rates.hpp"
#include "engine/projection.hpp"
#include "kernels/deliver.hpp"
#include "kernels/plastic_deliver.hpp"
#include "kernels/stdp_deliver.hpp"
#include "kernels/tagging.hpp"
#include "plasticity/plasticity_spec.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave::engine {

kernels::DeviceSynapses device_synapses(const network::SynapseTables& tables);
// Whether every segment's targets are increasing (see kernels::delivery_ownership).
bool segment_targets_increasing(const network::SynapseTables& tables);
int port_of(const network::ProjectionSpec& spec);

// What a rule's factory gets to create a plastic projection on this rank.
struct PlasticArgs {
  const network::NetworkSpec& net;
  int index = 0;                  // projection index
  network::SynapseTables tables;  // this rank's synapses (the factory takes them)
  NeuronGroup& target;
  PostHistories& histories;
  PostRates& rates;
  int interval_steps = 1;
  const plasticity::LoweredPlasticity& lowered;  // sweep and tagging steps, the rule's lowering
  bool double_weights = false;                   // weight_type = "double"
};

// Creates the plastic projection of a projection whose rule writes spike-timing changes.
std::unique_ptr<Projection> make_plastic_projection(PlasticArgs& args);

// The engine half of a registered rule: the factory its entry names, or, for built-in rules,
// the one in the generated list. Throws InternalError if none.
PlasticProjectionFactory projection_factory(const plasticity::RuleInfo& rule);

// The range of a rule's stored per-synapse state, which tagging clamps to, and the state per
// unit of weight (the calcium rule stores the efficacy rho).
struct TaggingBounds {
  double state_min = -1e300;
  double state_max = 1e300;
  double state_per_weight = 1.0;
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

  std::uint64_t deliver(const SpikeBatch& batch, Step first_step) override {
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
    const std::uint64_t events = deliver_.run(batch.runs);
    after_deliver();
    return events;
  }

  void use_slot_rows(kernels::View<const std::uint32_t*> slot_row) override {
    s_.syn.slot_row = slot_row;
  }

  void sweep(Step stamp) override {
    if (normalizer_ && learning_ && normalizer_->due(last_normalized_, stamp)) {
      // Every synapse integrated up to now, then scaled (normalize_incoming).
      kernels::PlasticSweep<Synapses>{s_, stamp + 1, stamp}.run();
      after_sweep(stamp);
      normalizer_->apply(s_.weight);
      last_normalized_ = stamp;
    }
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

  void set_weights(const std::vector<std::uint64_t>& synapses, const std::vector<double>& weights,
                   Step now) override {
    if (s_.syn.gain.extent(0) > 0)
      throw ConfigError(key_, "its weights are scaled by homeostatic gains and cannot be set");
    if (tagging_)
      throw ConfigError(key_,
                        "tagging splits its weights into early and late parts; they cannot "
                        "be set");
    // The new weight replaces the current one: no pairing before `now` is applied to it later.
    bring_up_to_date(now);
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s_.weight);
    for (std::size_t i = 0; i < synapses.size(); ++i)
      host(synapses[i]) = static_cast<Weight>(this->state_from_weight(weights[i]));
    Kokkos::deep_copy(s_.weight, host);
  }

  void set_learning(bool on, Step now) override {
    if (!can_switch_learning())
      throw ConfigError(key_,
                        "its plasticity rule cannot be switched on and off (a rule can once "
                        "its projection class implements switch_learning)");
    if (s_.syn.gain.extent(0) > 0 || tagging_)
      throw ConfigError(key_,
                        "homeostatic gains and tagging change its weights on their own; "
                        "its plasticity cannot be switched");
    // Pairings up to now count under the old setting, later ones under the new.
    bring_up_to_date(now);
    switch_learning(on);
    learning_ = on;
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

  void save_state(StateWriter& w, const ProjectionKeys& keys) const override {
    const std::string& p = keys.prefix;
    w.put(p + "weight", keys.synapses, s_.weight);
    w.put(p + "t_last", keys.rows, s_.rows.t_last);
    w.put(p + "t_done", keys.rows, s_.rows.t_done);
    w.put(p + "r1", keys.rows, s_.rows.r1);
    if (tagging_) {
      w.put(p + "late_weight", keys.synapses, tagging_update_.late);
      w.put(p + "baseline_weight", keys.synapses, baseline_);
      w.put(p + "protein", keys.targets, protein_.protein);
    }
    // The sweep and tagging clocks: the same on every rank (key 0).
    io::CheckpointBlock clocks = io::empty_block(p + "clocks", 1, 2, true);
    if (keys.root) {
      clocks.keys = {0};
      clocks.ints = {last_sweep_, last_tagging_};
    }
    w.put_block(std::move(clocks));
    save_rule_state(w, keys);
  }

  void restore_state(StateReader& r, const ProjectionKeys& keys) override {
    const std::string& p = keys.prefix;
    r.get(p + "weight", keys.synapses, s_.weight);
    r.get(p + "t_last", keys.rows, s_.rows.t_last);
    r.get(p + "t_done", keys.rows, s_.rows.t_done);
    r.get(p + "r1", keys.rows, s_.rows.r1);
    if (tagging_) {
      r.get(p + "late_weight", keys.synapses, tagging_update_.late);
      r.get(p + "baseline_weight", keys.synapses, baseline_);
      r.get(p + "protein", keys.targets, protein_.protein);
    }
    const io::CheckpointBlock clocks =
        r.aligned(p + "clocks", StateKeys{1, {0}, "", -1, {}, {}, {}, {}, {}});
    last_sweep_ = clocks.ints.at(0);
    last_tagging_ = clocks.ints.at(1);
    restore_rule_state(r, keys);
  }

  std::size_t synapse_value_bytes() const override { return sizeof(Weight); }

  std::int64_t first_non_finite_weight() const override {
    const kernels::View<const Weight*> w = s_.weight;
    return first_non_finite(w);
  }

  std::uint64_t bytes() const override {
    return tables_.bytes() + s_.weight.span() * sizeof(Weight) + s_.kminus.span() * sizeof(double) +
           (s_.rows.t_last.span() + s_.rows.t_done.span()) * sizeof(std::int64_t) +
           (s_.rows.r1.span() + s_.rows.r2.span()) * sizeof(double) +
           (tagging_update_.late.span() + tagging_update_.baseline.span()) * sizeof(Weight) +
           extra_bytes();
  }

 protected:
  // tau_minus_ms <= 0: the rule needs no depression table. `bounds`: the stored state's range
  // for tagging.
  PlasticProjection(PlasticArgs& args, double tau_minus_ms, bool nearest, TaggingBounds bounds)
      : Projection(args.net, args.index, std::move(args.tables)) {
    const network::ProjectionSpec& spec = args.net.projections[args.index];
    const plasticity::PlasticitySpec& p = *spec.plasticity;
    const double dt = args.net.simulation.dt_ms;
    NeuronGroup& target = args.target;
    PostHistories& histories = args.histories;
    PostRates& rates = args.rates;
    const int interval_steps = args.interval_steps;
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
    min_delay_steps_ = d_min;
    s_.kminus =
        kernels::View<double**>(name + ".kminus", interval_steps + d_max - d_min, target.size());
    kminus_table_.kminus = s_.kminus;
    kminus_table_.channel =
        histories.require_channel(spec.target, tau_minus_ms, p.history_capacity);
    kminus_table_.nearest = nearest;
    sweep_steps_ = args.lowered.sweep_steps;
    if (p.homeostatic)
      rates.require_gain(spec.target, *p.homeostatic, p.key + ".homeostatic_scaling");
    if (p.tagging) {
      set_up_tagging(*p.tagging, spec, target, rates, dt, args.lowered.tagging_steps, bounds);
    }
    if (spec.normalize_incoming) {
      if (bounds.state_per_weight != 1.0) {
        throw ConfigError(
            spec.key + ".normalize_incoming",
            "needs a rule whose synapse state is the weight (not " + p.rule->name + ")");
      }
      normalizer_.emplace(*spec.normalize_incoming, tables_, target.size(), name);
    }
    deliver_.ring = target.ring();
    deliver_.port = port_of(spec);
    deliver_.slots = static_cast<int>(target.ring().extent(1));
    deliver_.atomic = kernels::threads_may_race();
    if (deliver_.atomic) {  // host threads: target blocks (a pass over the synapses to check)
      deliver_.use_target_blocks(segment_targets_increasing(tables_), target.size());
    }
    deliver_.use_thread_rings(min_delay_steps_);
  }

  // Hooks after the shared kernels ran: checks of a rule's flags, pruning of modulator trains.
  // Rules whose stored state is not the weight call this once they have converted it.
  void reset_tagging_baseline() {
    if (tagging_) Kokkos::deep_copy(baseline_, s_.weight);
  }

  // A rule's own state besides the weights, rows and tagging (eligibility, calcium, dopamine).
  // Decided by the configuration, never by local sizes: every rank saves the same blocks.
  virtual void save_rule_state(StateWriter& w, const ProjectionKeys& keys) const {
    (void)w;
    (void)keys;
  }
  virtual void restore_rule_state(StateReader& r, const ProjectionKeys& keys) {
    (void)r;
    (void)keys;
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
  virtual double state_from_weight(double weight) const { return weight; }
  // Rules whose kernels can hold the weights while the traces go on (set_learning): the STDP
  // rules, dopamine and calcium.
  virtual bool can_switch_learning() const { return false; }
  virtual void switch_learning(bool on) { (void)on; }

  // Integrates every synapse up to `now`, as before a normalisation.
  void bring_up_to_date(Step now) {
    kernels::PlasticSweep<Synapses>{s_, now + 1, now}.run();
    after_sweep(now);
  }

  Synapses s_;
  kernels::StdpKminusTable kminus_table_;
  kernels::PlasticDeliver<Synapses> deliver_;
  int max_delay_steps_ = 1;
  int min_delay_steps_ = 1;
  std::optional<plasticity::TaggingParams> tagging_;

 private:
  void set_up_tagging(const plasticity::TaggingParams& g, const network::ProjectionSpec& spec,
                      NeuronGroup& target, PostRates& rates, double dt, Step tagging_steps,
                      const TaggingBounds& bounds) {
    tagging_ = g;
    const std::uint64_t n = tables_.synapses;
    tagging_steps_ = tagging_steps;
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
    tagging_update_.tag_threshold = g.tag_threshold * bounds.state_per_weight;
    tagging_update_.state_min = bounds.state_min;
    tagging_update_.state_max = bounds.state_max;
    tagging_update_.consolidate = -std::expm1(-u_ms / g.tau_consolidation_ms);
    tagging_update_.early_keep = std::exp(-u_ms / g.tau_early_ms);
  }

  Step sweep_steps_ = 1;
  Step last_sweep_ = 0;
  std::optional<IncomingNormalizer<Weight>> normalizer_;
  Step last_normalized_ = 0;
  bool learning_ = true;  // normalisation pauses with the plasticity
  Step tagging_steps_ = 1;
  Step last_tagging_ = 0;
  int tagging_rate_trace_ = 0;
  kernels::ProteinUpdate protein_;
  kernels::TaggingUpdate<Weight> tagging_update_;
  kernels::View<Weight*> baseline_;
};

}  // namespace spikeweave::engine
