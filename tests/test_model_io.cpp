// Format v1: every class of bad input gets its pointer and reason; valid input round-trips.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <algorithm>

#include <csignal>
#include <thread>

#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "duplicates.hpp"
#include "model_binary.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

using nlohmann::json;
using wijkmatch::InputError;
using wijkmatch::Problem;

namespace {

const std::string example_path = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

json example() {
  static const json doc = json::parse(read_text(example_path));
  return doc;
}

std::vector<Problem> problems_of(const json& doc) { return wijkmatch::validate_model(doc.dump()); }

// Every problem for a document with one mutation applied.
std::vector<Problem> problems_after(const std::function<void(json&)>& mutate) {
  json doc = example();
  mutate(doc);
  return problems_of(doc);
}

bool has_problem(const std::vector<Problem>& problems, const std::string& pointer, const std::string& reason_part) {
  for (const auto& p : problems)
    if (p.pointer == pointer && p.reason.find(reason_part) != std::string::npos) return true;
  return false;
}

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += to_string(p) + "\n";
  return s;
}

#define REQUIRE_PROBLEM(problems, pointer, reason) \
  do {                                             \
    const auto& ps_ = (problems);                  \
    INFO(dump(ps_));                               \
    REQUIRE(has_problem(ps_, pointer, reason));    \
  } while (false)

}  // namespace

TEST_CASE("the bundled example is valid and loads completely", "[io]") {
  auto model = wijkmatch::load_model(example_path);
  CHECK(model.residents.size() >= 180);
  CHECK(model.needs.size() >= 35);
  CHECK(model.professionals.size() == 4);
  REQUIRE(model.find_resident(model.residents[7].key) == wijkmatch::ResidentId(7));
  CHECK_FALSE(model.find_resident("nobody"));
}

TEST_CASE("wrong types name the field and the expected type", "[io][errors]") {
  auto ps = problems_after([](json& d) { d["residents"][0]["max_travel_m"] = "far"; });
  REQUIRE_PROBLEM(ps, "/residents/0/max_travel_m",
                  "must be a number (distance in metres) in [0, 100000], not a string");
  ps = problems_after([](json& d) { d["needs"][2]["severity"] = 2.5; });
  REQUIRE_PROBLEM(ps, "/needs/2/severity", "must be an integer in [1, 5], not a number");
  ps = problems_after([](json& d) { d["residents"][3]["care_avoider"] = "yes"; });
  REQUIRE_PROBLEM(ps, "/residents/3/care_avoider", "must be true or false, not a string");
  ps = problems_after([](json& d) { d["offers"] = json::object(); });
  REQUIRE_PROBLEM(ps, "/offers", "must be an array");
  ps = problems_after([](json& d) { d["residents"][1] = 42; });
  REQUIRE_PROBLEM(ps, "/residents/1", "must be an object, not an integer");
  ps = problems_after([](json& d) { d["households"][0]["key"] = nullptr; });
  REQUIRE_PROBLEM(ps, "/households/0/key", "must be a key (a string), not null");
}

TEST_CASE("values out of range are refused with the range", "[io][errors]") {
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][0]["severity"] = 7; }), "/needs/0/severity",
                  "must be an integer in [1, 5]");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][0]["severity"] = 0; }), "/needs/0/severity", "[1, 5]");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["ties"][0]["strength"] = 1.5; }), "/ties/0/strength", "got 1.5");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][0]["seats"] = -1; }), "/offers/0/seats", "[0, 1000000]");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["location"]["x"] = 900000.0; }),
                  "/residents/0/location/x", "RD New x (metres)");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][1]["domains"]["finances"] = 0.0; }),
                  "/offers/1/domains/finances", "fit weight must be above 0");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][0]["since"] = "2026-02-30"; }), "/needs/0/since",
                  "must be a date YYYY-MM-DD");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][0]["rent_arrears_months"] = 18446744073709551615ULL; }),
                  "/needs/0/rent_arrears_months", "[0, 120]");
}

TEST_CASE("enums list the accepted values", "[io][errors]") {
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["age_band"] = "old"; }), "/residents/0/age_band",
                  "must be one of 0-14, 15-24, 25-44, 45-64, 65-79, 80+");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][4]["domain"] = "money"; }), "/needs/4/domain",
                  "must be one of finances, work_education");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][0]["level"] = "own_network"; }), "/offers/0/level",
                  "own_network help comes from ties, not offers");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["ties"][0]["kind"] = "colleague"; }), "/ties/0/kind",
                  "must be one of household, family, neighbour, friend, volunteer_buddy");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["languages"] = json::array({"Dutch"}); }),
                  "/residents/0/languages/0", "ISO 639-1");
}

TEST_CASE("CBS codes are format-checked", "[io][errors]") {
  for (const char* bad : {"BU123", "WK03440341", "bu03440341", "BU0344034X", "GM0344"})
    REQUIRE_PROBLEM(problems_after([&](json& d) { d["households"][0]["neighbourhood"] = bad; }),
                    "/households/0/neighbourhood", "must be a CBS neighbourhood code: BU followed by 8 digits");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["professionals"][1]["work_area"][0] = "WK034403"; }),
                  "/professionals/1/work_area/0", "BU followed by 8 digits");
  CHECK(wijkmatch::check_area_code("GM0344", wijkmatch::AreaLevel::municipality) == std::nullopt);
  CHECK(wijkmatch::check_area_code("WK034403", wijkmatch::AreaLevel::district) == std::nullopt);
  CHECK(wijkmatch::district_of("BU03440341") == "WK034403");
  CHECK(wijkmatch::municipality_of("BU03440341") == "GM0344");
}

TEST_CASE("duplicate keys and unknown references are reported where they occur", "[io][errors]") {
  json d = example();
  const std::string first = d["residents"][0]["key"];
  d["residents"][5]["key"] = first;
  REQUIRE_PROBLEM(problems_of(d), "/residents/5/key", "duplicate key \"" + first + "\" (first at index 0)");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["needs"][3]["resident"] = "R9999"; }), "/needs/3/resident",
                  "unknown resident \"R9999\"");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["residents"][2]["household"] = "H999"; }),
                  "/residents/2/household", "unknown household \"H999\"");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["residents"][2]["attends"] = json::array({"no-such-offer"}); }),
                  "/residents/2/attends/0", "unknown offer \"no-such-offer\"");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["ties"][0]["helped"] = doc["ties"][0]["helper"]; }),
                  "/ties/0/helped", "a tie cannot join a resident to themself");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["ties"].push_back(doc["ties"][0]); }),
                  "/ties/" + std::to_string(example()["ties"].size()), "duplicate tie");
  REQUIRE_PROBLEM(problems_after([](json& doc) { doc["residents"][0]["key"] = "Jan de Vries"; }), "/residents/0/key",
                  "pseudonymous key");
}

TEST_CASE("capacities below occupancy and other inconsistencies", "[io][errors]") {
  REQUIRE_PROBLEM(problems_after([](json& d) {
                    d["offers"][1]["occupancy"] = 25;
                    d["offers"][1]["seats"] = 24;
                  }),
                  "/offers/1/occupancy", "25 exceeds seats (24)");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["professionals"][0]["caseload"] = 30; }), "/professionals/0/caseload",
                  "30 exceeds caseload_cap (24)");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["ties"][0]["hours_used"] = 99.0; }), "/ties/0/hours_used",
                  "exceeds hours_per_week");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][1]["min_group_size"] = 99; }), "/offers/1/min_group_size",
                  "exceeds seats");
  REQUIRE_PROBLEM(problems_after([](json& d) {
                    d["offers"][4]["eligibility"]["severity_min"] = 4;
                    d["offers"][4]["eligibility"]["severity_max"] = 2;
                  }),
                  "/offers/4/eligibility/severity_min", "exceeds severity_max (2)");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["neighbourhood"] = "BU03449999"; }),
                  "/residents/0/neighbourhood", "must equal its household's neighbourhood");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][1]["occupancy"] = 0; }), "/offers/1/occupancy",
                  "residents whose attends list this offer");
}

