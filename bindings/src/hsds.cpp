// Real directories in and out (hsds.hpp): import_hsds, export_hsds.
#include <chrono>
#include <sstream>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

py::list notes(const std::vector<ImportNote>& list) {
  py::list out;
  for (const auto& n : list) {
    py::dict d;
    d["file"] = n.file;
    d["record"] = n.record;
    d["pointer"] = n.pointer;
    d["reason"] = n.reason;
    out.append(std::move(d));
  }
  return out;
}

std::optional<Date> parse_day(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  char a = 0, b = 0;
  std::istringstream in(*text);
  if (text->size() != 10 || !(in >> y >> a >> m >> b >> d) || a != '-' || b != '-')
    throw InvalidArgument("as_of must be a date YYYY-MM-DD");
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) throw InvalidArgument("as_of must be a date YYYY-MM-DD");
  return Date(ymd);
}

}  // namespace

void bind_hsds(py::module_& m) {
  m.def(
      "import_hsds",
      [](const py::object& path, const py::object& mapping, const py::object& label_points, const std::string& source,
         const std::optional<ModelPtr>& into) {
        if (source != "hsds" && source != "amsterdam")
          throw InvalidArgument("source must be \"hsds\" or \"amsterdam\"");
        const std::string p = fspath(path), mp = fspath(mapping);
        const std::optional<std::string> lp =
            label_points.is_none() ? std::nullopt : std::optional<std::string>(fspath(label_points));
        Model base = into && *into ? **into : Model{};
        auto result = run_interruptible([p, mp, lp, source, base]() mutable {
          const HsdsMapping map = load_hsds_mapping(mp);
          HsdsImportOptions options;
          if (lp) options.label_points = load_label_points(*lp);
          HsdsImport r = source == "amsterdam" ? import_amsterdam(p, map, options) : import_hsds(p, map, options);
          merge_offers(base, r.offers);
          return std::make_pair(std::move(base), std::move(r));
        });
        py::dict out;
        out["model"] = std::make_shared<Model>(std::move(result.first));
        out["records"] = result.second.records;
        out["offers"] = result.second.offers.size();
        out["clean_offers"] = result.second.clean_offers;
        out["unmapped"] = notes(result.second.unmapped);
        out["warnings"] = notes(result.second.warnings);
        return out;
      },
      py::arg("path"), py::arg("mapping"), py::arg("label_points") = py::none(), py::arg("source") = "hsds",
      py::arg("into") = py::none(),
      "Imports offers from Open Referral HSDS 3.x (a JSON file, the tabular datapackage directory or a "
      "directory of JSON files) or, with source=\"amsterdam\", the Amsterdam poverty directory, through "
      "the mapping file (docs/hsds.md). Returns {model, records, offers, clean_offers, unmapped, warnings}: "
      "the model holds the offers (merged into `into` when given); each unmapped record and warning is "
      "{file, record, pointer, reason}. Raises InputError (every problem, `file#pointer`) when any record "
      "is wrong.");
  m.def(
      "export_hsds",
      [](const ModelPtr& model, const py::object& path, const std::optional<std::string>& as_of) {
        const Date day =
            parse_day(as_of).value_or(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
        std::string text = export_hsds(*model, day);
        if (!path.is_none()) write_file_atomic(fspath(path), text);
        return json_loads(text);
      },
      py::arg("model"), py::arg("path") = py::none(), py::arg("as_of") = py::none(),
      "The model's offers as HSDS 3.1 JSON (a list of service documents), also written to `path` when "
      "given. Offers without a confirmation date get `as_of` (YYYY-MM-DD, default today UTC) as capacity "
      "update time.");
}

}  // namespace wijkmatch::py_bindings
