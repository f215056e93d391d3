// The neighbourhood model: households, residents, ties, needs, offers and professionals.
// Format v1.1 adds who runs an offer (its organiser), its volunteers, the state of a resident
// initiative, and the help residents offer their neighbours (docs/format.md).
//
// Entities live in contiguous arrays and refer to each other by strong ids (positions in
// those arrays). Every entity carries a pseudonymous key (no names, no free text): keys are
// what files, output and error messages show. A Model is a plain value: copyable, comparable,
// and only ever produced complete (the loader never hands out a partial model).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/ids.hpp"

namespace wijkmatch {

/// A point in the Dutch national grid, RD New (EPSG:28992), in metres.
struct Location {
  double x_m = 0.0;
  double y_m = 0.0;
  friend bool operator==(const Location&, const Location&) = default;
};

/// Straight-line distance in metres. O(1).
double distance_m(Location a, Location b) noexcept;

using Date = std::chrono::sys_days;

struct Household {
  std::string key;
  std::string neighbourhood;  ///< CBS BU code
  friend bool operator==(const Household&, const Household&) = default;
};

/// Help a resident offers to neighbours, as the neighbours of Harry Helpt do (format v1.1).
/// Residents who have needs of their own may offer help too: reciprocity is the point.
struct HelpOffer {
  // Widest members first: every resident carries one (optional), so padding counts.
  double hours_per_week = 0.0;  ///< [0, 168]
  double radius_m = 0.0;        ///< how far from home the resident will go to help, [0, 100000]
  /// Of hours_per_week, the hours already given to neighbours the team introduced (the live
  /// engine's accepted referrals); [0, hours_per_week].
  double hours_used = 0.0;
  WeeklySchedule day_parts{};  ///< when; empty = by arrangement
  DomainSet domains;           ///< what the resident can help with; at least one domain
  double hours_left() const noexcept { return hours_per_week - hours_used; }
  friend bool operator==(const HelpOffer&, const HelpOffer&) = default;
};

struct Resident {
  std::string key;
  HouseholdId household;
  std::string neighbourhood;  ///< CBS BU code
  Location location;
  AgeBand age_band = AgeBand::age_25_44;
  std::vector<std::string> languages;      ///< ISO 639-1 codes, e.g. "nl", "ar"
  WeeklySchedule availability{};           ///< day-parts the resident can attend something
  double max_travel_m = 0.0;               ///< how far the resident can get to an offer
  bool group_averse = false;               ///< does not want group activities
  bool care_avoider = false;               ///< refuses contact with professionals
  std::vector<OfferId> attends{};          ///< offers the resident already takes part in
  std::optional<HelpOffer> offers_help{};  ///< v1.1: help the resident offers neighbours; none if not set
  friend bool operator==(const Resident&, const Resident&) = default;
};

/// Informal help from one resident to another. Directed: `helper` can help `helped` with
/// `domains` for up to `hours_per_week`, of which `hours_used` are already given. A
/// reciprocal relation is two ties.
struct Tie {
  ResidentId helper;
  ResidentId helped;
  TieKind kind = TieKind::neighbour;
  double strength = 0.5;  ///< (0, 1]: how much the relation can carry
  DomainSet domains;
  double hours_per_week = 0.0;
  double hours_used = 0.0;
  double hours_left() const noexcept { return hours_per_week - hours_used; }
  friend bool operator==(const Tie&, const Tie&) = default;
};

struct Need {
  std::string key;
  ResidentId resident;
  LifeDomain domain = LifeDomain::finances;
  int severity = 3;  ///< ZRM score 1 (acute) .. 5 (fully self-reliant)
  bool crisis = false;
  bool safety_report = false;  ///< a report to Veilig Thuis (safety at home)
  int rent_arrears_months = 0;
  Date since{};
  NeedStatus status = NeedStatus::open;
  friend bool operator==(const Need&, const Need&) = default;
};

struct Eligibility {
  AgeBandSet age_bands;  ///< empty: every age band
  int severity_min = 1;  ///< inclusive, 1..5
  int severity_max = 5;  ///< inclusive, 1..5
  bool referral_required = false;
  friend bool operator==(const Eligibility&, const Eligibility&) = default;
};

/// Who runs an offer (format v1.1). A v1 offer has the default: an organisation the file does
/// not name (kind organisation, empty `organisation`), which is how v1 treated every offer.
struct Organiser {
  OrganiserKind kind = OrganiserKind::organisation;
  /// kind residents: the residents who run the initiative, each once. May be empty when the
  /// last organiser has left (the initiative is then at risk, see fragility.hpp); empty for
  /// the other kinds.
  std::vector<ResidentId> residents{};
  /// kind organisation: an identifier of the organisation (e.g. "dock", "buurtteam_noord");
  /// empty = not named. Empty for the other kinds.
  std::string organisation{};
  /// True for the default (an unnamed organisation): such an offer is written as in v1.
  bool is_default() const noexcept {
    return kind == OrganiserKind::organisation && residents.empty() && organisation.empty();
  }
  friend bool operator==(const Organiser&, const Organiser&) = default;
};

/// A resident who volunteers at an offer for some hours a week (format v1.1).
struct Volunteer {
  ResidentId resident;
  double hours_per_week = 0.0;  ///< [0, 168]
  friend bool operator==(const Volunteer&, const Volunteer&) = default;
};

/// The state of a resident initiative (format v1.1); set exactly for offers whose organiser
/// kind is residents.
struct Initiative {
  InitiativeStatus status = InitiativeStatus::running;
  std::optional<double> budget_euro{};  ///< bewonersbudget granted, euro, [0, 10 000 000]; none = not known
  friend bool operator==(const Initiative&, const Initiative&) = default;
};

struct Offer;
/// The seats of `offer` that count now: its seats, limited by what its volunteers carry. An
/// offer with `hours_per_seat` > 0 has at most floor(volunteer hours / hours_per_seat) seats
/// (an initiative or an organisation's volunteer-run activity alike); a resident initiative
/// that is an idea, paused or ended has none. Occupancy may exceed this after volunteers leave
/// (nobody is sent away): free_seats() is then negative and nobody new gets a place. Ranking,
/// allocation, the live engine and the summary all count these seats. O(volunteers).
int effective_seats(const Offer& offer) noexcept;

struct Offer {
  std::string key;
  std::string kind;  ///< identifier of the type of offer, e.g. "eating_club", "debt_course"
  LadderLevel level = LadderLevel::collective;
  std::array<double, life_domain_count> fit{};  ///< fit weight per domain in [0, 1]; 0 = not served
  int seats = 0;                                ///< participants (or clients) at the same time
  int occupancy = 0;                            ///< seats taken now, <= seats
  int min_group_size = 0;                       ///< the group runs only with at least this many participants
  WeeklySchedule schedule;                      ///< sessions; empty = by appointment
  Location location;
  std::string neighbourhood;  ///< CBS BU code of the location
  std::vector<std::string> languages;
  double cost_per_month = 0.0;  ///< euro per participant per month
  Eligibility eligibility;
  int waiting_days = 0;  ///< expected wait before a start
  // Format v1.1; the defaults are what a v1 offer means.
  Organiser organiser{};                   ///< who runs it
  std::vector<Volunteer> volunteers{};     ///< residents who volunteer at it, each once
  std::optional<Initiative> initiative{};  ///< set exactly when organiser.kind is residents
  double hours_per_seat =
      0.0;  ///< volunteer hours a week one seat needs, [0, 168]; 0 = seats do not depend on volunteers
  /// v1.1: the day the offer's data (its places above all) was last confirmed by whoever runs
  /// it, e.g. HSDS `assured_date`; none = never recorded. Ranking flags an offer whose
  /// confirmation is older than Policy::stale_after_days.
  std::optional<Date> confirmed{};
  /// Seats free now: effective_seats() minus occupancy; negative when volunteers left while
  /// the seats were taken. O(volunteers).
  int free_seats() const noexcept { return effective_seats(*this) - occupancy; }
  /// A resident initiative: run by residents (organiser kind residents).
  bool resident_initiative() const noexcept { return organiser.kind == OrganiserKind::residents; }
  /// Volunteer hours a week, summed. O(volunteers).
  double volunteer_hours() const noexcept;
  bool serves(LifeDomain d) const noexcept { return fit[static_cast<std::size_t>(d)] > 0.0; }
  friend bool operator==(const Offer&, const Offer&) = default;
};

struct Professional {
  std::string key;
  DomainSet specialisms;
  std::vector<std::string> languages;
  std::vector<std::string> work_area;  ///< CBS BU codes
  int caseload_cap = 0;
  int caseload = 0;
  int caseload_room() const noexcept { return caseload_cap - caseload; }
  friend bool operator==(const Professional&, const Professional&) = default;
};

/// A whole neighbourhood (or city). Build it with the loader or add entities and call
/// `rebuild_index()`; `check()` validates it as the loaders do.
class Model {
 public:
  std::vector<Household> households;
  std::vector<Resident> residents;
  std::vector<Tie> ties;
  std::vector<Need> needs;
  std::vector<Offer> offers;
  std::vector<Professional> professionals;