TEST_CASE("schedules out of range", "[io][errors]") {
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][1]["schedule"]["funday"] = json::array({"morning"}); }),
                  "/offers/1/schedule/funday", "unknown day; expected one of mon, tue");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["offers"][1]["schedule"]["mon"] = json::array({"night"}); }),
                  "/offers/1/schedule/mon/0", "must be one of morning, afternoon, evening");
  REQUIRE_PROBLEM(problems_after([](json& d) {
                    d["residents"][0]["availability"]["tue"] = json::array({"evening", "evening"});
                  }),
                  "/residents/0/availability/tue/1", "duplicate day-part");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["availability"] = json::array(); }),
                  "/residents/0/availability", "must be an object of day");
}

TEST_CASE("non-finite numbers are refused", "[io][errors]") {
  json d = example();
  std::string text = d.dump();
  const std::string needle = "\"max_travel_m\":" + d["residents"][0]["max_travel_m"].dump();
  auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  text.replace(at, needle.size(), "\"max_travel_m\":1e999");
  auto ps = wijkmatch::validate_model(text);
  REQUIRE_PROBLEM(ps, "/residents/0/max_travel_m", "must be a finite number");
  // NaN and Infinity are not JSON at all.
  text.replace(text.find("1e999"), 5, "NaN");
  REQUIRE_PROBLEM(wijkmatch::validate_model(text), "", "not valid JSON");
}

TEST_CASE("unknown and missing fields", "[io][errors]") {
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["name"] = "x"; }), "/residents/0/name",
                  "unknown field; expected one of key, household");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["colour"] = 1; }), "/colour", "unknown field");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["needs"][1].erase("domain"); }), "/needs/1/domain",
                  "missing required field");
  REQUIRE_PROBLEM(problems_after([](json& d) { d.erase("professionals"); }), "/professionals",
                  "missing required field");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["format_version"] = 2; }), "/format_version",
                  "unsupported format version 2; this build reads 1");
  REQUIRE_PROBLEM(problems_after([](json& d) { d["residents"][0]["a/b~c"] = 1; }), "/residents/0/a~1b~0c",
                  "unknown field");
}

TEST_CASE("structural limits: depth, size, truncation, UTF-8, duplicate members, empty", "[io][errors]") {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto ps = wijkmatch::validate_model(deep);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].pointer.empty());
  CHECK(ps[0].reason == "line 1: nesting deeper than 32 levels");

  const std::string text = read_text(example_path);
  wijkmatch::LoadOptions small;
  small.max_bytes = 1000;
  ps = wijkmatch::validate_model(text, small);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.find("exceeds the limit of 1000 bytes") != std::string::npos);

  ps = wijkmatch::validate_model(text.substr(0, text.size() / 2));
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.find("the file is truncated") != std::string::npos);

  std::string bad_utf8 = text;
  bad_utf8.insert(bad_utf8.find("\"H001\"") + 2, "\xff\xfe");
  ps = wijkmatch::validate_model(bad_utf8);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.find("UTF-8") != std::string::npos);

  REQUIRE_PROBLEM(wijkmatch::validate_model(R"({"format_version": 1, "format_version": 1})"), "/format_version",
                  "duplicate member name");
  REQUIRE_PROBLEM(wijkmatch::validate_model(R"({"a": [{"x": 1}, {"y": 1, "y": 2}]})"), "/a/1/y",
                  "duplicate member name");
  REQUIRE_PROBLEM(wijkmatch::validate_model("  \n"), "", "empty document");
  REQUIRE_PROBLEM(wijkmatch::validate_model("[]"), "", "must be a JSON object");
}

TEST_CASE("a syntax error after a number too large for a double is reported at its own column", "[io][errors]") {
  // The reader replaces such numbers by a longer marker before parsing again; the column must
  // still count the text as written.
  auto ps = wijkmatch::validate_model(R"({"a": 1e999, "b": x})");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.starts_with("not valid JSON: line 1, column 19: syntax error"));
  ps = wijkmatch::validate_model("{\"a\": [1e999, -" + std::string(400, '9') + ", 2e999], \"b\": x}");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.starts_with("not valid JSON: line 1, column 431: syntax error"));
  ps = wijkmatch::validate_model("{\"a\": 1e999,\n \"b\": x}");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.starts_with("not valid JSON: line 2, column 7: syntax error"));
}

TEST_CASE("syntax errors give a position but never echo the input", "[io][errors][privacy]") {
  auto ps = wijkmatch::validate_model(R"({"format_version": 1, "households": [{"key": "secret-person" oops}]})");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].reason.find("line 1, column") != std::string::npos);
  CHECK(ps[0].reason.find("secret-person") == std::string::npos);
  CHECK(ps[0].reason.find("oops") == std::string::npos);
}

TEST_CASE("all problems are reported in one pass, up to the limit", "[io][errors]") {
  json d = example();
  d["needs"][0]["severity"] = 9;
  d["residents"][0]["age_band"] = "old";
  d["offers"][1]["occupancy"] = 1000;
  d["professionals"][0]["caseload"] = -1;
  auto ps = problems_of(d);
  CHECK(has_problem(ps, "/needs/0/severity", "[1, 5]"));
  CHECK(has_problem(ps, "/residents/0/age_band", "must be one of"));
  CHECK(has_problem(ps, "/offers/1/occupancy", "exceeds seats"));
  CHECK(has_problem(ps, "/professionals/0/caseload", "[0, 10000]"));

  for (auto& r : d["residents"]) r["age_band"] = "old";
  wijkmatch::LoadOptions limited;
  limited.max_problems = 7;
  CHECK(wijkmatch::validate_model(d.dump(), limited).size() == 7);
}

TEST_CASE("nothing is partially loaded and the input is left alone", "[io][errors]") {
  json d = example();
  d["needs"][39]["severity"] = 6;
  const std::string text = d.dump();
  const std::string copy = text;
  try {
    (void)wijkmatch::parse_model(text);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(std::string(e.what()) == "/needs/39/severity: must be an integer in [1, 5]");
  }
  CHECK(text == copy);
  CHECK_THROWS_AS(wijkmatch::load_model("/nonexistent/wijkmatch.json"), InputError);
  CHECK_THROWS_WITH(wijkmatch::load_model(WIJKMATCH_SOURCE_DIR), Catch::Contains("is a directory"));
}

TEST_CASE("save(load(x)) loads back equal: the example and generated models", "[io][roundtrip]") {
  auto model = wijkmatch::load_model(example_path);
  auto again = wijkmatch::parse_model(wijkmatch::to_json(model));
  CHECK(again == model);
  CHECK(wijkmatch::to_json(again) == wijkmatch::to_json(model));

  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    wijkmatch::GenerateOptions options;
    options.residents = 200 + static_cast<std::int64_t>(seed) * 37;
    options.seed = seed;
    options.municipalities = 1 + static_cast<int>(seed % 3);
    const auto generated = wijkmatch::generate(options);
    const std::string text = wijkmatch::to_json(generated, static_cast<int>(seed % 2) - 1);
    INFO("seed " << seed << "\n" << dump(wijkmatch::validate_model(text)));
    const auto loaded = wijkmatch::parse_model(text);
    REQUIRE(loaded == generated);
  }

  const auto path = std::filesystem::temp_directory_path() / "wijkmatch_roundtrip_test.json";
  wijkmatch::save_model(model, path);
  CHECK(wijkmatch::load_model(path) == model);
  std::filesystem::remove(path);
}

