// The parrot model's engine part.
#include "engine/neuron_group.hpp"
#include "model/parrot/parrot_update.hpp"

namespace spikeweave::engine {
namespace {

class ParrotGroup final : public NeuronGroup {
 public:
  explicit ParrotGroup(const GroupArgs& args) : NeuronGroup(args) {
    update_.fired = fired_;
    update_.ring = ring_;
  }
  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_update(update_, size());
  }

 private:
  kernels::ParrotUpdate update_;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_parrot_group(const GroupArgs& args) {
  return std::make_unique<ParrotGroup>(args);
}

}  // namespace spikeweave::engine
