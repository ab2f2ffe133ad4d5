#include "jobs/sweep_expression.hpp"

#include <muParser.h>

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "jobs/config_paths.hpp"

namespace spikeweave::jobs {

struct SweepKeyEvaluator::Impl {
  std::vector<std::string> names;
  std::vector<double> variables;  // muparser reads the axis values from here
  std::vector<const SweepKey*> keys;
  std::vector<mu::Parser> parsers;  // one per key
};

namespace {
std::string describe_point(const std::vector<std::string>& names, const std::vector<double>& v) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i)
    text += (i ? ", " : "") + names[i] + " = " + override_value_text(v[i]);
  return text.empty() ? "no axes" : text;
}
}  // namespace

SweepKeyEvaluator::SweepKeyEvaluator(const SweepSpec& spec) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  for (const SweepAxis& axis : spec.axes) s.names.push_back(axis.name);
  s.variables.assign(s.names.size(), 1.0);
  std::string axis_list;
  for (const std::string& n : s.names) axis_list += (axis_list.empty() ? "" : ", ") + n;
  for (const SweepAxis& axis : spec.axes) {
    for (const SweepKey& key : axis.keys) {
      s.keys.push_back(&key);
      s.parsers.emplace_back();
    }
  }
  // Variables are bound by address: the vectors above no longer move.
  for (std::size_t k = 0; k < s.keys.size(); ++k) {
    mu::Parser& parser = s.parsers[k];
    try {
      for (std::size_t i = 0; i < s.names.size(); ++i)
        parser.DefineVar(s.names[i], &s.variables[i]);
      parser.SetExpr(s.keys[k]->expression);
      parser.Eval();  // compiles: syntax errors and unknown names surface here
    } catch (const mu::Parser::exception_type& e) {
      std::string what = "expression '" + s.keys[k]->expression + "': " + e.GetMsg();
      if (e.GetCode() == mu::ecUNASSIGNABLE_TOKEN)
        what = "expression '" + s.keys[k]->expression + "' names '" + e.GetToken() +
               "', which is not an axis (axes: " + (axis_list.empty() ? "none" : axis_list) + ")";
      throw ConfigError(s.keys[k]->where, what);
    }
  }
}

SweepKeyEvaluator::~SweepKeyEvaluator() = default;

std::vector<double> SweepKeyEvaluator::evaluate(const std::vector<double>& axis_values) const {
  Impl& s = *impl_;
  require_invariant(axis_values.size() == s.variables.size(), "sweep: one value per axis");
  std::copy(axis_values.begin(), axis_values.end(), s.variables.begin());  // no reallocation
  std::vector<double> values;
  for (std::size_t k = 0; k < s.keys.size(); ++k) {
    double v = 0.0;
    try {
      v = s.parsers[k].Eval() * s.keys[k]->scale;
    } catch (const mu::Parser::exception_type& e) {
      throw ConfigError(s.keys[k]->where, "expression '" + s.keys[k]->expression +
                                              "': " + e.GetMsg() + " at " +
                                              describe_point(s.names, axis_values));
    }
    if (!std::isfinite(v)) {
      throw ConfigError(s.keys[k]->where, "expression '" + s.keys[k]->expression +
                                              "' is not finite at " +
                                              describe_point(s.names, axis_values));
    }
    values.push_back(v);
  }
  return values;
}

}  // namespace spikeweave::jobs
