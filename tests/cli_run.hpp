// Runs the wijkmatch program in-process for a test: exit code, stdout and stderr.
#pragma once
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace wijkmatch::testing {

struct CliRun {
  int code;
  std::string out, err;
};

/// `wijkmatch ARGS...` through cli::run, with its output captured.
inline CliRun run_cli(std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out, err;
  const int code = wijkmatch::cli::run(views, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace wijkmatch::testing
