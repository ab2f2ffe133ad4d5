#pragma once
// Batched simulation of many rate networks at once (one Kokkos team per network).
#include <cstdint>
#include <memory>
#include <vector>

#include "rate/network.hpp"
#include "rate/params.hpp"

namespace spikeweave::rate {

template <class Real>
struct ForwardBuffers;

template <class Real>
class BatchSimulator {
 public:
  // Room for `capacity` networks of the given shape. record_h: keep the h trace as well as x.
  BatchSimulator(const Dynamics& dynamics, int capacity, bool record_h);
  ~BatchSimulator();
  BatchSimulator(const BatchSimulator&) = delete;
  BatchSimulator& operator=(const BatchSimulator&) = delete;

  // Draws networks indices[b] of `seed` with params[b] and simulates them (count <= capacity).
  void generate_and_run(std::uint64_t seed, const std::vector<std::uint64_t>& indices,
                        const std::vector<NetworkParams>& params);
  // Simulates the given networks (same dynamics as the simulator's).
  void run(const std::vector<const Network<Real>*>& networks);

  int count() const { return count_; }
  int capacity() const { return capacity_; }
  const Dynamics& dynamics() const { return dynamics_; }
  // Results of network b of the last run, on the host.
  const float* activity(int b) const;         // [K][T][N]
  const float* h_trace(int b) const;          // [K][T][N], only with record_h
  void copy_weights(int b, Real* out) const;  // [N][N] row-major
  void copy_input(int b, Real* out) const;    // [N]
  void copy_h0(int b, Real* out) const;       // [K][N]
  // Bytes of device memory per network.
  static std::uint64_t bytes_per_network(const Dynamics& dynamics, bool record_h);

 private:
  void launch();
  void fetch();

  Dynamics dynamics_;
  int capacity_ = 0;
  int count_ = 0;
  std::unique_ptr<ForwardBuffers<Real>> buf_;
  struct Host;
  std::unique_ptr<Host> host_;
};

extern template class BatchSimulator<float>;
extern template class BatchSimulator<double>;

}  // namespace spikeweave::rate
