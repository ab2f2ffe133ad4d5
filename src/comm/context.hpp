#pragma once
// The distributed context: everything the engine needs from "the other ranks", behind one
// interface with a local (one process), an MPI and a dry-run implementation. Only
// src/comm/mpi/ includes <mpi.h>; the engine sees this header alone.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spikeweave::comm {

class Context {
 public:
  virtual ~Context() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // "local", "mpi" or "dry-run": recorded in provenance and benchmark records.
  virtual std::string kind() const = 0;

  // Personalised all-to-all of 64-bit words. send_counts[r] words starting at
  // send_offsets[r] go to rank r. On return recv holds the words from every rank, rank by
  // rank, and recv_counts[r] how many came from rank r. `this_rank_failed` is piggybacked on
  // the exchange: the call returns true on every rank if any rank passed true, and then moves
  // no data, so that a rank that hit an error never leaves the others waiting.
  virtual bool alltoallv(const std::vector<std::uint64_t>& send,
                         const std::vector<int>& send_counts, std::vector<std::uint64_t>& recv,
                         std::vector<int>& recv_counts, bool this_rank_failed) = 0;

  // The two operations of the spike exchange, named so that a context can answer them for what
  // they are (the dry run fabricates the other ranks' side of both). The MPI and local contexts
  // use the defaults, built on alltoallv.
  //
  // Build-time routing, once: this rank asks each owner q for the spikes of the sources
  // gids[o_q .. o_q + counts[q]) (o_q: sum of the counts before q; gids increasing, owned by q)
  // and gives each one the receive key at the same position in `keys`, which q will put in
  // those spikes. On return asked_gids, asked_keys and asked_counts hold, rank by rank, what
  // every rank asked of this one. Keys are 32 bits (receive slots): at scale these lists are
  // the largest things a rank builds (11.5 M entries per rank at 1,024 ranks).
  virtual void request_sources(const std::vector<std::uint64_t>& gids,
                               const std::vector<std::uint32_t>& keys,
                               const std::vector<int>& counts,
                               std::vector<std::uint64_t>& asked_gids,
                               std::vector<std::uint32_t>& asked_keys,
                               std::vector<int>& asked_counts);
  // One interval's spike words (comm/spike.hpp), as alltoallv, with its failure flag.
  virtual bool exchange_spikes(const std::vector<std::uint64_t>& send,
                               const std::vector<int>& send_counts,
                               std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                               bool this_rank_failed) {
    return alltoallv(send, send_counts, recv, recv_counts, this_rank_failed);
  }

  // Element-wise reductions over ranks, in place.
  virtual void sum(std::vector<double>& values) = 0;
  virtual void sum(std::vector<std::uint64_t>& values) = 0;
  virtual void max(std::vector<double>& values) = 0;
  virtual void min(std::vector<double>& values) = 0;
  // Sum of `value` over ranks below this one (0 on rank 0).
  virtual std::uint64_t exclusive_prefix_sum(std::uint64_t value) = 0;
  // True on every rank if `flag` is true on any rank.
  virtual bool any(bool flag) = 0;
  // Copies root's string to every rank.
  virtual void broadcast(std::string& text, int root) = 0;
  // Gathers one value from every rank, on every rank.
  virtual std::vector<std::uint64_t> all_gather(std::uint64_t value) = 0;
  virtual void barrier() = 0;

  // A context over the ranks with the same colour, ordered by key (MPI_Comm_split).
  virtual std::unique_ptr<Context> split(int color, int key) = 0;
  // A context over the ranks that share this rank's node (and so its memory):
  // MPI_Comm_split_type(MPI_COMM_TYPE_SHARED). One process alone is its own node.
  virtual std::unique_ptr<Context> split_node() = 0;

  double sum(double value) {
    std::vector<double> v{value};
    sum(v);
    return v[0];
  }
  std::uint64_t sum(std::uint64_t value) {
    std::vector<std::uint64_t> v{value};
    sum(v);
    return v[0];
  }
  double max(double value) {
    std::vector<double> v{value};
    max(v);
    return v[0];
  }
};

// Collective. "" on every rank if no rank passed an error, else, on every rank, the error of the
// lowest rank that passed one: so that ranks that found a problem alone all stop with one message.
inline std::string first_error(Context& context, const std::string& own_error) {
  std::vector<double> first{own_error.empty() ? static_cast<double>(context.size())
                                              : static_cast<double>(context.rank())};
  context.min(first);
  const int root = static_cast<int>(first[0]);
  if (root >= context.size()) return "";
  std::string message = own_error;
  context.broadcast(message, root);
  return message;
}

// One process, no MPI: rank 0 of 1.
std::unique_ptr<Context> make_local_context();

}  // namespace spikeweave::comm

namespace spikeweave::comm {
// Ends every rank of the job with `code` (MPI_Abort where MPI is initialised, else std::exit).
// The last resort for an error that other ranks cannot know about.
[[noreturn]] void abort_all_ranks(int code);
}  // namespace spikeweave::comm
