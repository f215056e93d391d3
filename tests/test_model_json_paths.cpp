// The two paths of the JSON reader and the streaming writer: a valid document read on the fast
// path (simdjson) gives the model the precise path gives, any other document gives the precise
// path's problems word for word, and the writer writes what nlohmann's dump wrote.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model_check.hpp"
#include "model_json_detail.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

using nlohmann::json;
using wijkmatch::InputError;
using wijkmatch::Model;
using wijkmatch::Problem;

namespace {

const std::string example_path = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";

Model generated(std::uint64_t seed, std::int64_t residents) {
  wijkmatch::GenerateOptions options;
  options.residents = residents;
  options.seed = seed;
  options.municipalities = 1 + static_cast<int>(seed % 2);
  return wijkmatch::generate(options);
}

std::string dump(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += wijkmatch::to_string(p) + "\n";
  return out;
}

// What parse_model gives, as text: the problems it throws, or the model written back.
std::string outcome_of_parse(const std::string& text) {
  try {
    return "model\n" + wijkmatch::to_json(wijkmatch::parse_model(text), -1);
  } catch (const InputError& e) {
    return "problems\n" + dump(e.problems());
  }
}

// The precise path alone: the problems, or the model written back.
std::string outcome_of_precise(const std::string& text) {
  std::vector<Problem> problems;
  Model m = wijkmatch::detail::read_model_precise(text, {}, problems);
  if (!problems.empty()) return "problems\n" + dump(problems);
  return "model\n" + wijkmatch::to_json(m, -1);
}

// Checks one document through both paths: what the fast path accepts, the precise path reads
// without a read problem and to the same model; and both public readers give exactly what the
// precise path gives.
void check_paths_agree(const std::string& text) {
  INFO("document: " << text.substr(0, 400));
  std::vector<Problem> precise;
  const Model precise_model = wijkmatch::detail::read_model_precise(text, {}, precise);
  if (auto fast = wijkmatch::detail::read_model_fast(text, {})) {
    std::vector<Problem> checked;
    wijkmatch::detail::check_model(*fast, checked, 100, nullptr);
    CHECK(dump(checked) == dump(precise));
    if (precise.empty()) CHECK(*fast == precise_model);
  }
  CHECK(dump(wijkmatch::validate_model(text)) == dump(precise));
  CHECK(outcome_of_parse(text) == outcome_of_precise(text));
}

// Every JSON pointer of a document (containers and leaves), the document itself excepted.
void pointers(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (!at.empty()) out.push_back(at);
  if (j.is_object())
    for (const auto& [name, value] : j.items()) pointers(value, at / name, out);
  else if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) pointers(j[i], at / i, out);
}

const std::string raw_marker = "\x01raw\x01";

