// DIMACS reader/writer: every class of malformed input with its exact message, round trips;
// and the `mcf` subcommand run in-process.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace {

using wijkmatch::DimacsError;
using wijkmatch::MinCostFlow;

MinCostFlow parse(const std::string& text) {
  std::istringstream in(text);
  return wijkmatch::read_dimacs(in);
}

// The full "line N: reason" message of the error parsing `text` throws.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const DimacsError& e) {
    const std::string what = e.what();
    REQUIRE(what == "line " + std::to_string(e.line()) + ": " + e.reason());
    return what;
  }
  FAIL("no DimacsError for:\n" << text);
  return {};
}

const std::string kSmall =
    "c a small problem\n"
    "p min 4 5\n"
    "n 1 4\n"
    "n 4 -4\n"
    "a 1 2 0 4 2\n"
    "a 1 3 0 2 2\n"
    "a 2 3 0 2 1\n"
    "a 2 4 0 3 3\n"
    "a 3 4 0 5 1\n";

struct CliResult {
  int code;
  std::string out, err;
};

CliResult run_mcf(std::vector<std::string_view> args) {
  std::ostringstream out, err;
  const int code = wijkmatch::cli::mcf_command(wijkmatch::cli::Args(args.data(), args.size()), out, err);
  return CliResult{code, out.str(), err.str()};
}

// A temporary file removed at scope exit.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content) : path_(std::filesystem::temp_directory_path() / name) {
    std::ofstream(path_) << content;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("read_dimacs reads a well-formed problem", "[dimacs]") {
  MinCostFlow mcf = parse(kSmall);
  REQUIRE(mcf.node_count() == 4);
  REQUIRE(mcf.arc_count() == 5);
  CHECK(mcf.supply(0) == 4);
  CHECK(mcf.supply(1) == 0);
  CHECK(mcf.supply(3) == -4);
  CHECK(mcf.tail(3) == 1);
  CHECK(mcf.head(3) == 3);
  CHECK(mcf.upper(3) == 3);
  CHECK(mcf.cost(3) == 3);
  REQUIRE(mcf.solve() == MinCostFlow::Status::optimal);
  CHECK(mcf.optimal_cost() == 14);
}

TEST_CASE("read_dimacs tolerates comments, blank lines, tabs and CRLF anywhere", "[dimacs]") {
  MinCostFlow mcf = parse("\n  \nc first\r\np\tmin 2 1\r\n\nc between\nn 1 3\r\nn 2 -3\na 1 2 1 5 -7\r\nc end\n");
  REQUIRE(mcf.node_count() == 2);
  REQUIRE(mcf.arc_count() == 1);
  CHECK(mcf.lower(0) == 1);
  CHECK(mcf.cost(0) == -7);
  REQUIRE(mcf.solve() == MinCostFlow::Status::optimal);
  CHECK(mcf.optimal_cost() == -21);
  CHECK(parse("p min 0 0\n").node_count() == 0);
  CHECK(parse("p min 3 0").node_count() == 3);  // no final newline
}

