// DIMACS minimum-cost-flow files (the format of the First DIMACS Implementation Challenge):
//
//   c any comment                 comment lines, anywhere (blank lines are ignored too)
//   p min NODES ARCS              the problem line, exactly once, before any n or a line
//   n ID SUPPLY                   node descriptor: supply (> 0) or demand (< 0); default 0
//   a TAIL HEAD LOW CAP COST      arc descriptor, exactly ARCS of them
//
// Node ids are 1-based in the file and 0-based in MinCostFlow (id - 1); arcs keep file order.
// The reader is strict: every malformed line throws DimacsError "line N: reason". A token quoted
// in a reason shows printable ASCII as is (a backslash doubled) and every other byte as \xHH;
// of a longer token, the first 32 bytes and its length.
// Declared sizes allocate nothing until the lines back them: a node count above 2 per arc line,
// 1 per node line and 65536 nodes that no line mentions is refused, on the problem line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>

#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace wijkmatch {

/// A malformed DIMACS file. what() is "line N: reason"; N is 1-based.
class DimacsError : public Error {
 public:
  DimacsError(std::size_t line, const std::string& reason);
  /// The 1-based line the problem is on (for a missing line: one past the last line).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// The reason alone, without the "line N: " prefix.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::size_t line_;
  std::string reason_;
};

/// Reads a DIMACS min-cost-flow problem; DIMACS node i becomes node i - 1.
/// Throws DimacsError on malformed input (bounds as in MinCostFlow::add_arc / set_supply) and
/// on a node count the lines do not back (see above). Time and memory O(input + nodes).
/// Reads `in` to its end: for input of unknown size use the overload below.
MinCostFlow read_dimacs(std::istream& in);
/// Reads the DIMACS file `path` ("-": standard input) through read_input (io.hpp), so that no
/// more than `max_bytes` is taken from any source. Throws InputError when the input cannot be
/// read or passes the limit, DimacsError when it is malformed.
MinCostFlow read_dimacs(const std::filesystem::path& path, std::size_t max_bytes = default_max_input_bytes);

/// Writes the network (not the solution) in DIMACS format, readable by read_dimacs.
/// Each line of `comment`, if any, becomes a "c " line at the top.
void write_dimacs(std::ostream& out, const MinCostFlow& network, std::string_view comment = {});

}  // namespace wijkmatch
