// Fuzz target: the HSDS and Amsterdam importers (hsds.hpp) and the CSV reader under them.
// The first byte picks the source: 'C' the tabular datapackage (the rest split at NUL bytes
// into services.csv, service_at_location.csv, locations.csv, schedules.csv,
// service_capacity.csv, units.csv, languages.csv, cost_options.csv, attributes.csv,
// taxonomy_terms.csv), 'A' the Amsterdam directory, anything else one HSDS JSON document.
// Properties: only wijkmatch::Error escapes; every imported offer makes a valid model; an
// export of the imported offers imports back to the same offers (an offer without a
// confirmation date comes back confirmed on the export day).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_checks.hpp"
#include "hsds_detail.hpp"
#include "wijkmatch/hsds.hpp"

namespace {

constexpr std::string_view mapping_text = R"({"format": "wijkmatch-hsds-mapping", "format_version": 1,
  "default_seats": 10, "default_languages": ["nl"], "neighbourhood": "BU03630000",
  "areas": {"OO": {"neighbourhood": "BU03630530", "latitude": 52.35, "longitude": 4.92}},
  "rules": [
    {"name": "Meals", "kind": "eating_club", "level": "collective", "domains": {"social_network": 0.7}},
    {"code": "T-TEAM", "kind": "team_consult", "level": "basic_care", "domains": {"finances": 0.5}},
    {"taxonomy": "amsterdam_categorie", "name": "Ontspanning", "kind": "leisure", "level": "collective",
     "domains": {"time_use": 0.8}}]})";

void write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wijkmatch;
  if (size < 1 || size > 64 * 1024) return -1;
  static const HsdsMapping mapping = parse_hsds_mapping(mapping_text);
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wijkmatch_fuzz_hsds_" + std::to_string(::getpid()));
  const char mode = static_cast<char>(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  std::filesystem::path input = dir / "in.json";
  if (mode == 'C') {
    static constexpr const char* tables[] = {
        "services", "service_at_location", "locations",    "schedules",  "service_capacity",
        "units",    "languages",           "cost_options", "attributes", "taxonomy_terms"};
    std::size_t from = 0;
    for (const char* t : tables) {
      if (from > text.size()) break;
      const std::size_t end = std::min(text.find('\0', from), text.size());
      write(dir / (std::string(t) + ".csv"), text.substr(from, end - from));
      from = end + 1;
    }
    input = dir;
    std::vector<Problem> problems;
    fuzz::only_wijkmatch_errors("read_csv", [&] { detail::read_csv(text, problems); });
  } else {
    write(input, text);
  }

  HsdsImport imported;
  bool ok = false;
  fuzz::only_wijkmatch_errors("import", [&] {
    imported = mode == 'A' ? import_amsterdam(input, mapping) : import_hsds(input, mapping);
    ok = true;
  });
  if (ok && !imported.offers.empty()) {
    Model model;
    const std::string why = fuzz::only_wijkmatch_errors("merge_offers", [&] { merge_offers(model, imported.offers); });
    if (!why.empty()) std::fprintf(stderr, "%s\n", why.c_str());
    fuzz::require(why.empty(), "every imported offer makes a valid model");
    const Date as_of = std::chrono::year(2026) / 3 / 1;
    write(dir / "export.json", export_hsds(model, as_of));
    HsdsImport back;
    const std::string again =
        fuzz::only_wijkmatch_errors("import of an export", [&] { back = import_hsds(dir / "export.json", mapping); });
    if (!again.empty()) std::fprintf(stderr, "%s\n", again.c_str());
    fuzz::require(again.empty(), "an export imports back");
    fuzz::require(back.offers.size() == model.offers.size(), "an export imports back to as many offers");
    for (std::size_t i = 0; i < back.offers.size(); ++i) {
      Offer expected = model.offers[i];
      if (!expected.confirmed) expected.confirmed = as_of;
      fuzz::require(back.offers[i] == expected, "an export imports back to the same offers");
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
