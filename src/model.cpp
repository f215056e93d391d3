#include "wijkmatch/model.hpp"

#include <algorithm>
#include <cmath>

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
template <class IdT, class Map, class Vec>
std::optional<IdT> lookup(const Map& map, const Vec&, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

template <class IdT, class Map, class Vec>
void index_keys(Map& map, const Vec& items, std::string_view collection, std::vector<Problem>& problems) {
  map.clear();
  map.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = map.emplace(items[i].key, IdT(static_cast<typename IdT::value_type>(i)));
    if (!inserted)
      problems.push_back(
          {"/" + std::string(collection) + "/" + std::to_string(i) + "/key",
           "duplicate key \"" + items[i].key + "\" (first at index " + std::to_string(it->second.index()) + ")"});
  }
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

namespace {
template <class IdT, class Map, class Vec>
void index_one(Map& map, const Vec& entities, IdT id, std::string_view collection) {
  const auto& key = entities.at(id.index()).key;
  if (!map.emplace(key, id).second)
    throw InputError(
        {{"/" + std::string(collection) + "/" + std::to_string(id.index()) + "/key", "duplicate key \"" + key + "\""}});
}
}  // namespace

void Model::index_key(HouseholdId id) { index_one(household_by_key_, households, id, "households"); }
void Model::index_key(ResidentId id) { index_one(resident_by_key_, residents, id, "residents"); }
void Model::index_key(NeedId id) { index_one(need_by_key_, needs, id, "needs"); }
void Model::index_key(OfferId id) { index_one(offer_by_key_, offers, id, "offers"); }
void Model::index_key(ProfessionalId id) { index_one(professional_by_key_, professionals, id, "professionals"); }

}  // namespace wijkmatch
