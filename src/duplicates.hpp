// Private: finding repeated elements in O(n log n), for every duplicate check of the readers.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace wijkmatch::detail {

/// Comparisons of two elements made by find_duplicates in this thread. Complexity tests read
/// it before and after a load; nothing else does.
inline std::uint64_t& duplicate_comparisons() noexcept {
  thread_local std::uint64_t count = 0;
  return count;
}

/// An element equal to an earlier one: its position and the position of the first equal one.
struct Duplicate {
  std::size_t index;
  std::size_t first;
};

/// Every element of positions 0..n-1 that equals an earlier one, in order of position.
/// `key_of(i)` gives a value with operator<; positions for which `include(i)` is false take
/// no part (an element already refused, for example). O(n log n) comparisons, O(n) memory.
template <class KeyOf, class Include>
std::vector<Duplicate> find_duplicates(std::size_t n, KeyOf key_of, Include include) {
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (include(i)) order.push_back(i);
  auto& comparisons = duplicate_comparisons();
  // Stable, so that among equal elements the first position comes first.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    ++comparisons;
    return key_of(a) < key_of(b);
  });
  std::vector<Duplicate> found;
  for (std::size_t k = 1, first = 0; k < order.size(); ++k) {
    ++comparisons;
    if (key_of(order[first]) < key_of(order[k]))
      first = k;
    else
      found.push_back({order[k], order[first]});
  }
  std::sort(found.begin(), found.end(), [](const Duplicate& a, const Duplicate& b) { return a.index < b.index; });
  return found;
}

template <class KeyOf>
std::vector<Duplicate> find_duplicates(std::size_t n, KeyOf key_of) {
  return find_duplicates(n, key_of, [](std::size_t) { return true; });
}

}  // namespace wijkmatch::detail
