// Shared capacity rules: see src/resources.hpp.
#include "resources.hpp"

#include <algorithm>

namespace wijkmatch::detail {

std::vector<double> hours_given_by_helper(const Model& model) {
  std::vector<double> given(model.residents.size(), 0.0);
  for (const auto& t : model.ties) given[t.helper.index()] += t.hours_used;
  return given;
}

double professional_score(const Professional& professional, double specialism_share, bool speaks_language) noexcept {
  const double room = professional.caseload_cap > 0
                          ? static_cast<double>(professional.caseload_room()) / professional.caseload_cap
                          : 0.0;
  return 0.5 * specialism_share + 0.3 * (speaks_language ? 1.0 : 0.0) + 0.2 * room;
}

bool speaks_first_language(const Professional& professional, const Resident& resident) noexcept {
  return !resident.languages.empty() && std::find(professional.languages.begin(), professional.languages.end(),
                                                  resident.languages.front()) != professional.languages.end();
}

}  // namespace wijkmatch::detail
