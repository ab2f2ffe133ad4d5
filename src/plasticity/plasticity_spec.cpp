#include "plasticity/plasticity_spec.hpp"

#include "core/errors.hpp"

namespace spikeweave::plasticity {
namespace {

using config::Table;

namespace ranges = config::ranges;

// Every key's range follows from its name: time constants and intervals (`*_ms`), rates
// (`*_hz`), weights (`w_*`, `tag_threshold_*`), and dimensionless amplitudes otherwise.
config::Range range_of(const std::string& key, bool strictly_positive) {
  auto ends_with = [&key](const char* suffix) {
    const std::string s(suffix);
    return key.size() >= s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("delay_ms")) return ranges::kDelayMs;
  if (ends_with("_ms")) return strictly_positive ? ranges::kTimeConstantMs : ranges::kDelayMs;
  if (ends_with("_hz")) return strictly_positive ? ranges::kPositiveRateHz : ranges::kRateHz;
  if (key.rfind("w_", 0) == 0 || key.rfind("tag_threshold_", 0) == 0) {
    return strictly_positive ? ranges::kPositiveWeight : ranges::kNonNegativeWeight;
  }
  return strictly_positive ? ranges::kPositive : ranges::kNonNegative;
}

double positive(const Table& t, const std::string& key, double fallback) {
  return t.number(key, fallback, range_of(key, true));
}

double non_negative(const Table& t, const std::string& key, double fallback) {
  return t.number(key, fallback, range_of(key, false));
}

Pairing parse_pairing(const Table& t) {
  const std::string name = t.string("pairing", "all_to_all");
  if (name == "all_to_all") return Pairing::kAllToAll;
  if (name == "nearest" || name == "nearest_symmetric") return Pairing::kNearestSymmetric;
  if (name == "nearest_pre_centered") return Pairing::kNearestPreCentered;
  throw ConfigError(t.key_path("pairing"), "unknown pairing '" + name +
                                               "'; expected all_to_all, nearest_symmetric (or "
                                               "nearest) or nearest_pre_centered");
}

HomeostaticScalingParams parse_homeostatic(const Table& t) {
  HomeostaticScalingParams h;
  h.target_rate_hz = positive(t, "target_rate_hz", h.target_rate_hz);
  h.tau_ms = positive(t, "tau_ms", h.tau_ms);
  h.rate_tau_ms = positive(t, "rate_tau_ms", h.rate_tau_ms);
  return h;
}

TaggingParams parse_tagging(const Table& t, const std::string& unit) {
  TaggingParams g;
  g.tag_threshold = positive(t, "tag_threshold_" + unit, g.tag_threshold);
  g.tau_early_ms = positive(t, "tau_early_ms", g.tau_early_ms);
  g.tau_consolidation_ms = positive(t, "tau_consolidation_ms", g.tau_consolidation_ms);
  g.protein_rate_threshold_hz =
      positive(t, "protein_rate_threshold_hz", g.protein_rate_threshold_hz);
  g.protein_dopamine_threshold =
      non_negative(t, "protein_dopamine_threshold", g.protein_dopamine_threshold);
  g.tau_protein_ms = positive(t, "tau_protein_ms", g.tau_protein_ms);
  g.rate_tau_ms = positive(t, "rate_tau_ms", g.rate_tau_ms);
  g.update_interval_ms = positive(t, "update_interval_ms", g.update_interval_ms);
  t.reject_unknown_keys();
  return g;
}

}  // namespace

std::string rule_name(RuleKind rule) {
  switch (rule) {
    case RuleKind::kStdpPair:
      return "stdp_pair";
    case RuleKind::kStdpPowerLaw:
      return "stdp_power_law";
    case RuleKind::kStdpTriplet:
      return "stdp_triplet";
    case RuleKind::kStdpDopamine:
      return "stdp_dopamine";
    case RuleKind::kCalcium:
      return "calcium";
    case RuleKind::kNone:
      return "homeostatic_scaling";
  }
  return "?";
}

PlasticitySpec parse_plasticity(const Table& t, const std::string& unit) {
  PlasticitySpec p;
  p.key = t.path();
  const std::string rule = t.string("rule");
  const std::string w_max_key = "w_max_" + unit;
  const std::string w_min_key = "w_min_" + unit;
  if (rule == "stdp_pair") {
    p.rule = RuleKind::kStdpPair;
    StdpPairParams& s = p.pair;
    s.tau_plus_ms = positive(t, "tau_plus_ms", s.tau_plus_ms);
    s.tau_minus_ms = positive(t, "tau_minus_ms", s.tau_minus_ms);
    s.lambda = non_negative(t, "lambda", s.lambda);
    s.alpha = non_negative(t, "alpha", s.alpha);
    if (t.has("mu")) {
      if (t.has("mu_plus") || t.has("mu_minus")) {
        throw ConfigError(t.key_path("mu"), "give either mu or mu_plus and mu_minus");
      }
      s.mu_plus = s.mu_minus = non_negative(t, "mu", 0.0);
    }
    s.mu_plus = non_negative(t, "mu_plus", s.mu_plus);
    s.mu_minus = non_negative(t, "mu_minus", s.mu_minus);
    s.w_max = positive(t, w_max_key, s.w_max);
    s.pairing = parse_pairing(t);
  } else if (rule == "stdp_power_law") {
    p.rule = RuleKind::kStdpPowerLaw;
    StdpPowerLawParams& s = p.power_law;
    s.tau_plus_ms = positive(t, "tau_plus_ms", s.tau_plus_ms);
    s.tau_minus_ms = positive(t, "tau_minus_ms", s.tau_minus_ms);
    s.lambda = non_negative(t, "lambda", s.lambda);
    s.alpha = non_negative(t, "alpha", s.alpha);
    s.mu = non_negative(t, "mu", s.mu);
  } else if (rule == "stdp_triplet") {
    p.rule = RuleKind::kStdpTriplet;
    StdpTripletParams& s = p.triplet;
    s.tau_plus_ms = positive(t, "tau_plus_ms", s.tau_plus_ms);
    s.tau_x_ms = positive(t, "tau_x_ms", s.tau_x_ms);
    s.tau_minus_ms = positive(t, "tau_minus_ms", s.tau_minus_ms);
    s.tau_y_ms = positive(t, "tau_y_ms", s.tau_y_ms);
    s.a2_plus = non_negative(t, "a2_plus", s.a2_plus);
    s.a3_plus = non_negative(t, "a3_plus", s.a3_plus);
    s.a2_minus = non_negative(t, "a2_minus", s.a2_minus);
    s.a3_minus = non_negative(t, "a3_minus", s.a3_minus);
    s.w_max = positive(t, w_max_key, s.w_max);
  } else if (rule == "stdp_dopamine") {
    p.rule = RuleKind::kStdpDopamine;
    StdpDopamineParams& s = p.dopamine;
    s.dopamine_population = t.string("dopamine_population");
    s.tau_plus_ms = positive(t, "tau_plus_ms", s.tau_plus_ms);
    s.tau_minus_ms = positive(t, "tau_minus_ms", s.tau_minus_ms);
    s.a_plus = non_negative(t, "a_plus", s.a_plus);
    s.a_minus = non_negative(t, "a_minus", s.a_minus);
    s.tau_c_ms = positive(t, "tau_c_ms", s.tau_c_ms);
    s.tau_n_ms = positive(t, "tau_n_ms", s.tau_n_ms);
    s.b = non_negative(t, "b", s.b);
    s.dopamine_delay_ms = non_negative(t, "dopamine_delay_ms", s.dopamine_delay_ms);
    s.w_min = t.number(w_min_key, s.w_min, ranges::kWeight);
    s.w_max = t.number(w_max_key, s.w_max, ranges::kWeight);
    if (!(s.w_max > s.w_min)) throw ConfigError(t.key_path(w_max_key), "must exceed " + w_min_key);
  } else if (rule == "calcium") {
    p.rule = RuleKind::kCalcium;
    CalciumParams& c = p.calcium;
    c.tau_ca_ms = positive(t, "tau_ca_ms", c.tau_ca_ms);
    c.c_pre = non_negative(t, "c_pre", c.c_pre);
    c.c_post = non_negative(t, "c_post", c.c_post);
    c.pre_delay_ms = non_negative(t, "pre_delay_ms", c.pre_delay_ms);
    c.theta_d = positive(t, "theta_d", c.theta_d);
    c.theta_p = positive(t, "theta_p", c.theta_p);
    c.gamma_d = non_negative(t, "gamma_d", c.gamma_d);
    c.gamma_p = non_negative(t, "gamma_p", c.gamma_p);
    c.tau_rho_ms = positive(t, "tau_rho_ms", c.tau_rho_ms);
    c.rho_star = t.number("rho_star", c.rho_star, ranges::kSigned);
    c.bistable = t.boolean("bistable", c.bistable);
    c.w_min = t.number(w_min_key, c.w_min, ranges::kWeight);
    c.w_max = t.number(w_max_key, c.w_max, ranges::kWeight);
    if (!(c.w_max > c.w_min)) throw ConfigError(t.key_path(w_max_key), "must exceed " + w_min_key);
    if (!(c.theta_p >= c.theta_d)) throw ConfigError(t.key_path("theta_p"), "must be >= theta_d");
    c.dopamine_population = t.string("dopamine_population", "");
    c.dopamine_gain = t.number("dopamine_gain", c.dopamine_gain, ranges::kSigned);
    c.tau_n_ms = positive(t, "tau_n_ms", c.tau_n_ms);
    c.dopamine_delay_ms = non_negative(t, "dopamine_delay_ms", c.dopamine_delay_ms);
  } else if (rule == "homeostatic_scaling") {
    p.rule = RuleKind::kNone;
    p.homeostatic = parse_homeostatic(t);
  } else {
    throw ConfigError(t.key_path("rule"),
                      "unknown plasticity rule '" + rule +
                          "'; expected stdp_pair, stdp_power_law, "
                          "stdp_triplet, stdp_dopamine, calcium or homeostatic_scaling");
  }
  if (const auto h = t.optional_table("homeostatic_scaling")) {
    if (p.homeostatic) throw ConfigError(h->path(), "homeostatic_scaling is already the rule");
    p.homeostatic = parse_homeostatic(*h);
    h->reject_unknown_keys();
  }
  if (const auto g = t.optional_table("tagging")) {
    if (p.rule == RuleKind::kNone) {
      throw ConfigError(g->path(), "tagging needs a spike-timing rule to write early changes");
    }
    p.tagging = parse_tagging(*g, unit);
  }
  const std::string weight_type = t.string("weight_type", "float");
  if (weight_type != "float" && weight_type != "double") {
    throw ConfigError(t.key_path("weight_type"),
                      "expected \"float\" or \"double\", got \"" + weight_type + "\"");
  }
  p.double_weights = weight_type == "double";
  const std::int64_t capacity = t.integer("history_capacity", p.history_capacity,
                                          {2, 65536, "a number of remembered spikes"});
  p.history_capacity = static_cast<int>(capacity);
  p.sweep_interval_ms = positive(t, "sweep_interval_ms", p.sweep_interval_ms);
  t.reject_unknown_keys();
  return p;
}

}  // namespace spikeweave::plasticity