  const Household& operator[](HouseholdId id) const { return households.at(id.index()); }
  const Resident& operator[](ResidentId id) const { return residents.at(id.index()); }
  const Tie& operator[](TieId id) const { return ties.at(id.index()); }
  const Need& operator[](NeedId id) const { return needs.at(id.index()); }
  const Offer& operator[](OfferId id) const { return offers.at(id.index()); }
  const Professional& operator[](ProfessionalId id) const { return professionals.at(id.index()); }

  /// Lookup by key. O(1) expected; requires `rebuild_index()` after edits.
  std::optional<HouseholdId> find_household(std::string_view key) const;
  std::optional<ResidentId> find_resident(std::string_view key) const;
  std::optional<NeedId> find_need(std::string_view key) const;
  std::optional<OfferId> find_offer(std::string_view key) const;
  std::optional<ProfessionalId> find_professional(std::string_view key) const;

  /// Rebuilds the key maps. O(n). Throws InputError on a duplicate key.
  void rebuild_index();
  /// Adds the key of one entity, appended after the last rebuild, to the lookup. O(1)
  /// expected. Throws InputError on a duplicate key (the lookup is then unchanged).
  void index_key(HouseholdId id);
  void index_key(ResidentId id);
  void index_key(NeedId id);
  void index_key(OfferId id);
  void index_key(ProfessionalId id);

