#include "cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace wijkmatch::cli {
namespace {

using namespace std::chrono_literals;

constexpr auto bar_interval = 100ms;   // redraws of the bar
constexpr auto line_interval = 2s;     // plain lines: at most one a tenth, and not closer than this
constexpr auto silent_interval = 30s;  // ... but one at least this often
constexpr int bar_width = 24;

// "850", "12.3k", "1.20M": rates and counts at a glance.
std::string compact(double x) {
  char text[32];
  if (x < 10'000)
    std::snprintf(text, sizeof text, "%.0f", x);
  else if (x < 10'000'000)
    std::snprintf(text, sizeof text, "%.1fk", x / 1e3);
  else
    std::snprintf(text, sizeof text, "%.2fM", x / 1e6);
  return text;
}

// "0:09", "12:34", "1:02:03".
std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  return text;
}

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

void add_quiet(CommandLine& command_line, bool& quiet) { command_line.add_flag("--quiet", quiet); }

ProgressReporter::ProgressReporter(std::ostream& err, bool quiet)
    : ProgressReporter(err, quiet, &err == &std::cerr && ::isatty(STDERR_FILENO) == 1) {}

ProgressReporter::ProgressReporter(std::ostream& err, bool quiet, bool terminal)
    : err_(err), quiet_(quiet), terminal_(terminal) {}

ProgressReporter::~ProgressReporter() {
  try {
    finish();
  } catch (...) {  // a failing stream must not end the program from a destructor
  }
}

ProgressCallback ProgressReporter::callback() {
  if (quiet_) return {};
  return [this](std::string_view stage, std::int64_t done, std::int64_t total) {
    update(stage, done, total);
    return true;
  };
}

void ProgressReporter::report(std::string_view stage, std::int64_t done, std::int64_t total) {
  if (!quiet_) update(stage, done, total);
}

void ProgressReporter::update(std::string_view stage, std::int64_t done, std::int64_t total) {
  // Workers call this concurrently: one draws, the others go back to work, except a call that
  // ends a stage, which waits its turn so that the end is never lost.
  std::unique_lock lock(mutex_, std::defer_lock);
  if (done >= total)
    lock.lock();
  else if (!lock.try_lock())
    return;
  const auto now = Clock::now();
  const bool fresh = stage != stage_;
  if (fresh) {
    close_stage();
    stage_ = stage;
    done_ = 0;
    tenth_ = 0;
    start_ = last_ = now;
    total_ = total;
    if (!terminal_) {
      err_ << stage_ << ": started, " << total << " in all\n";
      err_.flush();
    }
  }
  done_ = std::max(done_, done);  // calls from several threads may arrive out of order
  total_ = std::max(total, done_);
  if (terminal_) {
    if (fresh || done >= total || now - last_ >= bar_interval) draw_bar(now);
    return;
  }
  const int tenth = total_ > 0 ? static_cast<int>(done_ * 10 / total_) : 0;
  if ((tenth > tenth_ && tenth < 10 && now - last_ >= line_interval) || now - last_ >= silent_interval) {
    tenth_ = tenth;
    plain_line(now, false);
  }
}

void ProgressReporter::draw_bar(Clock::time_point now) {
  const double elapsed = seconds_between(start_, now);
  const double share = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 0.0;
  const int filled = static_cast<int>(share * bar_width);
  std::string line = "\r" + stage_ + " [" + std::string(static_cast<std::size_t>(filled), '#') +
                     std::string(static_cast<std::size_t>(bar_width - filled), '-') + "] " + std::to_string(done_) +
                     "/" + std::to_string(total_);
  char percent[16];
  std::snprintf(percent, sizeof percent, " %5.1f%%", 100.0 * share);
  line += percent;
  if (total_ <= 1) {
    // One step (writing a file): no rate to speak of.
  } else if (elapsed > 0.0 && done_ > 0) {
    const double rate = static_cast<double>(done_) / elapsed;
    line += "  " + compact(rate) + "/s  " + clock_text(static_cast<double>(total_ - done_) / rate) + " left";
  } else {
    line += "  -/s  -:-- left";
  }
  line += "\x1b[K";  // the rest of a longer earlier line
  err_ << line;
  err_.flush();
  drawn_ = true;
  last_ = now;
}

void ProgressReporter::plain_line(Clock::time_point now, bool closing) {
  const double elapsed = seconds_between(start_, now);
  const double rate = elapsed > 0.0 ? static_cast<double>(done_) / elapsed : 0.0;
  const int percent = total_ > 0 ? static_cast<int>(done_ * 100 / total_) : 100;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", elapsed);
  err_ << stage_ << ": " << done_ << "/" << total_ << " (" << percent << "%)";
  if (closing && total_ > 1)
    err_ << " in " << seconds << " s, " << compact(rate) << "/s\n";
  else if (closing)
    err_ << " in " << seconds << " s\n";
  else if (rate > 0.0)
    err_ << ", " << compact(rate) << "/s, about " << clock_text(static_cast<double>(total_ - done_) / rate)
         << " left\n";
  else
    err_ << "\n";
  err_.flush();
  last_ = now;
}

void ProgressReporter::close_stage() {
  if (stage_.empty()) return;
  if (!terminal_) plain_line(Clock::now(), true);
  stage_.clear();
}

void ProgressReporter::finish() {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  close_stage();
  if (terminal_ && drawn_) {
    err_ << "\r\x1b[K";
    err_.flush();
    drawn_ = false;
  }
}

}  // namespace wijkmatch::cli
