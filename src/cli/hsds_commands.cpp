// `wijkmatch import-hsds` and `wijkmatch export-hsds` (docs/hsds.md).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "json_util.hpp"
#include "wijkmatch/hsds.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view import_usage =
    "usage: wijkmatch import-hsds DIR_OR_FILE --mapping MAPPING.json OUT [--into MODEL]\n"
    "                             [--label-points CSV] [--source hsds|amsterdam] [--json]\n"
    "\n"
    "Imports offers from Open Referral HSDS 3.x (JSON documents, or a directory with the tabular\n"
    "datapackage: services.csv, ...) or from the Amsterdam poverty directory (--source amsterdam),\n"
    "mapping taxonomy terms to ladder levels and life domains with MAPPING (docs/hsds.md). OUT\n"
    "is a format v1 model: the offers alone, or MODEL with the offers added (an offer whose key\n"
    "is already there is replaced, keeping who runs it and its volunteers). --label-points gives\n"
    "CBS neighbourhood label points (statcode, lat, lon) for the nearest-neighbourhood rule.\n"
    "Prints the report: offers, clean offers, unmapped records and warnings, each\n"
    "`file#pointer: record ID: reason` (--json: one JSON object).\n"
    "Exit 0, or 2 when any record is wrong (every problem on stderr; nothing is written).\n";

constexpr std::string_view export_usage =
    "usage: wijkmatch export-hsds MODEL OUT [--as-of YYYY-MM-DD]\n"
    "\n"
    "Writes the model's offers as HSDS 3.1 JSON (an array of services with organization,\n"
    "service_at_locations, location, schedules and service_capacity; docs/hsds.md). Offers\n"
    "without a confirmation date get --as-of (default: today, UTC) as capacity update time.\n"
    "Exit 0, or 2 when MODEL is invalid.\n";

void print_notes(std::ostream& out, std::string_view title, const std::vector<ImportNote>& notes) {
  out << title << ": " << notes.size() << "\n";
  for (const auto& n : notes) out << "  " << to_string(n) << "\n";
}

nlohmann::json notes_json(const std::vector<ImportNote>& notes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& n : notes)
    a.push_back({{"file", n.file}, {"record", n.record}, {"pointer", n.pointer}, {"reason", n.reason}});
  return a;
}

}  // namespace

int import_hsds_command(Args args, std::ostream& out, std::ostream& err) {
  std::string source, output;
  std::optional<std::string> mapping_file, into, label_points;
  std::string kind = "hsds";
  bool as_json = false;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("import-hsds", import_usage);
  command_line.add_positional("DIR_OR_FILE", source);
  command_line.add_positional("OUT", output);
  command_line.add_text("--mapping", "MAPPING.json", mapping_file, "--mapping needs a mapping file");
  command_line.require("--mapping");
  command_line.add_text("--into", "MODEL", into, "--into needs a model file");
  command_line.add_text("--label-points", "CSV", label_points, "--label-points needs a CSV file");
  command_line.add_value("--source", "hsds|amsterdam", "--source must be hsds or amsterdam", [&](const std::string& v) {
    if (v != "hsds" && v != "amsterdam") return false;
    kind = v;
    return true;
  });
  command_line.add_flag("--json", as_json);
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  try {
    const HsdsMapping mapping = load_hsds_mapping(*mapping_file);
    HsdsImportOptions options;
    if (label_points) options.label_points = load_label_points(*label_points);
    HsdsImport result =
        kind == "amsterdam" ? import_amsterdam(source, mapping, options) : import_hsds(source, mapping, options);
    LoadOptions load;
    load.max_bytes = max_bytes;
    Model model = into ? load_any(*into, load) : Model{};
    merge_offers(model, result.offers);
    save_model(model, output);
    if (as_json) {
      nlohmann::json j{{"records", result.records},
                       {"offers", result.offers.size()},
                       {"clean_offers", result.clean_offers},
                       {"unmapped", notes_json(result.unmapped)},
                       {"warnings", notes_json(result.warnings)}};
      out << j.dump(2) << "\n";
    } else {
      out << "records: " << result.records << "\noffers: " << result.offers.size()
          << "\nclean offers: " << result.clean_offers << "\n";
      print_notes(out, "unmapped", result.unmapped);
      print_notes(out, "warnings", result.warnings);
    }
    return 0;
  } catch (const InputError& e) {
    print_input_error(err, e);
    return 2;
  }
}

int export_hsds_command(Args args, std::ostream& out, std::ostream& err) {
  std::string model_file, output;
  std::optional<Date> as_of;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("export-hsds", export_usage);
  command_line.add_positional("MODEL", model_file);
  command_line.add_positional("OUT", output);
  command_line.add_value("--as-of", "YYYY-MM-DD", "--as-of needs a date YYYY-MM-DD", [&](const std::string& v) {
    as_of = detail::parse_date(v);
    return as_of.has_value();
  });
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  try {
    LoadOptions load;
    load.max_bytes = max_bytes;
    const Model model = load_any(model_file, load);
    const Date day = as_of ? *as_of : std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    write_file_atomic(output, export_hsds(model, day));
    return 0;
  } catch (const InputError& e) {
    print_input_error(err, e);
    return 2;
  }
}

}  // namespace wijkmatch::cli