// One random damage to a document, as text.
std::string damaged(const json& original, std::mt19937_64& rng) {
  json doc = original;
  std::vector<json::json_pointer> all;
  pointers(doc, json::json_pointer(), all);
  const auto& at = all[std::uniform_int_distribution<std::size_t>(0, all.size() - 1)(rng)];
  json& node = doc[at];
  const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
  std::string raw;
  switch (kind) {
    case 0: {  // another type or value
      static const std::vector<json> values{nullptr,
                                            true,
                                            0,
                                            -1,
                                            7,
                                            1.5,
                                            -0.0,
                                            1e300,
                                            "x",
                                            "",
                                            json::array(),
                                            json::object(),
                                            18446744073709551615ULL,
                                            2147483648LL,
                                            "BU03630000"};
      node = values[std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(rng)];
      break;
    }
    case 1: {  // a member or element left out
      json& parent = doc[at.parent_pointer()];
      if (parent.is_object())
        parent.erase(at.back());
      else
        parent.erase(static_cast<std::size_t>(std::stoul(at.back())));
      break;
    }
    case 2:  // an unknown member
      if (node.is_object())
        node["surplus"] = 1;
      else
        node = json::object({{"surplus", 1}});
      break;
    case 3: {  // a member twice: the name of one of the object's members, another value
      json& parent = doc[at.parent_pointer()];
      if (!parent.is_object()) return damaged(original, rng);
      parent[raw_marker] = 0;
      raw = "\"" + at.back() + "\":" + (node.is_number() ? std::string("\"dup\"") : std::string("1"));
      break;
    }
    case 4: {  // a token the tree cannot hold, written into the text
      static const std::vector<std::string> tokens{
          "-0",          "1e999",         "-1e999",        "123456789012345678901234567890",
          "1.0",         "1E2",           "\"\\ud800\"",   "\"\\u0000wijkmatch-non-finite-number\"",
          "\"\\u0000\"", "\"a\\u0001b\"", "\"caf\\u00e9\""};
      node = raw_marker;
      raw = tokens[std::uniform_int_distribution<std::size_t>(0, tokens.size() - 1)(rng)];
      break;
    }
    case 5:  // a key, code or reference taken from elsewhere
      if (node.is_string()) {
        std::vector<std::string> strings;
        for (const auto& p : all)
          if (doc[p].is_string()) strings.push_back(doc[p].get<std::string>());
        node = strings[std::uniform_int_distribution<std::size_t>(0, strings.size() - 1)(rng)];
      }
      break;
    case 6:  // a number out of its range
      if (node.is_number()) node = node.get<double>() * -3 - 1;
      break;
    case 7:  // an array element twice
      if (node.is_array() && !node.empty()) node.push_back(node[0]);
      break;
    default: break;  // 8, 9: the text itself, below
  }
  std::string text = doc.dump(kind % 2 == 0 ? -1 : 1);
  if (!raw.empty()) {
    const std::string quoted = json(raw_marker).dump();
    const auto pos = text.find(quoted);
    REQUIRE(pos != std::string::npos);
    std::size_t end = pos + quoted.size();
    if (kind == 3) end = text.find_first_of(",}", end);  // the placeholder member ends after its 0
    text.replace(pos, end - pos, raw);
  }
  if (kind == 8) text.resize(std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng));  // truncated
  if (kind == 9)
    text[std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng)] = "x{]\":,\x7f\xff"[rng() % 8];
  return text;
}

}  // namespace

