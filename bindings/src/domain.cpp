// The vocabulary of the domain (domain.hpp): life domains, ladder levels, tie kinds, age
// bands, need statuses, days and day parts, in the order of the C++ enums.
#include "common.hpp"

namespace wijkmatch::py_bindings {

void bind_domain(py::module_& m) {
  m.attr("LIFE_DOMAINS") = names_of<LifeDomain, life_domain_count>();
  m.attr("LADDER_LEVELS") = names_of<LadderLevel, ladder_level_count>();
  m.attr("TIE_KINDS") = names_of<TieKind, tie_kind_count>();
  m.attr("AGE_BANDS") = names_of<AgeBand, age_band_count>();
  m.attr("NEED_STATUSES") = names_of<NeedStatus, need_status_count>();
  m.attr("DAY_PARTS") = names_of<DayPart, day_part_count>();
  py::list days;
  for (std::size_t d = 0; d < day_count; ++d) days.append(std::string(day_name(d)));
  m.attr("DAYS") = days;
}

}  // namespace wijkmatch::py_bindings
