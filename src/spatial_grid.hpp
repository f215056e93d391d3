// A uniform grid over RD New coordinates (cell -> ids), the one spatial index of the library:
// the ranking finds an offer's candidates with it, the partition of a country the offers a
// need of another municipality can reach. A query visits the cells that cover the square
// around the centre, so a cell about as large as the usual radius keeps it to a few cells.
#pragma once
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

class Grid {
 public:
  Grid() = default;
  explicit Grid(double cell_m) : cell_(cell_m) {}
  void insert(Location at, std::uint32_t id) { cells_[key(cell_of(at.x_m), cell_of(at.y_m))].push_back(id); }
  /// Calls fn(id) for every id in a cell that meets the square of half-width `radius` around
  /// `centre`: a superset of those within `radius`, which the caller checks.
  template <class Fn>
  void query(Location centre, double radius, Fn&& fn) const {
    if (cells_.empty()) return;
    const auto x0 = cell_of(centre.x_m - radius), x1 = cell_of(centre.x_m + radius);
    const auto y0 = cell_of(centre.y_m - radius), y1 = cell_of(centre.y_m + radius);
    for (auto x = x0; x <= x1; ++x)
      for (auto y = y0; y <= y1; ++y)
        if (auto it = cells_.find(key(x, y)); it != cells_.end())
          for (auto id : it->second) fn(id);
  }

 private:
  std::int64_t cell_of(double v) const { return static_cast<std::int64_t>(std::floor(v / cell_)); }
  static std::uint64_t key(std::int64_t x, std::int64_t y) {
    return (static_cast<std::uint64_t>(x) << 32) ^ static_cast<std::uint64_t>(y & 0xffffffff);
  }
  double cell_ = 1000.0;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells_;
};

}  // namespace wijkmatch::detail