TEST_CASE("write_file_atomic replaces a file whole or leaves it as it was, with no temporary behind", "[io][write]") {
  const auto dir = std::filesystem::temp_directory_path() / "wijkmatch_atomic_write_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "out.txt";
  auto entries = [&] {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::vector<std::string> only_out{"out.txt"};

  wijkmatch::write_file_atomic(path, std::string_view("old contents\n"));
  wijkmatch::write_file_atomic(path, std::string_view("new contents\n"));
  CHECK(read_text(path.string()) == "new contents\n");
  CHECK(entries() == only_out);

  // The writer fails half-way: by an exception of its own, or by leaving the stream failed.
  CHECK_THROWS_WITH(wijkmatch::write_file_atomic(path,
                                                 [](std::ostream& out) {
                                                   out << "half";
                                                   throw std::runtime_error("generator failed");
                                                 }),
                    "generator failed");
  CHECK(read_text(path.string()) == "new contents\n");
  CHECK(entries() == only_out);
  CHECK_THROWS_WITH(wijkmatch::write_file_atomic(path,
                                                 [](std::ostream& out) {
                                                   out << "half";
                                                   out.setstate(std::ios::badbit);
                                                 }),
                    Catch::Contains("cannot write " + path.string()));
  CHECK(read_text(path.string()) == "new contents\n");
  CHECK(entries() == only_out);

  // The rename fails: the target is a directory that is not empty.
  std::filesystem::create_directories(dir / "taken" / "inside");
  CHECK_THROWS_AS(wijkmatch::write_file_atomic(dir / "taken", std::string_view("x")), wijkmatch::Error);
  CHECK(std::filesystem::is_directory(dir / "taken" / "inside"));
  CHECK(entries() == std::vector<std::string>{"out.txt", "taken"});
  std::filesystem::remove_all(dir / "taken");

  // The temporary cannot be created: the reason is named.
  CHECK_THROWS_WITH(wijkmatch::write_file_atomic(dir / "no" / "x.json", std::string_view("x")),
                    Catch::Contains("cannot write " + (dir / "no" / "x.json").string() + ": No such file"));
  CHECK(entries() == only_out);
  std::filesystem::remove_all(dir);
}

TEST_CASE("generated models are deterministic for a seed", "[generate]") {
  wijkmatch::GenerateOptions options;
  options.residents = 3000;
  options.seed = 42;
  CHECK(wijkmatch::generate(options) == wijkmatch::generate(options));
  options.seed = 43;
  const auto other = wijkmatch::generate(options);
  options.seed = 42;
  CHECK_FALSE(wijkmatch::generate(options) == other);
  CHECK_THROWS_AS(wijkmatch::generate({.residents = 0}), wijkmatch::InvalidArgument);
}

// ---- the binary form ----------------------------------------------------------------------

TEST_CASE("binary form: a professional without specialisms loads back (defect 1)", "[io][binary]") {
  auto model = wijkmatch::load_model(example_path);
  model.professionals.at(0).specialisms = {};
  REQUIRE(wijkmatch::validate_model(wijkmatch::to_json(model)).empty());
  const auto path = std::filesystem::temp_directory_path() / "wijkmatch_no_specialisms.wjm";
  wijkmatch::save_model_binary(model, path);
  CHECK(wijkmatch::load_model_binary(path) == model);
  std::filesystem::remove(path);
}

TEST_CASE("binary form: every problem is reported, with the JSON loader's pointer and reason", "[io][binary]") {
  auto model = wijkmatch::load_model(example_path);
  model.needs.at(39).severity = 6;
  model.offers.at(1).occupancy = model.offers.at(1).seats + 1;
  model.professionals.at(0).work_area.push_back(model.professionals.at(0).work_area.at(0));
  const auto path = std::filesystem::temp_directory_path() / "wijkmatch_invalid.wjm";
  wijkmatch::save_model_binary(model, path);
  std::vector<Problem> binary;
  try {
    (void)wijkmatch::load_model_binary(path);
  } catch (const InputError& e) {
    binary = e.problems();
  }
  std::filesystem::remove(path);
  const auto json_problems = wijkmatch::validate_model(wijkmatch::to_json(model));
  INFO(dump(binary));
  CHECK(binary.size() == 3);
  CHECK(binary == json_problems);
  CHECK(has_problem(binary, "/needs/39/severity", "must be an integer in [1, 5]"));
  CHECK(has_problem(binary, "/offers/1/occupancy", "exceeds seats"));
  const auto last = "/professionals/0/work_area/" + std::to_string(model.professionals.at(0).work_area.size() - 1);
  CHECK(has_problem(binary, last, "duplicate neighbourhood"));
}

// ---- complexity: every duplicate check is O(n log n) (defect 2) ----------------------------
// Counted in comparisons of elements (detail::duplicate_comparisons), never in time. Any
// comparison-based search for repeats among n elements makes at least n - 1 comparisons; a
// linear search per element makes about n^2 / 2, 5 * 10^9 at 100k.

namespace {

std::uint64_t comparisons_of(const std::function<void()>& work) {
  const auto before = wijkmatch::detail::duplicate_comparisons();
  work();
  return wijkmatch::detail::duplicate_comparisons() - before;
}

// Checks n - 1 <= count(n) <= 3 n log2 n, and that doubling n at most 2.5-folds the count.
void check_n_log_n(const std::function<std::uint64_t(std::size_t)>& count_at) {
  const std::size_t n = 100000;
  const auto full = count_at(n), half = count_at(n / 2);
  INFO("comparisons at " << n / 2 << ": " << half << ", at " << n << ": " << full);
  CHECK(full >= n - 1);
  CHECK(static_cast<double>(full) <= 3.0 * n * std::log2(static_cast<double>(n)));
  CHECK(static_cast<double>(full) <= 2.5 * static_cast<double>(half));
}

}  // namespace

TEST_CASE("an object with 100k member names is checked for repeats in O(n log n)", "[io][complexity]") {
  check_n_log_n([](std::size_t n) {
    std::string text = "{";
    for (std::size_t i = 0; i < n; ++i) text += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":0";
    text += ",\"m7\":1}";
    return comparisons_of([&] { REQUIRE_PROBLEM(wijkmatch::validate_model(text), "/m7", "duplicate member name"); });
  });
}

TEST_CASE("a professional with 100k work_area codes is checked in O(n log n)", "[io][complexity]") {
  check_n_log_n([](std::size_t n) {
    json doc = example();
    auto& area = doc["professionals"][0]["work_area"];
    area = json::array();
    char code[24];
    for (std::size_t i = 0; i < n; ++i) {
      std::snprintf(code, sizeof code, "BU%08zu", i);
      area.push_back(code);
    }
    area.push_back("BU00000005");
    const std::string text = doc.dump();
    return comparisons_of([&] {
      REQUIRE_PROBLEM(wijkmatch::validate_model(text), "/professionals/0/work_area/" + std::to_string(n),
                      "duplicate neighbourhood");
    });
  });
}

TEST_CASE("a resident attending 100k offers is checked in O(n log n), JSON and binary", "[io][binary][complexity]") {
  // One model in code: the attends list is checked by Model::check(), which both loaders use.
  auto model_of = [](std::size_t n) {
    auto m = wijkmatch::load_model(example_path);
    const wijkmatch::Offer base = m.offers.at(0);
    m.offers.resize(n, base);
    for (std::size_t o = 0; o < n; ++o) {
      m.offers[o].key = "O" + std::to_string(o);
      m.offers[o].occupancy = m.offers[o].seats;  // room for every attendee already counted
    }
    for (auto& r : m.residents) r.attends.clear();
    auto& attends = m.residents.at(0).attends;
    for (std::size_t o = 0; o < n; ++o) attends.emplace_back(static_cast<std::uint32_t>(o));
    attends.emplace_back(3);
    return m;
  };
  check_n_log_n([&](std::size_t n) {
    const auto m = model_of(n);
    return comparisons_of(
        [&] { REQUIRE_PROBLEM(m.check(), "/residents/0/attends/" + std::to_string(n), "duplicate offer"); });
  });
  const auto m = model_of(20000);
  const auto path = std::filesystem::temp_directory_path() / "wijkmatch_attends.wjm";
  wijkmatch::save_model_binary(m, path);
  try {
    (void)wijkmatch::load_model_binary(path);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE_PROBLEM(e.problems(), "/residents/0/attends/20000", "duplicate offer");
  }
  std::filesystem::remove(path);
}

// ---- one bounded reader for every source (defects 4 and 5) ---------------------------------

namespace {

// An endless source of zero bytes that counts what it hands out.
class Zeros : public std::streambuf {
 public:
  std::size_t delivered = 0;

 protected:
  int_type underflow() override {
    std::fill(std::begin(buf_), std::end(buf_), '\0');
    setg(buf_, buf_, buf_ + sizeof buf_);
    delivered += sizeof buf_;
    return traits_type::to_int_type('\0');
  }

 private:
  char buf_[4096];
};

std::string reason_of_read(const std::function<void()>& read) {
  try {
    read();
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].pointer.empty());
    return e.problems()[0].reason;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("read_input refuses endless sources at the limit and names the real cause", "[io][input]") {
  CHECK(reason_of_read([] { (void)wijkmatch::read_input("/dev/zero", 100000); }) ==
        "input exceeds the limit of 100000 bytes");
  CHECK(reason_of_read([] { (void)wijkmatch::load_model("/dev/zero", {.max_bytes = 4096}); }) ==
        "input exceeds the limit of 4096 bytes");
  CHECK(reason_of_read([] { (void)wijkmatch::load_model_binary("/dev/zero", {.max_bytes = 4096}); }) ==
        "input exceeds the limit of 4096 bytes");

  Zeros zeros;
  std::istream endless(&zeros);
  CHECK(reason_of_read([&] { (void)wijkmatch::read_input(endless, 1 << 20, "zeros"); }) ==
        "input exceeds the limit of 1048576 bytes");
  CHECK(zeros.delivered <= (1 << 20) + (1 << 16));  // read in chunks, stopped at the limit

  CHECK(reason_of_read([] { (void)wijkmatch::read_input(WIJKMATCH_SOURCE_DIR, 1000); }) ==
        "cannot read " WIJKMATCH_SOURCE_DIR ": is a directory");
  CHECK(reason_of_read([] { (void)wijkmatch::read_input("/nonexistent/x.json", 1000); }) ==
        "cannot read /nonexistent/x.json: no such file");
  std::istringstream small("{}");
  CHECK(wijkmatch::read_input(small, 2, "text") == "{}");
}

TEST_CASE("read_input reads a fifo in chunks under the limit", "[io][input]") {
  const auto dir = std::filesystem::temp_directory_path() / "wijkmatch_fifo_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto fifo = dir / "in";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  ::signal(SIGPIPE, SIG_IGN);  // the reader may stop before the writer is done
  auto feed = [&](std::size_t bytes) {
    return std::thread([&fifo, bytes] {
      std::ofstream out(fifo, std::ios::binary);
      const std::string block(4096, 'x');
      for (std::size_t sent = 0; sent < bytes && out; sent += block.size()) out << block;
    });
  };
  auto writer = feed(1 << 20);
  CHECK(wijkmatch::read_input(fifo, 2 << 20).size() == 1 << 20);
  writer.join();
  writer = feed(1 << 20);
  CHECK(reason_of_read([&] { (void)wijkmatch::read_input(fifo, 100000); }) ==
        "input exceeds the limit of 100000 bytes");
  writer.join();
  std::filesystem::remove_all(dir);
}

TEST_CASE("binary images in memory: what the fuzz target decodes and reseals", "[io][binary]") {
  const auto model = wijkmatch::load_model(example_path);
  std::string bytes = wijkmatch::detail::encode_model_binary(model);
  REQUIRE(wijkmatch::detail::decode_model_binary(bytes) == model);
  REQUIRE(bytes[8] == 2);  // the example uses format v1.1: binary version 2
  bytes[8] = 3;            // the binary version: the header checksum catches the damage first
  auto first_problem = [&] {
    try {
      wijkmatch::detail::decode_model_binary(bytes);
    } catch (const InputError& e) {
      return e.problems().front().reason;
    }
    return std::string("no error");
  };
  CHECK(first_problem() == "header checksum mismatch (the file is damaged)");
  wijkmatch::detail::reseal_model_binary(bytes);
  CHECK(first_problem() == "unsupported binary version 3; this build reads 1 and 2");
  bytes[8] = 2;
  wijkmatch::detail::reseal_model_binary(bytes);
  CHECK(wijkmatch::detail::decode_model_binary(bytes) == model);
}

namespace {

// Problems of a binary image after `damage`, resealed so that the field checks are reached.
std::vector<Problem> binary_problems_after(const std::function<void(std::string&)>& damage) {
  std::string bytes = wijkmatch::detail::encode_model_binary(wijkmatch::load_model(example_path));
  damage(bytes);
  wijkmatch::detail::reseal_model_binary(bytes);
  try {
    (void)wijkmatch::detail::decode_model_binary(bytes);
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

// Where the bytes after an entity's key begin: keys are stored as a length byte and the key.
std::size_t after_key(const std::string& bytes, const std::string& key) {
  const std::string stored = static_cast<char>(key.size()) + key;
  const auto at = bytes.find(stored);
  REQUIRE(at != std::string::npos);
  REQUIRE(bytes.find(stored, at + 1) == std::string::npos);
  return at + stored.size();
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(value >> (8 * i));
}

}  // namespace

TEST_CASE("binary form: damaged versions, counts and fields are named", "[io][binary][errors]") {
  constexpr std::size_t format_version_at = 12, strings_count_at = 40 + 4;  // header, first section header
  auto ps = binary_problems_after([](std::string& b) { b[format_version_at] = 9; });
  REQUIRE(ps.size() == 1);
  CHECK(to_string(ps[0]) == "(document): unsupported format version 9; this build reads 1");
  ps = binary_problems_after([](std::string& b) { put_u32(b, strings_count_at, 0xFFFFFFFFu); });
  REQUIRE(ps.size() == 1);
  CHECK(to_string(ps[0]) == "/strings: count 4294967295 does not fit in the section (the file is damaged)");

  // Damage to single fields: each noted where it is, all in one pass. Offer 1 has three
  // domains, stored as (domain byte, fit weight) in domain order after kind, level and count.
  const auto model = wijkmatch::load_model(example_path);
  const auto& offer = model.offers.at(1);
  REQUIRE(model.uses_v1_1());  // the offsets below hold for version 2 as well: v1.1 is appended
  std::vector<std::size_t> domains;
  for (std::size_t d = 0; d < wijkmatch::life_domain_count; ++d)
    if (offer.fit[d] != 0.0) domains.push_back(d);
  REQUIRE(domains.size() == 3);
  const auto name = [](std::size_t d) { return std::string(to_string(static_cast<wijkmatch::LifeDomain>(d))); };
  ps = binary_problems_after([&](std::string& b) {
    put_u32(b, after_key(b, model.households.at(0).key), 0xFFFFFF00u);             // neighbourhood: a string index
    b[after_key(b, model.needs.at(0).key) + 4 + 1 + 4] = static_cast<char>(0xF0);  // crisis and safety flags
    const auto fits = after_key(b, offer.key) + 4 + 1 + 1;
    b[fits + 9] = static_cast<char>(domains[0]);           // the second domain repeats the first
    b[fits + 18] = static_cast<char>(200);                 // the third is unknown
    for (std::size_t i = 1; i <= 8; ++i) b[fits + i] = 0;  // the first weighs 0.0
  });
  INFO(dump(ps));
  CHECK(has_problem(ps, "/households/0/neighbourhood", "refers to string 4294967040 of "));
  CHECK(has_problem(ps, "/needs/0/crisis", "unknown flags"));
  CHECK(has_problem(ps, "/offers/1/domains/" + name(domains[0]), "fit weight must be above 0"));
  CHECK(has_problem(ps, "/offers/1/domains", "unknown life domain 200"));
  // A repeat is noted only after a weight was taken for its domain.
  ps = binary_problems_after(
      [&](std::string& b) { b[after_key(b, offer.key) + 4 + 1 + 1 + 9] = static_cast<char>(domains[0]); });
  INFO(dump(ps));
  CHECK(has_problem(ps, "/offers/1/domains/" + name(domains[0]), "duplicate life domain"));
}

// Found by fuzz_model_json (fuzz/regressions/model_json/professional_without_specialisms.json).
TEST_CASE("a professional without specialisms loads back from the binary form", "[io][binary][regression]") {
  const auto model = wijkmatch::parse_model(
      read_text(WIJKMATCH_SOURCE_DIR "/fuzz/regressions/model_json/professional_without_specialisms.json"));
  REQUIRE(model.professionals.at(0).specialisms.empty());
  CHECK(wijkmatch::detail::decode_model_binary(wijkmatch::detail::encode_model_binary(model)) == model);
}

// ---- every message of the reader and the model check, exactly as a user reads it ----------

namespace {

// Stands in for a number too large for a double, which a json value cannot hold: the row's
// document is dumped, then each "@inf" string becomes the token 1e999.
const json non_finite = "@inf";

std::string with_non_finite(std::string text) {
  for (auto at = text.find("\"@inf\""); at != std::string::npos; at = text.find("\"@inf\"", at))
    text.replace(at, 6, "1e999");
  return text;
}

struct MessageRow {
  std::function<void(json&)> mutate;
  std::string pointer, reason;
};

std::string all_life_domains() {
  std::string out;
  for (std::size_t d = 0; d < wijkmatch::life_domain_count; ++d)
    out += (d ? ", " : "") + std::string(wijkmatch::to_string(static_cast<wijkmatch::LifeDomain>(d)));
  return out;
}

}  // namespace

TEST_CASE("each reader and check message, exactly, for one mutation of the example", "[io][errors]") {
  const std::string key_rule = "must be a pseudonymous key of 1 to 64 letters, digits, '_', '-', '.' or ':'";
  const std::vector<MessageRow> rows{
      // Containers of the wrong shape.
      {[](json& d) { d["offers"][1]["schedule"]["mon"] = "morning"; }, "/offers/1/schedule/mon",
       "must be an array of day-parts (morning, afternoon, evening)"},
      {[](json& d) { d["residents"][0]["languages"] = "nl"; }, "/residents/0/languages",
       "must be an array of ISO 639-1 language codes"},
      {[](json& d) {
         d["residents"][0]["languages"] = json::array({"nl", 5});
       },
       "/residents/0/languages/1", "must be an ISO 639-1 language code: two lowercase letters, e.g. \"nl\""},
      {[](json& d) { d["professionals"][0]["work_area"] = "BU03440341"; }, "/professionals/0/work_area",
       "must be a non-empty array of CBS neighbourhood codes"},
      {[](json& d) { d["professionals"][0]["work_area"] = json::array({5}); }, "/professionals/0/work_area/0",
       "must be a string"},
      {[](json& d) { d["ties"][0]["domains"] = "housing"; }, "/ties/0/domains", "must be an array of life domains"},
      {[](json& d) {
         d["ties"][0]["domains"] = json::array({"housing", "housing"});
       },
       "/ties/0/domains/1", "duplicate life domain"},
      {[](json& d) { d["offers"][0]["domains"] = json::array(); }, "/offers/0/domains",
       "must be a non-empty object of life domain to fit weight in (0, 1]"},
      // An empty object is well typed: the model check refuses it, with the same words.
      {[](json& d) { d["offers"][0]["domains"] = json::object(); }, "/offers/0/domains",
       "must be a non-empty object of life domain to fit weight in (0, 1]"},
      {[](json& d) { d["offers"][0]["domains"]["money"] = 0.5; }, "/offers/0/domains/money",
       "unknown life domain; expected one of " + all_life_domains()},
      {[](json& d) { d["offers"][4]["eligibility"]["age_bands"] = "15-24"; }, "/offers/4/eligibility/age_bands",
       "must be an array of age bands"},
      {[](json& d) {
         d["offers"][4]["eligibility"]["age_bands"] = json::array({"15-24", "15-24"});
       },
       "/offers/4/eligibility/age_bands/1", "duplicate age band"},
      {[](json& d) { d["residents"][0]["attends"] = "start-samen-welkom"; }, "/residents/0/attends",
       "must be an array of offer keys"},
      // Keys and strings.
      {[](json& d) { d["residents"][0]["attends"] = json::array({5}); }, "/residents/0/attends/0",
       "must be a key (a string), not an integer"},
      {[](json& d) { d["residents"][0]["attends"] = json::array({"no such offer"}); }, "/residents/0/attends/0",
       key_rule},
      {[](json& d) { d["households"][0]["neighbourhood"] = 5; }, "/households/0/neighbourhood",
       "must be a string, not an integer"},
      {[](json& d) { d["households"][0]["neighbourhood"] = json::object(); }, "/households/0/neighbourhood",
       "must be a string, not an object"},
      {[](json& d) { d["households"][0]["neighbourhood"] = json::array(); }, "/households/0/neighbourhood",
       "must be a string, not an array"},
      {[](json& d) { d["households"][0]["neighbourhood"] = true; }, "/households/0/neighbourhood",
       "must be a string, not a boolean"},
      {[](json& d) { d["households"][0]["neighbourhood"] = non_finite; }, "/households/0/neighbourhood",
       "must be a string, not a non-finite number"},
      // Numbers.
      {[](json& d) { d["format_version"] = -1; }, "/format_version", "must be an integer in [1, 1000000]"},
      {[](json& d) { d["needs"][0]["severity"] = non_finite; }, "/needs/0/severity",
       "must be a finite integer in [1, 5]"},
      {[](json& d) { d["residents"][0]["max_travel_m"] = non_finite; }, "/residents/0/max_travel_m",
       "must be a finite number (distance in metres)"},
      {[](json& d) { d["ties"][0]["strength"] = 0.0; }, "/ties/0/strength", "must be above 0 and at most 1"},
      // A date the syntax accepts and the model check bounds.
      {[](json& d) { d["needs"][0]["since"] = "1899-12-31"; }, "/needs/0/since",
       "must be a date YYYY-MM-DD between 1900-01-01 and 2199-12-31"},
  };
  for (const auto& row : rows) {
    json doc = example();
    row.mutate(doc);
    const auto problems = wijkmatch::validate_model(with_non_finite(doc.dump()));
    INFO("expected " << row.pointer << ": " << row.reason << "\ngot:\n" << dump(problems));
    CHECK(problems == std::vector<Problem>{{row.pointer, row.reason}});
  }
}

TEST_CASE("bits beyond the enumerations are refused in code and in the binary form", "[io][errors][binary]") {
  struct Row {
    std::function<void(wijkmatch::Model&)> mutate;
    std::string pointer, reason;
  };
  const std::string domains = "has bits beyond the " + std::to_string(wijkmatch::life_domain_count) + " life domains";
  const std::vector<Row> rows{
      {[](wijkmatch::Model& m) { m.ties.at(0).domains.bits |= 1u << wijkmatch::life_domain_count; }, "/ties/0/domains",
       domains},
      {[](wijkmatch::Model& m) { m.professionals.at(2).specialisms.bits |= 0x8000u; }, "/professionals/2/specialisms",
       domains},
      {[](wijkmatch::Model& m) { m.offers.at(3).eligibility.age_bands.bits |= 1u << wijkmatch::age_band_count; },
       "/offers/3/eligibility/age_bands", "has bits beyond the 6 age bands"},
  };
  const auto model = wijkmatch::load_model(example_path);
  for (const auto& row : rows) {
    auto bad = model;
    row.mutate(bad);
    const std::vector<Problem> expected{{row.pointer, row.reason}};
    CHECK(bad.check() == expected);
    std::vector<Problem> binary;
    try {
      (void)wijkmatch::detail::decode_model_binary(wijkmatch::detail::encode_model_binary(bad));
    } catch (const InputError& e) {
      binary = e.problems();
    }
    CHECK(binary == expected);
  }
}

TEST_CASE("brackets and quotes escaped inside strings do not count as nesting", "[io][errors]") {
  // After an escaped quote the string goes on: its 40 brackets are text, not 40 levels.
  const std::string text = R"({"format_version": 1, "a\"\\\")" + std::string(40, '[') + R"(": 1})";
  CHECK(wijkmatch::validate_model(text) ==
        std::vector<Problem>{{"/a\"\\\"" + std::string(40, '['),
                              "unknown field; expected one of $schema, format, "
                              "format_version, format_minor, households, residents, ties, "
                              "needs, offers, professionals"},
                             {"/households", "missing required field"},
                             {"/offers", "missing required field"},
                             {"/residents", "missing required field"},
                             {"/ties", "missing required field"},
                             {"/needs", "missing required field"},
                             {"/professionals", "missing required field"}});
}

// Under LC_NUMERIC with a decimal comma, nlohmann's lexer still reads "1.5e999" (it puts the
// locale's decimal point in place of '.'), but the marking of non-finite numbers read it as 1:
// the document then failed with "not valid JSON: a number is out of range" and no pointer.
TEST_CASE("a number too large for a double keeps its pointer under a locale with a decimal comma",
          "[io][errors][locale]") {
  const char* current = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = current != nullptr ? current : "C";
  bool comma = false;
  for (const char* name : {"nl_NL.UTF-8", "de_DE.UTF-8", "nl_NL.utf8", "de_DE.utf8", "fr_FR.UTF-8"})
    if (std::setlocale(LC_NUMERIC, name) != nullptr && *std::localeconv()->decimal_point == ',') {
      comma = true;
      break;
    }
  if (!comma) {
    std::setlocale(LC_NUMERIC, saved.c_str());
    // CTest's locale.decimal_comma run builds nl_NL.UTF-8 with localedef and requires it.
    REQUIRE(std::getenv("WIJKMATCH_REQUIRE_DECIMAL_COMMA") == nullptr);
    WARN("no locale with a decimal comma is installed (localedef -i nl_NL -f UTF-8 DIR/nl_NL.UTF-8; LOCPATH=DIR)");
    return;
  }
  const auto problems = wijkmatch::validate_model(R"({"format_version": 1.5e999})");
  std::setlocale(LC_NUMERIC, saved.c_str());
  INFO(dump(problems));
  CHECK(problems == std::vector<Problem>{{"/format_version", "must be a finite integer in [1, 1000000]"}});
}

// ---- format v1.1: organisers, volunteers, initiatives, help offered -------------------------

namespace {

const std::string v1_fixture = WIJKMATCH_SOURCE_DIR "/tests/data/generated-40-5-v1";

// The model without any member of format v1.1: what a v1 reader would keep.
wijkmatch::Model without_v1_1(wijkmatch::Model m) {
  for (auto& o : m.offers) {
    o.organiser = {};
    o.volunteers.clear();
    o.initiative.reset();
    o.hours_per_seat = 0.0;
  }
  for (auto& r : m.residents) r.offers_help.reset();
  return m;
}

std::size_t offer_index(const std::string& key) {
  const json doc = example();
  const auto& offers = doc["offers"];
  for (std::size_t i = 0; i < offers.size(); ++i)
    if (offers[i]["key"] == key) return i;
  FAIL("no offer " << key);
  return 0;
}

std::size_t resident_with_help() {
  const json doc = example();
  const auto& residents = doc["residents"];
  for (std::size_t i = 0; i < residents.size(); ++i)
    if (residents[i].contains("offers_help")) return i;
  FAIL("no resident offers help");
  return 0;
}

}  // namespace

TEST_CASE("format v1 files load unchanged and are written byte for byte as before, JSON and binary",
          "[io][v1.1][roundtrip]") {
  // Both files were written by the last build before format v1.1 (wijkmatch generate
  // --residents 40 --seed 5).
  const std::string text = read_text(v1_fixture + ".json");
  const std::string bytes = read_text(v1_fixture + ".wjm");
  const auto model = wijkmatch::parse_model(text);
  CHECK_FALSE(model.uses_v1_1());
  CHECK(wijkmatch::to_json(model) == text);
  CHECK(text.find("format_minor") == std::string::npos);
  REQUIRE(bytes.size() > 8);
  CHECK(bytes[8] == 1);  // binary version 1
  CHECK(wijkmatch::detail::decode_model_binary(bytes) == model);
  CHECK(wijkmatch::detail::encode_model_binary(model) == bytes);
  // Today's generator draws the same v1 part; v1.1 comes from streams of its own.
  wijkmatch::GenerateOptions options;
  options.residents = 40;
  options.seed = 5;
  CHECK(without_v1_1(wijkmatch::generate(options)) == model);
  // The example without its v1.1 members is a v1 model again.
  const auto v1 = without_v1_1(wijkmatch::load_model(example_path));
  CHECK(wijkmatch::to_json(v1).find("format_minor") == std::string::npos);
  CHECK(wijkmatch::detail::encode_model_binary(v1)[8] == 1);
}

TEST_CASE("format v1.1 round-trips through JSON and the binary form", "[io][v1.1][roundtrip]") {
  const auto model = wijkmatch::load_model(example_path);
  REQUIRE(model.uses_v1_1());
  const auto& club = model[*model.find_offer("eetclub-zambesi")];
  CHECK(club.organiser.kind == wijkmatch::OrganiserKind::residents);
  CHECK(club.organiser.residents.size() == 2);
  CHECK(club.volunteers.size() == 4);
  REQUIRE(club.initiative);
  CHECK(club.initiative->status == wijkmatch::InitiativeStatus::running);
  CHECK(club.initiative->budget_euro == 1500.0);
  CHECK(club.hours_per_seat == 0.5);
  const auto& course = model[*model.find_offer("schuldencursus")];
  CHECK(course.organiser.kind == wijkmatch::OrganiserKind::organisation);
  CHECK(course.organiser.organisation == "humanitas");
  CHECK_FALSE(course.initiative);
  CHECK(model[*model.find_offer("wijkteam-kort")].organiser.kind == wijkmatch::OrganiserKind::team);
  const auto& helper = model.residents.at(resident_with_help());
  REQUIRE(helper.offers_help);
  CHECK_FALSE(helper.offers_help->domains.empty());

  const std::string text = wijkmatch::to_json(model);
  CHECK(json::parse(text)["format_minor"] == 1);
  CHECK(wijkmatch::parse_model(text) == model);
  CHECK(wijkmatch::to_json(wijkmatch::parse_model(text)) == text);
  const std::string bytes = wijkmatch::detail::encode_model_binary(model);
  CHECK(bytes[8] == 2);
  CHECK(wijkmatch::detail::decode_model_binary(bytes) == model);
  // Generated models with initiatives and help offers, through both forms.
  for (std::uint64_t seed : {3u, 4u}) {
    wijkmatch::GenerateOptions options;
    options.residents = 5000;
    options.seed = seed;
    options.municipalities = 2;
    const auto generated = wijkmatch::generate(options);
    REQUIRE(generated.uses_v1_1());
    INFO("seed " << seed);
    CHECK(wijkmatch::parse_model(wijkmatch::to_json(generated, -1)) == generated);
    CHECK(wijkmatch::detail::decode_model_binary(wijkmatch::detail::encode_model_binary(generated)) == generated);
  }
  // A file written with the new members loads back whether or not it says format_minor.
  json doc = json::parse(text);
  doc.erase("format_minor");
  CHECK(wijkmatch::parse_model(doc.dump()) == model);
}

TEST_CASE("every v1.1 problem is located, by the reader and the model check", "[io][v1.1][errors]") {
  const std::size_t club = offer_index("eetclub-zambesi"), course = offer_index("schuldencursus"),
                    team = offer_index("wijkteam-kort"), coaching = offer_index("begeleiding-individueel");
  const std::size_t helper = resident_with_help();
  const std::string c = "/offers/" + std::to_string(club), r = "/residents/" + std::to_string(helper);
  const std::string first_resident = example()["residents"][0]["key"];
  struct Case {
    std::function<void(json&)> mutate;
    std::string pointer, reason;
  };
  const std::vector<Case> cases{
      // The document.
      {[](json& d) { d["format_minor"] = 2; }, "/format_minor",
       "unsupported format version 1.2; this build reads up to 1.1"},
      {[](json& d) { d["format_minor"] = "1"; }, "/format_minor", "must be an integer in [0, 1000000], not a string"},
      // The organiser.
      {[&](json& d) { d["offers"][club]["organiser"] = "neighbours"; }, c + "/organiser",
       "must be an object, not a string"},
      {[&](json& d) { d["offers"][club]["organiser"]["kind"] = "neighbours"; }, c + "/organiser/kind",
       "must be one of organisation, residents, team"},
      {[&](json& d) { d["offers"][club]["organiser"].erase("kind"); }, c + "/organiser/kind", "missing required field"},
      {[&](json& d) { d["offers"][club]["organiser"]["name"] = "x"; }, c + "/organiser/name",
       "unknown field; expected one of kind, residents, organisation"},
      {[&](json& d) { d["offers"][club]["organiser"]["residents"][0] = "R9999"; }, c + "/organiser/residents/0",
       "unknown resident \"R9999\""},
      {[&](json& d) {
         d["offers"][club]["organiser"]["residents"][1] = d["offers"][club]["organiser"]["residents"][0];
       },
       c + "/organiser/residents/1", "duplicate organiser (first at index 0)"},
      {[&](json& d) { d["offers"][club]["organiser"]["residents"] = "R0001"; }, c + "/organiser/residents",
       "must be an array of resident keys"},
      {[&](json& d) { d["offers"][course]["organiser"]["residents"] = {first_resident}; },
       "/offers/" + std::to_string(course) + "/organiser/residents",
       "only a resident initiative (organiser kind residents) has organiser residents"},
      {[&](json& d) { d["offers"][team]["organiser"]["organisation"] = "dock"; },
       "/offers/" + std::to_string(team) + "/organiser/organisation",
       "only an organiser of kind organisation names an organisation"},
      {[&](json& d) { d["offers"][course]["organiser"]["organisation"] = "Humanitas"; },
       "/offers/" + std::to_string(course) + "/organiser/organisation", "must be a lowercase identifier"},
      {[&](json& d) { d["offers"][course]["organiser"]["organisation"] = ""; },
       "/offers/" + std::to_string(course) + "/organiser/organisation", "leave it out if not named"},
      // Volunteers.
      {[&](json& d) { d["offers"][club]["volunteers"] = json::object(); }, c + "/volunteers",
       "must be an array of volunteers, each {resident, hours_per_week}"},
      {[&](json& d) { d["offers"][club]["volunteers"][0]["resident"] = "R9999"; }, c + "/volunteers/0/resident",
       "unknown resident \"R9999\""},
      {[&](json& d) {
         d["offers"][club]["volunteers"][2]["resident"] = d["offers"][club]["volunteers"][0]["resident"];
       },
       c + "/volunteers/2/resident", "duplicate volunteer: the resident is listed earlier (first at index 0)"},
      {[&](json& d) { d["offers"][club]["volunteers"][0]["hours_per_week"] = 200; }, c + "/volunteers/0/hours_per_week",
       "must be a number (hours per week) in [0, 168], got 200"},
      {[&](json& d) { d["offers"][club]["volunteers"][0]["hours_per_week"] = "4"; }, c + "/volunteers/0/hours_per_week",
       "not a string"},
      {[&](json& d) { d["offers"][club]["volunteers"][1].erase("hours_per_week"); }, c + "/volunteers/1/hours_per_week",
       "missing required field"},
      {[&](json& d) { d["offers"][club]["volunteers"][1]["role"] = "cook"; }, c + "/volunteers/1/role",
       "unknown field; expected one of resident, hours_per_week"},
      {[&](json& d) { d["offers"][club]["volunteers"][1] = 3; }, c + "/volunteers/1",
       "must be an object, not an integer"},
      // The initiative.
      {[&](json& d) { d["offers"][club].erase("initiative"); }, c + "/initiative",
       "missing required field: a resident initiative (organiser kind residents) has a status"},
      {[&](json& d) {
         d["offers"][course]["initiative"] = {{"status", "running"}};
       },
       "/offers/" + std::to_string(course) + "/initiative",
       "only a resident initiative (organiser kind residents) has an initiative status"},
      {[&](json& d) { d["offers"][club]["initiative"]["status"] = "sleeping"; }, c + "/initiative/status",
       "must be one of idea, starting, running, paused, ended"},
      {[&](json& d) { d["offers"][club]["initiative"]["budget_euro"] = -5; }, c + "/initiative/budget_euro",
       "must be a number (budget in euro) in [0, 10000000], got -5"},
      {[&](json& d) { d["offers"][club]["initiative"]["grant"] = 5; }, c + "/initiative/grant",
       "unknown field; expected one of status, budget_euro"},
      {[&](json& d) {
         d["offers"][coaching]["organiser"] = d["offers"][club]["organiser"];
         d["offers"][coaching]["initiative"] = d["offers"][club]["initiative"];
       },
       "/offers/" + std::to_string(coaching) + "/level", "a resident initiative is a collective offer"},
      {[&](json& d) { d["offers"][club]["hours_per_seat"] = 169; }, c + "/hours_per_seat",
       "must be a number (hours per week) in [0, 168], got 169"},
      {[&](json& d) { d["offers"][club]["hours_per_seat"] = -0.5; }, c + "/hours_per_seat", "got -0.5"},
      // Help offered.
      {[&](json& d) { d["residents"][helper]["offers_help"] = true; }, r + "/offers_help",
       "must be an object, not a boolean"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["domains"] = json::array(); }, r + "/offers_help/domains",
       "must list at least one life domain"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["domains"] = {"carpentry"}; }, r + "/offers_help/domains/0",
       "must be one of finances"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["hours_per_week"] = 169; },
       r + "/offers_help/hours_per_week", "must be a number (hours per week) in [0, 168], got 169"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["radius_m"] = -1; }, r + "/offers_help/radius_m",
       "must be a number (distance in metres) in [0, 100000], got -1"},
      {[&](json& d) { d["residents"][helper]["offers_help"].erase("radius_m"); }, r + "/offers_help/radius_m",
       "missing required field"},
      {[&](json& d) {
         d["residents"][helper]["offers_help"]["day_parts"] = {{"funday", {"morning"}}};
       },
       r + "/offers_help/day_parts/funday", "unknown day"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["skills"] = "carpentry"; }, r + "/offers_help/skills",
       "unknown field; expected one of domains, hours_per_week, hours_used, day_parts, radius_m"},
      {[&](json& d) { d["residents"][helper]["offers_help"]["hours_used"] = 1000; }, r + "/offers_help/hours_used",
       "must be a number (hours per week) in [0, 168], got 1000"},
      {[&](json& d) {
         d["residents"][helper]["offers_help"]["hours_used"] =
             d["residents"][helper]["offers_help"]["hours_per_week"].get<double>() + 1;
       },
       r + "/offers_help/hours_used", "exceeds hours_per_week"},
  };
  for (const auto& x : cases) {
    INFO(x.pointer);
    const auto ps = problems_after(x.mutate);
    REQUIRE_PROBLEM(ps, x.pointer, x.reason);
    // One mutation, one problem: nothing is reported twice or at a stand-in.
    CHECK(ps.size() == 1);
  }
}

