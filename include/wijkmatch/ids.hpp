// Strong index types. Entities live in contiguous arrays; an id is a position in its array,
// typed so that a resident index can never be passed where an offer index is expected.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace wijkmatch {

template <class Tag>
class Id {
 public:
  using value_type = std::uint32_t;
  static constexpr value_type invalid_value = std::numeric_limits<value_type>::max();

  constexpr Id() noexcept = default;
  constexpr explicit Id(value_type index) noexcept : index_(index) {}
  constexpr value_type index() const noexcept { return index_; }
  constexpr bool valid() const noexcept { return index_ != invalid_value; }
  friend constexpr auto operator<=>(Id, Id) noexcept = default;

 private:
  value_type index_ = invalid_value;
};

using HouseholdId = Id<struct HouseholdTag>;
using ResidentId = Id<struct ResidentTag>;
using TieId = Id<struct TieTag>;
using NeedId = Id<struct NeedTag>;
using OfferId = Id<struct OfferTag>;
using ProfessionalId = Id<struct ProfessionalTag>;

}  // namespace wijkmatch

template <class Tag>
struct std::hash<wijkmatch::Id<Tag>> {
  std::size_t operator()(wijkmatch::Id<Tag> id) const noexcept { return id.index(); }
};
