#pragma once
// The encoders' equations, on the host: data values -> x in [0, 1], x -> spike offsets inside a
// presentation window (latency, phase), a signal -> ON/OFF events (delta), x -> spike
// probability per step (rate), and the presentation order. Every rank computes the same plan
// from the same file; the engine (engine/stimuli.cpp) uploads it and its kernels
// (kernels/encoder.hpp) add the events to the target's input ring. Plain C++, no Kokkos.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "network/spec.hpp"

namespace spikeweave::network {

// Maps a data value to x in [0, 1]: (v - lo) / (hi - lo), clamped (kRange and kMinMax, where
// lo and hi are the smallest and largest value in the whole file, so that a training and a test
// split of one file are scaled alike), or v itself (kNone, which requires values in [0, 1]).
struct Normalizer {
  double lo = 0.0;
  double hi = 1.0;
  double operator()(double v) const;
};
Normalizer make_normalizer(const EncoderSpec& e, const std::vector<double>& values,
                           const std::string& path);

// Offset in steps from the window's first step of the latency code's spike for input x, or none
// (silent). Linear: t = tau_ms (1 - x); log: t = tau_ms ln(x / (x - threshold)); inputs with
// x <= threshold, or whose t falls at or after present_ms, are silent, or spike at the window's
// last step with below_threshold = "window_end". t is rounded to the nearest step.
std::optional<Step> latency_offset(const EncoderSpec& e, double x, double dt_ms);

// Offsets of the phase code's spikes for input x: one per cycle c = 0, 1, ... of the reference
// oscillation (period T = 1000 / frequency_hz ms) at t_c = (c + 1 - x) T, i.e. at phase
// 2 pi (1 - x), while t_c < present_ms; none if x <= threshold. Rounded to the nearest step.
std::vector<Step> phase_offsets(const EncoderSpec& e, double x, double dt_ms);

// Events of the delta code on a signal v_0, v_1, ... sampled every sample_ms: a reference r
// starts at v_0; at sample j >= 1, if v_j - r >= threshold the ON channel spikes and r = v_j;
// if r - v_j >= threshold the OFF channel spikes (when off_neurons) and r = v_j. The event of
// sample j lies at offset round(j sample_ms / dt) steps; samples at or after present_ms are not
// shown.
void delta_events(const EncoderSpec& e, const double* row, std::uint64_t samples, double dt_ms,
                  Step present_steps, std::vector<Step>& on, std::vector<Step>& off);

// The split-relative row shown at each presentation (`count` of them): given order, the list
// `order`, or a seeded permutation per pass over the split (pass k uses Philox stream
// (order_seed, shuffle, stimulus, k)), cycling when there are more presentations than rows.
std::vector<std::uint32_t> presentation_order(const EncoderSpec& e, std::uint64_t split_rows,
                                              std::uint64_t count, std::uint32_t stimulus,
                                              const std::string& key);

// Everything the engine needs to replay an encoder stimulus.
struct EncoderPlan {
  std::uint64_t split_begin = 0;     // first file row of the split
  std::uint64_t split_end = 0;       // one past its last row
  std::vector<std::uint32_t> order;  // split-relative row of each presentation
  Step first_step = 0;               // first step of presentation 0
  Step period_steps = 1;             // present + rest
  Step present_steps = 1;
  std::uint32_t channels = 1;  // columns of the event or probability tables
  // latency, phase, delta: event offsets of (split row r, channel c), in CSR form at r * channels
  // + c; sorted.
  std::vector<std::uint64_t> event_begin;
  std::vector<std::int32_t> event_offsets;
  // rate: spike probability per step, split rows x channels (static: channel = target ordinal;
  // signal: channel = sample index, looked up through step_sample)
  std::vector<double> probability;
  std::vector<std::int32_t> step_sample;  // signal rate: sample index at each window step, or -1
  bool rate = false;
  bool signal = false;
  // Presentation p shows split row order[p] from step first_step + p period_steps.
  Step window_start(std::uint64_t p) const {
    return first_step + static_cast<Step>(p) * period_steps;
  }
};

// Validates the data against the stimulus (split not empty, inside the file, column count
// matching the targeted neurons) and computes the plan. `targets` is the number of targeted
// neurons (the population or node_ids); `total_steps` bounds the presentations kept. Throws a
// FileError naming `path` or a ConfigError naming the stimulus key.
EncoderPlan plan_encoder(const StimulusSpec& s, std::uint32_t stimulus, std::uint64_t rows,
                         std::uint64_t cols, const std::vector<double>& values,
                         const std::string& path, std::uint64_t targets, double dt_ms,
                         Step total_steps);

}  // namespace spikeweave::network