TEST_CASE("read_dimacs rejects malformed input with the line and the reason", "[dimacs]") {
  const std::string p = "p min 3 1\n";
  CHECK(error_of("") == "line 1: empty input (expected a problem line 'p min NODES ARCS')");
  CHECK(error_of("c only a comment\n\n") == "line 3: missing problem line 'p min NODES ARCS'");
  CHECK(error_of("n 1 2\np min 3 0\n") == "line 1: 'n' line before the problem line 'p min NODES ARCS'");
  CHECK(error_of("c x\na 1 2 0 1 1\n") == "line 2: 'a' line before the problem line 'p min NODES ARCS'");
  CHECK(error_of("p min 3 0\nc\np min 3 0\n") == "line 3: duplicate problem line (first on line 1)");
  CHECK(error_of("p min 3\n") == "line 1: problem line needs 4 fields 'p min NODES ARCS', found 3");
  CHECK(error_of("p min 3 1 7\n") == "line 1: problem line needs 4 fields 'p min NODES ARCS', found 5");
  CHECK(error_of("p max 3 1\n") == "line 1: unsupported problem type 'max' (expected 'min')");
  CHECK(error_of("p min three 1\n") == "line 1: 'three' is not an integer (node count)");
  CHECK(error_of("p min -3 1\n") == "line 1: node count -3 out of range 0..1073741823");
  CHECK(error_of("p min 1073741824 0\n") == "line 1: node count 1073741824 out of range 0..1073741823");
  CHECK(error_of("p min 3 1x\n") == "line 1: '1x' is not an integer (arc count)");
  CHECK(error_of("p min 3 -1\n") == "line 1: arc count -1 out of range 0..1073741823");
  CHECK(error_of("p min 3 2147483646\n") == "line 1: arc count 2147483646 out of range 0..1073741823");
  CHECK(error_of(p + "x 1 2\n") == "line 2: unknown line type 'x' (expected c, p, n or a)");
  CHECK(error_of(p + "comment\n") == "line 2: unknown line type 'comment' (expected c, p, n or a)");
  // node lines
  CHECK(error_of(p + "n 1\n") == "line 2: node line needs 3 fields 'n ID SUPPLY', found 2");
  CHECK(error_of(p + "n 1 2 3\n") == "line 2: node line needs 3 fields 'n ID SUPPLY', found 4");
  CHECK(error_of(p + "n 0 2\n") == "line 2: node id 0 out of range 1..3");
  CHECK(error_of(p + "n 4 2\n") == "line 2: node id 4 out of range 1..3");
  CHECK(error_of(p + "n 1 2.5\n") == "line 2: '2.5' is not an integer (supply)");
  CHECK(error_of(p + "n 1 +2\n") == "line 2: '+2' is not an integer (supply)");
  CHECK(error_of(p + "n 2 1\nn 2 1\n") == "line 3: duplicate node line for node 2 (first on line 2)");
  CHECK(error_of(p + "n 1 99999999999999999999\n") == "line 2: integer '99999999999999999999' out of range (supply)");
  CHECK(error_of(p + "n 1 2000000000000000000\n") ==
        "line 2: supply 2000000000000000000 exceeds the supported magnitude 1125899906842624");
  // arc lines
  CHECK(error_of(p + "a 1 2 0 1\n") == "line 2: arc line needs 6 fields 'a TAIL HEAD LOW CAP COST', found 5");
  CHECK(error_of(p + "a 1 2 0 1 1 junk\n") == "line 2: arc line needs 6 fields 'a TAIL HEAD LOW CAP COST', found 7");
  CHECK(error_of(p + "a 0 2 0 1 1\n") == "line 2: tail node id 0 out of range 1..3");
  CHECK(error_of(p + "a 1 9 0 1 1\n") == "line 2: head node id 9 out of range 1..3");
  CHECK(error_of(p + "a 1 2 0 1 cheap\n") == "line 2: 'cheap' is not an integer (cost)");
  CHECK(error_of(p + "a 1 2 x 1 1\n") == "line 2: 'x' is not an integer (lower bound)");
  CHECK(error_of(p + "a 1 2 0 1e3 1\n") == "line 2: '1e3' is not an integer (capacity)");
  CHECK(error_of(p + "a 1 2 -1 1 1\n") == "line 2: negative lower bound -1");
  CHECK(error_of(p + "a 1 2 0 -3 1\n") == "line 2: negative capacity -3");
  CHECK(error_of(p + "a 1 2 5 3 1\n") == "line 2: lower bound 5 exceeds capacity 3");
  CHECK(error_of(p + "a 1 2 0 9223372036854775808 1\n") ==
        "line 2: integer '9223372036854775808' out of range (capacity)");
  CHECK(error_of(p + "a 1 2 0 2251799813685248 1\n") ==
        "line 2: capacity 2251799813685248 exceeds the supported maximum 1125899906842624");
  CHECK(error_of(p + "a 1 2 0 1 -2251799813685248\n") ==
        "line 2: cost -2251799813685248 exceeds the supported magnitude 1125899906842624");
  CHECK(error_of(p + "a 1 2 0 1 1\na 2 3 0 1 1\n") == "line 3: more arcs than the 1 declared on line 1");
  CHECK(error_of("c\np min 3 2\na 1 2 0 1 1\n") == "line 2: problem line declares 2 arcs but 1 were found");
}

