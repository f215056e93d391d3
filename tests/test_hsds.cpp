// HSDS and Amsterdam import, HSDS export, RD New, the offer's confirmation date and the stale
// reason in rankings (include/wijkmatch/hsds.hpp, docs/hsds.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "hsds_detail.hpp"
#include "temp_files.hpp"
#include "wijkmatch/hsds.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/ranking.hpp"

using namespace wijkmatch;
using wijkmatch::testing::TempDir;

namespace {

const std::filesystem::path source_dir = WIJKMATCH_SOURCE_DIR;
const std::filesystem::path test_data = source_dir / "tests" / "data" / "hsds";
const std::filesystem::path shared_data = WIJKMATCH_SHARED_DATA_DIR;

Date day(int y, unsigned m, unsigned d) { return std::chrono::year(y) / m / d; }

HsdsImportOptions test_options() {
  HsdsImportOptions o;
  o.label_points = load_label_points(test_data / "labelpoints.csv");
  return o;
}

// The problems of a failing import, one `pointer: reason` a line.
std::string import_problems(const std::filesystem::path& p, const HsdsMapping& m) {
  try {
    import_hsds(p, m, test_options());
  } catch (const InputError& e) {
    std::string out;
    for (const auto& pr : e.problems()) out += to_string(pr) + "\n";
    return out;
  }
  return "(no error)";
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const ImportNote* find_note(const std::vector<ImportNote>& notes, const std::string& part) {
  for (const auto& n : notes)
    if (contains(to_string(n), part)) return &n;
  return nullptr;
}

}  // namespace

TEST_CASE("WGS84 to RD New: the Amersfoort base point and points checked with PROJ", "[hsds][rd]") {
  const Location base = wgs84_to_rd(52.15517440, 5.38720621);
  CHECK(base.x_m == Approx(155000.0).margin(0.001));
  CHECK(base.y_m == Approx(463000.0).margin(0.001));
  // PROJ 9.1.1, cs2cs EPSG:4326 EPSG:28992 (EPSG operation "Amersfoort to WGS 84 (4)", stated
  // accuracy 1 m). The polynomial keeps within 0.35 m of it across the country.
  struct Point {
    double lat, lon, x, y;
  };
  const Point points[] = {{52.3731, 4.8924, 121304.134, 487362.184},  // Amsterdam, Dam
                          {53.2194, 6.5665, 233769.705, 582065.417},  // Groningen
                          {51.4416, 5.4697, 160735.808, 383614.760},  // Eindhoven
                          {50.8514, 5.6910, 176395.002, 317996.190},  // Maastricht
                          {51.9225, 4.4792, 92539.001, 437503.364},   // Rotterdam
                          {52.15517440, 5.38720621, 155000.185, 463000.234}};
  for (const auto& p : points) {
    const Location rd = wgs84_to_rd(p.lat, p.lon);
    CAPTURE(p.lat, p.lon, rd.x_m, rd.y_m);
    CHECK(std::hypot(rd.x_m - p.x, rd.y_m - p.y) < 0.35);
    // The inverse gives back the same point to well under a millimetre.
    const auto ll = rd_to_wgs84(rd);
    const Location again = wgs84_to_rd(ll[0], ll[1]);
    CHECK(std::hypot(again.x_m - rd.x_m, again.y_m - rd.y_m) < 1e-4);
  }
}

TEST_CASE("CSV reader: quotes, embedded commas, quotes and line breaks", "[hsds][csv]") {
  std::vector<Problem> problems;
  const auto rows = detail::read_csv(
      "\xEF\xBB\xBF"
      "id,text,n\r\n1,\"a, \"\"b\"\"\nc\",2\r\n2,,\r\n3,plain,4",
      problems);
  REQUIRE(problems.empty());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["id"] == "1");
  CHECK(rows[0]["text"] == "a, \"b\"\nc");
  CHECK(rows[0]["n"] == "2");
  CHECK(rows[1]["text"] == "");
  CHECK(rows[2]["n"] == "4");
  detail::read_csv("id,text\n1,\"open", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].reason == "unterminated quoted field");
  problems.clear();
  detail::read_csv("id\n1,2\n", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == "/0");
}

