// The command-line program as a user meets it: exit codes, streams, help, formats.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

namespace {

using Run = wijkmatch::testing::CliRun;
constexpr auto run = wijkmatch::testing::run_cli;

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
  CHECK(r.out.starts_with("valid: 93 households, 229 residents"));
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
  for (const char* command : {"validate", "summary", "rank", "plan", "allocate", "generate", "mcf", "apply", "audit"}) {
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
  CHECK(j["residents"] == 229);
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
      {{"apply"}, "missing MODEL"},
      {{"apply", example}, "missing EVENTS"},
      {{"apply", example, "a.jsonl", "b.jsonl"}, "more than one EVENTS"},
      {{"apply", example, "a.jsonl", "--sync", "fast"}, "--sync must be full or normal"},
      {{"apply", example, "a.jsonl", "--sync", "normal"}, "--sync needs --journal"},
      {{"apply", example, "a.jsonl", "--snapshot-every", "5"}, "--snapshot-every needs --journal"},
      {{"apply", example, "a.jsonl", "--batch", "0"}, "--batch needs a number from 1 to 1000000"},
      {{"apply", example, "a.jsonl", "--journal"}, "--journal needs a FILE"},
      {{"audit", example, "--need", "N001"}, "missing --journal FILE"},
      {{"audit", example, "--journal", "j.db"}, "missing --need KEY"},
      {{"audit", "--journal", "j.db", "--need", "N001"}, "missing MODEL"},
      {{"rank", example, "--journal"}, "--journal needs a FILE"},
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
  for (const char* command : {"validate", "summary", "rank", "plan", "allocate", "generate", "mcf", "apply", "audit"}) {
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
  CHECK_THAT(generate, Catch::Contains("--quiet turns it off.\n\n"
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
  // The default (4 GiB) is the same code path with a larger number; a small limit keeps the
  // test from holding gigabytes.
  {
    ZeroInput zeros;
    const auto r = run({"validate", "-", "--max-input-bytes", "1M"});
    CHECK(r.code == 2);
    CHECK(
        r.err.starts_with("(document): cannot read standard input: it is larger than the input limit of 1048576 "
                          "bytes (1.0 MiB); raise the limit with --max-input-bytes 2M"));
  }
  const auto r = run({"mcf", "/dev/zero", "--max-input-bytes", "1M"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "wijkmatch mcf: cannot read /dev/zero: it is larger than the input limit of 1048576 bytes (1.0 MiB); raise "
        "the limit with --max-input-bytes 2M\n");
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

// ------------------------------------------------------------------ the live engine: apply, audit, rank --journal

namespace {

const std::string front_desk_day = WIJKMATCH_SOURCE_DIR "/examples/data/front_desk_day.jsonl";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// A journal path of its own for a test, with no journal (nor WAL files) left from a run before.
std::string fresh_journal(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / ("wijkmatch_cli_" + name + ".journal");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

nlohmann::json summary_of(const Run& r) {
  INFO(r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("apply: the bundled front-desk day applies cleanly, in memory and journaled", "[cli][engine]") {
  const auto events = static_cast<int>(lines_of(read_file(front_desk_day)).size());
  REQUIRE(events >= 20);
  auto r = run({"apply", example, front_desk_day});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const auto memory = summary_of(r);
  CHECK(memory["events"] == events);
  CHECK(memory["applied"] == events);
  CHECK(memory["duplicates"] == 0);
  CHECK(memory["sequence"] == events);
  CHECK(memory["durable"] == false);
  CHECK(memory["refused_line"].is_null());
  const std::string checksum = memory["checksum"];
  CHECK(checksum.size() == 16);
  CHECK(checksum.find_first_not_of("0123456789abcdef") == std::string::npos);

  // Journaled, the same events reach the same state; reopening the journal and applying the file
  // again finds every id applied (a retry after a crash is harmless) and the same checksum.
  const auto journal = fresh_journal("front_desk");
  r = run({"apply", example, front_desk_day, "--journal", journal, "--batch", "7", "--snapshot-every", "10"});
  REQUIRE(r.code == 0);
  const auto durable = summary_of(r);
  CHECK(durable["durable"] == true);
  CHECK(durable["applied"] == events);
  CHECK(durable["checksum"] == checksum);
  r = run({"apply", example, front_desk_day, "--journal", journal, "--sync", "normal"});
  REQUIRE(r.code == 0);
  const auto again = summary_of(r);
  CHECK(again["applied"] == 0);
  CHECK(again["duplicates"] == events);
  CHECK(again["sequence"] == events);
  CHECK(again["checksum"] == checksum);
}

TEST_CASE("apply: the first refused line stops the run with its number, exit 2", "[cli][engine]") {
  const auto day = lines_of(read_file(front_desk_day));
  // Lines 1-3 new, 4 blank, 5-6 repeat lines 1-2 (duplicates), 7 refused (the referral of
  // line 3 is accepted: it cannot be declined), 8-9 would be fine.
  const std::string bad =
      R"({"id": "late-1", "type": "referral.decline", "at": "2026-11-30", "referral": "REF-N047-1", "reason": "schedule"})";
  const std::string text = day[0] + "\n" + day[1] + "\n" + day[2] + "\n  \r\n" + day[0] + "\n" + day[1] + "\n" + bad +
                           "\n" + day[3] + "\n" + day[4] + "\n";
  const auto events = temp_file("wijkmatch_cli_refused.jsonl", text);
  const std::string message =
      "line 7: event late-1: /referral: referral \"REF-N047-1\" is accepted; referral.decline applies only to a "
      "referral that is proposed, offered\n";
  for (const char* batch : {"1", "2", "1000"}) {
    INFO("batch " << batch);
    const auto r = run({"apply", example, events, "--batch", batch});
    CHECK(r.code == 2);
    CHECK(r.err == message);
    const auto s = summary_of(r);
    CHECK(s["events"] == 5);
    CHECK(s["applied"] == 3);
    CHECK(s["duplicates"] == 2);
    CHECK(s["sequence"] == 3);
    CHECK(s["refused_line"] == 7);
  }
  // Journaled: lines before the refused one stay applied, nothing from it on is.
  const auto journal = fresh_journal("refused");
  auto r = run({"apply", example, events, "--journal", journal, "--batch", "4"});
  CHECK(r.code == 2);
  CHECK(r.err == message);
  const auto three = temp_file("wijkmatch_cli_three.jsonl", day[0] + "\n" + day[1] + "\n" + day[2] + "\n");
  const auto reference = summary_of(run({"apply", example, three}));
  r = run({"apply", example, temp_file("wijkmatch_cli_empty.jsonl", "\n"), "--journal", journal});
  REQUIRE(r.code == 0);
  CHECK(summary_of(r)["sequence"] == 3);
  CHECK(summary_of(r)["checksum"] == reference["checksum"]);
  const auto audit = nlohmann::json::parse(run({"audit", example, "--journal", journal, "--need", "N026"}).out);
  CHECK(audit["referrals"].empty());  // line 8 proposed one; it was not applied

  // Malformed lines name the line and the event as far as it could be read.
  r = run({"apply", example, temp_file("wijkmatch_cli_malformed.jsonl", day[0] + "\n{\"id\": \"x\", \"type\"\n")});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("line 2: event (no id): (document): not valid JSON"));
  r = run({"apply", example,
           temp_file("wijkmatch_cli_unknown_field.jsonl",
                     R"({"id": "u-1", "type": "need.close", "at": "2026-11-30", "need": "N001", "note": "x"})")});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("line 1: event u-1: /note: unknown field for need.close"));
  r = run({"apply", example, "/nonexistent/events.jsonl"});
  CHECK(r.code == 2);
  CHECK(r.err == "/nonexistent/events.jsonl: cannot read /nonexistent/events.jsonl: no such file\n");
}

TEST_CASE("audit: the history of a need with outcomes, reasons and the account of the ladder", "[cli][engine]") {
  const auto journal = fresh_journal("audit");
  REQUIRE(run({"apply", example, front_desk_day, "--journal", journal}).code == 0);
  auto r = run({"audit", example, "--journal", journal, "--need", "N028"});
  REQUIRE(r.code == 0);
  auto a = nlohmann::json::parse(r.out);
  CHECK(a["need"] == "N028");
  CHECK(a["household"] == "H013");
  REQUIRE(a["referrals"].size() == 2);
  const auto& individual = a["referrals"][0];
  CHECK(individual["option"] == "begeleiding-individueel");
  CHECK(individual["state"] == "ended");
  CHECK(individual["fhir_status"] == "completed");
  CHECK(individual["ending_reason"] == "32");
  // Why not collective: the work club was full when the individual support was proposed.
  bool full = false;
  for (const auto& level : individual["accountability"]["lower_levels"])
    full = full || (level["level"] == "collective" && level["outcome"] == "full" && level["candidate"] == "werkclub");
  CHECK(full);
  CHECK(a["referrals"][1]["option"] == "werkclub");
  CHECK(a["referrals"][1]["state"] == "started");
  std::vector<std::string> types;
  for (const auto& e : a["events"]) types.push_back(e["type"]);
  CHECK(std::find(types.begin(), types.end(), "consent.grant") != types.end());
  CHECK(std::find(types.begin(), types.end(), "plan.coordinator") != types.end());

  r = run({"audit", example, "--journal", journal, "--need", "N026"});
  REQUIRE(r.code == 0);
  a = nlohmann::json::parse(r.out);
  // Own network first: the neighbour who offered help, declined, then the eating club, declined
  // for its schedule, then the sports buddies.
  REQUIRE(a["referrals"].size() == 3);
  CHECK(a["referrals"][0]["option"] == "neighbour:R0095");
  CHECK(a["referrals"][0]["decline_reason"] == "not_interested");
  CHECK(a["referrals"][1]["option"] == "eetclub-zambesi");
  CHECK(a["referrals"][1]["state"] == "declined");
  CHECK(a["referrals"][1]["decline_reason"] == "schedule");
  CHECK(a["referrals"][1]["fhir_status"] == "rejected");

  // rank --journal ranks on the live state: what was declined is rejected as declined.
  r = run({"rank", example, "--journal", journal, "--need", "N026", "--json", "--all"});
  REQUIRE(r.code == 0);
  std::set<std::string> declined;
  const auto live = nlohmann::json::parse(r.out);
  for (const auto& x : live["rankings"][0]["rejected"])
    if (x["failed"] == "declined") declined.insert(x["offer"].get<std::string>());
  CHECK(declined == std::set<std::string>{"eetclub-zambesi", "neighbour:R0095"});
  // Without --all the rejections are counted, not listed; the counts are those of the list.
  r = run({"rank", example, "--journal", journal, "--need", "N026", "--json"});
  REQUIRE(r.code == 0);
  const auto counted = nlohmann::json::parse(r.out)["rankings"][0];
  CHECK(counted["rejected"].empty());
  CHECK(counted["rejected_count"]["declined"] == 2);
  std::map<std::string, int> listed;
  for (const auto& x : live["rankings"][0]["rejected"]) ++listed[x["failed"].get<std::string>()];
  for (const auto& [reason, n] : counted["rejected_count"].items())
    CHECK(n.get<int>() == (listed.count(reason) ? listed[reason] : 0));
  CHECK(counted["option_count"] == live["rankings"][0]["options"].size());
  CHECK(counted["options"].size() == std::min<std::size_t>(5, live["rankings"][0]["options"].size()));
  const auto plain = nlohmann::json::parse(run({"rank", example, "--need", "N026", "--json"}).out);
  CHECK(plain["rankings"][0]["options"][0]["offer"] == "neighbour:R0095");
  CHECK(plain["rankings"][0]["options"][1]["offer"] == "eetclub-zambesi");
  // A need opened by an event is known on the live state only.
  CHECK(run({"rank", example, "--journal", journal, "--need", "N047"}).code == 0);
  CHECK(run({"rank", example, "--need", "N047"}).code == 2);
  CHECK(run({"rank", example, "--journal", journal}).code == 0);

  r = run({"audit", example, "--journal", journal, "--need", "N999"});
  CHECK(r.code == 2);
  CHECK(r.err == "--need: unknown need \"N999\"\n");
  // audit and rank read a journal, never create one.
  const auto missing = fresh_journal("missing");
  r = run({"audit", example, "--journal", missing, "--need", "N028"});
  CHECK(r.code == 2);
  CHECK(r.err == "--journal: no such file " + missing + "\n");
  CHECK_FALSE(std::filesystem::exists(missing));
  CHECK(run({"rank", example, "--journal", missing}).code == 2);
  // Another model (or policy) cannot replay the journal.
  const auto other = (std::filesystem::temp_directory_path() / "wijkmatch_cli_other_model.json").string();
  REQUIRE(run({"generate", "--residents", "300", "--seed", "3", other}).code == 0);
  r = run({"audit", other, "--journal", journal, "--need", "N028"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("--journal: journal " + journal + " was written for another model"));
  const std::string policy = WIJKMATCH_SOURCE_DIR "/schema/policy-default.json";
  std::ifstream in(policy);
  auto doc = nlohmann::json::parse(in);
  doc["acceptable_score"] = 0.5;
  r = run({"audit", example, "--journal", journal, "--need", "N028", "--policy",
           temp_file("wijkmatch_cli_other_policy.json", doc.dump())});
  CHECK(r.code == 2);
  CHECK(r.err.find("the digest covers the model and the policy") != std::string::npos);
}

TEST_CASE("apply: a new household is added before the residents who live in it", "[cli][engine]") {
  // Format v1 refuses a household without residents; household.add must not (it once did).
  const std::string events =
      R"({"id": "h-1", "type": "household.add", "at": "2026-12-01", "household": {"key": "H900", "neighbourhood": "BU03440341"}})"
      "\n"
      R"({"id": "h-2", "type": "resident.add", "at": "2026-12-01", "resident": {"key": "R0900", "household": "H900", )"
      R"("neighbourhood": "BU03440341", "location": {"x": 136300.0, "y": 459400.0}, "age_band": "25-44", )"
      R"("languages": ["nl"], "availability": {"mon": ["afternoon"]}, "max_travel_m": 2500}})"
      "\n";
  const auto r = run({"apply", example, temp_file("wijkmatch_cli_household.jsonl", events)});
  CHECK(r.err.empty());
  CHECK(r.code == 0);
  const auto bad = run(
      {"apply", example,
       temp_file("wijkmatch_cli_household_bad.jsonl", R"({"id": "h-1", "type": "household.add", "at": "2026-12-01", )"
                                                      R"("household": {"key": "H900", "neighbourhood": "BU123"}})")});
  CHECK(bad.code == 2);
  CHECK(bad.err.starts_with("line 1: event h-1: /household/neighbourhood: "));
}
