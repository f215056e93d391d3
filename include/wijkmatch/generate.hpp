// Synthetic neighbourhoods of any size that look like the real thing, for tests, benchmarks
// and what-if studies. Seeded and deterministic: the same options give the same model on
// every machine (the generator uses its own PRNG and integer arithmetic for every choice).
#pragma once
#include <cstdint>

#include "wijkmatch/model.hpp"

namespace wijkmatch {

struct GenerateOptions {
  std::int64_t residents = 1000;   ///< total residents (approximate: whole households)
  std::uint64_t seed = 1;
  int municipalities = 1;          ///< residents are spread over this many, with skewed sizes
  double needs_per_100 = 4.0;      ///< open needs per 100 residents (more in vulnerable areas)
  double offers_per_1000 = 4.0;    ///< collective offers per 1000 residents
  double professionals_per_10000 = 6.0;
};

/// Generates a valid model (it passes the loader's checks). O(residents).
/// Throws std::invalid_argument for options out of range.
Model generate(const GenerateOptions& options);

}  // namespace wijkmatch
