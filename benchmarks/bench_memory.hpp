// Peak memory of a benchmark step, shared by the benchmark programs. Linux only: the peak
// resident set (VmHWM) is read from /proc/self/status and reset through
// /proc/self/clear_refs, so that each step reports its own peak rather than the process's.
#pragma once
#include <malloc.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace wijkmatch_bench {

/// A field of /proc/self/status in KiB (0 when absent).
inline long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string name(field);
  while (std::getline(in, line))
    if (line.rfind(name, 0) == 0) return std::atol(line.c_str() + name.size());
  return 0;
}

/// Starts a new peak: hands freed memory back first, so that the peak reflects live data.
inline void reset_peak_rss() {
  malloc_trim(0);
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

/// Peak resident set since the last reset, in MiB.
inline double peak_mb() { return static_cast<double>(status_kib("VmHWM:")) / 1024.0; }

}  // namespace wijkmatch_bench
