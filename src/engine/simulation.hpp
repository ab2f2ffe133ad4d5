#pragma once
// The simulation: owns the local neurons, synapses, stimuli, router and recorder of one rank and
// runs the interval loop of DESIGN.md.
#include <exception>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "comm/context.hpp"
#include "core/phase_timers.hpp"
#include "engine/neuron_group.hpp"
#include "engine/post_histories.hpp"
#include "engine/post_rates.hpp"
#include "engine/projection.hpp"
#include "engine/recorder.hpp"
#include "engine/spike_exchange.hpp"
#include "engine/stimuli.hpp"
#include "io/buffer_pool.hpp"
#include "io/run_output.hpp"
#include "network/lowered_network.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

class StateWriter;
class StateReader;
struct ProjectionKeys;

// Thrown on the ranks that did not fail themselves when another rank failed during the loop:
// the failing rank reports its own error; these ranks only exit non-zero.
class PeerFailure : public std::runtime_error {
 public:
  PeerFailure() : std::runtime_error("another rank failed") {}
};

// Thrown on a rank whose own work failed during the loop; the message is that rank's error.
class RankLocalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One synapse of this rank, for tests and weight recording.
struct SynapseState {
  NodeId source = 0;  // node id in the source population
  NodeId target = 0;  // node id in the target population
  int delay_steps = 0;
  double weight = 0.0;      // current weight (target model's unit)
  std::uint64_t index = 0;  // position in the projection's local tables
};

// Steps count from the start of the run (step 0), also in a run continued from a checkpoint,
// so that the progress shown is that of the whole run; wall_seconds and first_step (the step
// this process started from) give the speed.
struct Progress {
  Step steps_done = 0;   // the current step
  Step steps_total = 0;  // the step the run ends at
  double wall_seconds = 0.0;
  Step first_step = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

class Simulation {
 public:
  // Builds this rank's part of the network from a copy of `spec` (lowered once, owned by the
  // simulation). Collective. With `checkpointing` (a run that restarts or checkpoints), the
  // checkpoint keys of the first plastic projections are built on a thread while the rest of the
  // network is (see prepare_checkpoint_keys). With `keep_checkpoint_buffers` (a run that
  // checkpoints periodically), the placement lanes' buffers are allocated and touched on a
  // thread once those keys are built, and held between checkpoints (checkpoint_buffers).
  Simulation(const network::NetworkSpec& spec, comm::Context& context, bool checkpointing = false,
             bool keep_checkpoint_buffers = false);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Output for recordings (may be null). Must outlive the run.
  void set_output(io::RunOutput* output) { recorder_->set_output(output); }
  std::vector<io::SpikeGroupLayout> spike_layouts() const { return recorder_->spike_layouts(); }
  std::vector<io::ReportLayout> report_layouts() const { return recorder_->report_layouts(); }
  std::vector<io::WeightLayout> weight_layouts() const { return recorder_->weight_layouts(); }
  io::RunOutputLayout output_layout() const {
    return {spike_layouts(), report_layouts(), weight_layouts()};
  }

  // Advances the simulation by `steps` steps. Collective. The callback runs on every rank after
  // each interval (the CLI prints progress on rank 0 only).
  void run(Step steps, const ProgressCallback& progress = {});
  // Runs to t_stop_ms of the configuration.
  void run_to_end(const ProgressCallback& progress = {}) {
    run(spec_.simulation.steps - step_, progress);
  }

  // Called on every rank at each interval boundary, after delivery, plasticity and the output
  // flush of that interval (checkpoints, signals); returning true ends run() there. Collective
  // if the hook is.
  void set_interval_hook(std::function<bool()> hook) { interval_hook_ = std::move(hook); }
  // Writes the buffered recordings now (collective).
  void flush_output();
  // Checkpoints (engine/checkpoint_state.cpp): the whole state at an interval boundary, keyed by
  // global ids and synapse identities, and its restoration onto this rank's part of the same
  // network, which may be decomposed differently. Both collective.
  void save_state(StateWriter& writer);
  void restore_state(StateReader& reader, Step step);
  // Starts building the plastic projections' checkpoint keys (a pass over every synapse: half a
  // second at 500 M synapses) on a thread of its own, so that the first checkpoint of a run that
  // checkpoints does not wait for them; save_state and restore_state wait for that thread. Local.
  void prepare_checkpoint_keys();
  // The buffers a checkpoint's placement lanes take and give back (io::write_checkpoint_state).
  io::BufferPool& checkpoint_buffers() { return checkpoint_buffers_; }
  // Collective: "" if every state variable of every neuron and every plastic weight is finite,
  // else, on every rank, the first blow-up found ("population exc, neuron 17 (gid 17): v_m_mv is
  // nan at t = 12.3 ms").
  std::string non_finite_state();

