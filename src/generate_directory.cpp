// Streams a generated country (or city) to a directory: one file per municipality and a
// manifest, with one municipality in memory at a time.
#include <chrono>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "generate_detail.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {

GenerateReport generate_to_directory(const GenerateOptions& options, const std::filesystem::path& directory,
                                     ModelFileFormat format) {
  const auto start = std::chrono::steady_clock::now();
  const auto sizes = detail::plan_sizes(options);
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec || !std::filesystem::is_directory(directory)) throw Error("cannot create directory " + directory.string());
  GenerateReport report;
  report.municipalities = options.municipalities;
  nlohmann::json manifest;
  manifest["format"] = "wijkmatch-generated-manifest";
  manifest["format_version"] = 1;
  manifest["options"] = {{"residents", options.residents},
                         {"seed", options.seed},
                         {"municipalities", options.municipalities},
                         {"needs_per_100", options.needs_per_100},
                         {"offers_per_1000", options.offers_per_1000},
                         {"professionals_per_10000", options.professionals_per_10000}};
  nlohmann::json& list = manifest["municipalities"] = nlohmann::json::array();
  std::int64_t done = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Model m;
    detail::generate_into(options, static_cast<int>(i), sizes[i], m, done);
    const std::string code = municipality_code(static_cast<int>(i));
    nlohmann::json entry = {{"code", code},
                            {"residents", m.residents.size()},
                            {"households", m.households.size()},
                            {"ties", m.ties.size()},
                            {"needs", m.needs.size()},
                            {"offers", m.offers.size()},
                            {"professionals", m.professionals.size()}};
    nlohmann::json files = nlohmann::json::array();
    if (format == ModelFileFormat::json || format == ModelFileFormat::both) {
      const auto path = directory / (std::string(code) + ".json");
      save_model(m, path);
      report.files.push_back(path);
      files.push_back(path.filename().string());
    }
    if (format == ModelFileFormat::binary || format == ModelFileFormat::both) {
      const auto path = directory / (std::string(code) + ".wjm");
      save_model_binary(m, path);
      report.files.push_back(path);
      files.push_back(path.filename().string());
    }
    entry["files"] = std::move(files);
    list.push_back(std::move(entry));
    report.residents += static_cast<std::int64_t>(m.residents.size());
    report.households += static_cast<std::int64_t>(m.households.size());
    report.ties += static_cast<std::int64_t>(m.ties.size());
    report.needs += static_cast<std::int64_t>(m.needs.size());
    report.offers += static_cast<std::int64_t>(m.offers.size());
    report.professionals += static_cast<std::int64_t>(m.professionals.size());
    done += sizes[i];
    if (options.progress && !options.progress("generate", done, options.residents)) throw Cancelled();
  }
  manifest["totals"] = {{"residents", report.residents}, {"households", report.households},
                        {"ties", report.ties},           {"needs", report.needs},
                        {"offers", report.offers},       {"professionals", report.professionals}};
  const auto manifest_path = directory / "manifest.json";
  write_file_atomic(manifest_path, manifest.dump(2) + "\n");
  report.files.push_back(manifest_path);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.peak_rss_bytes = process_peak_rss_bytes();
  return report;
}

}  // namespace wijkmatch
