// Progress of long commands on stderr, drawn from the library's ProgressCallback.
//   - stderr a terminal: one bar line, redrawn in place with a carriage return at most ten
//     times a second: stage, done/total, percent, rate and time left; cleared at the end.
//   - otherwise (a log file, a pipe, a test's stream): plain lines, a few per stage: when it
//     starts, when it passes another tenth but not within 2 s of the last line (or after 30 s
//     without one), and when it ends, with its time and rate.
//   - --quiet: nothing.
// Standard output is never touched.
#pragma once
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

#include "cli/arguments.hpp"
#include "wijkmatch/progress.hpp"

namespace wijkmatch::cli {

/// `--quiet`: no progress on stderr.
void add_quiet(CommandLine& command_line, bool& quiet);

class ProgressReporter {
 public:
  /// Draws a bar when `err` is the process's standard error and that is a terminal.
  ProgressReporter(std::ostream& err, bool quiet);
  /// `terminal` chosen by the caller.
  ProgressReporter(std::ostream& err, bool quiet, bool terminal);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// A callback for the library (empty when quiet). Safe to call from many threads at once;
  /// a call that finds another one drawing returns at once, unless it ends a stage.
  ProgressCallback callback();
  /// Reports a stage the command runs itself (e.g. writing a file).
  void report(std::string_view stage, std::int64_t done, std::int64_t total);
  /// Ends the output: the last stage's closing line, or the bar cleared. Idempotent.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  void update(std::string_view stage, std::int64_t done, std::int64_t total);
  void close_stage();
  void draw_bar(Clock::time_point now);
  void plain_line(Clock::time_point now, bool closing);

  std::ostream& err_;
  bool quiet_, terminal_;
  std::mutex mutex_;
  std::string stage_;
  std::int64_t done_ = 0, total_ = 0;
  int tenth_ = 0;  // the last tenth a plain line reported
  Clock::time_point start_{}, last_{};
  bool drawn_ = false;  // a bar is on the terminal line
};

}  // namespace wijkmatch::cli