  // Provenance of this run (timings reduced over ranks: collective).
  io::Provenance provenance(const std::string& command_line);

  Step step() const { return step_; }
  int interval_steps() const { return interval_steps_; }
  const network::NetworkSpec& spec() const { return spec_; }
  comm::Context& context() { return context_; }
  const PhaseTimers& timers() const { return timers_; }
  // Spikes emitted by this rank's neurons of each population so far.
  const std::vector<std::uint64_t>& local_spike_counts() const { return spike_counts_; }
  // Sum over ranks (collective).
  std::vector<std::uint64_t> global_spike_counts();
  std::uint64_t local_synapses() const;
  std::uint64_t local_neurons() const;
  std::uint64_t local_synapse_bytes() const;
  std::uint64_t spikes_delivered_local() const { return spikes_delivered_; }
  std::uint64_t synaptic_events_local() const { return synaptic_events_; }
  const std::vector<std::unique_ptr<NeuronGroup>>& groups() const { return groups_; }
  // This rank's synapses of projection p in table order (rows by source, then delay, target).
  std::vector<SynapseState> synapse_states(int projection) const;
  const std::vector<std::unique_ptr<Projection>>& projections() const { return projections_; }
  const std::vector<std::unique_ptr<Stimulus>>& stimuli() const { return stimuli_; }

 private:
  void run_interval(int steps);
  void send_spikes(int steps);
  void find_source_runs();
  void select_recorded_weights();
  void deliver(Step first_step);
  // The checkpoint keys of projection p on this rank, built at the first checkpoint or restore
  // (the tables do not change, and recounting millions of synapses per checkpoint is not free).
  const ProjectionKeys& checkpoint_keys(const Projection& p);
  // Builds the keys of projections `todo` on checkpoint_keys_thread_ (none running).
  void start_checkpoint_keys(std::vector<const Projection*> todo);
  // Waits for prepare_checkpoint_keys' thread, if any; rethrows its failure.
  void await_checkpoint_keys();
  // On the keys thread, once the keys of `built` are: starts the thread that reserves the lanes'
  // buffers for their synapse values (once per run).
  void reserve_checkpoint_buffers(const std::vector<const Projection*>& built);
  // The neurons' part of restore_state (state variables, input rings, post-synaptic histories
  // and rates).
  void restore_neurons(StateReader& r);

  const network::LoweredNetwork net_;  // owned: parts hold references to it
  const network::NetworkSpec& spec_;   // net_.spec
  comm::Context& context_;
  partition::Partition partition_;
  int interval_steps_ = 1;
  int slots_ = 1;
  Step step_ = 0;
  std::uint64_t intervals_ = 0;
  std::uint64_t flush_every_intervals_ = 1;
  PhaseTimers timers_;
  std::vector<std::unique_ptr<NeuronGroup>> groups_;
  PostHistories histories_;
  PostRates rates_;
  std::vector<std::unique_ptr<Projection>> projections_;
  std::vector<std::shared_ptr<const ProjectionKeys>> checkpoint_keys_;  // per projection index
  std::exception_ptr checkpoint_keys_failed_;  // of the thread below (declared before it)
  struct JoiningThread {
    std::thread thread;
    ~JoiningThread() {
      if (thread.joinable()) thread.join();
    }
  };
  bool keep_checkpoint_buffers_ = false;
  io::BufferPool checkpoint_buffers_;
  // Fills checkpoint_buffers_ (reserve_checkpoint_buffers); started by the keys thread below,
  // which is joined first (declared after it).
  JoiningThread checkpoint_buffers_thread_;
  // prepare_checkpoint_keys' thread, the only user of the keys while it runs; joined on
  // destruction, also when the constructor throws after starting it (a build error).
  JoiningThread checkpoint_keys_thread_;
  std::vector<std::unique_ptr<Stimulus>> stimuli_;
  std::unique_ptr<SpikeExchange> exchange_;
  std::unique_ptr<Recorder> recorder_;
  std::vector<std::uint64_t> spike_counts_;
  std::vector<kernels::View<std::uint64_t*>> compacted_;  // per population
  bool has_plastic_ = false;              // a projection is plastic (sweep is theirs)
  std::vector<std::uint32_t> run_begin_;  // per population: runs of equal source, then the end
  // Per population, reused every interval: (first entry in run_begin_, runs of equal source).
  std::vector<std::pair<std::size_t, std::size_t>> source_runs_;
  kernels::View<std::uint64_t*> received_device_;
  kernels::View<std::uint32_t*> run_begin_device_;
  std::uint64_t spikes_delivered_ = 0;
  std::uint64_t synaptic_events_ = 0;
  std::function<bool()> interval_hook_;
};

}  // namespace spikeweave::engine
