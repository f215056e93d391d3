// Fuzz target: the DIMACS reader and the two exact minimum-cost-flow algorithms (dimacs.hpp,
// min_cost_flow.hpp).
// Properties: only wijkmatch::Error escapes the reader; what it reads writes and reads back the
// same network; network simplex, successive shortest paths and automatic dispatch agree on the
// status and, when optimal, on the objective; every optimal answer is feasible (bounds and flow
// conservation), its reported cost is the cost of its flow, and its potentials certify it
// (complementary slackness). Checks use 128-bit arithmetic so that they cannot overflow.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace {

using wijkmatch::MinCostFlow;
using wijkmatch::fuzz::require;
using i128 = __int128;

constexpr std::int64_t max_nodes = 64, max_arcs = 256;

/// Whether a problem line declares more nodes or arcs than the target's caps, read the way the
/// reader splits lines: keeps the instances small (the reader's handling of huge declarations
/// has its own tests).
bool declares_too_much(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
  auto above = [](std::string_view token, std::int64_t cap) {
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), n);
    return ec == std::errc() && n > cap;
  };
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    std::vector<std::string_view> tokens;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && is_space(line[i])) ++i;
      const std::size_t begin = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      if (i > begin) tokens.push_back(line.substr(begin, i - begin));
    }
    if (tokens.size() == 4 && tokens[0] == "p" && (above(tokens[2], max_nodes) || above(tokens[3], max_arcs)))
      return true;
  }
  return false;
}

const char* name(MinCostFlow::Algorithm a) {
  switch (a) {
    case MinCostFlow::Algorithm::automatic: return "automatic";
    case MinCostFlow::Algorithm::network_simplex: return "network simplex";
    case MinCostFlow::Algorithm::successive_shortest_paths: return "successive shortest paths";
    case MinCostFlow::Algorithm::cost_scaling: return "cost scaling";
  }
  return "?";
}

/// Feasibility, the reported objective and complementary slackness of an optimal answer.
void require_certified(const MinCostFlow& f, MinCostFlow::Algorithm used) {
  std::vector<i128> net(static_cast<std::size_t>(f.node_count()), 0);
  i128 cost = 0;
  for (MinCostFlow::ArcIndex a = 0; a < f.arc_count(); ++a) {
    const i128 x = f.flow(a);
    if (!(f.lower(a) <= x && x <= f.upper(a))) {
      std::fprintf(stderr, "%s: arc %d flow outside its bounds\n", name(used), a);
      require(false, "optimal flow within bounds");
    }
    net[static_cast<std::size_t>(f.tail(a))] += x;
    net[static_cast<std::size_t>(f.head(a))] -= x;
    cost += x * f.cost(a);
    const i128 reduced = i128{f.cost(a)} + f.potential(f.tail(a)) - f.potential(f.head(a));
    require(reduced == f.reduced_cost(a), "reduced_cost() is cost + p(tail) - p(head)");
    if (x < f.upper(a) && reduced < 0) require(false, "complementary slackness: x < u implies reduced cost >= 0");
    if (x > f.lower(a) && reduced > 0) require(false, "complementary slackness: x > l implies reduced cost <= 0");
  }
  for (MinCostFlow::NodeIndex v = 0; v < f.node_count(); ++v)
    require(net[static_cast<std::size_t>(v)] == f.supply(v), "optimal flow conserves every node's supply");
  require(cost == f.optimal_cost(), "optimal_cost() is the cost of the flow");
}

std::string write(const MinCostFlow& network) {
  std::ostringstream out;
  wijkmatch::write_dimacs(out, network, "fuzz\nround trip");
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (declares_too_much(text)) return -1;

  std::optional<MinCostFlow> read;
  wijkmatch::fuzz::only_wijkmatch_errors("read_dimacs", [&] {
    std::istringstream in(text);
    read = wijkmatch::read_dimacs(in);
  });
  if (!read) return 0;

  const std::string written = write(*read);
  std::optional<MinCostFlow> reread;
  const std::string error = wijkmatch::fuzz::only_wijkmatch_errors("read_dimacs of written network", [&] {
    std::istringstream in(written);
    reread = wijkmatch::read_dimacs(in);
  });
  if (!error.empty()) std::fprintf(stderr, "%s\n", error.c_str());
  require(reread.has_value() && write(*reread) == written, "a network read writes and reads back the same");

  std::optional<MinCostFlow::Status> status;
  std::optional<MinCostFlow::CostValue> objective;
  for (auto algorithm : {MinCostFlow::Algorithm::network_simplex, MinCostFlow::Algorithm::successive_shortest_paths,
                         MinCostFlow::Algorithm::automatic, MinCostFlow::Algorithm::cost_scaling}) {
    const auto s = reread->solve(algorithm);
    if (status && s != *status) {
      std::fprintf(stderr, "%s: status %d, network simplex: %d\n", name(algorithm), static_cast<int>(s),
                   static_cast<int>(*status));
      require(false, "every algorithm reports the same status");
    }
    status = s;
    if (s != MinCostFlow::Status::optimal) continue;
    require_certified(*reread, algorithm);
    if (objective && reread->optimal_cost() != *objective) {
      std::fprintf(stderr, "%s: cost %lld, network simplex: %lld\n", name(algorithm),
                   static_cast<long long>(reread->optimal_cost()), static_cast<long long>(*objective));
      require(false, "every algorithm finds the same optimal cost");
    }
    objective = reread->optimal_cost();
  }
  return 0;
}