TEST_CASE("HSDS JSON and the tabular datapackage give the same offers", "[hsds]") {
  const HsdsMapping mapping = load_hsds_mapping(test_data / "mapping.json");
  const HsdsImport json = import_hsds(test_data / "directory.json", mapping, test_options());
  const HsdsImport csv = import_hsds(test_data / "tabular", mapping, test_options());
  CHECK(json.offers == csv.offers);
  CHECK(json.records == 4);
  REQUIRE(json.offers.size() == 2);

  const Offer& eat = json.offers[0];
  CHECK(eat.key == "sal-eat-boog");
  CHECK(eat.kind == "eating_club");
  CHECK(eat.level == LadderLevel::collective);
  CHECK(eat.fit[static_cast<std::size_t>(LifeDomain::social_network)] == 0.7);
  CHECK(eat.seats == 24);
  CHECK(eat.occupancy == 19);  // available 5 of maximum 24
  WeeklySchedule tue_thu;
  for (std::size_t d : {1U, 3U}) {
    tue_thu.insert(d, DayPart::afternoon);  // 17:30-19:30 overlaps afternoon and evening
    tue_thu.insert(d, DayPart::evening);
  }
  CHECK(eat.schedule == tue_thu);
  CHECK(eat.languages == std::vector<std::string>{"nl", "ar"});  // "ara" is ISO 639-2
  CHECK(eat.cost_per_month == 10.0);
  CHECK_FALSE(eat.eligibility.age_bands.contains(AgeBand::age_0_14));  // minimum_age 18
  CHECK(eat.eligibility.age_bands.contains(AgeBand::age_15_24));
  CHECK(eat.confirmed == day(2026, 1, 10));  // assured before the capacity was updated
  CHECK(eat.neighbourhood == "BU09990101");  // the nearest label point
  CHECK(eat.location.x_m == Approx(136012.59).margin(0.01));

  const Offer& debt = json.offers[1];
  CHECK(debt.neighbourhood == "BU09990102");  // its cbs_buurt identifier, not the nearest point
  CHECK(debt.confirmed == day(2025, 6, 1));   // capacity updated, no assured_date
  CHECK(debt.free_seats() == 0);
  CHECK(debt.languages == std::vector<std::string>{"nl"});  // the mapping's default
  WeeklySchedule monday;
  monday.insert(0, DayPart::morning);
  CHECK(debt.schedule == monday);

  REQUIRE(json.unmapped.size() == 2);
  CHECK(json.unmapped[0].record == "sal-chat");
  CHECK(contains(json.unmapped[0].reason, "virtual location"));
  CHECK(json.unmapped[1].record == "svc-yoga");
  CHECK(contains(json.unmapped[1].reason, "Open Eligibility/Exercise"));
  CHECK(find_note(json.warnings, "schedules/0/freq: record sal-debt-boog: a monthly rule becomes every week"));
  CHECK(find_note(json.warnings, "schedules.csv#/1/valid_from") == nullptr);
  CHECK(find_note(csv.warnings, "schedules.csv#/1/valid_from: record sal-debt-boog: valid_from is not kept"));
  CHECK(find_note(json.warnings, "minimum_age: record svc-eat: ages 18 and over widened"));
  CHECK(json.clean_offers == 0);
}

