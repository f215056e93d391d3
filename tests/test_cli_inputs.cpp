// Large runs from the command line (issue 14): every reading command takes JSON and binary
// alike, chosen by the first bytes; the input size limit and its message; progress on stderr.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli_run.hpp"
#include "temp_files.hpp"
#include "wijkmatch/io.hpp"

namespace {

using wijkmatch::testing::read_bytes;
using wijkmatch::testing::TempDir;

using Run = wijkmatch::testing::CliRun;
constexpr auto run = wijkmatch::testing::run_cli;

// Standard input replaced by `text` for the lifetime of the object.
class Stdin {
 public:
  explicit Stdin(std::string text) : buffer_(std::move(text)), saved_(std::cin.rdbuf(&buffer_)) {}
  ~Stdin() { std::cin.rdbuf(saved_); }
  Stdin(const Stdin&) = delete;
  Stdin& operator=(const Stdin&) = delete;

 private:
  std::stringbuf buffer_;
  std::streambuf* saved_;
};

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

const std::string example = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";
const std::string front_desk_day = WIJKMATCH_SOURCE_DIR "/examples/data/front_desk_day.jsonl";
const std::string hsds_dir = WIJKMATCH_SOURCE_DIR "/tests/data/hsds";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The shell command's standard output (with its standard error when the command says 2>&1).
std::string shell(const std::string& command) {
  std::string text;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) text.append(buf, n);
  ::pclose(pipe);
  return text;
}

}  // namespace