  /// Every semantic problem, up to `max_problems`, each with the JSON pointer format v1 gives
  /// the field (docs/format.md): key syntax and duplicate keys, ranges, enumerations, CBS
  /// codes, identifiers, languages, occupancy within seats and attendees, caseload within
  /// its cap, references, repeated list elements and ties; and for v1.1 organisers,
  /// volunteers, initiatives and help offers. Empty when the model is valid.
  /// Both loaders (JSON and `.wjm`) apply exactly this check after reading the syntax.
  /// O(n log n) in the number of entities and list elements.
  std::vector<Problem> check(std::size_t max_problems = 100) const;

  /// Whether any entity uses a member of format v1.1 (organiser, volunteers, initiative,
  /// hours_per_seat, confirmed, offers_help). Writers mark such a model as v1.1 and write a model
  /// without them exactly as v1. O(offers + residents).
  bool uses_v1_1() const noexcept;

  /// Models are equal when their entities are equal (the key maps follow from them).
  friend bool operator==(const Model& a, const Model& b) {
    return a.households == b.households && a.residents == b.residents && a.ties == b.ties && a.needs == b.needs &&
           a.offers == b.offers && a.professionals == b.professionals;
  }

 private:
  // Lookup by key without a node or a copy of the key per entity: an open-addressing table
  // (linear probing, at most half full) of 64-bit slots, each a hash tag and a position, whose
  // probes compare against the entities' own keys. It holds positions, not pointers, so the
  // model may be copied, moved or grown (which moves its strings) without a rebuild.
  class KeyIndex {
   public:
    /// The position of `key` in `items`. O(1) expected.
    template <class Items>
    std::optional<std::uint32_t> find(const Items& items, std::string_view key) const;
    /// Adds position `i` of `items`, or returns the position that already has its key (and
    /// then adds nothing). O(1) amortised.
    template <class Items>
    std::optional<std::uint32_t> insert(const Items& items, std::uint32_t i);
    /// Empties the table, sized for `expected` keys.
    void reset(std::size_t expected);

   private:
    template <class Items>
    void grow(const Items& items);
    std::vector<std::uint64_t> slots_;  // 0: empty; else hash tag << 32 | (position + 1)
    std::size_t size_ = 0;
  };
  KeyIndex household_by_key_;
  KeyIndex resident_by_key_;
  KeyIndex need_by_key_;
  KeyIndex offer_by_key_;
  KeyIndex professional_by_key_;
};

}  // namespace wijkmatch