TEST_CASE("The Open Referral examples: available 12 above maximum 10 and latitude 100 are reported", "[hsds]") {
  const auto examples = shared_data / "hsds" / "examples";
  if (!std::filesystem::exists(examples)) {
    WARN("shared data folder " << examples << " absent: skipped");
    return;
  }
  const HsdsMapping mapping = load_hsds_mapping(source_dir / "examples" / "data" / "hsds-mapping-default.json");
  const std::string json_dir = import_problems(examples, mapping);
  CHECK(contains(json_dir,
                 "organization_full.json#/services/0/capacities/0/available: record "
                 "ac148810-d857-441c-9679-408f346de14b: available 12 exceeds maximum 10"));
  CHECK(contains(json_dir, "/location/latitude: record ac148810-d857-441c-9679-408f346de14b: latitude must be"));
  const std::string one = import_problems(examples / "service_full.json", mapping);
  CHECK(contains(one, "service_full.json#/capacities/0/available"));
  // The tabular form: its capacity row also names a service and a unit that do not exist.
  const std::string csv = import_problems(examples / "csv", mapping);
  CHECK(contains(csv,
                 "service_capacity.csv#/0/available: record 8896b788-7b3e-11ef-8db9-7f3d040352b3: available 12 "
                 "exceeds maximum 10"));
  CHECK(contains(csv, "service_capacity.csv#/0/service_id: record 8896b788-7b3e-11ef-8db9-7f3d040352b3: dangling"));
  CHECK(contains(csv, "service_capacity.csv#/0/unit_id"));
  CHECK(contains(csv, "locations.csv#/0/latitude"));
}

TEST_CASE("Malformed HSDS gives located errors and no offers", "[hsds]") {
  TempDir dir("hsds_malformed");
  const HsdsMapping mapping = load_hsds_mapping(test_data / "mapping.json");
  const std::string service_start =
      R"([{"id": "s1", "name": "x", "status": "active",
          "attributes": [{"id": "a", "taxonomy_term": {"id": "t", "name": "Meals", "description": "",
                                                      "taxonomy": "Open Eligibility"}}],
          "capacities": [{"id": "c", "unit": {"id": "u", "name": "person"}, "available": 1, "maximum": 2,
                          "updated": "2026-01-01"}],)";
  SECTION("a missing id, and one of the wrong type") {
    write(dir.path / "a.json", R"([{"name": "x", "status": "active"}, {"id": 5, "name": "y", "status": "active"}])");
    const std::string p = import_problems(dir.path / "a.json", mapping);
    CHECK(contains(p, "a.json#/0/id: record ?: missing required field: every service has an id"));
    CHECK(contains(p, "a.json#/1/id: record ?: must be a string"));
    CHECK_FALSE(contains(p, "a.json#/1/id: record ?: missing"));
  }
  SECTION("a bad time and closing before opening") {
    write(dir.path / "b.json", service_start + R"(
          "schedules": [{"id": "x1", "freq": "WEEKLY", "byday": "MO", "opens_at": "25:00", "closes_at": "26:00"},
                        {"id": "x2", "freq": "WEEKLY", "byday": "MO", "opens_at": "12:00", "closes_at": "11:00"},
                        {"id": "x3", "freq": "WEEKLY", "byday": "XX", "opens_at": "10:00", "closes_at": "11:00"}],
          "service_at_locations": [{"id": "l1", "location": {"id": "p", "location_type": "physical",
                                    "latitude": 52.115, "longitude": 5.11}}]}])");
    const std::string p = import_problems(dir.path / "b.json", mapping);
    CHECK(contains(p, "b.json#/0/schedules/0/opens_at: record l1: must be a time HH:MM or HH:MM:SS"));
    CHECK(contains(p, "b.json#/0/schedules/1/closes_at: record l1: closes_at must be after opens_at"));
    CHECK(contains(p, "b.json#/0/schedules/2/byday: record l1: must list days"));
  }
  SECTION("bad coordinates") {
    write(dir.path / "c.json", service_start + R"(
          "service_at_locations": [{"id": "l1", "location": {"id": "p", "location_type": "physical",
                                    "latitude": 52.1, "longitude": 200}}]}])");
    CHECK(contains(import_problems(dir.path / "c.json", mapping),
                   "c.json#/0/service_at_locations/0/location/longitude: record s1: latitude must be in [-90, 90]"));
  }
  SECTION("a dangling service_id and location_id in the tabular form") {
    std::filesystem::copy(test_data / "tabular", dir.path / "t");
    std::ofstream(dir.path / "t" / "service_at_location.csv", std::ios::app) << "sal-x,svc-none,loc-boog,\r\n"
                                                                             << "sal-y,svc-eat,loc-none,\r\n";
    const std::string p = import_problems(dir.path / "t", mapping);
    CHECK(contains(p, "service_at_location.csv#/4/service_id: record sal-x: dangling service_id"));
    CHECK(contains(p, "service_at_location.csv#/5/location_id: record svc-eat: dangling location_id"));
  }
  SECTION("an inactive service is unmapped, and its data is still checked") {
    const std::string inactive =
        R"([{"id": "s1", "name": "x", "status": "inactive",
             "capacities": [{"id": "c", "unit": {"id": "u", "name": "person"}, "available": 3, "maximum": 2,
                             "updated": "2026-01-01"}]}])";
    write(dir.path / "e.json", inactive);
    CHECK(contains(import_problems(dir.path / "e.json", mapping), "e.json#/0/capacities/0/available: record s1"));
    std::string fixed = inactive;
    fixed.replace(fixed.find("\"available\": 3"), 14, "\"available\": 1");
    write(dir.path / "e.json", fixed);
    const HsdsImport r = import_hsds(dir.path / "e.json", mapping, {});
    CHECK(r.offers.empty());
    REQUIRE(r.unmapped.size() == 1);
    CHECK(r.unmapped[0].reason == "status inactive: only active services become offers");
  }
  SECTION("values HSDS allows but wijkmatch's model does not") {
    write(dir.path / "f.json", service_start + R"(
          "cost_options": [{"id": "k", "currency": "EUR", "amount": 1e300, "amount_description": "per month"}],
          "service_at_locations": [{"id": "l1", "location": {"id": "p", "location_type": "physical",
                                    "latitude": 52.115, "longitude": 5.11}}]}])");
    CHECK(
        contains(import_problems(dir.path / "f.json", mapping),
                 "f.json#/0: record l1: the offer's cost_per_month must be a number (cost in euro) in [0, 10000000]"));
  }
  SECTION("capacity below zero") {
    write(dir.path / "d.json",
          R"([{"id": "s1", "name": "x", "status": "active",
               "capacities": [{"id": "c", "unit": {"id": "u", "name": "person"}, "available": -1,
                               "updated": "2026-01-01"}]}])");
    CHECK(contains(import_problems(dir.path / "d.json", mapping),
                   "d.json#/0/capacities/0/available: record s1: must be a whole number 0 or more"));
  }
}

