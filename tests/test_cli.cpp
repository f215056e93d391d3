// The command-line program as a user meets it: exit codes, streams, help, formats.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out, err;
  const int code = wijkmatch::cli::run(views, out, err);
  return {code, out.str(), err.str()};
}

const std::string example = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";

std::string temp_file(const std::string& name, const std::string& contents) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << contents;
  return path.string();
}

}  // namespace

TEST_CASE("validate: exit 0 on valid input, 2 with pointer: reason lines on invalid", "[cli]") {
  auto r = run({"validate", example});
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("valid: 90 households, 220 residents"));
  CHECK(r.err.empty());

  std::ifstream in(example);
  auto doc = nlohmann::json::parse(in);
  doc["needs"][0]["severity"] = 9;
  doc["residents"][1]["age_band"] = "old";
  const auto bad = temp_file("wijkmatch_cli_invalid.json", doc.dump());
  r = run({"validate", bad});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("/needs/0/severity: must be an integer in [1, 5]\n") != std::string::npos);
  CHECK(r.err.find("/residents/1/age_band: must be one of") != std::string::npos);
  r = run({"validate", bad, "--max-errors", "1"});
  CHECK(r.code == 2);
  CHECK(r.err.find("(stopped after 1 problems)") != std::string::npos);

  r = run({"validate", "/nonexistent/file.json"});
  CHECK(r.code == 2);
  CHECK(r.err == "(document): cannot read /nonexistent/file.json: no such file\n");
  r = run({"validate", temp_file("wijkmatch_cli_truncated.json", "{\"format_version\": 1, \"house")});
  CHECK(r.code == 2);
  CHECK(r.err.find("truncated") != std::string::npos);
}