TEST_CASE("read_dimacs allocates for declared sizes only what the file backs", "[dimacs]") {
  const std::string backs = " (2 per arc line, 1 per node line and 65536 that no line mentions)";
  // A 19-byte file once allocated memory for two billion nodes; the largest count in range is
  // refused as well.
  CHECK(error_of("p min 2147483646 0") == "line 1: node count 2147483646 out of range 0..1073741823");
  CHECK(error_of("p min 1073741823 0") ==
        "line 1: problem line declares 1073741823 nodes but the file backs at most 65536" + backs);
  CHECK(error_of("c\np min 2000000 0\n") ==
        "line 2: problem line declares 2000000 nodes but the file backs at most 65536" + backs);
  CHECK(error_of("p min 65537 0\n") ==
        "line 1: problem line declares 65537 nodes but the file backs at most 65536" + backs);
  CHECK(error_of("p min 65540 1\nn 1 0\na 1 2 0 1 1\n") ==
        "line 1: problem line declares 65540 nodes but the file backs at most 65539" + backs);
  CHECK(parse("p min 65536 0\n").node_count() == 65536);
  CHECK(parse("p min 65539 1\nn 1 0\na 1 2 0 1 1\n").node_count() == 65539);
  // A node id far beyond the lines read so far is fine while the node count is backed.
  MinCostFlow late = parse("p min 65540 2\nn 65540 -1\nn 1 1\na 1 2 0 1 1\na 2 65540 0 1 1\n");
  CHECK(late.supply(65539) == -1);
  REQUIRE(late.solve() == MinCostFlow::Status::optimal);
  CHECK(late.optimal_cost() == 2);
  // Declared arcs are not reserved either: the count is checked against the lines at the end.
  CHECK(error_of("p min 2 1073741823\na 1 2 0 1 1\n") ==
        "line 1: problem line declares 1073741823 arcs but 1 were found");
}

TEST_CASE("read_dimacs quotes tokens escaped and bounded", "[dimacs]") {
  const std::string p = "p min 3 1\n";
  CHECK(error_of(p + std::string("n 1 2\0x\n", 8)) == "line 2: '2\\x00x' is not an integer (supply)");
  CHECK(error_of(p + "\x1b[2J\n") == "line 2: unknown line type '\\x1b[2J' (expected c, p, n or a)");
  CHECK(error_of("p m\xc3\xadn 3 1\n") == "line 1: unsupported problem type 'm\\xc3\\xadn' (expected 'min')");
  CHECK(error_of("p min 3 1\\x00\n") == "line 1: '1\\\\x00' is not an integer (arc count)");
  CHECK(error_of(p + "n 1 " + std::string(100, '7') + "\n") ==
        "line 2: integer '" + std::string(32, '7') + "'... (100 bytes) out of range (supply)");
  CHECK(error_of(p + "a 1 2 0 1 " + std::string(40, 'z') + "\n") ==
        "line 2: '" + std::string(32, 'z') + "'... (40 bytes) is not an integer (cost)");
}

TEST_CASE("write_dimacs output reads back to the same network", "[dimacs]") {
  MinCostFlow mcf(5);
  mcf.set_supply(0, 7);
  mcf.set_supply(4, -7);
  mcf.add_arc(0, 1, 0, 5, -3);
  mcf.add_arc(1, 4, 2, 9, 4);
  mcf.add_arc(0, 4, 0, MinCostFlow::max_capacity, 100);
  mcf.add_arc(2, 2, 0, 3, -1);
  mcf.add_arc(3, 3, 0, 0, 0);
  std::ostringstream out;
  wijkmatch::write_dimacs(out, mcf, "round trip\nsecond line");
  const std::string text = out.str();
  CHECK(text.rfind("c round trip\nc second line\np min 5 5\nn 1 7\nn 5 -7\na 1 2 0 5 -3\n", 0) == 0);
  MinCostFlow back = parse(text);
  REQUIRE(back.node_count() == mcf.node_count());
  REQUIRE(back.arc_count() == mcf.arc_count());
  for (int v = 0; v < mcf.node_count(); ++v) CHECK(back.supply(v) == mcf.supply(v));
  for (int a = 0; a < mcf.arc_count(); ++a) {
    CHECK(back.tail(a) == mcf.tail(a));
    CHECK(back.head(a) == mcf.head(a));
    CHECK(back.lower(a) == mcf.lower(a));
    CHECK(back.upper(a) == mcf.upper(a));
    CHECK(back.cost(a) == mcf.cost(a));
  }
  REQUIRE(mcf.solve() == MinCostFlow::Status::optimal);
  REQUIRE(back.solve() == MinCostFlow::Status::optimal);
  CHECK(back.optimal_cost() == mcf.optimal_cost());

  std::ostringstream again;
  wijkmatch::write_dimacs(again, back);
  CHECK(again.str() == text.substr(text.find("p min")));
}

