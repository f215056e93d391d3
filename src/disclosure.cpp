#include "wijkmatch/disclosure.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

namespace {

constexpr std::array<std::string_view, cell_status_count> status_names{"published", "primary", "secondary",
                                                                       "too_few_cases", "not_available"};

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

void check_counts(const LinkedCounts& c) {
  for (long long v : c.values)
    if (v < 0) throw InvalidArgument("disclosure: a count is negative");
  for (const auto& rel : c.relations)
    for (const auto& [cell, coef] : rel)
      if (cell >= c.values.size() || (coef != 1 && coef != -1))
        throw InvalidArgument(
            "disclosure: a relation names a cell that does not exist or a coefficient other than +-1");
}

/// Pivot variables of one group whose reduced row has no entry in a free column: those are
/// fixed by the published cells. `rows` are the relations restricted to the group's cells
/// (local column indices).
std::vector<std::size_t> determined_in_group(std::vector<std::vector<double>> rows, std::size_t cols) {
  constexpr double eps = 1e-9;
  std::vector<std::size_t> pivot_col_of_row;
  std::size_t r = 0;
  for (std::size_t c = 0; c < cols && r < rows.size(); ++c) {
    std::size_t best = r;
    for (std::size_t i = r + 1; i < rows.size(); ++i)
      if (std::abs(rows[i][c]) > std::abs(rows[best][c])) best = i;
    if (std::abs(rows[best][c]) <= eps) continue;
    std::swap(rows[r], rows[best]);
    const double p = rows[r][c];
    for (double& v : rows[r]) v /= p;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i == r || std::abs(rows[i][c]) <= eps) continue;
      const double f = rows[i][c];
      for (std::size_t k = c; k < cols; ++k) rows[i][k] -= f * rows[r][k];
      rows[i][c] = 0.0;
    }
    pivot_col_of_row.push_back(c);
    ++r;
  }
  std::vector<char> is_pivot(cols, 0);
  for (auto c : pivot_col_of_row) is_pivot[c] = 1;
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < pivot_col_of_row.size(); ++i) {
    bool fixed = true;
    for (std::size_t k = 0; k < cols && fixed; ++k)
      if (!is_pivot[k] && std::abs(rows[i][k]) > eps) fixed = false;
    if (fixed) out.push_back(pivot_col_of_row[i]);
  }
  return out;
}

}  // namespace

std::string_view to_string(CellStatus s) noexcept { return status_names[static_cast<std::size_t>(s)]; }

long long round_count(long long value, long long base) noexcept {
  if (base <= 1) return value;
  const long long down = value / base * base;
  return value - down >= base - (value - down) ? down + base : down;
}

