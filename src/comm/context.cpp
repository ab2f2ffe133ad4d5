#include "comm/context.hpp"

#include "core/errors.hpp"

namespace spikeweave::comm {

// One alltoallv of (gid, key) pairs; each buffer is freed as soon as the next one holds its
// contents.
void Context::request_sources(const std::vector<std::uint64_t>& gids,
                              const std::vector<std::uint32_t>& keys,
                              const std::vector<int>& counts,
                              std::vector<std::uint64_t>& asked_gids,
                              std::vector<std::uint32_t>& asked_keys,
                              std::vector<int>& asked_counts) {
  require_invariant(gids.size() == keys.size(), "request_sources needs one key per gid");
  std::vector<std::uint64_t> pairs(2 * gids.size());
  for (std::size_t i = 0; i < gids.size(); ++i) {
    pairs[2 * i] = gids[i];
    pairs[2 * i + 1] = keys[i];
  }
  std::vector<int> pair_counts(counts.size());
  for (std::size_t q = 0; q < counts.size(); ++q) pair_counts[q] = 2 * counts[q];
  std::vector<std::uint64_t> received;
  alltoallv(pairs, pair_counts, received, asked_counts, false);
  std::vector<std::uint64_t>().swap(pairs);
  for (int& c : asked_counts) c /= 2;
  asked_gids.resize(received.size() / 2);
  asked_keys.resize(received.size() / 2);
  for (std::size_t i = 0; i < asked_gids.size(); ++i) {
    asked_gids[i] = received[2 * i];
    asked_keys[i] = static_cast<std::uint32_t>(received[2 * i + 1]);
  }
}

}  // namespace spikeweave::comm