TEST_CASE("import-hsds writes nothing when a record is wrong, and merges into a model", "[hsds][cli]") {
  TempDir dir("hsds_cli");
  write(dir.path / "bad.json", R"([{"name": "x", "status": "active"}])");
  const std::string mapping = (test_data / "mapping.json").string();
  const std::string out = (dir.path / "out.json").string();
  const std::string bad = (dir.path / "bad.json").string();
  std::ostringstream o, e;
  const std::string_view args[] = {"import-hsds", bad, "--mapping", mapping, out};
  CHECK(cli::run(args, o, e) == 2);
  CHECK(contains(e.str(), "bad.json#/0/id"));
  CHECK_FALSE(std::filesystem::exists(out));

  const std::string dir_json = (test_data / "directory.json").string();
  const std::string model = (source_dir / "examples" / "data" / "neighbourhood.json").string();
  const std::string lp = (test_data / "labelpoints.csv").string();
  std::ostringstream o2, e2;
  const std::string_view merge[] = {"import-hsds", dir_json, "--mapping",      mapping, out,
                                    "--into",      model,    "--label-points", lp};
  REQUIRE(cli::run(merge, o2, e2) == 0);
  CHECK(contains(o2.str(), "offers: 2\n"));
  CHECK(contains(o2.str(), "unmapped: 2\n"));
  const Model before = load_model(model), after = load_model(out);
  CHECK(after.offers.size() == before.offers.size() + 2);
  CHECK(after.households == before.households);
}

