#pragma once
// What the engine writes during and after a run, as an interface: the HDF5 implementation lives
// in hdf5_run_output.cpp; tests may use another. Every method is collective: all ranks call it,
// in the same order, each with its own part (possibly empty).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spikeweave::io {

struct SpikeGroupLayout {
  std::string population;
  std::uint64_t size = 0;  // neurons in the population
};

struct ReportLayout {
  std::string population;
  std::vector<std::uint64_t> local_node_ids;  // recorded neurons on this rank, increasing
  double t_start_ms = 0.0;                    // time of the first sample
  double every_ms = 0.1;                      // sampling interval
  // State variables recorded besides v_m (/report/<population>/<variable>), with their units.
  std::vector<std::string> variables;
  std::vector<std::string> units;
};

struct WeightLayout {
  std::string projection;
  std::vector<std::uint64_t> local_sources;  // source node ids of this rank's recorded synapses
  std::vector<std::uint64_t> local_targets;  // target node ids, same order
  std::string units;                         // "pA", "mV" or "nS"
  std::vector<std::string> variables;        // plastic state variables recorded besides the weight
};

// The presentations of one encoder stimulus: which data row was shown when.
struct PresentationLog {
  std::string name;                         // link name under /presentations
  std::map<std::string, std::string> text;  // attributes: stimulus key, kind, data file, ...
  std::map<std::string, double> numbers;    // attributes: present_ms, rest_ms, split rows
  std::vector<double> start_ms;             // window start of each presentation
  std::vector<std::int64_t> sample;         // file row shown
};

// The energy estimate of a run: counts, and joules per platform of the energy table.
struct EnergyRecord {
  bool present = false;
  double synops = 0.0;          // synaptic events
  double neuron_updates = 0.0;  // neurons x steps
  double spikes = 0.0;
  std::string table_path;
  std::string table_toml;
  struct Platform {
    std::string name, source;
    double pj_per_synop = 0.0, pj_per_neuron_update = 0.0, pj_per_spike = 0.0, joules = 0.0;
  };
  std::vector<Platform> platforms;
};

struct Provenance {
  std::string config_toml;
  std::string command_line;
  int ranks = 1;
  std::string backend;
  double dt_ms = 0.1;
  double t_stop_ms = 0.0;
  std::uint64_t seed = 0;
  std::map<std::string, double> phase_seconds;  // max over ranks
  std::map<std::string, double> counters;       // e.g. synapses, spikes, build seconds
  std::vector<PresentationLog> presentations;   // /presentations/<name>
  EnergyRecord energy;                          // /provenance/energy
};

// Everything a run will write, declared when the file is created.
struct RunOutputLayout {
  std::vector<SpikeGroupLayout> spike_groups;
  std::vector<ReportLayout> reports;
  std::vector<WeightLayout> weights;
};

class RunOutput {
 public:
  virtual ~RunOutput() = default;
  // Collective. Called before each flush with the bytes this rank is about to append: an output
  // that can run out of space refuses here, on every rank alike (a FileError naming the file and
  // the file system), before any collective write could fail on one rank and hang the others.
  virtual void reserve(std::uint64_t local_bytes) { (void)local_bytes; }
  // Appends this rank's spikes of spike group `group` (node ids and times [ms]).
  virtual void append_spikes(int group, const std::vector<std::uint64_t>& node_ids,
                             const std::vector<double>& times_ms) = 0;
  // Appends `samples` rows of this rank's recorded neurons of report `report`
  // (row-major: samples x local recorded neurons) [mV].
  virtual void append_report(int report, const std::vector<float>& values,
                             std::uint64_t samples) = 0;
  // Appends `samples` rows of this rank's recorded synapses of weight group `group`
  // (row-major: samples x local synapses), taken at `times_ms` (one per row).
  virtual void append_weights(int group, const std::vector<double>& values,
                              const std::vector<double>& times_ms) = 0;
  // Appends `samples` rows of plastic state variable `variable` of weight group `group`
  // (row-major, like append_weights; called after append_weights for the same samples).
  virtual void append_state(int group, const std::string& variable,
                            const std::vector<double>& values, std::uint64_t samples) {
    (void)group;
    (void)variable;
    (void)values;
    (void)samples;
  }
  // Appends `samples` rows of state variable `variable` of report `report` (row-major, like
  // append_report; called after append_report for the same samples).
  virtual void append_report_state(int report, const std::string& variable,
                                   const std::vector<float>& values, std::uint64_t samples) {
    (void)report;
    (void)variable;
    (void)values;
    (void)samples;
  }

  // Collective. Makes everything appended so far durable in the (still partial) file, so that a
  // checkpoint can copy it.
  virtual void sync() {}
  // The file being written ("" if none), for checkpoints to copy after sync().
  virtual std::string partial_file() const { return ""; }
  // Writes /provenance, closes the file and moves it to its final name.
  virtual void commit(const Provenance& provenance) = 0;
};

}  // namespace spikeweave::io