TEST_CASE("v1.1 fields only the binary form can get wrong are named like the JSON loader's", "[io][v1.1][binary]") {
  const auto model = wijkmatch::load_model(example_path);
  const auto club = *model.find_offer("eetclub-zambesi");
  const auto& o = model[club];
  // The v1.1 part of an offer ends right before the next offer's key: organiser kind, two
  // counts with their entries, the organisation, hours per seat, the initiative.
  const std::size_t tail = 1 + 4 + 4 * o.organiser.residents.size() + 4 + 4 + 12 * o.volunteers.size() + 8 + 1 + 1 + 8;
  const std::string next_key = model.offers.at(club.index() + 1).key;
  auto tail_at = [&](const std::string& b) {
    const std::string stored = static_cast<char>(next_key.size()) + next_key;
    const auto at = b.find(stored);
    REQUIRE(at != std::string::npos);
    return at - tail;
  };
  const std::string c = "/offers/" + std::to_string(club.index());
  auto ps = binary_problems_after([&](std::string& b) {
    const auto at = tail_at(b);
    b[at] = 7;                                       // organiser kind
    put_u32(b, at + 1 + 4, 99999);                   // first organiser
    put_u32(b, at + 1 + 4 + 8 + 4 + 4 + 12, 99999);  // second volunteer
    b[at + tail - 8 - 1 - 1] = 6;                    // initiative flags
  });
  INFO(dump(ps));
  CHECK(has_problem(ps, c + "/organiser/kind", "must be one of organisation, residents, team"));
  CHECK(has_problem(ps, c + "/organiser/residents/0", "unknown resident 99999"));
  CHECK(has_problem(ps, c + "/volunteers/1/resident", "unknown resident 99999"));
  CHECK(has_problem(ps, c + "/initiative", "unknown flags"));
  // A resident's help offer: a flag byte, then (when it is 1) 22 bytes, before the next resident.
  const std::size_t helper = resident_with_help();
  ps = binary_problems_after([&](std::string& b) {
    const std::string key = model.residents.at(helper + 1).key;
    const std::string stored = static_cast<char>(key.size()) + key;
    REQUIRE(b[b.find(stored) - 23] == 1);
    b[b.find(stored) - 23] = 5;
  });
  INFO(dump(ps));
  CHECK(has_problem(ps, "/residents/" + std::to_string(helper) + "/offers_help", "unknown flags"));
}