std::vector<std::size_t> recoverable_cells(const LinkedCounts& counts, const std::vector<bool>& suppressed) {
  check_counts(counts);
  const std::size_t n = counts.values.size();
  if (suppressed.size() != n) throw InvalidArgument("disclosure: the pattern does not match the counts");
  // Published cells only move the right-hand side; whether a suppressed cell is fixed depends
  // on the relations among suppressed cells alone. Groups of suppressed cells that share no
  // relation are independent, which keeps each elimination small.
  UnionFind groups(n);
  std::vector<std::size_t> live;  // relations with a suppressed cell
  for (std::size_t k = 0; k < counts.relations.size(); ++k) {
    std::size_t first = n;
    for (const auto& [cell, coef] : counts.relations[k]) {
      if (!suppressed[cell]) continue;
      if (first == n)
        first = cell;
      else
        groups.unite(first, cell);
    }
    if (first != n) live.push_back(k);
  }
  std::vector<std::vector<std::size_t>> cells_of(n), relations_of(n);
  for (std::size_t i = 0; i < n; ++i)
    if (suppressed[i]) cells_of[groups.find(i)].push_back(i);
  for (std::size_t k : live)
    for (const auto& [cell, coef] : counts.relations[k])
      if (suppressed[cell]) {
        relations_of[groups.find(cell)].push_back(k);
        break;
      }
  std::vector<std::size_t> out;
  std::vector<std::size_t> local(n, 0);
  for (std::size_t g = 0; g < n; ++g) {
    const auto& cells = cells_of[g];
    if (cells.empty()) continue;
    for (std::size_t j = 0; j < cells.size(); ++j) local[cells[j]] = j;
    std::vector<std::vector<double>> rows;
    rows.reserve(relations_of[g].size());
    for (std::size_t k : relations_of[g]) {
      std::vector<double> row(cells.size(), 0.0);
      for (const auto& [cell, coef] : counts.relations[k])
        if (suppressed[cell]) row[local[cell]] += coef;
      rows.push_back(std::move(row));
    }
    for (std::size_t j : determined_in_group(std::move(rows), cells.size())) out.push_back(cells[j]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<CellStatus> suppress(const LinkedCounts& counts, long long threshold) {
  if (threshold < 1) throw InvalidArgument("disclosure: the threshold must be at least 1");
  check_counts(counts);
  const std::size_t n = counts.values.size();
  std::vector<CellStatus> status(n, CellStatus::published);
  std::vector<bool> hidden(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (counts.values[i] > 0 && counts.values[i] < threshold) {
      status[i] = CellStatus::primary;
      hidden[i] = true;
    }
  std::vector<std::vector<std::size_t>> relations_of(n);
  for (std::size_t k = 0; k < counts.relations.size(); ++k)
    for (const auto& [cell, coef] : counts.relations[k]) relations_of[cell].push_back(k);

  // The published cell of relation k that costs least to hide: smallest non-zero value, then
  // zero, ties to the lowest index. n when none is left.
  auto cheapest = [&](std::size_t k) {
    std::size_t best = n;
    auto cost = [&](std::size_t i) {
      return counts.values[i] == 0 ? std::numeric_limits<long long>::max() : counts.values[i];
    };
    for (const auto& [cell, coef] : counts.relations[k])
      if (!hidden[cell] && (best == n || cost(cell) < cost(best) || (cost(cell) == cost(best) && cell < best)))
        best = cell;
    return best;
  };
  auto hide = [&](std::size_t i) {
    hidden[i] = true;
    status[i] = CellStatus::secondary;
  };
  auto suppressed_in = [&](std::size_t k) {
    std::size_t m = 0;
    for (const auto& [cell, coef] : counts.relations[k]) m += hidden[cell];
    return m;
  };

  for (;;) {
    // Differencing first: a relation with exactly one suppressed cell gives it away. This
    // cheap pass settles most cells before the exact test.
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t k = 0; k < counts.relations.size(); ++k) {
        if (suppressed_in(k) != 1) continue;
        const std::size_t c = cheapest(k);
        if (c == n) continue;  // every cell of it hidden after all (a cell named twice)
        hide(c);
        changed = true;
      }
    }
    const std::vector<std::size_t> exposed = recoverable_cells(counts, hidden);
    if (exposed.empty()) return status;
    // Combinations of relations expose these. Hide one more cell in a relation of each, the
    // relation with the fewest suppressed cells first (closest to giving the cell away).
    std::vector<char> touched(counts.relations.size(), 0);
    bool progress = false;
    for (std::size_t i : exposed) {
      bool done = false;
      for (std::size_t k : relations_of[i])
        if (touched[k]) done = true;
      if (done) continue;
      std::vector<std::size_t> order = relations_of[i];
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return suppressed_in(a) < suppressed_in(b); });
      for (std::size_t k : order) {
        const std::size_t c = cheapest(k);
        if (c == n) continue;
        hide(c);
        for (std::size_t k2 : relations_of[c]) touched[k2] = 1;
        for (std::size_t k2 : relations_of[i]) touched[k2] = 1;
        progress = true;
        break;
      }
    }
    if (!progress) {
      // Every relation of every exposed cell is fully hidden, yet a cell is still fixed: only
      // a published cell elsewhere in its group can break that; hide the cheapest one of any
      // relation touching the group.
      for (std::size_t k = 0; k < counts.relations.size() && !progress; ++k) {
        if (suppressed_in(k) == 0) continue;
        const std::size_t c = cheapest(k);
        if (c == n) continue;
        hide(c);
        progress = true;
      }
      if (!progress) throw StateError("disclosure: no cell left to suppress");
    }
  }
}

}  // namespace wijkmatch