TEST_CASE("Export to HSDS and import again gives the same offers", "[hsds][export]") {
  TempDir dir("hsds_round_trip");
  const HsdsMapping mapping = load_hsds_mapping(test_data / "mapping.json");
  Model model;
  model.offers = import_hsds(test_data / "directory.json", mapping, test_options()).offers;
  // Add an offer that uses what HSDS has no field for: referral, severity, waiting, group size,
  // scattered age bands, a named organisation.
  Offer extra = model.offers[0];
  extra.key = "extra";
  extra.level = LadderLevel::individual;
  extra.eligibility = {};
  extra.eligibility.age_bands.insert(AgeBand::age_0_14);
  extra.eligibility.age_bands.insert(AgeBand::age_65_79);
  extra.eligibility.severity_min = 2;
  extra.eligibility.referral_required = true;
  extra.waiting_days = 30;
  extra.min_group_size = 3;
  extra.organiser.organisation = "buurtteam_noord";
  extra.confirmed.reset();
  model.offers.push_back(extra);
  model.rebuild_index();
  REQUIRE(model.check().empty());
  write(dir.path / "export.json", export_hsds(model, day(2026, 3, 1)));
  const HsdsImport back = import_hsds(dir.path / "export.json", mapping, {});
  REQUIRE(back.offers.size() == 3);
  CHECK(back.unmapped.empty());
  CHECK(back.warnings.empty());
  CHECK(back.offers[0] == model.offers[0]);
  CHECK(back.offers[1] == model.offers[1]);
  extra.confirmed = day(2026, 3, 1);  // an unconfirmed offer comes back confirmed on the export day
  CHECK(back.offers[2] == extra);
}

TEST_CASE("The Amsterdam directory through its mapping", "[hsds][amsterdam]") {
  const auto file = shared_data / "offers" / "amsterdam_armoede_aanbod.json";
  if (!std::filesystem::exists(file)) {
    WARN("shared data file " << file << " absent: skipped");
    return;
  }
  const HsdsMapping mapping = load_hsds_mapping(source_dir / "examples" / "data" / "hsds-mapping-amsterdam.json");
  const HsdsImport r = import_amsterdam(file, mapping);
  CHECK(r.records == 209);
  CHECK(r.offers.size() == 128);
  CHECK(r.unmapped.size() == 81);
  const auto count = [&](const std::string& part) {
    return std::count_if(r.unmapped.begin(), r.unmapped.end(),
                         [&](const ImportNote& n) { return contains(n.reason, part); });
  };
  CHECK(count("no mapping rule gives a ladder level") == 63);
  CHECK(count("city-wide") == 18);
  CHECK(r.clean_offers == 0);  // every schedule there is free text
  Model m;
  m.offers = r.offers;
  m.rebuild_index();
  CHECK(m.check().empty());
}

