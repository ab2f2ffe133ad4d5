#include <stdexcept>

#include "comm/context.hpp"

namespace spikeweave::comm {
namespace {

class LocalContext final : public Context {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string kind() const override { return "local"; }

  bool alltoallv(const std::vector<std::uint64_t>& send, const std::vector<int>& send_counts,
                 std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                 bool this_rank_failed) override {
    if (this_rank_failed) return true;
    recv.assign(send.begin(), send.begin() + send_counts.at(0));
    recv_counts.assign(1, send_counts.at(0));
    return false;
  }
  void sum(std::vector<double>&) override {}
  void sum(std::vector<std::uint64_t>&) override {}
  void max(std::vector<double>&) override {}
  void min(std::vector<double>&) override {}
  std::uint64_t exclusive_prefix_sum(std::uint64_t) override { return 0; }
  bool any(bool flag) override { return flag; }
  void broadcast(std::string&, int) override {}
  std::vector<std::uint64_t> all_gather(std::uint64_t value) override { return {value}; }
  void barrier() override {}
  std::unique_ptr<Context> split(int, int) override { return std::make_unique<LocalContext>(); }
  std::unique_ptr<Context> split_node() override { return std::make_unique<LocalContext>(); }
};

}  // namespace

std::unique_ptr<Context> make_local_context() {
  return std::make_unique<LocalContext>();
}

}  // namespace spikeweave::comm
