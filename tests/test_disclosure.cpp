// Disclosure control on linked counts: rounding, primary and secondary suppression, and the
// exact test of which suppressed cells the published ones give away.
#include <catch2/catch.hpp>

#include "wijkmatch/disclosure.hpp"
#include "wijkmatch/error.hpp"

using namespace wijkmatch;

namespace {

/// A 2 x 2 table with row totals, column totals and the grand total: cells
///   0 1 | 2
///   3 4 | 5
///   6 7 | 8
LinkedCounts two_by_two(long long a, long long b, long long c, long long d) {
  LinkedCounts t;
  t.values = {a, b, a + b, c, d, c + d, a + c, b + d, a + b + c + d};
  t.relations = {{{0, 1}, {1, 1}, {2, -1}}, {{3, 1}, {4, 1}, {5, -1}}, {{6, 1}, {7, 1}, {8, -1}},
                 {{0, 1}, {3, 1}, {6, -1}}, {{1, 1}, {4, 1}, {7, -1}}, {{2, 1}, {5, 1}, {8, -1}}};
  return t;
}

}  // namespace

TEST_CASE("counts are rounded to the nearest multiple, halves up", "[disclosure]") {
  CHECK(round_count(0, 5) == 0);
  CHECK(round_count(2, 5) == 0);
  CHECK(round_count(3, 5) == 5);
  CHECK(round_count(7, 5) == 5);
  CHECK(round_count(8, 5) == 10);
  CHECK(round_count(12, 10) == 10);
  CHECK(round_count(15, 10) == 20);
  CHECK(round_count(7, 1) == 7);
}

TEST_CASE("a single small cell takes three others with it in a 2 x 2 table", "[disclosure]") {
  // 3 is under the threshold; hiding it alone lets its row total minus 20 give it away. The
  // cheapest protection is the rectangle through the smallest other cells.
  const LinkedCounts t = two_by_two(3, 20, 30, 40);
  const auto s = suppress(t, 5);
  CHECK(s[0] == CellStatus::primary);
  CHECK(s[1] == CellStatus::secondary);
  CHECK(s[3] == CellStatus::secondary);
  CHECK(s[4] == CellStatus::secondary);
  for (std::size_t i : {2, 5, 6, 7, 8}) CHECK(s[i] == CellStatus::published);
  std::vector<bool> hidden(t.values.size());
  for (std::size_t i = 0; i < hidden.size(); ++i) hidden[i] = s[i] != CellStatus::published;
  CHECK(recoverable_cells(t, hidden).empty());
}

TEST_CASE("recoverable_cells finds what differencing and combinations give away", "[disclosure]") {
  const LinkedCounts t = two_by_two(3, 20, 30, 40);
  // One cell in a row with a published total: given away.
  std::vector<bool> hidden(9, false);
  hidden[0] = true;
  CHECK(recoverable_cells(t, hidden) == std::vector<std::size_t>{0});
  // Two cells of one row: the column totals still give both away.
  hidden[1] = true;
  CHECK(recoverable_cells(t, hidden) == std::vector<std::size_t>{0, 1});
  // A rectangle: no cell is fixed (any value can move around the cycle).
  hidden[3] = hidden[4] = true;
  CHECK(recoverable_cells(t, hidden).empty());
  // Every cell and margin hidden: nothing is fixed.
  CHECK(recoverable_cells(t, std::vector<bool>(9, true)).empty());
}

TEST_CASE("zeros are published and not used for protection while another cell can be", "[disclosure]") {
  const LinkedCounts t = two_by_two(0, 2, 9, 40);
  const auto s = suppress(t, 5);
  CHECK(s[0] == CellStatus::published);
  CHECK(s[1] == CellStatus::primary);
  std::vector<bool> hidden(9);
  for (std::size_t i = 0; i < 9; ++i) hidden[i] = s[i] != CellStatus::published;
  CHECK(recoverable_cells(t, hidden).empty());
}

TEST_CASE("disclosure checks its input", "[disclosure]") {
  LinkedCounts t = two_by_two(1, 2, 3, 4);
  CHECK_THROWS_AS(suppress(t, 0), InvalidArgument);
  t.values[0] = -1;
  CHECK_THROWS_AS(suppress(t, 5), InvalidArgument);
  t = two_by_two(1, 2, 3, 4);
  t.relations.push_back({{99, 1}});
  CHECK_THROWS_AS(suppress(t, 5), InvalidArgument);
  CHECK_THROWS_AS(recoverable_cells(two_by_two(1, 2, 3, 4), std::vector<bool>(3, false)), InvalidArgument);
}