TEST_CASE("NETGEN files round-trip through write_dimacs", "[dimacs][netgen]") {
  const auto file = std::filesystem::path(WIJKMATCH_SHARED_DATA_DIR) / "peers" / "netgen_8_10a.min";
  if (!std::filesystem::exists(file)) {
    WARN("shared data file " << file << " absent: skipped");
    return;
  }
  std::ifstream in(file);
  MinCostFlow mcf = wijkmatch::read_dimacs(in);
  CHECK(mcf.node_count() == 1024);
  CHECK(mcf.arc_count() == 8192);
  std::ostringstream out;
  wijkmatch::write_dimacs(out, mcf);
  MinCostFlow back = parse(out.str());
  REQUIRE(back.solve() == MinCostFlow::Status::optimal);
  CHECK(back.optimal_cost() == 369269289);
}

TEST_CASE("mcf command: solution, infeasible, malformed, missing, usage", "[dimacs][cli]") {
  SECTION("solves and prints cost and nonzero flows in arc order") {
    TempFile file("wijkmatch_test_mcf_small.min", kSmall);
    const auto r = run_mcf({file.path()});
    CHECK(r.code == 0);
    CHECK(r.out == "s 14\nf 1 2 2\nf 1 3 2\nf 2 3 2\nf 3 4 4\n");
    CHECK(r.err.empty());
  }
  SECTION("infeasible: exit 3") {
    TempFile file("wijkmatch_test_mcf_infeasible.min", "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 4 1\n");
    const auto r = run_mcf({file.path()});
    CHECK(r.code == 3);
    CHECK(r.out == "s infeasible\n");
  }
  SECTION("unbalanced supplies are infeasible too") {
    TempFile file("wijkmatch_test_mcf_unbalanced.min", "p min 2 1\nn 1 5\nn 2 -4\na 1 2 0 9 1\n");
    const auto r = run_mcf({file.path()});
    CHECK(r.code == 3);
    CHECK(r.out == "s infeasible\n");
    CHECK(r.err.find("supply") != std::string::npos);
  }
  SECTION("malformed: 'line N: reason' on err, exit 2") {
    TempFile file("wijkmatch_test_mcf_bad.min", "p min 2 1\na 1 3 0 4 1\n");
    const auto r = run_mcf({file.path()});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "line 2: head node id 3 out of range 1..2\n");
  }
  SECTION("a control character in a token reaches err escaped") {
    TempFile file("wijkmatch_test_mcf_control.min", std::string("p min 2 0\nn 1 \0\x07\n", 17));
    const auto r = run_mcf({file.path()});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "line 2: '\\x00\\x07' is not an integer (supply)\n");
  }
  SECTION("missing file: message naming it, exit 2") {
    const auto r = run_mcf({"/nonexistent/dir/problem.min"});
    CHECK(r.code == 2);
    CHECK(r.err.find("/nonexistent/dir/problem.min") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("standard input") {
    std::istringstream in(kSmall);
    auto* saved = std::cin.rdbuf(in.rdbuf());
    const auto r = run_mcf({"-"});
    std::cin.rdbuf(saved);
    CHECK(r.code == 0);
    CHECK(r.out.rfind("s 14\n", 0) == 0);
  }
  SECTION("usage") {
    auto r = run_mcf({"--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("usage: wijkmatch mcf FILE") != std::string::npos);
    r = run_mcf({"-h"});
    CHECK(r.code == 0);
    r = run_mcf({});
    CHECK(r.code == 2);
    CHECK(r.err.find("missing FILE") != std::string::npos);
    r = run_mcf({"--fast", "x.min"});
    CHECK(r.code == 2);
    CHECK(r.err.find("unknown option '--fast'") != std::string::npos);
    r = run_mcf({"a.min", "b.min"});
    CHECK(r.code == 2);
  }
}

TEST_CASE("dimacs: a file is read through the bounded reader", "[dimacs][input]") {
  CHECK_THROWS_WITH(wijkmatch::read_dimacs("/dev/zero", 4096), "(document): input exceeds the limit of 4096 bytes");
  CHECK_THROWS_AS(wijkmatch::read_dimacs(std::filesystem::path(WIJKMATCH_SOURCE_DIR)), wijkmatch::InputError);
  const auto path = std::filesystem::temp_directory_path() / "wijkmatch_bounded.min";
  std::ofstream(path) << "p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 5\n";
  auto network = wijkmatch::read_dimacs(path, 64);
  CHECK(network.arc_count() == 1);
  CHECK_THROWS_WITH(wijkmatch::read_dimacs(path, 10), "(document): file of 35 bytes exceeds the limit of 10 bytes");
  std::filesystem::remove(path);
}
