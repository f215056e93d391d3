// The vocabulary of the field (domain.hpp): names of life domains, ladder levels, ties, age
// bands, statuses and day-parts.
#include "wijkmatch/domain.hpp"

#include <bit>

namespace wijkmatch {
namespace {

constexpr std::array<std::string_view, life_domain_count> life_domain_names{
    "finances",       "work_education",       "time_use",      "housing",   "domestic_relations",
    "mental_health",  "physical_health",      "substance_use", "basic_adl", "instrumental_adl",
    "social_network", "social_participation", "justice",       "parenting"};
constexpr std::array<std::string_view, ladder_level_count> ladder_names{"own_network", "collective", "basic_care",
                                                                        "individual", "specialist"};
constexpr std::array<std::string_view, tie_kind_count> tie_kind_names{"household", "family", "neighbour", "friend",
                                                                      "volunteer_buddy"};
constexpr std::array<std::string_view, age_band_count> age_band_names{"0-14",  "15-24", "25-44",
                                                                      "45-64", "65-79", "80+"};
constexpr std::array<std::string_view, need_status_count> need_status_names{"open", "in_progress", "closed"};
constexpr std::array<std::string_view, day_part_count> day_part_names{"morning", "afternoon", "evening"};
constexpr std::array<std::string_view, organiser_kind_count> organiser_kind_names{"organisation", "residents", "team"};
constexpr std::array<std::string_view, initiative_status_count> initiative_status_names{"idea", "starting", "running",
                                                                                        "paused", "ended"};
constexpr std::array<std::string_view, day_count> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view text) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(LifeDomain v) noexcept { return life_domain_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(LadderLevel v) noexcept { return ladder_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(TieKind v) noexcept { return tie_kind_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(AgeBand v) noexcept { return age_band_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(NeedStatus v) noexcept { return need_status_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(DayPart v) noexcept { return day_part_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(OrganiserKind v) noexcept { return organiser_kind_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(InitiativeStatus v) noexcept { return initiative_status_names[static_cast<std::size_t>(v)]; }
std::string_view day_name(std::size_t day) noexcept { return day < day_count ? day_names[day] : "?"; }

std::optional<LifeDomain> parse_life_domain(std::string_view s) noexcept {
  return parse_name<LifeDomain>(life_domain_names, s);
}
std::optional<LadderLevel> parse_ladder_level(std::string_view s) noexcept {
  return parse_name<LadderLevel>(ladder_names, s);
}
std::optional<TieKind> parse_tie_kind(std::string_view s) noexcept { return parse_name<TieKind>(tie_kind_names, s); }
std::optional<AgeBand> parse_age_band(std::string_view s) noexcept { return parse_name<AgeBand>(age_band_names, s); }
std::optional<NeedStatus> parse_need_status(std::string_view s) noexcept {
  return parse_name<NeedStatus>(need_status_names, s);
}
std::optional<DayPart> parse_day_part(std::string_view s) noexcept { return parse_name<DayPart>(day_part_names, s); }
std::optional<OrganiserKind> parse_organiser_kind(std::string_view s) noexcept {
  return parse_name<OrganiserKind>(organiser_kind_names, s);
}
std::optional<InitiativeStatus> parse_initiative_status(std::string_view s) noexcept {
  return parse_name<InitiativeStatus>(initiative_status_names, s);
}
std::optional<std::size_t> parse_day(std::string_view s) noexcept {
  for (std::size_t i = 0; i < day_count; ++i)
    if (day_names[i] == s) return i;
  return std::nullopt;
}

int WeeklySchedule::count() const noexcept { return std::popcount(bits); }

}  // namespace wijkmatch
