// Synthetic neighbourhoods of any size that look like the real thing, for tests, benchmarks
// and what-if studies. Seeded and deterministic: the same options give the same model on
// every machine (the generator uses its own PRNG and integer arithmetic for every choice).
// Each municipality is generated from its own seed stream, so one municipality can be
// generated alone (for example as one task of a distributed run) and equals its part of the
// whole. Distributions and their sources: docs/generator.md.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "wijkmatch/error.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/progress.hpp"

namespace wijkmatch {

struct GenerateOptions {
  std::int64_t residents = 1000;  ///< total residents (approximate: whole households)
  std::uint64_t seed = 1;
  int municipalities = 1;        ///< residents are spread over this many, with skewed sizes
  double needs_per_100 = 4.0;    ///< open needs per 100 residents (more in vulnerable areas)
  double offers_per_1000 = 4.0;  ///< collective offers per 1000 residents
  double professionals_per_10000 = 6.0;
  /// generate() and generate_to_directory() call it as ("generate", residents done, residents
  /// in all) a few times per municipality (after each generation step; generate_to_directory
  /// also after a municipality's files are written), from the calling thread; return false to
  /// stop (Cancelled is thrown). It has no effect on what is generated. generate_municipality()
  /// does not call it.
  ProgressCallback progress{};
};

/// Generates a valid model (it passes the loader's checks). O(residents).
/// Throws InvalidArgument for options out of range.
Model generate(const GenerateOptions& options);

/// Number of municipalities `options` produces (equal to options.municipalities). O(1).
int municipality_count(const GenerateOptions& options);

/// Residents of municipality `index` (0-based) under `options`. O(municipalities).
std::int64_t municipality_residents(const GenerateOptions& options, int index);

/// CBS-style code of municipality `index` (0-based): "GM0001" for index 0. Keys of its entities
/// start with this code and '-', e.g. "GM0001-R17". Throws InvalidArgument outside [0, 9999).
std::string municipality_code(int index);

/// Generates municipality `index` alone; equal to that municipality's part of generate().
/// Keys are unique across municipalities. O(residents of that municipality).
Model generate_municipality(const GenerateOptions& options, int index);

/// Peak resident set size of this process so far, in bytes (0 where unknown). O(1).
std::int64_t process_peak_rss_bytes() noexcept;

enum class ModelFileFormat : std::uint8_t { json, binary, both };

struct GenerateReport {
  int municipalities = 0;
  std::int64_t residents = 0, households = 0, ties = 0, needs = 0, offers = 0, professionals = 0;
  double seconds = 0.0;
  std::int64_t peak_rss_bytes = 0;           ///< of this process, after generating
  std::vector<std::filesystem::path> files;  ///< written, one per municipality and format
};

/// Streams a generated country (or city) to `directory`: one file per municipality
/// (`GM0001.json` / `GM0001.wjm`) and `manifest.json`, holding one municipality in memory
/// at a time. Creates the directory. Throws Error on I/O failure.
GenerateReport generate_to_directory(const GenerateOptions& options, const std::filesystem::path& directory,
                                     ModelFileFormat format = ModelFileFormat::binary);

}  // namespace wijkmatch
