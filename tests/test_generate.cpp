// The generator (determinism, municipalities as parts of the whole, validity, distributions
// within the ranges docs/generator.md states), the binary model form (round trip, damaged and
// truncated files) and `wijkmatch generate`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

#include "temp_files.hpp"

using namespace wijkmatch;

using wijkmatch::testing::read_bytes;
using wijkmatch::testing::TempDir;

namespace {

const std::string example_path = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";

std::string dump(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += to_string(p) + "\n";
  return s;
}

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

int run_generate(std::vector<std::string> args, std::string* out_text = nullptr, std::string* err_text = nullptr) {
  // Through the program's entry point, as a user runs it (run() maps I/O errors to exit 2).
  args.insert(args.begin(), "generate");
  std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out, err;
  const int code = cli::run(cli::Args(views), out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return code;
}

bool is_adult(AgeBand a) { return a != AgeBand::age_0_14; }

}  // namespace

TEST_CASE("generation is deterministic and depends on the seed", "[generate]") {
  GenerateOptions o{.residents = 6000, .seed = 7, .municipalities = 2};
  const Model a = generate(o);
  CHECK(a == generate(o));
  o.seed = 8;
  CHECK_FALSE(a == generate(o));
  CHECK(a.residents.size() == 6000);
  CHECK_THROWS_AS(generate({.residents = 3, .municipalities = 4}), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(generate({.residents = 10, .needs_per_100 = -1}), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(generate_municipality({.residents = 10, .municipalities = 2}, 2), wijkmatch::InvalidArgument);
}

TEST_CASE("options out of range are refused with the range", "[generate][errors]") {
  auto message = [](const GenerateOptions& o) {
    try {
      (void)generate(o);
    } catch (const wijkmatch::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({.residents = 0}) == "residents must be in [1, 100000000]");
  CHECK(message({.residents = 10, .municipalities = 0}) == "municipalities must be in [1, 9999]");
  CHECK(message({.residents = 3, .municipalities = 4}) == "residents must be at least the number of municipalities");
  CHECK(message({.residents = 10, .needs_per_100 = 101}) == "needs_per_100 must be in [0, 100]");
  CHECK(message({.residents = 10, .offers_per_1000 = -1}) == "offers_per_1000 must be in [0, 100]");
  CHECK(message({.residents = 10, .offers_per_1000 = std::nan("")}) == "offers_per_1000 must be in [0, 100]");
  CHECK(message({.residents = 10, .professionals_per_10000 = 1000.5}) ==
        "professionals_per_10000 must be in [0, 1000]");
}

TEST_CASE("each municipality equals its part of the whole, with unique keys", "[generate]") {
  const GenerateOptions o{.residents = 30000, .seed = 11, .municipalities = 6};
  const Model whole = generate(o);
  REQUIRE(municipality_count(o) == 6);
  std::int64_t total = 0, previous = INT64_MAX;
  std::size_t hh = 0, res = 0, tie = 0, need = 0, offer = 0, pro = 0;
  for (int i = 0; i < 6; ++i) {
    INFO("municipality " << i);
    const std::int64_t n = municipality_residents(o, i);
    CHECK(n <= previous);  // largest first
    previous = n;
    total += n;
    const Model part = generate_municipality(o, i);
    REQUIRE(static_cast<std::int64_t>(part.residents.size()) == n);
    const std::string prefix = municipality_code(i) + "-";
    for (std::size_t k = 0; k < part.households.size(); ++k) {
      REQUIRE(part.households[k] == whole.households[hh + k]);
      REQUIRE(part.households[k].key.starts_with(prefix));
      REQUIRE(municipality_of(part.households[k].neighbourhood) == municipality_code(i));
    }
    for (std::size_t k = 0; k < part.residents.size(); ++k) {
      Resident r = part.residents[k];
      r.household = HouseholdId(r.household.index() + static_cast<std::uint32_t>(hh));
      for (auto& a : r.attends) a = OfferId(a.index() + static_cast<std::uint32_t>(offer));
      REQUIRE(r == whole.residents[res + k]);
    }
    for (std::size_t k = 0; k < part.ties.size(); ++k) {
      Tie t = part.ties[k];
      t.helper = ResidentId(t.helper.index() + static_cast<std::uint32_t>(res));
      t.helped = ResidentId(t.helped.index() + static_cast<std::uint32_t>(res));
      REQUIRE(t == whole.ties[tie + k]);
    }
    for (std::size_t k = 0; k < part.needs.size(); ++k) {
      Need x = part.needs[k];
      x.resident = ResidentId(x.resident.index() + static_cast<std::uint32_t>(res));
      REQUIRE(x == whole.needs[need + k]);
      REQUIRE(x.key.starts_with(prefix));
    }
    for (std::size_t k = 0; k < part.offers.size(); ++k) {
      Offer o = part.offers[k];
      for (auto& r : o.organiser.residents) r = ResidentId(r.index() + static_cast<std::uint32_t>(res));
      for (auto& v : o.volunteers) v.resident = ResidentId(v.resident.index() + static_cast<std::uint32_t>(res));
      REQUIRE(o == whole.offers[offer + k]);
    }
    for (std::size_t k = 0; k < part.professionals.size(); ++k)
      REQUIRE(part.professionals[k] == whole.professionals[pro + k]);
    hh += part.households.size();
    res += part.residents.size();
    tie += part.ties.size();
    need += part.needs.size();
    offer += part.offers.size();
    pro += part.professionals.size();
  }
  CHECK(total == o.residents);
  CHECK(hh == whole.households.size());
  CHECK(res == whole.residents.size());
  CHECK(tie == whole.ties.size());
  CHECK(need == whole.needs.size());
  CHECK(offer == whole.offers.size());
  CHECK(pro == whole.professionals.size());
  CHECK(whole.find_resident("GM0003-R1").has_value());
}

TEST_CASE("generated models are valid for the loader, also at the edges", "[generate]") {
  std::vector<GenerateOptions> cases{
      {.residents = 1},
      {.residents = 2, .seed = 3, .municipalities = 2},
      {.residents = 57, .seed = 4, .municipalities = 9},
      {.residents = 900, .seed = 5, .needs_per_100 = 0, .offers_per_1000 = 0, .professionals_per_10000 = 0},
      {.residents = 1500, .seed = 6, .needs_per_100 = 100, .offers_per_1000 = 100, .professionals_per_10000 = 1000},
      {.residents = 160000, .seed = 9},  // a city: city-sized neighbourhoods
  };
  for (const auto& o : cases) {
    INFO("residents " << o.residents << " municipalities " << o.municipalities);
    const Model m = generate(o);
    CHECK(static_cast<std::int64_t>(m.residents.size()) == o.residents);
    if (o.residents > 100000) {
      // The JSON validator is slow on large documents; the binary loader makes the same checks.
      TempDir dir("valid");
      save_model_binary(m, dir.path / "city.wjm");
      CHECK(load_model_binary(dir.path / "city.wjm") == m);
      continue;
    }
    const std::string text = to_json(m, -1);
    const auto problems = validate_model(text);
    INFO(dump(problems));
    REQUIRE(problems.empty());
    if (o.residents < 5000) CHECK(parse_model(text) == m);
  }
}

TEST_CASE("distributions stay within the ranges docs/generator.md states", "[generate][distributions]") {
  for (const std::int64_t residents : {60000, 200000}) {
    const GenerateOptions o{.residents = residents, .seed = 2024};
    const Model m = generate(o);
    INFO("residents " << residents);
    const auto n = static_cast<double>(m.residents.size());
    std::array<double, age_band_count> ages{};
    for (const auto& r : m.residents) ages[static_cast<std::size_t>(r.age_band)] += 1 / n;
    CHECK(ages[0] >= 0.10);
    CHECK(ages[0] <= 0.22);
    CHECK(ages[4] + ages[5] >= 0.10);
    CHECK(ages[4] + ages[5] <= 0.30);
    // Households: size and singles.
    std::vector<int> size(m.households.size(), 0);
    for (const auto& r : m.residents) ++size[r.household.index()];
    const double singles =
        static_cast<double>(std::count(size.begin(), size.end(), 1)) / static_cast<double>(size.size());
    CHECK(singles >= 0.35);
    CHECK(singles <= 0.65);
    const double mean_size = n / static_cast<double>(m.households.size());
    CHECK(mean_size >= 1.6);
    CHECK(mean_size <= 2.6);
    // Needs: the requested rate, more at older ages, parenting only with children at home.
    const double needs_per_100 = 100.0 * static_cast<double>(m.needs.size()) / n;
    CHECK(needs_per_100 >= 0.85 * o.needs_per_100);
    CHECK(needs_per_100 <= 1.15 * o.needs_per_100);
    std::array<double, age_band_count> need_rate{};
    for (const auto& x : m.needs) need_rate[static_cast<std::size_t>(m[x.resident].age_band)] += 1;
    for (std::size_t b = 0; b < age_band_count; ++b) need_rate[b] /= std::max(1.0, ages[b] * n);
    CHECK(need_rate[0] == 0);
    CHECK(need_rate[5] > 3 * need_rate[2]);
    std::vector<int> children(m.households.size(), 0);
    for (const auto& r : m.residents)
      if (r.age_band == AgeBand::age_0_14 || r.age_band == AgeBand::age_15_24) ++children[r.household.index()];
    for (const auto& x : m.needs)
      if (x.domain == LifeDomain::parenting) REQUIRE(children[m[x.resident].household.index()] > 0);
    // Collective offers and professionals at their rates.
    const auto collective = std::count_if(m.offers.begin(), m.offers.end(),
                                          [](const Offer& x) { return x.level == LadderLevel::collective; });
    CHECK(static_cast<double>(collective) / n * 1000 >= 0.8 * o.offers_per_1000);
    CHECK(static_cast<double>(collective) / n * 1000 <= 1.2 * o.offers_per_1000);
    CHECK(std::abs(static_cast<double>(m.professionals.size()) / n * 10000 - o.professionals_per_10000) <=
          0.1 * o.professionals_per_10000);
    for (auto level : {LadderLevel::basic_care, LadderLevel::individual, LadderLevel::specialist})
      CHECK(std::any_of(m.offers.begin(), m.offers.end(), [&](const Offer& x) { return x.level == level; }));
    // Ties: household cliques, and a share of adults with almost no network.
    std::vector<int> outside(m.residents.size(), 0);
    std::set<TieKind> kinds;
    for (const auto& t : m.ties) {
      kinds.insert(t.kind);
      if (t.kind != TieKind::household)
        ++outside[t.helped.index()], ++outside[t.helper.index()];
      else
        REQUIRE(m[t.helper].household == m[t.helped].household);
    }
    CHECK(kinds.size() == 4);  // household, family, neighbour, friend
    double adults = 0, isolated = 0;
    for (std::size_t r = 0; r < m.residents.size(); ++r)
      if (is_adult(m.residents[r].age_band)) {
        adults += 1;
        isolated += outside[r] == 0;
      }
    CHECK(isolated / adults >= 0.05);
    CHECK(isolated / adults <= 0.30);
    const double ties_per_resident = static_cast<double>(m.ties.size()) / n;
    CHECK(ties_per_resident >= 1.0);
    CHECK(ties_per_resident <= 4.0);
    // Neighbourhoods: CBS codes nested in districts; sizes as in the source tables.
    std::map<std::string, int> per_area;
    for (const auto& r : m.residents) ++per_area[r.neighbourhood];
    std::vector<int> sizes;
    for (const auto& [code, k] : per_area) {
      REQUIRE_FALSE(check_area_code(code, AreaLevel::neighbourhood));
      REQUIRE_FALSE(check_area_code(district_of(code), AreaLevel::district));
      sizes.push_back(k);
    }
    std::sort(sizes.begin(), sizes.end());
    const int median = sizes[sizes.size() / 2];
    if (residents >= 150000) {
      CHECK(median >= 1500);
      CHECK(median <= 3500);
    } else {
      CHECK(median >= 500);
      CHECK(median <= 1500);
    }
  }
}

TEST_CASE("municipality sizes are skewed like the Dutch ones", "[generate][distributions]") {
  const GenerateOptions o{.residents = 17'900'000, .municipalities = 342};
  std::vector<std::int64_t> sizes;
  std::int64_t total = 0;
  for (int i = 0; i < o.municipalities; ++i) total += sizes.emplace_back(municipality_residents(o, i));
  CHECK(total == o.residents);
  CHECK(std::is_sorted(sizes.rbegin(), sizes.rend()));
  const double largest_share = static_cast<double>(sizes.front()) / static_cast<double>(total);
  CHECK(largest_share >= 0.03);  // Amsterdam: 4.8% of the country
  CHECK(largest_share <= 0.07);
  const auto median = sizes[sizes.size() / 2];
  CHECK(median >= 20000);  // CBS 2019: about 27,000
  CHECK(median <= 60000);
  CHECK(sizes.back() >= 1000);
  CHECK(sizes.back() <= 10000);
}

TEST_CASE("binary form: round trip equal, smaller than JSON, load_any by extension", "[generate][binary]") {
  TempDir dir("binary");
  std::vector<Model> models{load_model(example_path)};
  models.push_back(generate({.residents = 2000, .seed = 3, .municipalities = 2}));
  for (const Model& m : models) {
    const auto bin = dir.path / "m.wjm", js = dir.path / "m.json";
    save_model_binary(m, bin);
    save_model(m, js);
    const Model back = load_model_binary(bin);
    CHECK(back == m);
    CHECK(to_json(back) == to_json(m));
    CHECK(back.find_resident(m.residents.back().key) == ResidentId(static_cast<std::uint32_t>(m.residents.size() - 1)));
    CHECK(load_any(bin) == m);
    CHECK(load_any(js) == m);
    CHECK(std::filesystem::file_size(bin) * 2 < std::filesystem::file_size(js));
  }
  CHECK_THROWS_AS(load_model_binary(dir.path / "missing.wjm"), InputError);
  LoadOptions small;
  small.max_bytes = 100;
  CHECK_THROWS_AS(load_model_binary(dir.path / "m.wjm", small), InputError);
  // A JSON file given as binary: wrong magic, reported for the whole document.
  try {
    load_model_binary(dir.path / "m.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.problems().at(0).pointer.empty());
    CHECK_THAT(e.what(), Catch::Contains("not a wijkmatch binary model"));
  }
}

TEST_CASE("binary form: every flipped byte and every truncation is an InputError", "[generate][binary][fuzz]") {
  TempDir dir("fuzz");
  const Model m = generate({.residents = 40, .seed = 5});
  const auto path = dir.path / "m.wjm";
  save_model_binary(m, path);
  const std::string good = read_bytes(path);
  REQUIRE(good.size() > 1000);
  std::uint64_t x = 12345;
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    bad[i] = static_cast<char>(bad[i] ^ static_cast<char>(1 + (x >> 56) % 255));
    write_bytes(path, bad);
    INFO("byte " << i);
    REQUIRE_THROWS_AS(load_model_binary(path), InputError);
  }
  for (std::size_t n = 0; n < good.size(); n += (n < 64 ? 1 : 7)) {
    write_bytes(path, good.substr(0, n));
    INFO("truncated to " << n);
    REQUIRE_THROWS_AS(load_model_binary(path), InputError);
  }
  write_bytes(path, good + "x");
  CHECK_THROWS_WITH(load_model_binary(path), Catch::Contains("trailing bytes"));
  write_bytes(path, good.substr(0, good.size() - 3));
  CHECK_THROWS_WITH(load_model_binary(path), Catch::Contains("truncated"));
  write_bytes(path, good);
  CHECK(load_model_binary(path) == m);
}

TEST_CASE("binary form: invalid models are refused with the entity's pointer", "[generate][binary]") {
  TempDir dir("invalid");
  const Model good = generate({.residents = 300, .seed = 8});
  const auto path = dir.path / "m.wjm";
  auto problem_of = [&](const std::function<void(Model&)>& mutate) -> Problem {
    Model m = good;
    mutate(m);
    save_model_binary(m, path);
    try {
      load_model_binary(path);
    } catch (const InputError& e) {
      return e.problems().at(0);
    }
    return {"(none)", "(no error)"};
  };
  auto p = problem_of([](Model& m) { m.residents[3].household = HouseholdId(1000000); });
  CHECK(p.pointer == "/residents/3/household");
  p = problem_of([](Model& m) { m.residents[4].age_band = static_cast<AgeBand>(9); });
  CHECK(p.pointer == "/residents/4/age_band");
  p = problem_of([](Model& m) { m.residents[5].key = "bad key"; });
  CHECK(p.pointer == "/residents/5/key");
  p = problem_of([](Model& m) { m.residents[6].key = m.residents[2].key; });
  CHECK(p.pointer == "/residents/6/key");
  CHECK_THAT(p.reason, Catch::Contains("duplicate key"));
  p = problem_of([](Model& m) {
    m.households[1].neighbourhood = "BU123";
    m.residents[0].neighbourhood = "BU123";
  });
  CHECK(p.pointer.starts_with("/households/"));
  p = problem_of([](Model& m) { m.ties[2].helped = m.ties[2].helper; });
  CHECK(p.pointer == "/ties/2/helped");
  p = problem_of([](Model& m) { m.ties.push_back(m.ties[0]); });
  CHECK(p.pointer == "/ties/" + std::to_string(good.ties.size()));
  CHECK_THAT(p.reason, Catch::Contains("duplicate tie"));
  p = problem_of([](Model& m) { m.ties[1].hours_used = m.ties[1].hours_per_week + 1; });
  CHECK(p.pointer == "/ties/1/hours_used");
  p = problem_of([](Model& m) { m.offers[0].occupancy = m.offers[0].seats + 1; });
  CHECK(p.pointer == "/offers/0/occupancy");
  p = problem_of([](Model& m) { m.offers[0].location.x_m = std::numeric_limits<double>::quiet_NaN(); });
  CHECK(p.pointer == "/offers/0/location/x");
  p = problem_of([](Model& m) { m.needs.at(0).severity = 0; });
  CHECK(p.pointer == "/needs/0/severity");
  // The pointer names the element, as the JSON loader's does.
  p = problem_of([](Model& m) { m.professionals.at(0).languages = {"Dutch"}; });
  CHECK(p.pointer == "/professionals/0/languages/0");
  p = problem_of([](Model& m) { m.professionals.at(0).work_area.clear(); });
  CHECK(p.pointer == "/professionals/0/work_area");
}

TEST_CASE("generate_to_directory streams one file per municipality and a manifest", "[generate][cli]") {
  TempDir dir("country");
  const GenerateOptions o{.residents = 3000, .seed = 21, .municipalities = 3};
  const auto report = generate_to_directory(o, dir.path / "out", ModelFileFormat::both);
  CHECK(report.municipalities == 3);
  CHECK(report.residents == 3000);
  CHECK(report.files.size() == 7);
  CHECK(report.peak_rss_bytes > 0);
  CHECK(report.seconds >= 0);
  const auto manifest = nlohmann::json::parse(read_bytes(dir.path / "out" / "manifest.json"));
  CHECK(manifest["municipalities"].size() == 3);
  CHECK(manifest["totals"]["residents"] == 3000);
  std::int64_t needs = 0;
  for (int i = 0; i < 3; ++i) {
    const auto code = municipality_code(i);
    const Model bin = load_model_binary(dir.path / "out" / (code + ".wjm"));
    CHECK(bin == generate_municipality(o, i));
    CHECK(load_model(dir.path / "out" / (code + ".json")) == bin);
    needs += static_cast<std::int64_t>(bin.needs.size());
  }
  CHECK(needs == report.needs);
}

TEST_CASE("generate_to_directory: a manifest that cannot be written leaves no temporary file", "[generate][io]") {
  TempDir dir("manifest");
  // A directory where the manifest should go: the rename over it fails.
  std::filesystem::create_directories(dir.path / "manifest.json" / "inside");
  CHECK_THROWS_WITH(generate_to_directory({.residents = 200, .seed = 3}, dir.path),
                    Catch::Contains("cannot write") && Catch::Contains("manifest.json"));
  CHECK(std::filesystem::is_directory(dir.path / "manifest.json" / "inside"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
    INFO(entry.path().filename().string());
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  }
}

TEST_CASE("wijkmatch generate: files, directories, report and exit codes", "[generate][cli]") {
  TempDir dir("cli");
  std::string out, err;
  CHECK(run_generate({"--help"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("usage: wijkmatch generate"));
  CHECK(run_generate({}, nullptr, &err) == 2);
  CHECK_THAT(err, Catch::Contains("missing --residents"));
  CHECK(run_generate({"--residents", "100", "x.json"}, nullptr, &err) == 2);
  CHECK_THAT(err, Catch::Contains("missing --seed"));
  CHECK(run_generate({"--residents", "0", "--seed", "1", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "12x", "--seed", "1", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "-1", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "--municipalities", "101", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "--format", "xml", "d"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "--format", "binary", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "--needs-per-100", "nan", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "--bogus", "x.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", "a.json", "b.json"}, nullptr, &err) == 2);
  CHECK(run_generate({"--residents", "100", "--seed", "1", (dir.path / "no" / "such" / "x.json").string()}, nullptr,
                     &err) == 2);
  CHECK_THAT(err, Catch::Contains("cannot write"));

  const auto js = (dir.path / "city.json").string();
  REQUIRE(run_generate({"--residents", "2500", "--seed", "4", "--municipalities", "2", "--needs-per-100", "8", js},
                       &out, &err) == 0);
  CHECK_THAT(out, Catch::Contains("residents      2500") && Catch::Contains("peak memory") && Catch::Contains("time"));
  const Model model = load_model(js);
  CHECK(model == generate({.residents = 2500, .seed = 4, .municipalities = 2, .needs_per_100 = 8}));
  const auto wjm = (dir.path / "city.wjm").string();
  REQUIRE(run_generate({"--seed", "4", "--residents", "2500", "--municipalities", "2", "--needs-per-100", "8", wjm},
                       &out) == 0);
  CHECK(load_model_binary(wjm) == model);
  const auto country = dir.path / "country";
  REQUIRE(run_generate(
              {"--residents", "3000", "--seed", "4", "--municipalities", "3", "--format", "json", country.string()},
              &out) == 0);
  CHECK(std::filesystem::exists(country / "GM0003.json"));
  CHECK_FALSE(std::filesystem::exists(country / "GM0001.wjm"));
  CHECK(std::filesystem::exists(country / "manifest.json"));
  CHECK_THAT(out, Catch::Contains("3 municipalities"));
}

TEST_CASE("the generator makes the same model under every compiler", "[generate][determinism]") {
  // The test command builds this test with GCC and with clang. A golden digest of a generated
  // town pins what both must produce: an unsequenced pair of draws once gave clang other
  // schedules than GCC for the same seed, and the allocation tests then differed.
  const std::string text = wijkmatch::to_json(wijkmatch::generate({.residents = 2000, .seed = 8}));
  std::uint64_t digest = 14695981039346656037ULL;  // FNV-1a, 64 bits
  for (const unsigned char c : text) digest = (digest ^ c) * 1099511628211ULL;
  // Changed deliberately with format v1.1 (resident initiatives, volunteers and help offered,
  // drawn from their own streams: the v1 part of the model is what it was).
  CHECK(text.size() == 3080209);
  CHECK(digest == 777189174900003479ULL);
}

TEST_CASE("generated resident initiatives and help offers follow A15 and A16", "[generate][v1.1]") {
  const Model m = generate({.residents = 40000, .seed = 7});
  const std::set<std::string> kinds{"eating_club",   "coffee_morning", "sports_buddies", "language_cafe",
                                    "walking_group", "homework_club",  "womens_group",   "repair_cafe"};
  int eligible = 0, initiatives = 0, one_organiser = 0, running = 0, fewer_seats = 0;
  for (const auto& o : m.offers) {
    INFO("offer " << o.key);
    if (o.kind == "team_short_support") CHECK(o.organiser.kind == OrganiserKind::team);
    if (o.level == LadderLevel::collective && kinds.count(o.kind)) ++eligible;
    if (!o.resident_initiative()) {
      CHECK(o.volunteers.empty());
      CHECK_FALSE(o.initiative);
      continue;
    }
    ++initiatives;
    REQUIRE(o.initiative);
    CHECK(kinds.count(o.kind) == 1);
    REQUIRE_FALSE(o.organiser.residents.empty());
    CHECK(o.volunteers.size() >= o.organiser.residents.size());
    CHECK(o.volunteers.size() <= 7);
    // Organisers volunteer first; everyone lives in the offer's neighbourhood and is 15 to 79.
    for (std::size_t k = 0; k < o.organiser.residents.size(); ++k)
      CHECK(o.volunteers[k].resident == o.organiser.residents[k]);
    for (const auto& v : o.volunteers) {
      const Resident& r = m[v.resident];
      CHECK(r.neighbourhood == o.neighbourhood);
      CHECK(r.age_band != AgeBand::age_0_14);
      CHECK(r.age_band != AgeBand::age_80_plus);
      CHECK(v.hours_per_week >= 1.0);
      CHECK(v.hours_per_week <= 8.0);
    }
    CHECK(o.hours_per_seat > 0.0);
    one_organiser += o.organiser.residents.size() == 1;
    running += o.initiative->status == InitiativeStatus::running;
    const bool active =
        o.initiative->status == InitiativeStatus::running || o.initiative->status == InitiativeStatus::starting;
    fewer_seats += active && effective_seats(o) < o.seats;
  }
  INFO(initiatives << " initiatives of " << eligible << " eligible offers");
  REQUIRE(eligible > 60);
  CHECK(std::abs(static_cast<double>(initiatives) / eligible - 0.4) < 0.15);
  CHECK(running > initiatives / 2);
  CHECK(one_organiser > 0);
  CHECK(one_organiser < initiatives / 2);
  CHECK(fewer_seats > 0);
  int helpers = 0, adults = 0;
  for (const auto& r : m.residents) {
    adults += r.age_band != AgeBand::age_0_14;
    if (!r.offers_help) continue;
    ++helpers;
    CHECK(r.age_band != AgeBand::age_0_14);
    CHECK_FALSE(r.offers_help->domains.empty());
    CHECK(r.offers_help->hours_per_week >= 1.0);
    CHECK(r.offers_help->hours_per_week <= 4.0);
    CHECK(r.offers_help->radius_m >= 400.0);
    CHECK(r.offers_help->radius_m <= 1500.0);
  }
  CHECK(std::abs(static_cast<double>(helpers) / adults - 0.04) < 0.01);
}