TEST_CASE("the fast and the precise JSON reader read valid documents to the same model", "[io][json][roundtrip]") {
  const std::string example = [] {
    std::ifstream in(example_path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  REQUIRE(wijkmatch::detail::read_model_fast(example, {}));
  check_paths_agree(example);
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Model m = generated(seed, 300 + 150 * static_cast<std::int64_t>(seed));
    for (int indent : {-1, 2}) {
      const std::string text = wijkmatch::to_json(m, indent);
      INFO("seed " << seed << ", indent " << indent);
      auto fast = wijkmatch::detail::read_model_fast(text, {});
      REQUIRE(fast);
      CHECK(*fast == m);
      CHECK(wijkmatch::parse_model(text) == m);
      check_paths_agree(text);
    }
  }
}

TEST_CASE("a damaged document gives the same problems whichever path first read it", "[io][json][errors]") {
  const json base = json::parse(wijkmatch::to_json(generated(11, 40)));
  std::mt19937_64 rng(20261130);
  for (int round = 0; round < 400; ++round) {
    INFO("round " << round);
    check_paths_agree(damaged(base, rng));
  }
}

TEST_CASE("documents simdjson and nlohmann may judge differently go to the precise reader", "[io][json][errors]") {
  const std::string valid = wijkmatch::to_json(generated(2, 30), -1);
  const auto pos = valid.find("\"neighbourhood\":\"") + 17;
  const std::vector<std::string> texts{
      "\xEF\xBB\xBF" + valid,                                       // a byte order mark
      valid + " {}",                                                // content after the document
      valid + "\x01",                                               // a control character after it
      valid.substr(0, pos) + "\x1f" + valid.substr(pos),            // a raw control character in a string
      valid.substr(0, pos) + "\\ud800" + valid.substr(pos),         // a lone surrogate
      valid.substr(0, pos) + "\\udc00\\ud800" + valid.substr(pos),  // surrogates the wrong way round
      valid.substr(0, pos) + "\xC0\xAF" + valid.substr(pos),        // overlong UTF-8
      valid.substr(0, pos) + "\xED\xA0\x80" + valid.substr(pos),    // an encoded surrogate
      valid.substr(0, pos) + "\\u0000" + valid.substr(pos),         // NUL
      "{\"format_version\":1,\"$schema\":\"\\u0000wijkmatch-non-finite-number\"}",
      "{\"format_version\":1.0}",
      "{\"format_version\":-0}",
      "{\"format_version\":1,\"format_minor\":-0}",
      "[]",
      "",
      "   ",
      "{}",
  };
  for (const auto& text : texts) check_paths_agree(text);
  // A document the precise reader refuses as a whole: the fast path never reads it.
  wijkmatch::LoadOptions small;
  small.max_bytes = valid.size() - 1;
  CHECK_FALSE(wijkmatch::detail::read_model_fast(valid, small));
  CHECK_THROWS_WITH(wijkmatch::parse_model(valid, small), Catch::Contains("exceeds the limit of"));
  wijkmatch::LoadOptions shallow;
  shallow.max_depth = 4;
  CHECK_FALSE(wijkmatch::detail::read_model_fast(valid, shallow));
  CHECK_THROWS_WITH(wijkmatch::parse_model(valid, shallow), Catch::Contains("nesting deeper than 4 levels"));
}

TEST_CASE("the streaming writer writes nlohmann's layout, numbers and escapes", "[io][json][roundtrip]") {
  Model m = wijkmatch::load_model(example_path);
  // Strings and numbers at the edges of the writer's rules; the model need not be valid.
  m.offers[0].kind = std::string("quote\" back\\ slash/ \b\f\n\r\t \x01\x1f\x7f caf\xC3\xA9 \xF0\x9F\x98\x80");
  m.offers[0].cost_per_month = 1e-7;
  m.offers[1].cost_per_month = 1e21;
  m.offers[2].cost_per_month = 0.1 + 0.2;
  m.residents[0].max_travel_m = -0.0;
  m.residents[1].max_travel_m = 123456789012345680.0;
  m.residents[2].max_travel_m = 5e-324;
  m.residents[3].location.x_m = 1.7976931348623157e308;
  m.residents[4].max_travel_m = std::nan("");
  for (int indent : {-1, 0, 1, 2, 4}) {
    INFO("indent " << indent);
    const std::string text = wijkmatch::to_json(m, indent);
    // nlohmann parses the text and writes it back unchanged: the same order of members, the
    // same numbers, escapes and layout (a NaN is written as null, as nlohmann wrote it).
    CHECK(json::parse(text).dump(indent) + "\n" == text);
    std::ostringstream out;
    wijkmatch::write_json(m, out, indent);
    CHECK(out.str() == text);
  }
  CHECK(wijkmatch::to_json(m).find("\"kind\": \"quote\\\" back\\\\ slash/ \\b\\f\\n\\r\\t \\u0001\\u001f\x7f caf") !=
        std::string::npos);
  // Generated models, both layouts.
  for (std::uint64_t seed : {5u, 6u, 7u}) {
    const Model g = generated(seed, 400);
    for (int indent : {-1, 2}) {
      const std::string text = wijkmatch::to_json(g, indent);
      CHECK(json::parse(text).dump(indent) + "\n" == text);
    }
  }
  // Text that is not UTF-8 cannot be written as JSON; the message names the field, not the text.
  m.offers[0].kind = "bad\xC0\xAF";
  CHECK_THROWS_AS(wijkmatch::to_json(m), wijkmatch::InvalidArgument);
  CHECK_THROWS_WITH(wijkmatch::to_json(m), "cannot write /offers/0/kind as JSON: it is not valid UTF-8");
}

TEST_CASE("save_model streams into the file and keeps it whole on failure", "[io][json]") {
  const Model m = generated(9, 500);
  const auto dir = std::filesystem::temp_directory_path() / ("wijkmatch_json_paths_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "model.json";
  wijkmatch::save_model(m, path);
  std::ifstream in(path, std::ios::binary);
  const std::string written{std::istreambuf_iterator<char>(in), {}};
  CHECK(written == wijkmatch::to_json(m));
  CHECK(wijkmatch::load_model(path) == m);
  // A model that cannot be written leaves the old file as it was, and no temporary beside it.
  Model bad = m;
  bad.offers.back().kind = "\xFF";
  CHECK_THROWS_AS(wijkmatch::save_model(bad, path), wijkmatch::InvalidArgument);
  std::ifstream again(path, std::ios::binary);
  CHECK(std::string{std::istreambuf_iterator<char>(again), {}} == written);
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
  std::filesystem::remove_all(dir);
}
