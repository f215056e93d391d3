// Progress reporting and cancellation for long computations (rank_all, allocate).
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

/// Called with the stage ("rank", "solve", "groups"), the work done and the total work of that
/// stage. Return false to stop: the computation then throws Cancelled at its next check.
/// It may be called from worker threads, also concurrently, and must be thread-safe; keep it
/// cheap (it is called about every few hundred needs, and between solver stages).
using ProgressCallback = std::function<bool(std::string_view stage, std::int64_t done, std::int64_t total)>;

/// Thrown when a ProgressCallback asked to stop. No partial result is returned.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

}  // namespace wijkmatch
