#pragma once
// The interleaved slot table of a HostDeliver (deliver.hpp) that delivers one source
// population's received spikes through all of its static projections at once (E -> E and E -> I,
// say). At scale a received spike's cost is its cold cache lines: per projection, its slot table
// entry and its targets. The projections of one source population are indexed by the same
// receive slots, so their slot entries can sit side by side: a spike's entries for every
// projection (and the next slot's, which end its rows) are one line instead of one line per
// projection, and the spikes are sorted by lag once instead of once per projection (integer ring
// sums: bitwise the same as delivering the projections one by one).
#include <string>
#include <vector>

#include "core/memory_usage.hpp"
#include "kernels/deliver.hpp"

namespace spikeweave::kernels {

// Interleaves the slot tables of the parts (each (slots + 1) entries, StaticDeliver's
// DeviceSynapses::slot_segment): entry s * tables.size() + p is tables[p](s). Host memory
// (fused delivery runs on host backends only); huge pages where granted (read at random).
template <class Table>
View<const std::uint32_t*> interleave_slot_tables(const std::vector<Table>& tables,
                                                  const std::string& label) {
  const std::size_t parts = tables.size();
  const std::size_t entries = tables.empty() ? 0 : tables[0].extent(0);
  View<std::uint32_t*> out(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), entries * parts);
  auto host_out = Kokkos::create_mirror_view(out);  // the table itself on host backends
  advise_huge_pages(host_out.data(), host_out.span() * sizeof(std::uint32_t));
  for (std::size_t p = 0; p < parts; ++p) {
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), tables[p]);
    for (std::size_t s = 0; s < entries; ++s) host_out(s * parts + p) = host(s);
  }
  Kokkos::deep_copy(out, host_out);
  return out;
}

}  // namespace spikeweave::kernels
