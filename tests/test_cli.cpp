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
