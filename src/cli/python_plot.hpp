// Plots through Python: `monitor --plot` and `simulate --plot` run a plotting module the
// program carries as text, on the command's JSON output, with $WIJKMATCH_PYTHON (default
// /usr/bin/python3, which has matplotlib on Debian through python3-matplotlib).
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>

namespace wijkmatch::cli {

/// Writes `script` as `script_name` and `json` into a temporary directory, runs
/// `python SCRIPT JSON DIR` with its output on `err`, and removes the temporary files.
/// Returns 0, or 1 (with a message on `err`) when Python cannot be run or fails.
int run_plot_script(std::string_view script, std::string_view script_name, const std::string& json,
                    const std::string& dir, std::ostream& err);

}  // namespace wijkmatch::cli
