#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "core/config_table.hpp"
#include "core/distribution_parser.hpp"
#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "network/spec.hpp"

namespace spikeweave::network {
namespace {

using config::Table;
namespace ranges = config::ranges;

// Ranges of the keys that only the network spec reads (the shared ones live in value_range.hpp).
constexpr config::IntRange kPopulationSize{1, static_cast<std::int64_t>(kMaxNeurons),
                                           "a number of neurons (the network holds at most 2^32)"};
constexpr config::IntRange kConnectionCount{0, static_cast<std::int64_t>(kMaxNeurons),
                                            "a number of connections"};
constexpr std::int64_t kMaxRecordedNeurons = std::int64_t{1} << 24;
constexpr config::Range kNodeId{0.0, static_cast<double>(kMaxNeurons), false, true, "a node id"};
// Checked against dt and 65535 steps in parse_delay (with messages that name dt); the range
// itself refuses NaN and infinities.
constexpr config::Range kSynapticDelayMs{-1e6, 1e6, false, false, "a delay [ms]"};

// Initial values are membrane potentials, currents or conductances by their unit.
config::Range initial_value_range(const model::StateVariableInfo& variable) {
  if (variable.unit == "mV") return ranges::kVoltageMv;
  if (variable.unit == "pA") return ranges::kCurrentPa;
  return config::Range{0.0, 1e9, false, false, "a conductance [nS]"};
}

std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

SimulationSpec parse_simulation(const Table& t) {
  SimulationSpec s;
  s.dt_ms = t.number("dt_ms", s.dt_ms, ranges::kStepMs);
  s.t_stop_ms = t.number("t_stop_ms", ranges::kTimeMs);
  s.steps = duration_to_steps(s.t_stop_ms, s.dt_ms, t.key_path("t_stop_ms"));
  const std::int64_t seed = t.integer("seed", static_cast<std::int64_t>(s.seed), ranges::kSeed);
  s.seed = static_cast<std::uint64_t>(seed);
  s.output = t.string("output", "");
  s.partition =
      partition::parse_scheme(t.string("partition", "round_robin"), t.key_path("partition"));
  s.flush_interval_ms = t.number("flush_interval_ms", s.flush_interval_ms, ranges::kIntervalMs);
  s.energy_table = t.string("energy_table", "");
  t.reject_unknown_keys();
  return s;
}

// init = { variable = "file.npy" }: one value per neuron, each in the variable's range.
std::shared_ptr<const DataMatrix> load_per_node(const std::string& path, const std::string& key,
                                                std::uint64_t size, const config::Range& range) {
  auto m = std::make_shared<DataMatrix>(read_text_matrix(path));
  if (m->values.size() != size || (m->rows != 1 && m->cols != 1)) {
    throw FileError(path, "holds " + std::to_string(m->rows) + " x " + std::to_string(m->cols) +
                              " values; " + key + " needs one per neuron (" + std::to_string(size) +
                              ")");
  }
  for (std::size_t k = 0; k < m->values.size(); ++k)
    config::check_number(m->values[k], path + " (value " + std::to_string(k) + ")", range);
  return m;
}

PopulationSpec parse_population(const Table& t, double dt_ms) {
  PopulationSpec p;
  p.key = t.path();
  p.name = t.string("name");
  if (p.name.empty() || p.name.find_first_of("/. ") != std::string::npos) {
    throw ConfigError(t.key_path("name"),
                      "'" + p.name +
                          "' must be non-empty and contain no '/', '.' or space "
                          "(it names an HDF5 group)");
  }
  const std::int64_t size = t.integer("size", kPopulationSize);
  p.size = static_cast<std::uint64_t>(size);
  p.model = &model::neuron_models().get(t.string("model"), t.key_path("model"));
  const toml::table empty;
  const std::optional<Table> params = t.optional_table("params");
  const Table params_table = params ? *params : Table(empty, t.key_path("params"));
  p.params = p.model->parse(params_table, {p.size, dt_ms});
  p.model->lower(p.params, dt_ms, params_table.path());  // checks times against the grid
  if (const auto init = t.optional_table("init")) {
    for (const std::string& variable : init->keys()) {
      const model::StateVariableInfo* state = p.model->state_variable(variable);
      if (state == nullptr || state->init_key.empty()) {
        std::string expected;
        for (const auto& s : p.model->state) {
          if (!s.init_key.empty()) expected += (expected.empty() ? "" : ", ") + s.init_key;
        }
        throw ConfigError(init->key_path(variable),
                          "model " + p.model->name + " has no state variable '" + variable + "'" +
                              (expected.empty() ? "" : "; expected one of: " + expected));
      }
      if (init->node(variable)->is_string()) {
        p.init.push_back({variable, Distribution::constant(0.0),
                          load_per_node(init->string(variable), init->key_path(variable), p.size,
                                        initial_value_range(*state))});
        continue;
      }
      p.init.push_back({variable,
                        parse_distribution(*init->node(variable), init->key_path(variable),
                                           initial_value_range(*state)),
                        nullptr});
    }
  }
  t.reject_unknown_keys();
  return p;
}

int find_population(const NetworkSpec& net, const Table& t, const char* key) {
  const std::string name = t.string(key);
  const int index = net.population_index(name);
  if (index < 0) {
    std::string known;
    for (const auto& p : net.populations) known += (known.empty() ? "" : ", ") + p.name;
    throw ConfigError(t.key_path(key), "unknown population '" + name + "'; known: " + known);
  }
  return index;
}

ConnectSpec parse_connect(const Table& t, const PopulationSpec& source,
                          const PopulationSpec& target, bool same_population) {
  ConnectSpec c;
  const std::string rule = t.string("rule");
  c.allow_autapses = t.boolean("allow_autapses", true);
  c.allow_multapses = t.boolean("allow_multapses", true);
  auto count = [&](const char* key) {
    return static_cast<std::uint64_t>(t.integer(key, kConnectionCount));
  };
  // Without multapses a target can take each source once (and not itself without autapses).
  const std::uint64_t distinct_sources =
      source.size - ((same_population && !c.allow_autapses) ? 1 : 0);
  const std::uint64_t distinct_targets =
      target.size - ((same_population && !c.allow_autapses) ? 1 : 0);
  if (rule == "fixed_indegree") {
    c.rule = ConnectRule::kFixedIndegree;
    c.count = count("indegree");
    if (!c.allow_multapses && c.count > distinct_sources) {
      throw ConfigError(t.key_path("indegree"),
                        std::to_string(c.count) + " exceeds the " +
                            std::to_string(distinct_sources) + " distinct sources available in '" +
                            source.name +
                            "' without multapses (set allow_multapses = true or lower it)");
    }
    if (c.count > 0 && distinct_sources == 0) {
      throw ConfigError(t.key_path("indegree"), "no source is available without autapses");
    }
  } else if (rule == "fixed_outdegree") {
    c.rule = ConnectRule::kFixedOutdegree;
    c.count = count("outdegree");
    if (!c.allow_multapses && c.count > distinct_targets) {
      throw ConfigError(t.key_path("outdegree"), std::to_string(c.count) + " exceeds the " +
                                                     std::to_string(distinct_targets) +
                                                     " distinct targets available in '" +
                                                     target.name + "' without multapses");
    }
    if (c.count > 0 && distinct_targets == 0) {
      throw ConfigError(t.key_path("outdegree"), "no target is available without autapses");
    }
  } else if (rule == "fixed_total_number") {
    c.rule = ConnectRule::kFixedTotalNumber;
    c.count = count("n");
    if (!c.allow_multapses && c.count > distinct_sources * target.size) {
      throw ConfigError(t.key_path("n"), "exceeds the number of distinct pairs without multapses");
    }
  } else if (rule == "pairwise_bernoulli") {
    c.rule = ConnectRule::kPairwiseBernoulli;
    c.probability = t.number("p", ranges::kProbability);
  } else if (rule == "one_to_one") {
    c.rule = ConnectRule::kOneToOne;
    if (source.size != target.size) {
      throw ConfigError(t.key_path("rule"), "one_to_one needs equal sizes, but '" + source.name +
                                                "' has " + std::to_string(source.size) + " and '" +
                                                target.name + "' " + std::to_string(target.size));
    }
  } else if (rule == "all_to_all") {
    c.rule = ConnectRule::kAllToAll;
  } else {
    throw ConfigError(t.key_path("rule"),
                      "unknown rule '" + rule +
                          "'; expected fixed_indegree, fixed_outdegree, fixed_total_number, "
                          "pairwise_bernoulli, one_to_one or all_to_all");
  }
  t.reject_unknown_keys();
  return c;
}

// Reads the weight under the key whose unit matches the target model (weight_mv / weight_pa).
Distribution parse_weight(const Table& t, const PopulationSpec& target) {
  const std::string key = target.model->weight_key();
  for (const char* other : {"weight_mv", "weight_pa", "weight_ns"}) {
    if (key != other && t.has(other)) {
      throw ConfigError(t.key_path(other), "target population '" + target.name + "' is " +
                                               target.model->name +
                                               ", whose synaptic weights are given as " + key);
    }
  }
  const toml::node* node = t.node(key);
  if (!node) throw ConfigError(t.key_path(key), "required key is missing");
  return parse_distribution(*node, t.key_path(key), ranges::kWeight);
}

Receptor parse_receptor(const Table& t, const Distribution& weight) {
  const std::string name = t.string("receptor", "auto");
  if (name == "auto") {
    return weight.mean() < 0.0 ? Receptor::kInhibitory : Receptor::kExcitatory;
  }
  if (name == "excitatory") return Receptor::kExcitatory;
  if (name == "inhibitory") return Receptor::kInhibitory;
  throw ConfigError(t.key_path("receptor"),
                    "expected \"auto\", \"excitatory\" or \"inhibitory\", got \"" + name + "\"");
}

Distribution parse_delay(const Table& t, double dt_ms) {
  const std::string key = t.key_path("delay_ms");
  const toml::node* node = t.node("delay_ms");
  if (!node) throw ConfigError(key, "required key is missing");
  Distribution d = parse_distribution(*node, key, kSynapticDelayMs);
  if (d.is_constant()) {
    if (d.a < dt_ms * (1.0 - kGridTolerance)) {
      throw ConfigError(key, number_text(d.a) + " is below dt_ms " + number_text(dt_ms));
    }
    duration_to_steps(d.a, dt_ms, key);
  } else if (d.lowest() < dt_ms * (1.0 - kGridTolerance)) {
    throw ConfigError(key, d.describe() + " can draw delays below dt_ms " + number_text(dt_ms) +
                               "; add min = " + number_text(dt_ms));
  }
  const double max_delay_ms = dt_ms * 65535.0;
  if (d.highest() > max_delay_ms) {
    throw ConfigError(key, "delays above " + number_text(max_delay_ms) +
                               " ms (65535 steps) are not supported; add max = ...");
  }
  return d;
}

// A source x target weight matrix (.npy or CSV) for weight_matrix.
std::shared_ptr<const DataMatrix> load_weight_matrix(const std::string& path,
                                                     const PopulationSpec& source,
                                                     const PopulationSpec& target) {
  auto m = std::make_shared<DataMatrix>(read_text_matrix(path));
  if (m->rows != source.size || m->cols != target.size) {
    throw FileError(path, "is " + std::to_string(m->rows) + " x " + std::to_string(m->cols) +
                              "; weight_matrix needs " + std::to_string(source.size) + " x " +
                              std::to_string(target.size) + " (source '" + source.name +
                              "' x target '" + target.name + "')");
  }
  return m;
}

ProjectionSpec parse_projection(const Table& t, const NetworkSpec& net, int index) {
  ProjectionSpec p;
  p.key = t.path();
  p.source = find_population(net, t, "source");
  p.target = find_population(net, t, "target");
  const PopulationSpec& source = net.populations[p.source];
  const PopulationSpec& target = net.populations[p.target];
  if (!target.model->receives_input()) {
    throw ConfigError(t.key_path("target"), "population '" + target.name + "' is a " +
                                                target.model->name +
                                                " and cannot receive synapses");
  }
  p.name = t.string("name", source.name + "_to_" + target.name);
  if (p.name.find_first_of("/. ") != std::string::npos) {
    throw ConfigError(t.key_path("name"), "must contain no '/', '.' or space");
  }
  p.connect = parse_connect(t.table("connect"), source, target, p.source == p.target);
  if (t.has("weight_matrix")) {
    p.weight_matrix_path = t.string("weight_matrix");
    if (t.has(target.model->weight_key())) {
      throw ConfigError(t.key_path("weight_matrix"), "give either weight_matrix or " +
                                                         target.model->weight_key() + ", not both");
    }
    p.weight_matrix = load_weight_matrix(p.weight_matrix_path, source, target);
    const auto [lo, hi] =
        std::minmax_element(p.weight_matrix->values.begin(), p.weight_matrix->values.end());
    p.weight = *lo == *hi ? Distribution::constant(*lo)
                          : Distribution{Distribution::Kind::kUniform, *lo, *hi};
  } else {
    p.weight = parse_weight(t, target);
  }
  p.receptor = parse_receptor(t, p.weight);
  if (target.model->weight_unit == model::WeightUnit::kNanosiemens &&
      p.receptor == Receptor::kInhibitory && p.weight.highest() > 0.0) {
    throw ConfigError(t.key_path("weight_ns"),
                      "inhibitory conductances are given as negative weights (NEST's convention)");
  }
  p.delay_ms = parse_delay(t, net.simulation.dt_ms);
  if (const auto table = t.optional_table("normalize_incoming")) {
    if (!t.has("plasticity")) {
      throw ConfigError(t.key_path("normalize_incoming"),
                        "needs a plastic projection (a plasticity table)");
    }
    NormalizeIncomingSpec n;
    const std::string total_key = "total_" + target.model->weight_unit_suffix();
    n.total = table->number(total_key, ranges::kPositiveWeight);
    n.every_ms = table->number("every_ms", ranges::kIntervalMs);
    n.every_steps =
        duration_to_steps(n.every_ms, net.simulation.dt_ms, table->key_path("every_ms"));
    table->reject_unknown_keys();
    p.normalize_incoming = n;
  }
  if (const auto table = t.optional_table("plasticity")) {
    const std::string unit = target.model->weight_unit_suffix();
    p.plasticity = plasticity::parse_plasticity(*table, unit);
    if (p.weight.lowest() < 0.0) {
      throw ConfigError(t.key_path(target.model->weight_key()),
                        "plastic synapses need non-negative (excitatory) weights, but " +
                            p.weight.describe() + " can be negative");
    }
    const plasticity::RuleInfo& rule = *p.plasticity->rule;
    const std::string da =
        rule.modulator_population ? rule.modulator_population(p.plasticity->params) : "";
    if (!da.empty()) {
      if (net.population_index(da) < 0) {
        throw ConfigError(table->key_path("dopamine_population"),
                          "unknown population '" + da + "'");
      }
    }
  }
  (void)index;
  t.reject_unknown_keys();
  return p;
}

constexpr config::IntRange kPresentations{0, std::int64_t{1} << 40, "a number of presentations"};
constexpr config::Range kUnitInterval{0.0, 1.0, false, true, "a value in [0, 1)"};

// The presentation protocol and the data of an encoder stimulus.
void parse_protocol(const Table& t, const SimulationSpec& sim, EncoderSpec& e) {
  e.data = t.string("data");
  if (e.data.empty()) throw ConfigError(t.key_path("data"), "must name a data file");
  e.dataset = t.string("dataset", "");
  if (t.has("rows")) {
    const std::vector<double> rows = t.number_array("rows", kNodeId);
    if (rows.size() != 2 || rows[0] != std::floor(rows[0]) || rows[1] != std::floor(rows[1]) ||
        !(rows[1] >= rows[0])) {
      throw ConfigError(t.key_path("rows"),
                        "expected [first, end]: whole numbers with end >= first (rows first .. "
                        "end - 1 of the file form the split)");
    }
    e.row_begin = static_cast<std::uint64_t>(rows[0]);
    e.row_end = static_cast<std::uint64_t>(rows[1]);
    e.rows_given = true;
  }
  e.present_ms = t.number("present_ms", ranges::kIntervalMs);
  e.present_steps = duration_to_steps(e.present_ms, sim.dt_ms, t.key_path("present_ms"));
  e.rest_ms = t.number("rest_ms", 0.0, ranges::kTimeMs);
  e.rest_steps = duration_to_steps(e.rest_ms, sim.dt_ms, t.key_path("rest_ms"));
  e.presentations = static_cast<std::uint64_t>(t.integer("presentations", 0, kPresentations));
  e.order_seed = static_cast<std::uint64_t>(
      t.integer("order_seed", static_cast<std::int64_t>(sim.seed), ranges::kSeed));
  if (const toml::node* order = t.node("order"); order && order->is_array()) {
    e.order = EncoderSpec::Order::kList;
    for (double row : t.number_array("order", kNodeId)) {
      if (row != std::floor(row)) {
        throw ConfigError(t.key_path("order"), number_text(row) + " is not a row index");
      }
      e.order_list.push_back(static_cast<std::uint64_t>(row));
    }
    if (e.order_list.empty()) throw ConfigError(t.key_path("order"), "is empty");
  } else {
    const std::string order_name = t.string("order", "given");
    if (order_name == "given") {
      e.order = EncoderSpec::Order::kGiven;
    } else if (order_name == "shuffled") {
      e.order = EncoderSpec::Order::kShuffled;
    } else {
      throw ConfigError(t.key_path("order"),
                        "expected \"given\", \"shuffled\" or a list of "
                        "row indices (relative to the split), got '" +
                            order_name + "'");
    }
  }
}

// How data values become x in [0, 1] (rate, latency, phase).
void parse_normalize(const Table& t, EncoderSpec& e) {
  if (t.has("value_range")) {
    const std::vector<double> range = t.number_array("value_range", ranges::kSigned);
    if (range.size() != 2 || !(range[1] > range[0])) {
      throw ConfigError(t.key_path("value_range"), "expected [low, high] with high > low");
    }
    e.normalize = EncoderSpec::Normalize::kRange;
    e.range_lo = range[0];
    e.range_hi = range[1];
    if (t.has("normalize")) {
      throw ConfigError(t.key_path("normalize"), "give either normalize or value_range, not both");
    }
    return;
  }
  const std::string n = t.string("normalize", "minmax");
  if (n == "minmax") {
    e.normalize = EncoderSpec::Normalize::kMinMax;
  } else if (n == "none") {
    e.normalize = EncoderSpec::Normalize::kNone;
  } else {
    throw ConfigError(t.key_path("normalize"),
                      "expected \"minmax\" (the file's minimum and maximum map to 0 and 1) or "
                      "\"none\" (values already in [0, 1]), got '" +
                          n + "'");
  }
}

void parse_sample_ms(const Table& t, double dt_ms, EncoderSpec& e) {
  e.sample_ms = t.number("sample_ms", dt_ms, ranges::kIntervalMs);
}

// The coding parameters of each encoder kind.
void parse_encoder(const Table& t, const SimulationSpec& sim, StimulusSpec& s) {
  EncoderSpec& e = s.encoder;
  parse_protocol(t, sim, e);
  switch (s.kind) {
    case StimulusKind::kRate:
      parse_normalize(t, e);
      e.max_rate_hz = t.number("max_rate_hz", ranges::kRateHz);
      e.signal = t.boolean("signal", false);
      if (e.signal) parse_sample_ms(t, sim.dt_ms, e);
      break;
    case StimulusKind::kLatency: {
      parse_normalize(t, e);
      const std::string code = t.string("code", "linear");
      if (code != "linear" && code != "log") {
        throw ConfigError(t.key_path("code"), "expected \"linear\" or \"log\", got '" + code + "'");
      }
      e.log_code = code == "log";
      e.tau_ms = t.number("tau_ms", ranges::kTimeConstantMs);
      e.threshold = t.number("threshold", e.log_code ? 0.2 : 0.0, kUnitInterval);
      const std::string below = t.string("below_threshold", "silent");
      if (below != "silent" && below != "window_end") {
        throw ConfigError(t.key_path("below_threshold"),
                          "expected \"silent\" or \"window_end\", got '" + below + "'");
      }
      e.window_end = below == "window_end";
      break;
    }
    case StimulusKind::kPhase:
      parse_normalize(t, e);
      e.frequency_hz = t.number("frequency_hz", ranges::kPositiveRateHz);
      e.threshold = t.number("threshold", 0.0, kUnitInterval);
      if (1000.0 / e.frequency_hz < 2.0 * sim.dt_ms) {
        throw ConfigError(t.key_path("frequency_hz"),
                          "the period must be at least two steps (2 dt_ms)");
      }
      break;
    case StimulusKind::kDelta:
      e.threshold = t.number("threshold", ranges::kPositive);
      parse_sample_ms(t, sim.dt_ms, e);
      e.off_neurons = t.boolean("off_neurons", false);
      break;
    default:
      break;
  }
}

StimulusSpec parse_stimulus(const Table& t, const NetworkSpec& net) {
  StimulusSpec s;
  s.key = t.path();
  s.target = find_population(net, t, "target");
  const PopulationSpec& target = net.populations[s.target];
  if (!target.model->receives_input()) {
    throw ConfigError(t.key_path("target"),
                      "population '" + target.name + "' cannot receive input");
  }
  const std::string kind = t.string("kind");
  s.start_ms = t.number("start_ms", 0.0, ranges::kTimeMs);
  s.stop_ms = t.number("stop_ms", net.simulation.t_stop_ms, ranges::kTimeMs);
  if (!(s.stop_ms >= s.start_ms)) throw ConfigError(t.key_path("stop_ms"), "must be >= start_ms");
  if (t.has("node_ids")) {
    for (double id : t.number_array("node_ids", kNodeId)) {
      if (id < 0 || id >= static_cast<double>(target.size) || id != std::floor(id)) {
        throw ConfigError(t.key_path("node_ids"), number_text(id) + " is not a node id of '" +
                                                      target.name + "' (0.." +
                                                      std::to_string(target.size - 1) + ")");
      }
      s.node_ids.push_back(static_cast<NodeId>(id));
    }
    std::sort(s.node_ids.begin(), s.node_ids.end());
    s.node_ids.erase(std::unique(s.node_ids.begin(), s.node_ids.end()), s.node_ids.end());
  }
  if (kind == "poisson") {
    s.kind = StimulusKind::kPoisson;
    s.rate_hz = t.number("rate_hz", ranges::kRateHz);
    const Distribution w = parse_weight(t, target);
    if (!w.is_constant())
      throw ConfigError(t.key_path(target.model->weight_key()), "must be a number");
    s.weight = w.a;
    s.receptor = parse_receptor(t, w);
  } else if (kind == "dc") {
    s.kind = StimulusKind::kDc;
    s.amplitude_pa = t.number("amplitude_pa", ranges::kCurrentPa);
  } else if (kind == "spike_times") {
    s.kind = StimulusKind::kSpikeTimes;
    s.times_ms = t.number_array("times_ms", ranges::kTimeMs);
    std::sort(s.times_ms.begin(), s.times_ms.end());
    if (!s.times_ms.empty() && s.times_ms.front() < net.simulation.dt_ms) {
      throw ConfigError(t.key_path("times_ms"), "times must be >= dt_ms");
    }
    const Distribution w = parse_weight(t, target);
    if (!w.is_constant())
      throw ConfigError(t.key_path(target.model->weight_key()), "must be a number");
    s.weight = w.a;
    s.receptor = parse_receptor(t, w);
  } else if (kind == "rate" || kind == "latency" || kind == "phase" || kind == "delta") {
    s.kind = kind == "rate"      ? StimulusKind::kRate
             : kind == "latency" ? StimulusKind::kLatency
             : kind == "phase"   ? StimulusKind::kPhase
                                 : StimulusKind::kDelta;
    const Distribution w = parse_weight(t, target);
    if (!w.is_constant())
      throw ConfigError(t.key_path(target.model->weight_key()), "must be a number");
    s.weight = w.a;
    s.receptor = parse_receptor(t, w);
    parse_encoder(t, net.simulation, s);
  } else {
    throw ConfigError(t.key_path("kind"), "unknown stimulus '" + kind +
                                              "'; expected poisson, dc, spike_times, rate, "
                                              "latency, phase or delta");
  }
  t.reject_unknown_keys();
  return s;
}

// The `variables` of a v_m recording: recordable state variables of the population's model
// other than v_m_mv, each once.
std::vector<std::string> recorded_state_variables(const Table& v, const PopulationSpec& pop) {
  std::vector<std::string> variables;
  for (const std::string& variable : v.string_array("variables")) {
    const model::StateVariableInfo* info = pop.model->state_variable(variable);
    if (info == nullptr || !info->recordable || variable == "v_m_mv") {
      std::string known;
      for (const model::StateVariableInfo& s : pop.model->state) {
        if (s.recordable && s.name != "v_m_mv") known += (known.empty() ? "" : ", ") + s.name;
      }
      throw ConfigError(v.key_path("variables"),
                        "model " + pop.model->name + " of '" + pop.name +
                            "' has no recordable state variable '" + variable + "'" +
                            (known.empty() ? " (v_m is recorded anyway; it has no other)"
                                           : "; it has: " + known));
    }
    if (std::find(variables.begin(), variables.end(), variable) != variables.end()) {
      throw ConfigError(v.key_path("variables"), "'" + variable + "' is listed twice");
    }
    variables.push_back(variable);
  }
  return variables;
}

void parse_record(const Table& t, NetworkSpec& net) {
  if (const toml::node* spikes = t.node("spikes")) {
    std::vector<std::string> names;
    if (spikes->is_string() && spikes->value<std::string>() == "all") {
      for (const auto& p : net.populations) names.push_back(p.name);
    } else {
      names = t.string_array("spikes");
    }
    for (const std::string& name : names) {
      const int index = net.population_index(name);
      if (index < 0) throw ConfigError(t.key_path("spikes"), "unknown population '" + name + "'");
      if (std::find(net.spike_record.begin(), net.spike_record.end(), index) ==
          net.spike_record.end()) {
        net.spike_record.push_back(index);
      }
    }
  }
  if (t.has("v_m")) {
    const Table v = t.table("v_m");
    VoltageRecordSpec r;
    r.key = v.path();
    r.population = find_population(net, v, "population");
    const PopulationSpec& pop = net.populations[r.population];
    const model::StateVariableInfo* v_m = pop.model->state_variable("v_m_mv");
    if (v_m == nullptr || !v_m->recordable) {
      throw ConfigError(v.key_path("population"), "'" + pop.name + "' has no membrane potential");
    }
    if (v.has("node_ids")) {
      for (double id : v.number_array("node_ids", kNodeId)) {
        if (id < 0 || id >= static_cast<double>(pop.size) || id != std::floor(id)) {
          throw ConfigError(v.key_path("node_ids"), number_text(id) + " is not a node id of '" +
                                                        pop.name + "' (0.." +
                                                        std::to_string(pop.size - 1) + ")");
        }
        r.node_ids.push_back(static_cast<NodeId>(id));
      }
    } else {
      // The recorded ids are listed in memory: at most 2^24 neurons per report.
      const std::int64_t count = v.integer(
          "count", 1,
          {1, std::min<std::int64_t>(static_cast<std::int64_t>(pop.size), kMaxRecordedNeurons),
           "a number of neurons"});
      for (std::int64_t i = 0; i < count; ++i) r.node_ids.push_back(static_cast<NodeId>(i));
    }
    std::sort(r.node_ids.begin(), r.node_ids.end());
    r.node_ids.erase(std::unique(r.node_ids.begin(), r.node_ids.end()), r.node_ids.end());
    r.every_ms = v.number("every_ms", net.simulation.dt_ms, ranges::kIntervalMs);
    r.every_steps = duration_to_steps(r.every_ms, net.simulation.dt_ms, v.key_path("every_ms"));
    if (r.every_steps < 1) throw ConfigError(v.key_path("every_ms"), "must be >= dt_ms");
    if (v.has("variables")) r.variables = recorded_state_variables(v, pop);
    v.reject_unknown_keys();
    net.voltage_record.push_back(r);
  }
  if (t.has("weights")) {
    const Table w = t.table("weights");
    WeightRecordSpec r;
    r.key = w.path();
    const std::string name = w.string("projection");
    r.projection = net.projection_index(name);
    if (r.projection < 0) {
      std::string known;
      for (const auto& p : net.projections) known += (known.empty() ? "" : ", ") + p.name;
      throw ConfigError(w.key_path("projection"),
                        "unknown projection '" + name + "'; known: " + known);
    }
    r.every_ms = w.number("every_ms", r.every_ms, ranges::kIntervalMs);
    r.every_steps = duration_to_steps(r.every_ms, net.simulation.dt_ms, w.key_path("every_ms"));
    if (r.every_steps < 1) throw ConfigError(w.key_path("every_ms"), "must be >= dt_ms");
    if (const toml::node* sample = w.node("sample")) {
      if (sample->is_string() && sample->value<std::string>() == "all") {
        r.sample = 0;
      } else if (const auto n = sample->value<std::int64_t>(); sample->is_integer() && *n >= 1) {
        r.sample = static_cast<std::uint64_t>(*n);
      } else {
        throw ConfigError(w.key_path("sample"),
                          "expected a positive number of synapses or \"all\"");
      }
    }
    if (w.has("variables")) {
      const auto& plastic = net.projections[r.projection].plasticity;
      std::vector<std::string> allowed;
      if (plastic) allowed = plastic->rule->recordable();
      if (plastic && plastic->tagging) allowed.push_back("late_weight");
      for (const std::string& variable : w.string_array("variables")) {
        if (std::find(allowed.begin(), allowed.end(), variable) == allowed.end()) {
          std::string known;
          for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
          throw ConfigError(
              w.key_path("variables"),
              "projection '" + name + "' has no state variable '" + variable + "'" +
                  (known.empty() ? " (it has none to record)" : "; it has: " + known));
        }
        r.variables.push_back(variable);
      }
    }
    w.reject_unknown_keys();
    net.weight_record.push_back(r);
  }
  t.reject_unknown_keys();
}

}  // namespace

int NetworkSpec::population_index(const std::string& name) const {
  for (std::size_t i = 0; i < populations.size(); ++i) {
    if (populations[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int NetworkSpec::projection_index(const std::string& name) const {
  for (std::size_t i = 0; i < projections.size(); ++i) {
    if (projections[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Step NetworkSpec::min_delay_steps() const {
  Step d = 0;
  for (const auto& p : projections) {
    const Step s = interval_to_steps(p.delay_ms.lowest(), simulation.dt_ms, 1);
    d = d == 0 ? s : std::min(d, s);
  }
  return d == 0 ? 1 : d;
}

Step NetworkSpec::max_delay_steps() const {
  Step d = 1;
  for (const auto& p : projections) {
    d = std::max<Step>(d, time_to_nearest_step(p.delay_ms.highest(), simulation.dt_ms));
  }
  return d;
}

std::string connect_rule_name(ConnectRule rule) {
  switch (rule) {
    case ConnectRule::kFixedIndegree:
      return "fixed_indegree";
    case ConnectRule::kFixedOutdegree:
      return "fixed_outdegree";
    case ConnectRule::kFixedTotalNumber:
      return "fixed_total_number";
    case ConnectRule::kPairwiseBernoulli:
      return "pairwise_bernoulli";
    case ConnectRule::kOneToOne:
      return "one_to_one";
    case ConnectRule::kAllToAll:
      return "all_to_all";
  }
  return "?";
}

NetworkSpec parse_network(const std::string& toml_text, const std::string& source_name,
                          const std::vector<std::string>& overrides) {
  toml::table root = config::parse_toml(toml_text, source_name);
  for (const std::string& assignment : overrides) config::apply_override(root, assignment);
  NetworkSpec net;
  {
    std::ostringstream text;
    text << root;
    net.toml_text = overrides.empty() ? toml_text : text.str();
  }
  const Table top(root, "");
  net.simulation = parse_simulation(top.table("simulation"));
  const std::vector<Table> populations = top.array_of_tables("population");
  if (populations.empty())
    throw ConfigError("population", "at least one [[population]] is required");
  Gid next_gid = 0;
  for (const Table& t : populations) {
    PopulationSpec p = parse_population(t, net.simulation.dt_ms);
    if (net.population_index(p.name) >= 0) {
      throw ConfigError(t.key_path("name"), "population '" + p.name + "' is defined twice");
    }
    p.first_gid = next_gid;
    next_gid += p.size;
    if (next_gid > kMaxNeurons) {
      throw ConfigError(t.key_path("size"), "the network exceeds 2^32 neurons");
    }
    net.populations.push_back(std::move(p));
  }
  net.total_neurons = next_gid;
  const std::vector<Table> projections = top.array_of_tables("projection");
  std::set<std::string> projection_names;
  for (std::size_t i = 0; i < projections.size(); ++i) {
    ProjectionSpec p = parse_projection(projections[i], net, static_cast<int>(i));
    if (!projection_names.insert(p.name).second) {
      throw ConfigError(
          projections[i].key_path("name"),
          "projection name '" + p.name + "' is used twice; give each a distinct name");
    }
    net.projections.push_back(std::move(p));
  }
  for (const Table& t : top.array_of_tables("stimulus"))
    net.stimuli.push_back(parse_stimulus(t, net));
  for (const Table& t : top.array_of_tables("record")) parse_record(t, net);
  top.reject_unknown_keys();
  return net;
}

}  // namespace spikeweave::network
