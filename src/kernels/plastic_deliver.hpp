#pragma once
// The delivery and sweep kernels shared by every event-driven plasticity rule.
//
// One team per source with spikes in the interval processes that source's spikes in time order;
// the team's threads share the row's synapses, so no two threads touch one synapse and a
// synapse sees its spikes in order (which makes results independent of threads and ranks).
// Host threads instead own blocks of targets and take the spikes in rounds (see `blocks`).
// A rule's synapse-state struct `Synapses` provides:
//   DeviceSynapses syn; StdpRowState rows;   (rows.t_done: time the row is integrated to)
//   Spike at_spike(row, stamp) const                 row values for one presynaptic spike
//   double update(k, target, delay, row, spike) const  the synapse's update; returns the weight
//   void after_spike(row, spike) const               the row's state after its synapses
//   void catch_up(k, target, delay, row, cut) const  sweep: bring the synapse to time `cut`
#include <algorithm>

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
  // concurrently: atomics then (GPU), plain adds with one thread (see add_input) or with
  // thread_rings.
  bool atomic = true;
  // Host threads: each adds into its own copy of the projection's ring port (thread, slot,
  // neuron), summed into the ring after the kernel (sum_thread_rings): no atomic per synaptic
  // event, and no ring line written by two cores (a source's row spans all targets, so with one
  // shared ring both threads write every line of a slot). Integer sums: the result is bitwise
  // that of one thread. Measured gain at scale 1 on 2 threads: 2-3% (RESULTS.md, threads); the
  // gap to 2 ranks lies elsewhere. Empty: add into `ring`.
  View<std::int64_t***> thread_rings;
  int min_delay_steps = 1;  // no delivery writes a slot nearer than this to the interval's start
  static constexpr const char* kLabel = "spikeweave::plastic_synapse::deliver";
  // Largest thread_rings a projection allocates; beyond it (many threads x large populations)
  // delivery keeps the atomics.
  static constexpr std::size_t kMaxThreadRingBytes = std::size_t{256} << 20;

  // Switches to thread_rings where the default execution space runs host threads and the
  // copies fit kMaxThreadRingBytes. `min_delay` is the projection's smallest delay in steps.
  void use_thread_rings(int min_delay) {
    if constexpr (!Kokkos::SpaceAccessibility<ExecSpace, Kokkos::HostSpace>::accessible) return;
    const std::size_t threads = static_cast<std::size_t>(ExecSpace().concurrency());
    const std::size_t bytes = threads * ring.extent(1) * ring.extent(2) * sizeof(std::int64_t);
    if (!atomic || threads < 2 || bytes > kMaxThreadRingBytes) return;
    thread_rings = View<std::int64_t***>("plastic_deliver.thread_rings", threads, ring.extent(1),
                                         ring.extent(2));
    min_delay_steps = min_delay > 0 ? min_delay : 1;
    atomic = false;
  }

  // This thread's index among the execution space's threads (host backends; 0 elsewhere).
  KOKKOS_INLINE_FUNCTION static int thread_index() { return HostThreadIndex<ExecSpace>::get(); }

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team, std::uint64_t& events) const {
    const int run = team.league_rank();
    const std::uint64_t row = s.syn.row_of_slot(comm::spike_key(spikes(run_begin(run))));
    if (row == s.syn.rows) return;
    // A thread index beyond the copies (not expected) falls back to atomic adds into the ring.
    const int thread = thread_index();
    const bool own_ring = thread_rings.extent(0) > 0 && thread >= 0 &&
                          thread < static_cast<int>(thread_rings.extent(0));
    const bool atomic_add = atomic || (thread_rings.extent(0) > 0 && !own_ring);
    for (std::uint32_t x = run_begin(run); x < run_begin(run + 1); ++x) {
      const std::int64_t emitted = first_step + comm::spike_lag(spikes(x));
      const auto spike = s.at_spike(row, emitted + 1);
      for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
        const int delay = s.syn.segment_delay(seg);
        const int slot = static_cast<int>((emitted + delay) % slots);
        std::int64_t* const base = own_ring ? &thread_rings(thread, slot, 0) : &ring(port, slot, 0);
        Kokkos::parallel_for(
            Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
            [&](const std::uint64_t k) {
              const std::uint32_t target = s.syn.target(k);
              const double w = s.update(k, target, delay, row, spike);
              add_input(base + target, to_fixed(s.syn.scaled(w, target)), atomic_add);
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

  // Host threads, targets increasing within each segment: `blocks` threads each own a block of
  // the targets (as static delivery's Ownership::kTargetBlocks) and apply every spike to the
  // synapses onto their block, with plain adds into the shared ring: no atomics and no
  // per-thread ring copies (thread_rings, whose memory grows with threads x targets), and a
  // thread's trace and ring working set is its block's, as a rank's is its share of the targets.
  // Measured at scale 1 on 2 threads: as fast as teams with thread rings (RESULTS.md). The
  // per-row state a rule reads in `update` (at_spike, calcium's pending spikes) must not change
  // while any block still applies that spike, so the spikes go in rounds: round r takes the
  // r-th spike of every source (DeliverRound over blocks), then the rows' after_spike (AfterRound
  // over runs). Each synapse and each row still sees its spikes in time order: bitwise the
  // teams' result. 0: teams.
  int blocks = 0;
  std::uint32_t block_targets = 0;  // neurons of the target population on this rank
  int round = 0;                    // the spike of each run this round takes
  int runs = 0;                     // runs of this interval (run_begin may be longer)
  struct DeliverRound {};
  struct AfterRound {};

  // Switches to target blocks where the default execution space runs host threads and every
  // segment's targets increase (the binary search that cuts a segment at a block needs it).
  void use_target_blocks(bool segment_targets_increasing, std::uint32_t n_targets) {
    if (delivery_ownership(segment_targets_increasing) != Ownership::kTargetBlocks) return;
    blocks = ExecSpace().concurrency();
    block_targets = n_targets;
    atomic = false;
  }

  // The spike run `run` takes this round, or -1 if it has none.
  KOKKOS_INLINE_FUNCTION std::int64_t round_spike(const int run) const {
    const std::uint32_t x = run_begin(run) + static_cast<std::uint32_t>(round);
    return x < run_begin(run + 1) ? static_cast<std::int64_t>(x) : -1;
  }

  // Block b applies this round's spikes to the synapses onto targets [lo, hi).
  KOKKOS_INLINE_FUNCTION void operator()(DeliverRound, const int b) const {
    const std::uint32_t lo = block_bound(block_targets, b, blocks);
    const std::uint32_t hi = block_bound(block_targets, b + 1, blocks);
    const std::uint32_t* const target = s.syn.target.data();
    for (int run = 0; run < runs; ++run) {
      const std::int64_t x = round_spike(run);
      if (x < 0) continue;
      const std::uint64_t row = s.syn.row_of_slot(comm::spike_key(spikes(x)));
      if (row == s.syn.rows) continue;
      const std::int64_t emitted = first_step + comm::spike_lag(spikes(x));
      const auto spike = s.at_spike(row, emitted + 1);
      for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
        const int delay = s.syn.segment_delay(seg);
        std::int64_t* const base = &ring(port, static_cast<int>((emitted + delay) % slots), 0);
        const std::uint64_t seg_end = s.syn.segment_begin(seg + 1);
        const std::uint64_t begin =
            find_block_cut(target, s.syn.segment_begin(seg), seg_end, lo, block_targets);
        const std::uint64_t end = find_block_cut(target, begin, seg_end, hi, block_targets);
        for (std::uint64_t k = begin; k < end; ++k) {
          const std::uint32_t t = target[k];
          base[t] += to_fixed(s.syn.scaled(s.update(k, t, delay, row, spike), t));
        }
      }
    }
  }
  // After every block applied this round's spike of `run`: its row's state moves past it.
  KOKKOS_INLINE_FUNCTION void operator()(AfterRound, const int run, std::uint64_t& events) const {
    const std::int64_t x = round_spike(run);
    if (x < 0) return;
    const std::uint64_t row = s.syn.row_of_slot(comm::spike_key(spikes(x)));
    if (row == s.syn.rows) return;
    s.after_spike(row, s.at_spike(row, first_step + comm::spike_lag(spikes(x)) + 1));
    events += s.syn.row_synapses(row);
  }

  // Delivers the runs; returns the synaptic events.
  std::uint64_t run(std::size_t n_runs) {
    std::uint64_t events = 0;
    if (n_runs == 0) return events;
    runs = static_cast<int>(n_runs);
    if (blocks > 0) return run_rounds();
    Kokkos::parallel_reduce(kLabel, Policy(runs, Kokkos::AUTO), *this, events);
    if (thread_rings.extent(0) > 0) sum_thread_rings();
    return events;
  }

  // Target blocks: as many rounds as the longest run has spikes (one or two at cortical rates).
  // run_begin is host memory here (blocks are host threads only).
  std::uint64_t run_rounds() {
    std::uint32_t longest = 0;
    if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemSpace>::accessible) {
      for (int r = 0; r < runs; ++r) longest = std::max(longest, run_begin(r + 1) - run_begin(r));
    }
    std::uint64_t events = 0;
    for (round = 0; round < static_cast<int>(longest); ++round) {
      Kokkos::parallel_for(kLabel, Kokkos::RangePolicy<ExecSpace, DeliverRound>(0, blocks), *this);
      std::uint64_t round_events = 0;
      Kokkos::parallel_reduce("spikeweave::plastic_synapse::after_round",
                              Kokkos::RangePolicy<ExecSpace, AfterRound>(0, runs), *this,
                              round_events);
      events += round_events;
    }
    return events;
  }

  // Adds the thread rings into the ring and clears them. Spikes of this interval arrive at steps
  // first_step + min_delay_steps .. first_step + slots - 1 (the ring holds the longest delay plus
  // an interval), so only those slots can hold anything.
  void sum_thread_rings() const {
    const int touched = slots - min_delay_steps;
    const int targets = static_cast<int>(ring.extent(2));
    const int threads = static_cast<int>(thread_rings.extent(0));
    const std::int64_t first = first_step + min_delay_steps;
    const auto rings = thread_rings;
    const auto into = ring;
    const int port_index = port, n_slots = slots;
    Kokkos::parallel_for(
        "spikeweave::plastic_synapse::sum_thread_rings",
        Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(
            0, std::int64_t{touched} * targets),
        KOKKOS_LAMBDA(const std::int64_t e) {
          const int slot = static_cast<int>((first + e / targets) % n_slots);
          const int t = static_cast<int>(e % targets);
          std::int64_t sum = 0;
          for (int r = 0; r < threads; ++r) {
            sum += rings(r, slot, t);
            rings(r, slot, t) = 0;
          }
          into(port_index, slot, t) += sum;
        });
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
