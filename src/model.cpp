#include "wijkmatch/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

// Coordinates are bounded (RD New, under 10^6 m), so the plain formula cannot overflow and is
// several times faster than std::hypot on hot paths.
double distance_m(Location a, Location b) noexcept {
  const double dx = a.x_m - b.x_m, dy = a.y_m - b.y_m;
  return std::sqrt(dx * dx + dy * dy);
}

double Offer::volunteer_hours() const noexcept {
  double total = 0.0;
  for (const auto& v : volunteers) total += v.hours_per_week;
  return total;
}

int effective_seats(const Offer& o) noexcept {
  if (o.initiative) {
    const auto st = o.initiative->status;
    if (st != InitiativeStatus::starting && st != InitiativeStatus::running) return 0;
  }
  if (!(o.hours_per_seat > 0.0) || o.seats <= 0) return std::max(0, o.seats);
  // A relative tolerance, so that 3 volunteers of 1.2 hours carry 3 seats of 1.2 hours.
  const double carried = std::floor(o.volunteer_hours() / o.hours_per_seat * (1.0 + 1e-12) + 1e-9);
  if (!(carried > 0.0)) return 0;  // also NaN, from an unchecked model
  return carried >= static_cast<double>(o.seats) ? o.seats : static_cast<int>(carried);
}

bool Model::uses_v1_1() const noexcept {
  for (const auto& o : offers)
    if (!o.organiser.is_default() || !o.volunteers.empty() || o.initiative || o.hours_per_seat != 0.0 || o.confirmed)
      return true;
  for (const auto& r : residents)
    if (r.offers_help) return true;
  return false;
}

namespace {

std::uint64_t key_hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }

// A slot keeps the high half of the hash as a tag (the low bits choose the slot), so that a
// probe reads a key only when its tag matches.
constexpr std::uint64_t slot_of(std::uint64_t hash, std::uint32_t position) noexcept {
  return (hash & 0xFFFF'FFFF'0000'0000ULL) | (std::uint64_t{position} + 1);
}
constexpr std::uint32_t position_of(std::uint64_t slot) noexcept {
  return static_cast<std::uint32_t>(slot & 0xFFFF'FFFFULL) - 1;
}

}  // namespace

void Model::KeyIndex::reset(std::size_t expected) {
  std::size_t capacity = 16;
  while (capacity < 2 * expected) capacity *= 2;
  slots_.assign(capacity, 0);
  size_ = 0;
}

template <class Items>
std::optional<std::uint32_t> Model::KeyIndex::find(const Items& items, std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t hash = key_hash(key), mask = slots_.size() - 1, tag = hash & 0xFFFF'FFFF'0000'0000ULL;
  for (std::uint64_t at = hash & mask;; at = (at + 1) & mask) {
    const std::uint64_t slot = slots_[at];
    if (slot == 0) return std::nullopt;
    // A position past the end (entities removed without a rebuild) matches nothing.
    if ((slot & 0xFFFF'FFFF'0000'0000ULL) == tag) {
      const std::uint32_t p = position_of(slot);
      if (p < items.size() && items[p].key == key) return p;
    }
  }
}

template <class Items>
void Model::KeyIndex::grow(const Items& items) {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(old.size() * 2, 0);
  const std::uint64_t mask = slots_.size() - 1;
  for (const std::uint64_t slot : old) {
    if (slot == 0) continue;
    // The tag holds only the high half of the hash: the slot comes from the key again.
    const std::uint32_t p = position_of(slot);
    std::uint64_t at = key_hash(items[p].key) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = slot;
  }
}

template <class Items>
std::optional<std::uint32_t> Model::KeyIndex::insert(const Items& items, std::uint32_t i) {
  if (slots_.empty()) reset(items.size());
  if (2 * (size_ + 1) > slots_.size()) grow(items);
  const std::string_view key = items[i].key;
  const std::uint64_t hash = key_hash(key), mask = slots_.size() - 1, tag = hash & 0xFFFF'FFFF'0000'0000ULL;
  std::uint64_t at = hash & mask;
  for (; slots_[at] != 0; at = (at + 1) & mask) {
    const std::uint64_t slot = slots_[at];
    if ((slot & 0xFFFF'FFFF'0000'0000ULL) == tag) {
      const std::uint32_t p = position_of(slot);
      if (p < items.size() && items[p].key == key) return p;
    }
  }
  slots_[at] = slot_of(hash, i);
  ++size_;
  return std::nullopt;
}

namespace {

template <class IdT, class Index, class Vec>
void index_keys(Index& index, const Vec& items, std::string_view collection, std::vector<Problem>& problems) {
  index.reset(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    if (const auto first = index.insert(items, static_cast<std::uint32_t>(i)))
      problems.push_back({"/" + std::string(collection) + "/" + std::to_string(i) + "/key",
                          "duplicate key \"" + items[i].key + "\" (first at index " + std::to_string(*first) + ")"});
}

template <class IdT, class Index, class Vec>
void index_one(Index& index, const Vec& entities, IdT id, std::string_view collection) {
  const auto& key = entities.at(id.index()).key;
  if (index.insert(entities, static_cast<std::uint32_t>(id.index())))
    throw InputError(
        {{"/" + std::string(collection) + "/" + std::to_string(id.index()) + "/key", "duplicate key \"" + key + "\""}});
}

template <class IdT, class Index, class Vec>
std::optional<IdT> lookup(const Index& index, const Vec& items, std::string_view key) {
  const auto p = index.find(items, key);
  if (!p) return std::nullopt;
  return IdT(static_cast<typename IdT::value_type>(*p));
}

}  // namespace

std::optional<HouseholdId> Model::find_household(std::string_view key) const {
  return lookup<HouseholdId>(household_by_key_, households, key);
}
std::optional<ResidentId> Model::find_resident(std::string_view key) const {
  return lookup<ResidentId>(resident_by_key_, residents, key);
}
std::optional<NeedId> Model::find_need(std::string_view key) const { return lookup<NeedId>(need_by_key_, needs, key); }
std::optional<OfferId> Model::find_offer(std::string_view key) const {
  return lookup<OfferId>(offer_by_key_, offers, key);
}
std::optional<ProfessionalId> Model::find_professional(std::string_view key) const {
  return lookup<ProfessionalId>(professional_by_key_, professionals, key);
}

void Model::rebuild_index() {
  std::vector<Problem> problems;
  index_keys<HouseholdId>(household_by_key_, households, "households", problems);
  index_keys<ResidentId>(resident_by_key_, residents, "residents", problems);
  index_keys<NeedId>(need_by_key_, needs, "needs", problems);
  index_keys<OfferId>(offer_by_key_, offers, "offers", problems);
  index_keys<ProfessionalId>(professional_by_key_, professionals, "professionals", problems);
  if (!problems.empty()) throw InputError(std::move(problems));
}

void Model::index_key(HouseholdId id) { index_one(household_by_key_, households, id, "households"); }
void Model::index_key(ResidentId id) { index_one(resident_by_key_, residents, id, "residents"); }
void Model::index_key(NeedId id) { index_one(need_by_key_, needs, id, "needs"); }
void Model::index_key(OfferId id) { index_one(offer_by_key_, offers, id, "offers"); }
void Model::index_key(ProfessionalId id) { index_one(professional_by_key_, professionals, id, "professionals"); }

}  // namespace wijkmatch
