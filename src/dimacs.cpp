// DIMACS min-cost-flow reader and writer.
#include "wijkmatch/dimacs.hpp"

#include "wijkmatch/io.hpp"

#include <charconv>
#include <cstdio>
#include <istream>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace wijkmatch {

namespace {

using i64 = std::int64_t;

// Nodes that no line needs to mention (isolated ones); beyond them, every declared node must be
// one that the lines could mention, so that a short file cannot make us allocate a huge network.
constexpr i64 kUnmentionedNodes = i64{1} << 16;
// Longest part of a token quoted in a message.
constexpr std::size_t kQuotedBytes = 32;

// A token of the input for a message: printable ASCII as is, a backslash doubled, every other
// byte (NUL, control characters, non-ASCII) as \xHH, so that a message never carries raw bytes.
std::string quoted(std::string_view token) {
  std::string out = "'";
  for (const char c : token.substr(0, kQuotedBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\\') {
      out += "\\\\";
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escape[5];
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(byte));
      out += escape;
    }
  }
  out += '\'';
  if (token.size() > kQuotedBytes) out += "... (" + std::to_string(token.size()) + " bytes)";
  return out;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> tokens;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t begin = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > begin) tokens.push_back(line.substr(begin, i - begin));
  }
  return tokens;
}

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}

  MinCostFlow read() {
    std::string text;
    while (std::getline(in_, text)) {
      ++line_;
      const auto tokens = split(text);
      if (tokens.empty() || tokens[0] == "c") continue;
      const std::string_view kind = tokens[0];
      if (kind == "p") {
        problem_line(tokens);
      } else if (kind == "n") {
        require_problem("n");
        node_line(tokens);
      } else if (kind == "a") {
        require_problem("a");
        arc_line(tokens);
      } else {
        fail("unknown line type " + quoted(kind) + " (expected c, p, n or a)");
      }
    }
    if (in_.bad()) fail("read error");
    if (problem_line_ == 0) {
      ++line_;
      if (line_ == 1) fail("empty input (expected a problem line 'p min NODES ARCS')");
      fail("missing problem line 'p min NODES ARCS'");
    }
    if (arcs_found_ != arcs_declared_) {
      throw DimacsError(problem_line_, "problem line declares " + std::to_string(arcs_declared_) + " arcs but " +
                                           std::to_string(arcs_found_) + " were found");
    }
    const i64 backed = 2 * arcs_found_ + static_cast<i64>(supplies_.size()) + kUnmentionedNodes;
    if (nodes_ > backed) {
      throw DimacsError(problem_line_, "problem line declares " + std::to_string(nodes_) +
                                           " nodes but the file backs at most " + std::to_string(backed) +
                                           " (2 per arc line, 1 per node line and " +
                                           std::to_string(kUnmentionedNodes) + " that no line mentions)");
    }
    return build();
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const { throw DimacsError(line_, reason); }

  // The network, once the whole file has been read and has backed the declared sizes.
  MinCostFlow build() {
    MinCostFlow network(static_cast<MinCostFlow::NodeIndex>(nodes_));
    network.reserve(0, static_cast<MinCostFlow::ArcIndex>(arcs_.size()));
    for (const auto& [id, node] : supplies_) network.set_supply(id, node.supply);
    for (const ArcLine& a : arcs_) network.add_arc(a.tail, a.head, a.low, a.cap, a.cost);
    return network;
  }

  void require_problem(const char* kind) const {
    if (problem_line_ == 0) fail(std::string("'") + kind + "' line before the problem line 'p min NODES ARCS'");
  }

  void expect_fields(const std::vector<std::string_view>& tokens, std::size_t count, const char* what,
                     const char* form) const {
    if (tokens.size() != count) {
      fail(std::string(what) + " needs " + std::to_string(count) + " fields '" + form + "', found " +
           std::to_string(tokens.size()));
    }
  }

  i64 integer(std::string_view token, const char* what) const {
    i64 value = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec == std::errc::result_out_of_range) fail("integer " + quoted(token) + " out of range (" + what + ")");
    if (ec != std::errc() || ptr != token.data() + token.size()) {
      fail(quoted(token) + " is not an integer (" + what + ")");
    }
    return value;
  }

  MinCostFlow::NodeIndex node_id(std::string_view token, const char* what) const {
    const i64 id = integer(token, what);
    if (id < 1 || id > nodes_) {
      fail(std::string(what) + " " + std::to_string(id) + " out of range 1.." + std::to_string(nodes_));
    }
    return static_cast<MinCostFlow::NodeIndex>(id - 1);
  }

  void problem_line(const std::vector<std::string_view>& tokens) {
    if (problem_line_ != 0) fail("duplicate problem line (first on line " + std::to_string(problem_line_) + ")");
    expect_fields(tokens, 4, "problem line", "p min NODES ARCS");
    if (tokens[1] != "min") fail("unsupported problem type " + quoted(tokens[1]) + " (expected 'min')");
    const i64 max_nodes = MinCostFlow::max_nodes;
    const i64 max_arcs = MinCostFlow::max_arcs;
    nodes_ = integer(tokens[2], "node count");
    if (nodes_ < 0 || nodes_ > max_nodes)
      fail("node count " + std::to_string(nodes_) + " out of range 0.." + std::to_string(max_nodes));
    arcs_declared_ = integer(tokens[3], "arc count");
    if (arcs_declared_ < 0 || arcs_declared_ > max_arcs)
      fail("arc count " + std::to_string(arcs_declared_) + " out of range 0.." + std::to_string(max_arcs));
    // Nothing is allocated for the declared sizes: storage grows with the lines that back them.
    problem_line_ = line_;
  }

  void node_line(const std::vector<std::string_view>& tokens) {
    expect_fields(tokens, 3, "node line", "n ID SUPPLY");
    const auto id = node_id(tokens[1], "node id");
    const i64 supply = integer(tokens[2], "supply");
    if (const auto first = supplies_.find(id); first != supplies_.end()) {
      fail("duplicate node line for node " + std::to_string(id + 1) + " (first on line " +
           std::to_string(first->second.line) + ")");
    }
    if (supply > MinCostFlow::max_capacity || supply < -MinCostFlow::max_capacity) {
      fail("supply " + std::to_string(supply) + " exceeds the supported magnitude " +
           std::to_string(MinCostFlow::max_capacity));
    }
    supplies_.emplace(id, NodeLine{supply, line_});
  }

  void arc_line(const std::vector<std::string_view>& tokens) {
    expect_fields(tokens, 6, "arc line", "a TAIL HEAD LOW CAP COST");
    if (arcs_found_ == arcs_declared_) {
      fail("more arcs than the " + std::to_string(arcs_declared_) + " declared on line " +
           std::to_string(problem_line_));
    }
    const auto tail = node_id(tokens[1], "tail node id");
    const auto head = node_id(tokens[2], "head node id");
    const i64 low = integer(tokens[3], "lower bound");
    const i64 cap = integer(tokens[4], "capacity");
    const i64 cost = integer(tokens[5], "cost");
    if (low < 0) fail("negative lower bound " + std::to_string(low));
    if (cap < 0) fail("negative capacity " + std::to_string(cap));
    if (low > cap) fail("lower bound " + std::to_string(low) + " exceeds capacity " + std::to_string(cap));
    if (cap > MinCostFlow::max_capacity) {
      fail("capacity " + std::to_string(cap) + " exceeds the supported maximum " +
           std::to_string(MinCostFlow::max_capacity));
    }
    if (cost > MinCostFlow::max_cost || cost < -MinCostFlow::max_cost) {
      fail("cost " + std::to_string(cost) + " exceeds the supported magnitude " +
           std::to_string(MinCostFlow::max_cost));
    }
    arcs_.push_back(ArcLine{tail, head, low, cap, cost});
    ++arcs_found_;
  }

  struct NodeLine {
    i64 supply;
    std::size_t line;
  };
  struct ArcLine {
    MinCostFlow::NodeIndex tail, head;
    i64 low, cap, cost;
  };

  std::istream& in_;
  std::size_t line_ = 0;
  std::size_t problem_line_ = 0;
  i64 nodes_ = 0;
  i64 arcs_declared_ = 0;
  i64 arcs_found_ = 0;
  // The lines as read, by node id and in file order; the network is built from them at the end.
  std::unordered_map<MinCostFlow::NodeIndex, NodeLine> supplies_;
  std::vector<ArcLine> arcs_;
};

}  // namespace