TEST_CASE("every reading command takes JSON and binary alike, by the first bytes, never the name", "[cli][binary]") {
  TempDir dir("cli_formats");
  const std::string binary = (dir.path / "model.wjm").string();
  const std::string no_extension = (dir.path / "model").string();
  const std::string json_named_wjm = (dir.path / "json.wjm").string();
  wijkmatch::save_model_binary(wijkmatch::load_model(example), binary);
  std::filesystem::copy_file(binary, no_extension);
  std::filesystem::copy_file(example, json_named_wjm);
  const std::string journal = (dir.path / "journal.db").string();
  REQUIRE(run({"apply", example, front_desk_day, "--journal", journal}).code == 0);

  // Each command on the example as JSON, then on the other three files: the same exit code and
  // output (the outputs that name files are written to one path per file instead).
  const std::vector<std::vector<std::string>> commands{
      {"validate", "M"},
      {"summary", "M", "--json"},
      {"rank", "M", "--json", "--quiet"},
      {"rank", "M", "--need", "N028", "--journal", journal},
      {"plan", "M", "--household", "H013", "--json"},
      {"allocate", "M", "--json", "--quiet"},
      {"propose-groups", "M", "--no-measure", "--json"},
      {"plan-start-meetings", "M", "--weeks", "2", "--capacity", "12", "--json"},
      {"monitor", "M", "--json", "--as-of", "2026-12-01"},
      {"simulate", "M", "--weeks", "2", "--replications", "2", "--json", "--quiet"},
      {"apply", "M", front_desk_day},
      {"audit", "M", "--journal", journal, "--need", "N028"},
      {"export-hsds", "M", "OUT", "--as-of", "2026-12-01"},
      {"import-hsds", hsds_dir + "/directory.json", "--mapping", hsds_dir + "/mapping.json", "OUT", "--into", "M",
       "--label-points", hsds_dir + "/labelpoints.csv"},
  };
  for (const auto& command : commands) {
    std::string reference_out, reference_file;
    for (const std::string& file : {example, binary, no_extension, json_named_wjm}) {
      const std::string out_file = (dir.path / ("out_" + std::filesystem::path(file).filename().string())).string();
      std::vector<std::string> args = command;
      for (auto& a : args) a = a == "M" ? file : a == "OUT" ? out_file : a;
      INFO(args[0] << " " << file);
      const auto r = run(args);
      INFO(r.err);
      REQUIRE(r.code == 0);
      if (file == example) {
        reference_out = r.out;
        reference_file = read_bytes(out_file);
      } else {
        CHECK(r.out == reference_out);
        CHECK(read_bytes(out_file) == reference_file);
      }
    }
  }

  // Standard input, in both formats, for the commands that read it.
  for (const std::string& file : {example, binary}) {
    INFO(file);
    {
      Stdin in(read_bytes(file));
      const auto r = run({"validate", "-"});
      CHECK(r.code == 0);
      CHECK(r.out.starts_with("valid: 93 households, 229 residents"));
    }
    {
      Stdin in(read_bytes(file));
      const auto r = run({"summary", "-", "--json"});
      CHECK(r.code == 0);
      CHECK(nlohmann::json::parse(r.out)["residents"] == 229);
    }
  }
  // The library decides the same way, and damage after the magic gets the binary reader's message.
  CHECK(wijkmatch::load_any(no_extension) == wijkmatch::load_any(json_named_wjm));
  std::string damaged = read_bytes(binary);
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
  write(dir.path / "damaged", damaged);
  const auto r = run({"summary", (dir.path / "damaged").string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("checksum mismatch") != std::string::npos);
}

TEST_CASE("cli: --max-input-bytes sizes with suffixes, and a message that says how to go on", "[cli][input]") {
  using wijkmatch::cli::parse_byte_count;
  CHECK(parse_byte_count("1") == 1u);
  CHECK(parse_byte_count("2k") == 2048u);
  CHECK(parse_byte_count("3M") == 3u << 20);
  CHECK(parse_byte_count("2G") == std::size_t{2} << 30);
  CHECK(parse_byte_count("1T") == std::size_t{1} << 40);
  for (const char* bad : {"", "0", "G", "-1", "+1", "1.5G", "1GB", " 1", "99999999999999999999", "16777216T"})
    CHECK_FALSE(parse_byte_count(bad));
  // Our own output of a 1M-resident city (about 1.5 GB of JSON) is under the default.
  CHECK(wijkmatch::default_max_input_bytes >= std::size_t{3} << 30);

  TempDir dir("cli_limit");
  const std::string binary = (dir.path / "model.wjm").string();
  wijkmatch::save_model_binary(wijkmatch::load_model(example), binary);
  const auto size = std::filesystem::file_size(example);
  for (const char* command : {"validate", "summary", "rank", "allocate", "simulate", "monitor"}) {
    INFO(command);
    const auto r = run({command, example, "--max-input-bytes", "64K"});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("(document): cannot read " + example + ": its " + std::to_string(size) + " bytes ("));
    CHECK(r.err.ends_with(
        " KiB) exceed the input limit of 65536 bytes (64.0 KiB); raise the limit with "
        "--max-input-bytes 1M, or store large models in the binary form .wjm, about an eighth of "
        "the size and far faster to load (wijkmatch generate ... OUT.wjm; from a program, save_model_binary)\n"));
    CHECK(count(r.err, "\n") == 1);
    CHECK(run({command, example, "--max-input-bytes", "1M"}).code == 0);
  }
  // The binary form is held to the limit too; a stream's size is unknown, so twice the limit
  // is suggested.
  auto r = run({"summary", binary, "--max-input-bytes", "1K"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("(document): cannot read " + binary + ": its "));
  {
    Stdin in(read_bytes(example));
    r = run({"validate", "-", "--max-input-bytes", "64K"});
  }
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("(document): cannot read standard input: it is larger than the input limit of 65536"));
  CHECK(r.err.find("--max-input-bytes 1M, or store large models in the binary form .wjm") != std::string::npos);
  // Other inputs: the events of apply and a DIMACS file, without the advice about models.
  r = run({"apply", example, front_desk_day, "--max-input-bytes", "1K"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with(front_desk_day + ": cannot read " + front_desk_day + ": its "));
  CHECK(r.err.ends_with("raise the limit with --max-input-bytes 1M\n"));
  r = run({"mcf", "/dev/zero", "--max-input-bytes", "4K"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "wijkmatch mcf: cannot read /dev/zero: it is larger than the input limit of 4096 bytes (4.0 KiB); raise the "
        "limit "
        "with --max-input-bytes 1M\n");
  r = run({"summary", example, "--max-input-bytes", "lots"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("wijkmatch summary: --max-input-bytes needs a size in bytes"));
}

TEST_CASE("progress: a few plain lines on a stream that is not a terminal, nothing with --quiet", "[cli][progress]") {
  TempDir dir("cli_progress");
  const std::string out = (dir.path / "city.wjm").string();
  auto r = run({"generate", "--residents", "2000", "--seed", "3", out});
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with("generated 1 municipality into "));
  CHECK(r.err.starts_with("generate: started, 2000 in all\n"));
  CHECK(r.err.find("generate: 2000/2000 (100%) in ") != std::string::npos);
  CHECK(r.err.find("write: started, 1 in all\n") != std::string::npos);
  CHECK(r.err.ends_with(" s\n"));
  CHECK(r.err.find('\r') == std::string::npos);
  CHECK(count(r.err, "\n") <= 2 * 12);  // a start, at most nine tenths and an end per stage
  const auto quiet = run({"generate", "--residents", "2000", "--seed", "3", "--quiet", out});
  CHECK(quiet.err.empty());
  CHECK(quiet.out.substr(0, quiet.out.find("  time")) == r.out.substr(0, r.out.find("  time")));

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"rank", example}, {"allocate", example}, {"simulate", example, "--weeks", "2"}}) {
    INFO(args[0]);
    const auto loud = run(args);
    REQUIRE(loud.code == 0);
    const std::string stage = args[0] == "rank" || args[0] == "allocate" ? "rank" : "simulate";
    CHECK(loud.err.starts_with(stage + ": started, "));
    CHECK(loud.err.find(stage + ": ") != std::string::npos);
    CHECK(loud.err.find("(100%) in ") != std::string::npos);
    CHECK(count(loud.err, "\n") <= 3 * 12);
    std::vector<std::string> quiet_args = args;
    quiet_args.push_back("--quiet");
    const auto silent = run(quiet_args);
    CHECK(silent.code == 0);
    CHECK(silent.err.empty());
    CHECK(silent.out == loud.out);  // standard output does not change
  }
  // rank on the live state of a journal ranks need by need, with the same progress.
  const std::string journal = (dir.path / "journal.db").string();
  REQUIRE(run({"apply", example, front_desk_day, "--journal", journal}).code == 0);
  const auto live = run({"rank", example, "--journal", journal});
  REQUIRE(live.code == 0);
  CHECK(live.err.starts_with("rank: started, "));
  CHECK(live.err.find("(100%) in ") != std::string::npos);
  const auto live_quiet = run({"rank", example, "--journal", journal, "--quiet"});
  CHECK(live_quiet.err.empty());
  CHECK(live_quiet.out == live.out);
}

