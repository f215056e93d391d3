#include "wijkmatch/disclosure.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

namespace {

constexpr std::size_t none_index = std::numeric_limits<std::size_t>::max();

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
/// (sparse: local column -> coefficient). Gauss-Jordan elimination to reduced row echelon
/// form, kept sparse because a group can span thousands of cells (a hierarchy linked over many
/// periods) while each relation names few: the pivot of a column is the sparsest row holding
/// it (fewest fill-ins), ties to the lowest row.
std::vector<std::size_t> determined_in_group(std::vector<std::map<std::size_t, double>> rows, std::size_t cols) {
  constexpr double eps = 1e-9;
  std::vector<std::set<std::size_t>> rows_of(cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (auto it = rows[i].begin(); it != rows[i].end();)
      it = std::abs(it->second) <= eps ? rows[i].erase(it) : std::next(it);
    for (const auto& [c, v] : rows[i]) rows_of[c].insert(i);
  }
  std::vector<char> is_pivot_row(rows.size(), 0);
  std::vector<std::size_t> pivot_row_of_col(cols, none_index);
  for (std::size_t c = 0; c < cols; ++c) {
    std::size_t best = none_index;
    for (std::size_t i : rows_of[c])
      if (!is_pivot_row[i] && (best == none_index || rows[i].size() < rows[best].size())) best = i;
    if (best == none_index) continue;  // a free column
    is_pivot_row[best] = 1;
    pivot_row_of_col[c] = best;
    const double p = rows[best].at(c);
    for (auto& [k, v] : rows[best]) v /= p;
    const std::vector<std::size_t> others(rows_of[c].begin(), rows_of[c].end());
    for (std::size_t i : others) {
      if (i == best) continue;
      const double f = rows[i].at(c);
      for (const auto& [k, v] : rows[best]) {
        double& x = rows[i][k];
        if (x == 0.0) rows_of[k].insert(i);
        x -= f * v;
        if (k == c || std::abs(x) <= eps) {
          rows[i].erase(k);
          rows_of[k].erase(i);
        }
      }
    }
  }
  // In reduced row echelon form a pivot row holds its pivot and free columns only.
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < cols; ++c)
    if (pivot_row_of_col[c] != none_index && rows[pivot_row_of_col[c]].size() == 1) out.push_back(c);
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
  // (group, cell) and (group, relation) pairs sorted by group: per-group lists without a list
  // for every cell (this runs once per round of suppress(), over every count of a report).
  std::vector<std::pair<std::size_t, std::size_t>> cells, rels;
  for (std::size_t i = 0; i < n; ++i)
    if (suppressed[i]) cells.emplace_back(groups.find(i), i);
  for (std::size_t k : live)
    for (const auto& [cell, coef] : counts.relations[k])
      if (suppressed[cell]) {
        rels.emplace_back(groups.find(cell), k);
        break;
      }
  std::sort(cells.begin(), cells.end());
  std::sort(rels.begin(), rels.end());
  std::vector<std::size_t> out;
  std::vector<std::size_t> local(n, 0);
  for (std::size_t a = 0, b = 0; a < cells.size();) {
    const std::size_t g = cells[a].first;
    std::size_t end = a;
    while (end < cells.size() && cells[end].first == g) ++end;
    for (std::size_t j = a; j < end; ++j) local[cells[j].second] = j - a;
    while (b < rels.size() && rels[b].first < g) ++b;
    std::vector<std::map<std::size_t, double>> rows;
    for (; b < rels.size() && rels[b].first == g; ++b) {
      std::map<std::size_t, double> row;
      for (const auto& [cell, coef] : counts.relations[rels[b].second])
        if (suppressed[cell]) row[local[cell]] += coef;
      rows.push_back(std::move(row));
    }
    for (std::size_t j : determined_in_group(std::move(rows), end - a)) out.push_back(cells[a + j].second);
    a = end;
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
