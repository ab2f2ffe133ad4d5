#pragma once
// The validated description of a network and its run, parsed from TOML. Every check that can
// fail on user input happens while building this, identically on every rank, before any neuron
// is created; the rest of the program can trust it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/any_value.hpp"
#include "core/data_table.hpp"
#include "core/distribution.hpp"
#include "core/ids.hpp"
#include "model/neuron_model.hpp"
#include "partition/partition.hpp"
#include "plasticity/plasticity_spec.hpp"

namespace spikeweave::network {

struct SimulationSpec {
  double dt_ms = 0.1;          // resolution [ms]
  double t_stop_ms = 0.0;      // simulated time [ms]
  std::uint64_t seed = 12345;  // seed of every random stream
  std::string output;          // HDF5 output file ("" = none)
  partition::Scheme partition = partition::Scheme::kRoundRobin;
  double flush_interval_ms = 100.0;  // how often buffered recordings are written [ms of model time]
  Step steps = 0;                    // t_stop_ms / dt_ms
  std::string energy_table;  // energies per operation for /provenance/energy ("" = the default)
};

struct InitSpec {
  std::string variable;  // e.g. "v_m_mv"
  Distribution value;
  // init = { theta_mv = "theta.npy" }: one value per neuron (by node id) from a .npy/CSV file
  std::shared_ptr<const DataMatrix> per_node;
};

struct PopulationSpec {
  std::string name;
  std::uint64_t size = 0;
  const model::NeuronModelInfo* model = nullptr;  // the registry's entry (never null once parsed)
  AnyValue params;  // the model's own parameter struct (NeuronModelInfo::parse)
  std::vector<InitSpec> init;
  Gid first_gid = 0;  // gids of this population are first_gid .. first_gid + size - 1
  std::string key;    // "population[i]" for messages
};

enum class ConnectRule {
  kFixedIndegree,
  kFixedOutdegree,
  kFixedTotalNumber,
  kPairwiseBernoulli,
  kOneToOne,
  kAllToAll
};

struct ConnectSpec {
  ConnectRule rule = ConnectRule::kAllToAll;
  std::uint64_t count = 0;   // indegree, outdegree or total number
  double probability = 0.0;  // pairwise_bernoulli
  bool allow_autapses = true;
  bool allow_multapses = true;
};

// Port of the target neuron a synapse feeds: decided by the sign of the weight, as in NEST.
enum class Receptor { kExcitatory = 0, kInhibitory = 1 };

// Scaling of each target neuron's incoming weights of a plastic projection to a fixed sum at
// regular times (Diehl & Cook 2015), on the synapses' rank.
struct NormalizeIncomingSpec {
  double total = 0.0;     // the sum after each normalisation, in the weight unit
  double every_ms = 0.0;  // at every multiple of every_ms [ms]
  Step every_steps = 1;
};

struct ProjectionSpec {
  std::string name;
  int source = 0;  // population index
  int target = 0;
  ConnectSpec connect;
  Distribution weight;    // in the target model's unit (mV or pA)
  Distribution delay_ms;  // [ms], every draw >= dt
  Receptor receptor = Receptor::kExcitatory;
  std::optional<plasticity::PlasticitySpec> plasticity;
  std::optional<NormalizeIncomingSpec> normalize_incoming;
  // weight_matrix = "w.npy": the weight of synapse (s, t) is W[s][t] (source x target, in the
  // weight unit); `weight` then spans the matrix's smallest to largest value.
  std::string weight_matrix_path;
  std::shared_ptr<const DataMatrix> weight_matrix;
  std::string key;  // "projection[i]"
};

enum class StimulusKind { kPoisson, kDc, kSpikeTimes, kRate, kLatency, kPhase, kDelta };

// The encoders (rate, latency, phase, delta): data file, presentation protocol and coding
// parameters. The equations are in README.md, section "Encoders"; network/encoding.hpp
// implements them.
struct EncoderSpec {
  std::string data;     // .h5/.hdf5, .npy or .csv file, one row per sample
  std::string dataset;  // HDF5 only: the dataset's path in the file
  std::uint64_t row_begin = 0;
  std::uint64_t row_end = 0;  // rows [row_begin, row_end) form the split; 0 = to the last row
  bool rows_given = false;
  double present_ms = 0.0;  // each presentation shows one sample for present_ms ...
  double rest_ms = 0.0;     // ... then nothing for rest_ms
  Step present_steps = 0;
  Step rest_steps = 0;
  enum class Order { kGiven, kShuffled, kList } order = Order::kGiven;
  std::vector<std::uint64_t> order_list;  // kList: rows of the split, in presentation order
  std::uint64_t order_seed = 0;           // kShuffled: the permutation's seed
  std::uint64_t presentations = 0;        // 0: one pass over the split
  enum class Normalize { kMinMax, kNone, kRange } normalize = Normalize::kMinMax;
  double range_lo = 0.0, range_hi = 1.0;  // kRange: value_range = [lo, hi] maps to [0, 1]
  bool signal = false;                    // rate: a row is a time series (rate follows x(t))
  double sample_ms = 1.0;     // signal rows (rate with signal, delta): time between samples
  double max_rate_hz = 0.0;   // rate: rate at x = 1
  bool log_code = false;      // latency: t = tau ln(x / (x - threshold)) instead of tau (1 - x)
  double tau_ms = 0.0;        // latency
  double threshold = 0.0;     // latency, phase: x <= threshold is silent; delta: signal change
  bool window_end = false;    // latency: silent inputs spike at the window's last step instead
  double frequency_hz = 0.0;  // phase: reference oscillation
  bool off_neurons = false;   // delta: neuron 1 spikes on down-crossings
};

struct StimulusSpec {
  StimulusKind kind = StimulusKind::kPoisson;
  int target = 0;
  double rate_hz = 0.0;       // poisson: rate of the independent train of each target neuron
  double weight = 0.0;        // poisson, spike_times: in the target model's unit
  double amplitude_pa = 0.0;  // dc
  double start_ms = 0.0;
  double stop_ms = 0.0;          // defaults to t_stop_ms
  std::vector<double> times_ms;  // spike_times: arrival times at every target neuron [ms]
  std::vector<NodeId> node_ids;  // targeted neurons (increasing); empty: the whole population
  Receptor receptor = Receptor::kExcitatory;
  EncoderSpec encoder;  // kRate, kLatency, kPhase, kDelta
  std::string key;
  bool is_encoder() const { return kind >= StimulusKind::kRate; }
};

struct VoltageRecordSpec {
  int population = 0;
  std::vector<NodeId> node_ids;  // recorded neurons, increasing
  double every_ms = 0.1;         // sampling interval [ms], a multiple of dt
  Step every_steps = 1;
  std::string key;
  // Recordable state variables of the model recorded besides v_m (`variables = [...]`), each
  // written as /report/<population>/<variable>.
  std::vector<std::string> variables;
};

struct WeightRecordSpec {
  int projection = 0;
  double every_ms = 100.0;  // sampling interval [ms]
  Step every_steps = 1000;
  std::uint64_t sample = 0;            // number of synapses to record; 0 = all
  std::vector<std::string> variables;  // plastic state besides the weight (see the rule)
  std::string key;
};

struct NetworkSpec {
  SimulationSpec simulation;
  std::vector<PopulationSpec> populations;
  std::vector<ProjectionSpec> projections;
  std::vector<StimulusSpec> stimuli;
  std::vector<int> spike_record;  // populations whose spikes are recorded
  std::vector<VoltageRecordSpec> voltage_record;
  std::vector<WeightRecordSpec> weight_record;
  std::string toml_text;  // the configuration as run (after --set overrides)
  Gid total_neurons = 0;

  int population_index(const std::string& name) const;  // -1 if absent
  int projection_index(const std::string& name) const;  // -1 if absent
  Step min_delay_steps() const;
  Step max_delay_steps() const;
};

// Parses and validates a configuration; throws ConfigError naming the offending key.
NetworkSpec parse_network(const std::string& toml_text, const std::string& source_name,
                          const std::vector<std::string>& overrides = {});

std::string connect_rule_name(ConnectRule rule);

}  // namespace spikeweave::network