TEST_CASE("Rank a need against imported offers; old confirmations are stale", "[hsds][ranking]") {
  const HsdsMapping mapping = load_hsds_mapping(test_data / "mapping.json");
  Model m;
  m.offers = import_hsds(test_data / "directory.json", mapping, test_options()).offers;
  m.households.push_back({"H1", "BU09990101"});
  Resident r;
  r.key = "R1";
  r.household = HouseholdId(0);
  r.neighbourhood = "BU09990101";
  r.location = {136100.0, 458600.0};
  r.languages = {"ar"};
  r.max_travel_m = 1500;
  for (std::size_t d = 0; d < day_count; ++d) r.availability.insert(d, DayPart::evening);
  m.residents.push_back(r);
  Need n;
  n.key = "N1";
  n.resident = ResidentId(0);
  n.domain = LifeDomain::social_network;
  n.since = day(2026, 1, 5);
  m.needs.push_back(n);
  m.rebuild_index();
  REQUIRE(m.check().empty());

  Policy policy = default_policy();
  policy.today = day(2026, 3, 1);
  const Ranking fresh = rank(m, NeedId(0), policy, RankRequest::full());
  REQUIRE(fresh.proposal());
  CHECK(m[fresh.proposal()->offer].key == "sal-eat-boog");
  const auto stale = [](const Option& o) {
    return std::any_of(o.reasons.begin(), o.reasons.end(), [](const std::string& s) { return contains(s, "stale"); });
  };
  CHECK_FALSE(stale(*fresh.proposal()));
  policy.today = day(2026, 12, 1);
  const Ranking later = rank(m, NeedId(0), policy, RankRequest::full());
  REQUIRE(later.proposal());
  CHECK(std::find(later.proposal()->reasons.begin(), later.proposal()->reasons.end(),
                  "stale: not confirmed since 2026-01-10 (more than 180 days); check its places before referring") !=
        later.proposal()->reasons.end());
  policy.stale_after_days = 0;
  CHECK_FALSE(stale(*rank(m, NeedId(0), policy, RankRequest::full()).proposal()));
  // The policy members travel in policy files; the default one is left out of the text, so a
  // journal's policy digest from before they existed still matches.
  CHECK(parse_policy(to_json(policy)) == policy);
  CHECK(to_json(default_policy()).find("stale_after_days") == std::string::npos);
  CHECK(parse_policy(to_json(default_policy())).stale_after_days == 180);
}

TEST_CASE("An offer's confirmation date survives JSON and binary and is checked", "[hsds][format]") {
  TempDir dir("hsds_confirmed");
  const HsdsMapping mapping = load_hsds_mapping(test_data / "mapping.json");
  Model m;
  m.offers = import_hsds(test_data / "directory.json", mapping, test_options()).offers;
  m.offers[1].confirmed.reset();
  m.rebuild_index();
  CHECK(parse_model(to_json(m)) == m);
  save_model_binary(m, dir.path / "m.wjm");
  CHECK(load_model_binary(dir.path / "m.wjm") == m);
  std::string text = to_json(m);
  const auto at = text.find("\"2026-01-10\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 12, "\"2026-13-10\"");
  try {
    parse_model(text);
    FAIL("accepted a bad date");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].pointer == "/offers/0/confirmed");
  }
  // A model without confirmation dates is written as before (binary flags 0).
  m.offers[0].confirmed.reset();
  save_model_binary(m, dir.path / "plain.wjm");
  const std::string bytes = wijkmatch::testing::read_bytes(dir.path / "plain.wjm");
  REQUIRE(bytes.size() > 24);
  CHECK(bytes.substr(20, 4) == std::string(4, '\0'));
}

TEST_CASE("Mapping documents are checked with JSON pointers", "[hsds][mapping]") {
  try {
    parse_hsds_mapping(R"({"format": "wijkmatch-hsds-mapping", "format_version": 1,
        "rules": [{"name": "Meals", "level": "collective", "domains": {"food": 0.5}}, {"kind": "x"}],
        "areas": {"OO": {"neighbourhood": "BU1", "latitude": 10, "longitude": 5}}})");
    FAIL("accepted a bad mapping");
  } catch (const InputError& e) {
    std::string all;
    for (const auto& p : e.problems()) all += to_string(p) + "\n";
    CHECK(contains(all, "/rules/0/domains/food: unknown life domain"));
    CHECK(contains(all, "/rules/1: a rule matches a term by code or name"));
    CHECK(contains(all, "/areas/OO/neighbourhood: must be a CBS code"));
    CHECK(contains(all, "/areas/OO/latitude"));
  }
  for (const char* f : {"hsds-mapping-default.json", "hsds-mapping-amsterdam.json"})
    CHECK_NOTHROW(load_hsds_mapping(source_dir / "examples" / "data" / f));
}