DimacsError::DimacsError(std::size_t line, const std::string& reason)
    : Error("line " + std::to_string(line) + ": " + reason), line_(line), reason_(reason) {}

MinCostFlow read_dimacs(std::istream& in) { return Reader(in).read(); }

MinCostFlow read_dimacs(const std::filesystem::path& path, std::size_t max_bytes) {
  std::istringstream in(read_input(path, max_bytes));
  return read_dimacs(in);
}

void write_dimacs(std::ostream& out, const MinCostFlow& network, std::string_view comment) {
  std::string buffer;
  auto flush_if_big = [&] {
    if (buffer.size() > (1u << 16)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  };
  if (!comment.empty()) {
    std::size_t begin = 0;
    while (begin < comment.size()) {
      std::size_t end = comment.find('\n', begin);
      if (end == std::string_view::npos) end = comment.size();
      std::string_view line = comment.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      buffer += "c ";
      buffer += line;
      buffer += '\n';
      begin = end + 1;
    }
  }
  const auto n = network.node_count();
  const auto m = network.arc_count();
  buffer += "p min " + std::to_string(n) + ' ' + std::to_string(m) + '\n';
  for (MinCostFlow::NodeIndex v = 0; v < n; ++v) {
    const auto b = network.supply(v);
    if (b != 0) {
      buffer += "n " + std::to_string(v + 1) + ' ' + std::to_string(b) + '\n';
      flush_if_big();
    }
  }
  for (MinCostFlow::ArcIndex a = 0; a < m; ++a) {
    buffer += "a ";
    buffer += std::to_string(network.tail(a) + 1);
    buffer += ' ';
    buffer += std::to_string(network.head(a) + 1);
    buffer += ' ';
    buffer += std::to_string(network.lower(a));
    buffer += ' ';
    buffer += std::to_string(network.upper(a));
    buffer += ' ';
    buffer += std::to_string(network.cost(a));
    buffer += '\n';
    flush_if_big();
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace wijkmatch
