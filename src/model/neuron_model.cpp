#include "model/neuron_model.hpp"

#include "core/errors.hpp"

namespace spikeweave::model {
namespace {
struct Entry {
  ModelKind kind;
  const char* name;
};
constexpr Entry kModels[] = {
    {ModelKind::kLifPscDelta, "lif_psc_delta"},    {ModelKind::kLifPscExp, "lif_psc_exp"},
    {ModelKind::kLifPscAlpha, "lif_psc_alpha"},    {ModelKind::kLifCondExp, "lif_cond_exp"},
    {ModelKind::kPoissonSource, "poisson_source"}, {ModelKind::kSpikeSource, "spike_source"},
};
}  // namespace

ModelKind parse_model_kind(const std::string& name, const std::string& key) {
  for (const Entry& e : kModels) {
    if (name == e.name) return e.kind;
  }
  std::string known;
  for (const Entry& e : kModels) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw ConfigError(key, "unknown model '" + name + "'; expected one of: " + known);
}

std::string model_name(ModelKind kind) {
  for (const Entry& e : kModels) {
    if (e.kind == kind) return e.name;
  }
  throw InternalError("model without a name");
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const Entry& e : kModels) names.emplace_back(e.name);
  return names;
}

bool is_lif(ModelKind kind) {
  return kind == ModelKind::kLifPscDelta || kind == ModelKind::kLifPscExp ||
         kind == ModelKind::kLifPscAlpha || kind == ModelKind::kLifCondExp;
}

WeightUnit weight_unit(ModelKind kind) {
  switch (kind) {
    case ModelKind::kLifPscDelta:
      return WeightUnit::kMillivolt;
    case ModelKind::kLifPscExp:
    case ModelKind::kLifPscAlpha:
      return WeightUnit::kPicoampere;
    case ModelKind::kLifCondExp:
      return WeightUnit::kNanosiemens;
    default:
      return WeightUnit::kNone;
  }
}

std::string weight_unit_suffix(ModelKind kind) {
  switch (weight_unit(kind)) {
    case WeightUnit::kMillivolt:
      return "mv";
    case WeightUnit::kNanosiemens:
      return "ns";
    default:
      return "pa";
  }
}

std::string weight_unit_name(ModelKind kind) {
  switch (weight_unit(kind)) {
    case WeightUnit::kMillivolt:
      return "mV";
    case WeightUnit::kNanosiemens:
      return "nS";
    default:
      return "pA";
  }
}

std::string weight_key(ModelKind kind) {
  return "weight_" + weight_unit_suffix(kind);
}

}  // namespace spikeweave::model