TEST_CASE("every command has --help and rejects unknown options with exit 2", "[cli]") {
  for (const char* command : {"validate", "summary", "rank", "plan", "allocate", "generate", "mcf"}) {
    INFO(command);
    auto r = run({command, "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("usage: wijkmatch") != std::string::npos);
    r = run({command, example, "--no-such-option"});
    CHECK(r.code == 2);
  }
  CHECK(run({"--help"}).code == 0);
  CHECK(run({}).code == 2);
  CHECK(run({"frobnicate"}).code == 2);
  CHECK(run({"--version"}).out.starts_with("wijkmatch "));
}

TEST_CASE("summary: text and JSON", "[cli]") {
  auto r = run({"summary", example, "--json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["residents"] == 220);
  CHECK(j["offers_by_level"]["collective"]["offers"] == 15);
  CHECK(j["informal"]["overloaded_helpers"].get<int>() >= 1);
  r = run({"summary", example});
  CHECK(r.out.find("Offers by ladder level") != std::string::npos);
}

TEST_CASE("rank and plan: JSON shape and errors", "[cli]") {
  auto r = run({"rank", example, "--json", "--need", "N004"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["rankings"].size() == 1);
  const auto& ranking = j["rankings"][0];
  CHECK(ranking["need"] == "N004");
  CHECK(ranking["exception"]["rule"] == "rent_arrears");
  for (const auto& o : ranking["options"])
    for (const char* field : {"offer", "level", "score", "contributions", "reasons", "alongside"})
      CHECK(o.contains(field));
  for (const auto& x : ranking["rejected"])
    for (const char* field : {"offer", "level", "failed", "reason"}) CHECK(x.contains(field));
  CHECK(run({"rank", example, "--need", "N999"}).code == 2);
  CHECK(run({"rank", example, "--threads", "many"}).code == 2);

  const auto policy = temp_file("wijkmatch_cli_policy.json", R"({"format": "wijkmatch-policy"})");
  r = run({"rank", example, "--policy", policy});
  CHECK(r.code == 2);
  CHECK(r.err.find(policy + ": /format_version: missing required field") != std::string::npos);

  r = run({"plan", example, "--household", "H002", "--json"});
  REQUIRE(r.code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["household"] == "H002");
  CHECK(j["coordinator"].is_string());
  CHECK(j["combined"].size() >= 1);
  CHECK(run({"plan", example}).code == 2);
  CHECK(run({"plan", example, "--household", "H999"}).code == 2);
}

TEST_CASE("allocate: the exported network solves to the reported ladder steps", "[cli][allocation]") {
  const auto dimacs = (std::filesystem::temp_directory_path() / "wijkmatch_cli_alloc.min").string();
  auto r = run({"allocate", example, "--json", "--export-dimacs", dimacs});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  const auto steps = j["objective"]["ladder_steps"].get<long long>();
  auto solved = run({"mcf", dimacs});
  REQUIRE(solved.code == 0);
  CHECK(solved.out.starts_with("s " + std::to_string(steps) + "\n"));
  for (const char* mode : {"stable", "online"}) {
    r = run({"allocate", example, "--mode", mode, "--json"});
    CHECK(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["mode"] == mode);
  }
  CHECK(run({"allocate", example, "--mode", "random"}).code == 2);
  CHECK(run({"allocate", example, "--export-dimacs", "/nonexistent/dir/x.min"}).code == 2);
}

TEST_CASE("allocate: every group-minimum method, and an export in another mode", "[cli][allocation]") {
  for (const char* how : {"heuristic", "exact", "ignore"}) {
    INFO(how);
    const auto r = run({"allocate", example, "--json", "--group-minimum", how});
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["mode"] == "optimal");
  }
  // The stable mode exports the network the optimal mode would solve with the same options.
  const auto dimacs = (std::filesystem::temp_directory_path() / "wijkmatch_cli_alloc_stable.min").string();
  REQUIRE(run({"allocate", example, "--mode", "stable", "--export-dimacs", dimacs}).code == 0);
  const auto optimal = run({"allocate", example, "--json"});
  const auto solved = run({"mcf", dimacs});
  REQUIRE(solved.code == 0);
  CHECK(solved.out.starts_with(
      "s " + std::to_string(nlohmann::json::parse(optimal.out)["objective"]["ladder_steps"].get<long long>()) + "\n"));
  std::filesystem::remove(dimacs);
}

TEST_CASE("usage errors: exit 2, the command, a message naming the option, then the help", "[cli][usage]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"validate"}, "missing FILE"},
      {{"validate", "a.json", "b.json"}, "more than one FILE"},
      {{"validate", example, "--bogus"}, "unknown option '--bogus'"},
      {{"validate", example, "-x"}, "unknown option '-x'"},
      {{"validate", example, "--max-errors"}, "--max-errors needs a number from 1 to 999999999"},
      {{"validate", example, "--max-errors", "0"}, "--max-errors needs a number from 1 to 999999999"},
      {{"validate", example, "--max-errors", "12x"}, "--max-errors needs a number from 1 to 999999999"},
      {{"validate", example, "--", "--bogus"}, "more than one FILE"},
      {{"summary"}, "missing FILE"},
      {{"summary", example, "--bogus"}, "unknown option '--bogus'"},
      {{"summary", "a.json", "b.json"}, "more than one FILE"},
      {{"rank"}, "missing FILE"},
      {{"rank", example, "--policy"}, "--policy needs a FILE"},
      {{"rank", example, "--policy", "--json"}, "--policy needs a FILE"},
      {{"rank", example, "--need"}, "--need needs a KEY"},
      {{"rank", example, "--threads", "many"}, "--threads needs a number from 0 to 1024"},
      {{"rank", example, "--threads", "-1"}, "--threads needs a number from 0 to 1024"},
      {{"rank", example, "--threads", "4x"}, "--threads needs a number from 0 to 1024"},
      {{"rank", example, "--threads=1025"}, "--threads needs a number from 0 to 1024"},
      {{"rank", example, "--threads", "many", "--threads", "2"}, "--threads needs a number from 0 to 1024"},
      {{"rank", example, "--household", "H002"}, "unknown option '--household'"},
      {{"plan", example}, "missing --household KEY"},
      {{"plan", example, "--household"}, "--household needs a KEY"},
      {{"plan", example, "--household", "--json"}, "--household needs a KEY"},
      {{"plan", example, "--household", "H002", "--need", "N004"}, "unknown option '--need'"},
      {{"plan", "--household", "H002"}, "missing FILE"},
      {{"allocate"}, "missing FILE"},
      {{"allocate", example, "--mode"}, "--mode must be optimal, stable or online"},
      {{"allocate", example, "--mode", "random"}, "--mode must be optimal, stable or online"},
      {{"allocate", example, "--group-minimum", "sometimes"}, "--group-minimum must be heuristic, exact or ignore"},
      {{"allocate", example, "--export-dimacs"}, "--export-dimacs needs a file name"},
      {{"allocate", example, "--threads", "2000"}, "--threads needs a number from 0 to 1024"},
      {{"allocate", example, "--policy"}, "--policy needs a FILE"},
      {{"generate"}, "missing --residents N"},
      {{"generate", "--residents", "10", "x.json"}, "missing --seed S"},
      {{"generate", "--residents", "10", "--seed", "1"}, "missing OUT"},
      {{"generate", "--residents", "12x", "--seed", "1", "x.json"}, "--residents needs a number from 1 to 100000000"},
      {{"generate", "--residents", "10", "--seed", "-1", "x.json"},
       "--seed needs a number from 0 to 18446744073709551615"},
      {{"generate", "--residents", "10", "--seed", "18446744073709551616", "x.json"},
       "--seed needs a number from 0 to 18446744073709551615"},
      {{"generate", "--residents", "10", "--seed", "1", "--municipalities", "0", "x.json"},
       "--municipalities needs a number from 1 to 9999"},
      {{"generate", "--residents", "10", "--seed", "1", "--municipalities", "11", "x.json"},
       "--residents must be at least --municipalities"},
      {{"generate", "--residents", "10", "--seed", "1", "--format", "xml", "d"}, "--format needs json, binary or both"},
      {{"generate", "--residents", "10", "--seed", "1", "--format", "json", "x.wjm"},
       "--format does not match the extension of OUT (.wjm)"},
      {{"generate", "--residents", "10", "--seed", "1", "--needs-per-100", "1e3", "d"},
       "--needs-per-100 needs a number from 0 to 100"},
      {{"generate", "--residents", "10", "--seed", "1", "--offers-per-1000", "-1", "d"},
       "--offers-per-1000 needs a number from 0 to 100"},
      {{"generate", "--residents", "10", "--seed", "1", "--professionals-per-10000", "1001", "d"},
       "--professionals-per-10000 needs a number from 0 to 1000"},
      {{"generate", "--residents", "10", "--seed", "1", "a.json", "b.json"}, "more than one OUT"},
      {{"mcf"}, "missing FILE"},
      {{"mcf", "--fast", "x.min"}, "unknown option '--fast'"},
      {{"mcf", "a.min", "b.min"}, "more than one FILE"},
  };
  for (const auto& c : cases) {
    std::string shown;
    for (const auto& a : c.args) shown += a + " ";
    INFO(shown);
    const auto r = run(c.args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    const std::string command = c.args.front();
    CHECK(r.err.starts_with("wijkmatch " + command + ": " + c.message + "\n\nusage: wijkmatch " + command));
    CHECK(r.err.ends_with(run({command, "--help"}).out));
  }
}

TEST_CASE("help: on stdout with exit 0 wherever --help or -h stands, for every command", "[cli][usage]") {
  for (const char* command : {"validate", "summary", "rank", "plan", "allocate", "generate", "mcf"}) {
    INFO(command);
    const auto help = run({command, "--help"});
    REQUIRE(help.code == 0);
    CHECK(help.err.empty());
    CHECK(help.out.starts_with(std::string("usage: wijkmatch ") + command));
    for (const auto& args : std::vector<std::vector<std::string>>{{command, "-h"},
                                                                  {command, example, "--bogus", "--help"},
                                                                  {command, "--policy", "-h"},
                                                                  {command, "a", "b", "--", "--help"}}) {
      const auto r = run(args);
      CHECK(r.code == 0);
      CHECK(r.out == help.out);
      CHECK(r.err.empty());
    }
  }
  // generate lists its options from their declarations, in two columns, then its exit codes.
  const auto generate = run({"generate", "--help"}).out;
  CHECK_THAT(generate, Catch::Contains("peak memory.\n\n"
                                       "  --residents N               total residents, 1 to 100000000 (required)\n"
                                       "  --seed S                    seed, 0 to 18446744073709551615 (required)\n"));
  CHECK_THAT(generate,
             Catch::EndsWith(
                 "  --professionals-per-10000 X professionals per 10000 residents, 0 to 1000 (default 6)\n"
                 "\n"
                 "Exit codes: 0 success, 2 invalid usage or an output that cannot be written, 1 internal error.\n"));
}

TEST_CASE("arguments: --name=value, '--' before FILE, repeated options", "[cli][usage]") {
  auto r = run({"validate", "--", example});
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("valid: "));
  r = run({"rank", example, "--json", "--need=N004"});
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["rankings"][0]["need"] == "N004");
  // --need keeps every value in order; any other repeated option takes its last value.
  r = run({"rank", example, "--json", "--need", "N004", "--need", "N001", "--threads", "1", "--threads", "2"});
  REQUIRE(r.code == 0);
  const auto rankings = nlohmann::json::parse(r.out)["rankings"];
  REQUIRE(rankings.size() == 2);
  CHECK(rankings[0]["need"] == "N004");
  CHECK(rankings[1]["need"] == "N001");
  const std::string policy = WIJKMATCH_SOURCE_DIR "/schema/policy-default.json";
  CHECK(run({"plan", example, "--household", "H002", "--policy", "/nonexistent.json", "--policy", policy}).code == 0);
}

TEST_CASE("mcf: unbalanced supplies, numbers out of range and long solutions", "[cli][dimacs]") {
  auto r = run({"mcf", temp_file("wijkmatch_cli_mcf_unbalanced.min", "p min 2 1\nn 1 3\nn 2 -2\na 1 2 0 5 1\n")});
  CHECK(r.code == 3);
  CHECK(r.out == "s infeasible\n");
  CHECK(r.err == "wijkmatch mcf: total supply does not equal total demand\n");
  // (|V| + 2) * max|c| beyond the potentials' range: 1000 * 2^50 > 2^59.
  r = run({"mcf", temp_file("wijkmatch_cli_mcf_range.min", "p min 1000 1\na 1 2 0 1 1125899906842624\n")});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "wijkmatch mcf: numbers outside the supported range (costs too large for the network size, or the optimal "
        "cost overflows 64 bits)\n");
  // 10,000 arcs with flow: the solution is written in pieces and comes out whole, in order.
  std::string many = "p min 2 10000\nn 1 10000\nn 2 -10000\n";
  for (int a = 0; a < 10000; ++a) many += "a 1 2 0 1 " + std::to_string(a % 7) + "\n";
  r = run({"mcf", temp_file("wijkmatch_cli_mcf_many.min", many)});
  REQUIRE(r.code == 0);
  CHECK(r.out.size() > (1u << 16));
  long long cost = 0;
  for (int a = 0; a < 10000; ++a) cost += a % 7;
  std::string expected = "s " + std::to_string(cost) + "\n";
  for (int a = 0; a < 10000; ++a) expected += "f 1 2 1\n";
  CHECK(r.out == expected);
}

TEST_CASE("mcf: a declared size the file does not back is refused before allocating", "[cli][dimacs]") {
  // 19 bytes that once made the command allocate memory for two billion nodes (exit 1).
  auto r = run({"mcf", temp_file("wijkmatch_cli_mcf_declared.min", "p min 2147483646 0")});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "line 1: node count 2147483646 out of range 0..1073741823\n");
  // The largest count in range (MinCostFlow::max_nodes), equally unbacked.
  r = run({"mcf", temp_file("wijkmatch_cli_mcf_declared.min", "p min 1073741823 0")});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "line 1: problem line declares 1073741823 nodes but the file backs at most 65536 (2 per arc line, 1 per node "
        "line and 65536 that no line mentions)\n");
}

