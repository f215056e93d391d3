// The memory figure of generate reports and benchmarks.
#include <sys/resource.h>

#include "wijkmatch/generate.hpp"

namespace wijkmatch {

std::int64_t process_peak_rss_bytes() noexcept {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace wijkmatch