TEST_CASE("key lookup: every key found, copies and grown models included, duplicates refused as before",
          "[io][index]") {
  using wijkmatch::HouseholdId, wijkmatch::NeedId, wijkmatch::OfferId, wijkmatch::ProfessionalId, wijkmatch::ResidentId;
  wijkmatch::GenerateOptions options;
  options.residents = 3000;
  options.seed = 11;
  wijkmatch::Model m = wijkmatch::generate(options);
  REQUIRE(m.residents.size() == 3000);
  for (std::uint32_t i = 0; i < m.residents.size(); ++i) CHECK(m.find_resident(m.residents[i].key) == ResidentId(i));
  for (std::uint32_t i = 0; i < m.households.size(); ++i)
    CHECK(m.find_household(m.households[i].key) == HouseholdId(i));
  for (std::uint32_t i = 0; i < m.needs.size(); ++i) CHECK(m.find_need(m.needs[i].key) == NeedId(i));
  for (std::uint32_t i = 0; i < m.offers.size(); ++i) CHECK(m.find_offer(m.offers[i].key) == OfferId(i));
  for (std::uint32_t i = 0; i < m.professionals.size(); ++i)
    CHECK(m.find_professional(m.professionals[i].key) == ProfessionalId(i));
  CHECK_FALSE(m.find_resident("no-such-key"));
  CHECK_FALSE(m.find_resident(""));
  CHECK_FALSE(m.find_need(m.residents[0].key));  // each collection has its own key space

  // A copy looks up in its own entities; growing the vector (which moves short strings) does not
  // disturb the index, and one key at a time grows it past its first size.
  const wijkmatch::Model copy = m;
  m.residents.reserve(m.residents.size() * 4);
  for (int k = 0; k < 5000; ++k) {
    wijkmatch::Resident r = m.residents[0];
    r.key = "added-" + std::to_string(k);
    m.residents.push_back(r);
    m.index_key(ResidentId(static_cast<std::uint32_t>(m.residents.size() - 1)));
  }
  CHECK(m.find_resident("added-4999") == ResidentId(7999));
  CHECK(m.find_resident(m.residents[17].key) == ResidentId(17));
  CHECK_FALSE(copy.find_resident("added-0"));
  CHECK(copy.find_resident(copy.residents[2999].key) == ResidentId(2999));

  // A duplicate appended one at a time is refused and leaves the lookup as it was.
  m.residents.push_back(m.residents[5]);
  const auto last = ResidentId(static_cast<std::uint32_t>(m.residents.size() - 1));
  try {
    m.index_key(last);
    FAIL("a duplicate key was indexed");
  } catch (const wijkmatch::InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].pointer == "/residents/" + std::to_string(last.index()) + "/key");
    CHECK(e.problems()[0].reason == "duplicate key \"" + m.residents[5].key + "\"");
  }
  CHECK(m.find_resident(m.residents[5].key) == ResidentId(5));
  // rebuild_index names every duplicate with the first index, across collections.
  m.needs.push_back(m.needs[0]);
  try {
    m.rebuild_index();
    FAIL("duplicate keys were indexed");
  } catch (const wijkmatch::InputError& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].reason == "duplicate key \"" + m.residents[5].key + "\" (first at index 5)");
    CHECK(e.problems()[1].pointer == "/needs/" + std::to_string(m.needs.size() - 1) + "/key");
  }
}
