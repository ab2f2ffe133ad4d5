#include "engine/projection.hpp"

namespace spikeweave::engine {

namespace {
template <class T>
kernels::View<const T*> to_device(const network::HostView<T*>& host) {
  return Kokkos::create_mirror_view_and_copy(kernels::MemSpace(), host);
}
}  // namespace

Projection::Projection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                       kernels::InputRing target_ring)
    : tables_(std::move(tables)) {
  const network::ProjectionSpec& spec = net.projections[index];
  source_ = spec.source;
  target_ = spec.target;
  kernels::DeviceSynapses& d = deliver_.syn;
  d.row_source = to_device(tables_.row_source);
  d.row_begin = to_device(tables_.row_begin);
  d.segment_delay = to_device(tables_.segment_delay);
  d.segment_begin = to_device(tables_.segment_begin);
  d.target = to_device(tables_.target);
  d.weight = to_device(tables_.weight);
  d.homogeneous = tables_.homogeneous();
  d.homogeneous_weight = tables_.homogeneous_weight;
  d.rows = tables_.rows();
  deliver_.ring = target_ring;
  deliver_.port = spec.receptor == network::Receptor::kInhibitory ? kernels::kPortInhibitory
                                                                  : kernels::kPortExcitatory;
  deliver_.slots = static_cast<int>(target_ring.extent(1));
}

void Projection::deliver(const kernels::View<const std::uint64_t*>& spikes, std::size_t n,
                         Step first_step) {
  deliver_.spikes = spikes;
  deliver_.first_step = first_step;
  deliver_.run(n);
}

std::vector<Gid> Projection::source_gids(Gid source_first_gid) const {
  std::vector<Gid> gids(tables_.rows());
  for (std::size_t r = 0; r < gids.size(); ++r) gids[r] = source_first_gid + tables_.row_source(r);
  return gids;
}

}  // namespace spikeweave::engine
