#pragma once
// Recording: spikes, membrane potentials and other recordable state variables are buffered in host
// memory during the run and flushed collectively to the RunOutput every `flush_interval_ms` of
// model time.
#include <memory>
#include <string>
#include <vector>

#include "engine/neuron_group.hpp"
#include "engine/projection.hpp"
#include "io/run_output.hpp"

namespace spikeweave::engine {

class Recorder {
 public:
  Recorder(const network::NetworkSpec& net, const std::vector<std::unique_ptr<NeuronGroup>>& groups,
           int interval_steps);

  void set_output(io::RunOutput* output) { output_ = output; }
  std::vector<io::SpikeGroupLayout> spike_layouts() const;
  std::vector<io::ReportLayout> report_layouts() const;
  std::vector<io::WeightLayout> weight_layouts() const;
  // Records the weights of `synapses` (local indices, with their node ids) of a projection.
  void add_weight_group(const network::WeightRecordSpec& spec, const Projection* projection,
                        std::vector<std::uint64_t> synapses, std::vector<std::uint64_t> sources,
                        std::vector<std::uint64_t> targets);
  // Samples weights whose sampling time lies in (previous_step, step].
  void sample_weights(Step previous_step, Step step, bool initial);
  bool records_spikes(int population) const { return spike_group_of_[population] >= 0; }
  bool records_weights() const { return !weight_groups_.empty(); }

  // Buffers population p's spikes of one interval (packed local << 8 | lag, on the host).
  void add_spikes(int population, const std::uint64_t* packed, std::size_t n, Step first_step);
  // Samples the membrane potentials (and recorded state variables) due at the end of `step`
  // (after the update of that step).
  void sample(Step step);
  // Whether sample() records anything (state reports): the update then runs step by step.
  bool samples_state() const { return !reports_.empty(); }
  // Copies this interval's samples to the host buffers.
  void end_interval();
  // Bytes of recordings buffered on this rank (what the next flush appends).
  std::uint64_t buffered_bytes() const;
  // Collective: writes everything buffered (no-op without an output).
  void flush();

 private:
  struct Report {
    int population = 0;
    Step every_steps = 1;
    kernels::View<std::uint32_t*> local_indices;
    kernels::View<float**> interval_samples;  // (sample in interval, recorded neuron)
    int samples_in_interval = 0;
    std::vector<float> buffered;
    std::uint64_t buffered_samples = 0;
    std::vector<std::uint64_t> node_ids;
    double every_ms = 0.1;
    // State variables recorded besides v_m: their names, units, Views, this interval's samples
    // (variable, sample in interval, recorded neuron) and host buffers.
    std::vector<std::string> variables, units;
    std::vector<kernels::View<const double*>> state_views;
    kernels::View<float***> interval_states;
    std::vector<std::vector<float>> state_buffered;
  };
  struct WeightGroup {
    const Projection* projection = nullptr;
    Step every_steps = 1;
    std::vector<std::uint64_t> synapses, sources, targets;
    std::vector<double> buffered;
    std::vector<double> times_ms;
    std::string units;
    std::vector<std::string> variables;
    std::vector<std::vector<double>> state_buffered;  // per variable
  };
  struct SpikeBuffer {
    int population = 0;
    std::vector<std::uint64_t> node_ids;
    std::vector<double> times_ms;
  };

  void add_state_variables(Report& r, const network::VoltageRecordSpec& spec,
                           const NeuronGroup& group, int max_samples);

  const network::NetworkSpec& net_;
  const std::vector<std::unique_ptr<NeuronGroup>>& groups_;
  std::vector<int> spike_group_of_;  // per population: index into spikes_, or -1
  std::vector<SpikeBuffer> spikes_;
  std::vector<Report> reports_;
  std::vector<WeightGroup> weight_groups_;
  io::RunOutput* output_ = nullptr;
};

}  // namespace spikeweave::engine