namespace {

// Standard input as an endless stream of zero bytes, like `< /dev/zero`, for one scope.
class ZeroInput : public std::streambuf {
 public:
  ZeroInput() : saved_(std::cin.rdbuf(this)) {}
  ~ZeroInput() override { std::cin.rdbuf(saved_); }

 protected:
  int_type underflow() override {
    std::fill(std::begin(buf_), std::end(buf_), '\0');
    setg(buf_, buf_, buf_ + sizeof buf_);
    return traits_type::to_int_type('\0');
  }

 private:
  std::streambuf* saved_;
  char buf_[1 << 16];
};

}  // namespace

TEST_CASE("standard input and DIMACS files are held to the documented limit (defect 4)", "[cli][input]") {
  {
    ZeroInput zeros;
    const auto r = run({"validate", "-"});
    CHECK(r.code == 2);
    CHECK(r.err == "(document): input exceeds the limit of 1073741824 bytes\n");
  }
  const auto r = run({"mcf", "/dev/zero"});
  CHECK(r.code == 2);
  CHECK(r.err == "wijkmatch mcf: input exceeds the limit of 1073741824 bytes\n");
}

TEST_CASE("mcf names the real cause when its input cannot be read (defect 5)", "[cli][input]") {
  auto r = run({"mcf", WIJKMATCH_SOURCE_DIR});
  CHECK(r.code == 2);
  CHECK(r.err == "wijkmatch mcf: cannot read " WIJKMATCH_SOURCE_DIR ": is a directory\n");
  r = run({"mcf", "/nonexistent/network.min"});
  CHECK(r.code == 2);
  CHECK(r.err == "wijkmatch mcf: cannot read /nonexistent/network.min: no such file\n");
}

TEST_CASE("every command that reads a model reads the binary .wjm that generate writes", "[cli][binary]") {
  const auto path = (std::filesystem::temp_directory_path() / "wijkmatch_cli_model.wjm").string();
  REQUIRE(run({"generate", "--residents", "600", "--seed", "5", path}).code == 0);
  const auto valid = run({"validate", path});
  CHECK(valid.code == 0);
  CHECK(valid.out.starts_with("valid: "));
  CHECK(run({"summary", path}).code == 0);
  CHECK(run({"allocate", path, "--json"}).code == 0);
  const auto summary = nlohmann::json::parse(run({"summary", path, "--json"}).out);
  CHECK(summary["residents"] == 600);
  // A damaged file is refused with located problems and exit 2 by every reader, never exit 1.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
  const auto damaged = temp_file("wijkmatch_cli_damaged.wjm", bytes);
  for (const char* command : {"validate", "summary", "allocate"}) {
    const auto r = run({command, damaged});
    CHECK(r.code == 2);
    CHECK_FALSE(r.err.empty());
  }
}
