// The one spatial index of the library: a uniform grid over RD New coordinates, cell -> ids.
// Ranking keeps one per life domain and ladder group, the partition of a country one for the
// offers a need of another municipality can reach; anything else that looks up "what lies
// within r metres of here" uses this grid rather than a bucketing of its own.
//
// A query visits every cell the square [centre - r, centre + r]^2 touches and hands out all
// ids found there (a superset of the disc: the caller checks the distance). With a cell
// about as large as the typical radius that is 4 to 9 cells. Insert: O(1) amortised; query:
// O(cells touched + ids in them).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

class SpatialGrid {
 public:
  SpatialGrid() = default;
  explicit SpatialGrid(double cell_m) : cell_(cell_m) {}

  /// Inserts `id` at `at`, with a number of the caller's that query_within hands back (a
  /// radius, say), so a filter on it needs no look-up.
  void insert(Location at, std::uint32_t id, float tag = 0.0F) {
    cells_[key(cell_of(at.x_m), cell_of(at.y_m))].push_back({at, id, tag});
  }

  /// Removes `id` inserted at `at`, keeping the order of the others. O(ids in the cell).
  void erase(Location at, std::uint32_t id) {
    auto it = cells_.find(key(cell_of(at.x_m), cell_of(at.y_m)));
    if (it == cells_.end()) return;
    auto& ids = it->second;
    auto pos = std::find_if(ids.begin(), ids.end(), [id](const Entry& e) { return e.id == id; });
    if (pos != ids.end()) ids.erase(pos);
    if (ids.empty()) cells_.erase(it);
  }

  /// Calls fn(id) for every id in the cells the square around `centre` touches, cell by
  /// cell, in insertion order within a cell.
  template <class Fn>
  void query(Location centre, double radius, Fn&& fn) const {
    if (cells_.empty()) return;
    const auto x0 = cell_of(centre.x_m - radius), x1 = cell_of(centre.x_m + radius);
    const auto y0 = cell_of(centre.y_m - radius), y1 = cell_of(centre.y_m + radius);
    for (auto x = x0; x <= x1; ++x)
      for (auto y = y0; y <= y1; ++y)
        if (auto it = cells_.find(key(x, y)); it != cells_.end())
          for (const Entry& e : it->second) fn(e.id);
  }

  /// Like query, but hands out only the ids within `radius` of `centre` (by the locations
  /// they were inserted at), with their distance: fn(id, distance_m), or fn(id, distance_m,
  /// tag). The distance equals distance_m(centre, location). A hot path (ranking) filters here
  /// without touching the objects behind the ids.
  template <class Fn>
  void query_within(Location centre, double radius, Fn&& fn) const {
    if (cells_.empty()) return;
    const auto x0 = cell_of(centre.x_m - radius), x1 = cell_of(centre.x_m + radius);
    const auto y0 = cell_of(centre.y_m - radius), y1 = cell_of(centre.y_m + radius);
    // A slightly wider square test first; the exact test is the same sqrt as distance_m.
    const double r2 = radius * radius * (1.0 + 1e-9);
    for (auto x = x0; x <= x1; ++x)
      for (auto y = y0; y <= y1; ++y)
        if (auto it = cells_.find(key(x, y)); it != cells_.end())
          for (const Entry& e : it->second) {
            const double dx = e.at.x_m - centre.x_m, dy = e.at.y_m - centre.y_m;
            if (dx * dx + dy * dy > r2) continue;
            // distance_m's formula, inline (the square of -dx is the square of dx).
            if (const double d = std::sqrt(dx * dx + dy * dy); d <= radius) {
              if constexpr (std::is_invocable_v<Fn, std::uint32_t, double, float>)
                fn(e.id, d, e.tag);
              else
                fn(e.id, d);
            }
          }
  }

 private:
  std::int64_t cell_of(double v) const { return static_cast<std::int64_t>(std::floor(v / cell_)); }
  static std::uint64_t key(std::int64_t x, std::int64_t y) {
    return (static_cast<std::uint64_t>(x) << 32) ^ static_cast<std::uint64_t>(y & 0xffffffff);
  }
  // The location travels with the id, so a query can filter by distance in the cell's own
  // contiguous memory.
  struct Entry {
    Location at;
    std::uint32_t id;
    float tag;  ///< fills what would be padding
  };
  double cell_ = 1000.0;
  std::unordered_map<std::uint64_t, std::vector<Entry>> cells_;
};

}  // namespace wijkmatch::detail
