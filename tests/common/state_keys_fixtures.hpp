// Key sets and values shared by the checkpoint-order unit test and the ThreadSanitizer test of
// the checkpoint's threads: segmented key sets shaped like a projection's tables, the plain
// per-entry scatter both compare with, and a block's values in memory as io::RawValueRows.
#pragma once

#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "engine/checkpoint_state.hpp"
#include "io/piece_pipeline.hpp"

namespace spikeweave::engine::fixtures {

// A segmented key set of `rows` runs over `owners` owners, shaped like a projection's tables:
// each run lists owners in increasing order, some twice in a row (multapses), many not at all.
inline StateKeys projection_like(std::size_t owners, std::size_t rows, unsigned seed) {
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

// A segmented key set of the given owner counts, each run (row) listing owners in increasing
// order; an owner's entries spread over the runs at random. No runs when `rows` is 0.
inline StateKeys with_counts(const std::vector<std::uint64_t>& counts, std::size_t rows,
                             unsigned seed) {
  std::mt19937 random(seed);
  std::vector<std::vector<std::uint32_t>> runs(std::max<std::size_t>(rows, 1));
  for (std::uint32_t o = 0; o < counts.size(); ++o) {
    for (std::uint64_t k = 0; k < counts[o]; ++k) runs[random() % runs.size()].push_back(o);
  }
  StateKeys keys;
  keys.width = 0;
  std::vector<std::uint32_t> owner_of;
  keys.runs.push_back(0);
  for (const std::vector<std::uint32_t>& run : runs) {
    owner_of.insert(owner_of.end(), run.begin(), run.end());
    keys.runs.push_back(owner_of.size());
  }
  if (rows == 0) keys.runs.clear();
  Kokkos::View<std::uint32_t*, Kokkos::HostSpace> view("owner_of", owner_of.size());
  for (std::size_t i = 0; i < owner_of.size(); ++i) view(i) = owner_of[i];
  keys.owner_of = view;
  keys.counts = counts;
  std::uint64_t offset = 0;
  for (std::size_t o = 0; o < counts.size(); ++o) {
    keys.owners.push_back(7 + 3 * o);
    keys.starts.push_back(offset);
    offset += counts[o];
  }
  return keys;
}

// Owner counts: random (some empty, some under a line, some many lines, none multiples of 16
// on purpose), `owners` of them.
inline std::vector<std::uint64_t> random_counts(std::size_t owners, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<std::uint64_t> counts(owners);
  for (std::uint64_t& c : counts) {
    const unsigned kind = random() % 4;
    c = kind == 0 ? 0 : kind == 1 ? random() % 16 : kind == 2 ? 17 + random() % 50 : random() % 5;
  }
  return counts;
}

// The plain per-entry scatter: the reference scatter_stored must reproduce.
template <class T>
std::vector<T> plain_scatter(const StateKeys& keys, const std::vector<T>& in) {
  std::vector<T> out(in.size());
  for_each_stored(keys, [&](std::size_t i, std::size_t j) { out[j] = in[i]; });
  return out;
}

// A block's values in memory as io::RawValueRows (a state file's raw rows).
class MemoryRows final : public io::RawValueRows {
 public:
  explicit MemoryRows(std::vector<float> values) : values_(std::move(values)) {
    rows = values_.size();
    single = true;
  }
  void read(std::uint64_t first, std::uint64_t count, void* out) const override {
    ASSERT_LE(first + count, values_.size());
    std::copy(values_.begin() + static_cast<long>(first),
              values_.begin() + static_cast<long>(first + count), static_cast<float*>(out));
  }

 private:
  std::vector<float> values_;
};

// A deferred float block's pieces produced by `lanes` lanes on threads of their own
// (io::PiecePipeline, `depth` buffers per lane, from `pool` if given) and joined in order, as the
// checkpoint writer takes them.
inline std::vector<float> joined_pieces(const io::CheckpointBlock& b, unsigned lanes,
                                        io::BufferPool* pool = nullptr,
                                        unsigned depth = io::PiecePipeline::kDefaultDepth) {
  const std::size_t pieces = b.pieces.size() - 1;
  std::vector<float> joined;
  io::PiecePipeline pipeline(b, pieces, sizeof(float), lanes, {}, {}, pool, depth);
  for (std::size_t k = 0; k < pieces; ++k) {
    const float* piece = static_cast<const float*>(pipeline.wait(k));
    joined.insert(joined.end(), piece, piece + (b.pieces[k + 1] - b.pieces[k]));
    pipeline.release(k);
  }
  return joined;
}

}  // namespace spikeweave::engine::fixtures
