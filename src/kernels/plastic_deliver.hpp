#pragma once
// The delivery and sweep kernels shared by every event-driven plasticity rule.
//
// One team per source with spikes in the interval processes that source's spikes in time order;
// the team's threads share the row's synapses, so no two threads touch one synapse and a
// synapse sees its spikes in order (which makes results independent of threads and ranks).
// A rule's synapse-state struct `Synapses` provides:
//   DeviceSynapses syn; StdpRowState rows;   (rows.t_done: time the row is integrated to)
//   Spike at_spike(row, stamp) const                 row values for one presynaptic spike
//   double update(k, target, delay, row, spike) const  the synapse's update; returns the weight
//   void after_spike(row, spike) const               the row's state after its synapses
//   void catch_up(k, target, delay, row, cut) const  sweep: bring the synapse to time `cut`
#include "kernels/deliver.hpp"

namespace spikeweave::kernels {

// Per-row (per source) state of a plastic projection.
struct StdpRowState {
  View<std::int64_t*> t_last;  // stamp of the source's last spike (0: none yet)
  View<std::int64_t*> t_done;  // postsynaptic spikes seen up to this pre-side time are applied
  View<double*> r1;            // pair trace after the last spike (tau_plus)
  View<double*> r2;            // triplet trace after the last spike (tau_x)
};

template <class Synapses>
struct PlasticDeliver {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;
  using value_type = std::uint64_t;  // synaptic events, summed by the reduction

  Synapses s;
  InputRing ring;
  View<const std::uint64_t*> spikes;     // words (receive slot, lag), a source's spikes together
  View<const std::uint32_t*> run_begin;  // runs of equal source: runs + 1 offsets into spikes
  int port = kPortExcitatory;
  std::int64_t first_step = 0;
  int slots = 1;
  // Teams of different sources may add to one target's entry at once where threads run
  // concurrently: atomics then, plain adds with one thread (see add_input).
  bool atomic = true;
  static constexpr const char* kLabel = "spikeweave::plastic_synapse::deliver";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team, std::uint64_t& events) const {
    const int run = team.league_rank();
    const std::uint64_t row = s.syn.row_of_slot(comm::spike_key(spikes(run_begin(run))));
    if (row == s.syn.rows) return;
    for (std::uint32_t x = run_begin(run); x < run_begin(run + 1); ++x) {
      const std::int64_t emitted = first_step + comm::spike_lag(spikes(x));
      const auto spike = s.at_spike(row, emitted + 1);
      for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
        const int delay = s.syn.segment_delay(seg);
        std::int64_t* const base = &ring(port, static_cast<int>((emitted + delay) % slots), 0);
        Kokkos::parallel_for(
            Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
            [&](const std::uint64_t k) {
              const std::uint32_t target = s.syn.target(k);
              const double w = s.update(k, target, delay, row, spike);
              add_input(base + target, to_fixed(s.syn.scaled(w, target)), atomic);
            });
      }
      team.team_barrier();
      Kokkos::single(Kokkos::PerTeam(team), [&]() {
        s.after_spike(row, spike);
        events += s.syn.row_synapses(row);
      });
      team.team_barrier();
    }
  }

  // Delivers the runs; returns the synaptic events.
  std::uint64_t run(std::size_t runs) const {
    std::uint64_t events = 0;
    if (runs == 0) return events;
    Kokkos::parallel_reduce(kLabel, Policy(static_cast<int>(runs), Kokkos::AUTO), *this, events);
    return events;
  }
};

// Brings rows idle since `idle_before` up to `cut`, so histories and modulator trains never
// have to reach back further than one sweep interval.
template <class Synapses>
struct PlasticSweep {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  Synapses s;
  std::int64_t idle_before = 0;
  std::int64_t cut = 0;
  static constexpr const char* kLabel = "spikeweave::plastic_synapse::sweep";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const auto row = static_cast<std::uint64_t>(team.league_rank());
    if (s.rows.t_done(row) >= idle_before) return;
    for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
      const int delay = s.syn.segment_delay(seg);
      Kokkos::parallel_for(
          Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
          [&](const std::uint64_t k) { s.catch_up(k, s.syn.target(k), delay, row, cut); });
    }
    team.team_barrier();
    Kokkos::single(Kokkos::PerTeam(team), [&]() { s.rows.t_done(row) = cut; });
  }

  void run() const {
    if (s.syn.rows == 0) return;
    Kokkos::parallel_for(kLabel, Policy(static_cast<int>(s.syn.rows), Kokkos::AUTO), *this);
  }
};

}  // namespace spikeweave::kernels
