// for_each_stored's tiled visit (many owners, runs sorted by owner) must place every entry where
// the plain visit in entry order does: the checkpoint's synapse values are stored by that
// position, so any difference would change the file and break restarts.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "engine/checkpoint_state.hpp"

namespace spikeweave::engine {
namespace {

// A segmented key set of `rows` runs over `owners` owners, shaped like a projection's tables:
// each run lists owners in increasing order, some twice in a row (multapses), many not at all.
StateKeys projection_like(std::size_t owners, std::size_t rows, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<std::uint32_t> owner_of;
  StateKeys keys;
  keys.width = 0;
  keys.runs.push_back(0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::uint32_t o = 0; o < owners; ++o) {
      const double u = uniform(random);
      if (u < 0.3) owner_of.push_back(o);
      if (u < 0.05) owner_of.push_back(o);
    }
    keys.runs.push_back(owner_of.size());
  }
  Kokkos::View<std::uint32_t*, Kokkos::HostSpace> view("owner_of", owner_of.size());
  for (std::size_t i = 0; i < owner_of.size(); ++i) view(i) = owner_of[i];
  keys.owner_of = view;
  keys.owners.resize(owners);
  keys.counts.assign(owners, 0);
  for (std::uint32_t o : owner_of) ++keys.counts[o];
  std::uint64_t offset = 0;
  for (std::size_t o = 0; o < owners; ++o) {
    keys.owners[o] = 1000 + o;
    keys.starts.push_back(offset);
    offset += keys.counts[o];
  }
  return keys;
}

std::vector<std::size_t> positions(const StateKeys& keys) {
  std::vector<std::size_t> at(keys.size(), ~std::size_t{0});
  for_each_stored(keys, [&](std::size_t i, std::size_t j) { at[i] = j; });
  return at;
}

TEST(CheckpointOrder, TiledVisitPlacesEveryEntryAsTheEntryOrderDoes) {
  for (const std::size_t owners : {std::size_t{100}, kOwnersPerTile + 1, 3 * kOwnersPerTile + 7}) {
    const StateKeys tiled = projection_like(owners, 40, static_cast<unsigned>(owners));
    StateKeys plain = tiled;
    plain.runs.clear();  // no runs: the plain visit in entry order
    const std::vector<std::size_t> expected = positions(plain);
    EXPECT_EQ(positions(tiled), expected) << owners << " owners";
    std::vector<bool> taken(expected.size(), false);
    for (std::size_t j : expected) {
      ASSERT_LT(j, taken.size());
      EXPECT_FALSE(taken[j]);
      taken[j] = true;
    }
  }
}

}  // namespace
}  // namespace spikeweave::engine
