// The synthetic generator (generate.hpp): a whole country, one municipality, or files.
#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

GenerateOptions generate_options(std::int64_t residents, std::uint64_t seed, int municipalities, double needs_per_100,
                                 double offers_per_1000, double professionals_per_10000) {
  return {.residents = residents,
          .seed = seed,
          .municipalities = municipalities,
          .needs_per_100 = needs_per_100,
          .offers_per_1000 = offers_per_1000,
          .professionals_per_10000 = professionals_per_10000};
}

/// The report of generate_to_directory as a dict.
py::dict report_dict(const GenerateReport& r) {
  py::dict out;
  out["municipalities"] = r.municipalities;
  using Count = std::int64_t GenerateReport::*;
  for (auto [key, count] : {std::pair<const char*, Count>{"residents", &GenerateReport::residents},
                            {"households", &GenerateReport::households},
                            {"ties", &GenerateReport::ties},
                            {"needs", &GenerateReport::needs},
                            {"offers", &GenerateReport::offers},
                            {"professionals", &GenerateReport::professionals},
                            {"peak_rss_bytes", &GenerateReport::peak_rss_bytes}})
    out[key] = r.*count;
  out["seconds"] = r.seconds;
  py::list files;
  for (const auto& p : r.files) files.append(p.string());
  out["files"] = files;
  return out;
}

#define WIJKMATCH_GENERATE_ARGS                                                                                    \
  py::arg("residents") = 1000, py::arg("seed") = 1, py::arg("municipalities") = 1, py::arg("needs_per_100") = 4.0, \
  py::arg("offers_per_1000") = 4.0, py::arg("professionals_per_10000") = 6.0

}  // namespace

void bind_generate(py::module_& m) {
  m.def(
      "generate",
      [](std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers, double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        return std::make_shared<Model>(run_interruptible([o] { return generate(o); }));
      },
      WIJKMATCH_GENERATE_ARGS,
      "A synthetic, valid model (seeded, deterministic). Raises ValueError for options out of range.");
  m.def(
      "municipality_count",
      [](std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers, double pros) {
        return municipality_count(generate_options(residents, seed, municipalities, needs, offers, pros));
      },
      WIJKMATCH_GENERATE_ARGS, "Number of municipalities these options generate.");
  m.def(
      "municipality_residents",
      [](int index, std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers,
         double pros) {
        return municipality_residents(generate_options(residents, seed, municipalities, needs, offers, pros), index);
      },
      py::arg("index"), WIJKMATCH_GENERATE_ARGS, "Residents of municipality `index` (0-based) under these options.");
  m.def(
      "generate_municipality",
      [](int index, std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers,
         double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        return std::make_shared<Model>(run_interruptible([o, index] { return generate_municipality(o, index); }));
      },
      py::arg("index"), WIJKMATCH_GENERATE_ARGS,
      "Municipality `index` (0-based) alone; equal to its part of generate() with the same options.");
  m.def(
      "generate_to_directory",
      [](const py::object& directory, const std::string& format, std::int64_t residents, std::uint64_t seed,
         int municipalities, double needs, double offers, double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        const std::string dir = fspath(directory);
        ModelFileFormat f = ModelFileFormat::binary;
        if (format == "json")
          f = ModelFileFormat::json;
        else if (format == "both")
          f = ModelFileFormat::both;
        else if (format != "binary")
          throw py::value_error("format must be 'json', 'binary' or 'both'");
        const GenerateReport r = run_interruptible([o, dir, f] { return generate_to_directory(o, dir, f); });
        return report_dict(r);
      },
      py::arg("directory"), py::arg("format") = "binary", WIJKMATCH_GENERATE_ARGS,
      "Writes one model file per municipality and manifest.json to `directory`; returns the report as a dict.");
}
}  // namespace wijkmatch::py_bindings
