#pragma once
// Plastic projections: synapse weights in device memory, updated by the projection's rule as
// spikes are delivered (see kernels/stdp_deliver.hpp).
#include <memory>

#include "engine/post_histories.hpp"
#include "engine/post_rates.hpp"
#include "engine/projection.hpp"
#include "kernels/deliver.hpp"

namespace spikeweave::engine {

kernels::DeviceSynapses device_synapses(const network::SynapseTables& tables);
int port_of(const network::ProjectionSpec& spec);

std::unique_ptr<Projection> make_plastic_projection(const network::NetworkSpec& net, int index,
                                                    network::SynapseTables tables,
                                                    NeuronGroup& target, PostHistories& histories,
                                                    PostRates& rates, int interval_steps);

}  // namespace spikeweave::engine
