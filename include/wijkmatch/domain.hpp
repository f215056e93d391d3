// The vocabulary of the field: life domains (ZRM), the ladder, kinds of ties, age bands,
// day-parts. Each enum has a stable snake_case name used in files, output and Python.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace wijkmatch {

/// The 13 domains of the Zelfredzaamheid-Matrix (ZRM 2017) plus the parenting supplement.
enum class LifeDomain : std::uint8_t {
  finances,
  work_education,
  time_use,
  housing,
  domestic_relations,
  mental_health,
  physical_health,
  substance_use,
  basic_adl,
  instrumental_adl,
  social_network,
  social_participation,
  justice,
  parenting
};
inline constexpr std::size_t life_domain_count = 14;

/// The order of consideration before a custom provision (Wmo 2015). Lower is considered first.
enum class LadderLevel : std::uint8_t { own_network, collective, basic_care, individual, specialist };
inline constexpr std::size_t ladder_level_count = 5;

enum class TieKind : std::uint8_t { household, family, neighbour, friend_, volunteer_buddy };
inline constexpr std::size_t tie_kind_count = 5;

/// Age bands: the CBS bands, with 65+ split because care needs change after 80.
enum class AgeBand : std::uint8_t { age_0_14, age_15_24, age_25_44, age_45_64, age_65_79, age_80_plus };
inline constexpr std::size_t age_band_count = 6;

enum class NeedStatus : std::uint8_t { open, in_progress, closed };
inline constexpr std::size_t need_status_count = 3;

/// Who runs an offer (format v1.1): residents (a resident initiative, bewonersinitiatief), a
/// welfare or other organisation, or the neighbourhood team itself.
enum class OrganiserKind : std::uint8_t { organisation, residents, team };
inline constexpr std::size_t organiser_kind_count = 3;

/// Where a resident initiative stands (format v1.1). Only `starting` and `running` initiatives
/// have places; see effective_seats() in model.hpp.
enum class InitiativeStatus : std::uint8_t { idea, starting, running, paused, ended };
inline constexpr std::size_t initiative_status_count = 5;

enum class DayPart : std::uint8_t { morning, afternoon, evening };
inline constexpr std::size_t day_count = 7;  // Monday = 0 ... Sunday = 6
inline constexpr std::size_t day_part_count = 3;

std::string_view to_string(LifeDomain) noexcept;
std::string_view to_string(LadderLevel) noexcept;
std::string_view to_string(TieKind) noexcept;
std::string_view to_string(AgeBand) noexcept;
std::string_view to_string(NeedStatus) noexcept;
std::string_view to_string(DayPart) noexcept;
std::string_view to_string(OrganiserKind) noexcept;
std::string_view to_string(InitiativeStatus) noexcept;
/// "mon" ... "sun".
std::string_view day_name(std::size_t day) noexcept;

std::optional<LifeDomain> parse_life_domain(std::string_view) noexcept;
std::optional<LadderLevel> parse_ladder_level(std::string_view) noexcept;
std::optional<TieKind> parse_tie_kind(std::string_view) noexcept;
std::optional<AgeBand> parse_age_band(std::string_view) noexcept;
std::optional<NeedStatus> parse_need_status(std::string_view) noexcept;
std::optional<DayPart> parse_day_part(std::string_view) noexcept;
std::optional<OrganiserKind> parse_organiser_kind(std::string_view) noexcept;
std::optional<InitiativeStatus> parse_initiative_status(std::string_view) noexcept;
std::optional<std::size_t> parse_day(std::string_view) noexcept;

/// A set of values of the enumeration E as a bit set (bit i = E(i)); Bits holds every value.
template <class E, class Bits>
struct EnumSet {
  Bits bits = 0;
  constexpr bool contains(E e) const noexcept { return bits >> static_cast<unsigned>(e) & 1U; }
  constexpr void insert(E e) noexcept { bits = static_cast<Bits>(bits | (1U << static_cast<unsigned>(e))); }
  constexpr bool empty() const noexcept { return bits == 0; }
  friend constexpr bool operator==(EnumSet, EnumSet) = default;
};

/// A set of life domains.
using DomainSet = EnumSet<LifeDomain, std::uint16_t>;
/// A set of age bands; empty means "no restriction" only where documented.
using AgeBandSet = EnumSet<AgeBand, std::uint8_t>;

/// A weekly pattern of day-parts (7 days x morning/afternoon/evening) as 21 bits.
/// Used both for residents' availability and for offers' sessions.
struct WeeklySchedule {
  std::uint32_t bits = 0;
  static constexpr std::uint32_t bit(std::size_t day, DayPart part) noexcept {
    return 1U << (day * day_part_count + static_cast<unsigned>(part));
  }
  constexpr bool contains(std::size_t day, DayPart part) const noexcept { return (bits & bit(day, part)) != 0; }
  constexpr void insert(std::size_t day, DayPart part) noexcept { bits |= bit(day, part); }
  constexpr bool overlaps(WeeklySchedule other) const noexcept { return (bits & other.bits) != 0; }
  constexpr bool empty() const noexcept { return bits == 0; }
  /// Number of day-parts in the week (0..21).
  int count() const noexcept;
  friend constexpr bool operator==(WeeklySchedule, WeeklySchedule) = default;
};

}  // namespace wijkmatch