TEST_CASE("progress: a bar redrawn in place on a terminal (under a pty)", "[cli][progress]") {
  // `script` (util-linux; Debian's bsdutils, an essential package) runs the program on a pty.
  if (shell("command -v script").empty()) {
    WARN("script not found: the terminal test cannot run");
    return;
  }
  TempDir dir("cli_pty");
  const std::string out = (dir.path / "city.wjm").string();
  const std::string command = std::string("'") + WIJKMATCH_EXE + "' generate --residents 20000 --seed 7 " + out;
  const std::string text = shell("script -qec \"" + command + "\" /dev/null </dev/null 2>&1");
  INFO(text);
  CHECK(text.find("\rgenerate [") != std::string::npos);
  CHECK(text.find("20000/20000 100.0%") != std::string::npos);
  CHECK(text.find("/s  0:00 left") != std::string::npos);  // the rate and the time left
  CHECK(text.find("\rwrite [") != std::string::npos);
  CHECK(text.find("\r\x1b[K") != std::string::npos);                           // cleared at the end ...
  CHECK(text.find("generated 1 municipality into") > text.rfind("\r\x1b[K"));  // ... before the report
  CHECK(text.find("generate: started") == std::string::npos);                  // no plain lines

  const std::string quiet = shell("script -qec \"" + command + " --quiet\" /dev/null </dev/null 2>&1");
  CHECK(quiet.find('\r' + std::string("generate")) == std::string::npos);
  CHECK(quiet.find("generated 1 municipality into") != std::string::npos);
}
