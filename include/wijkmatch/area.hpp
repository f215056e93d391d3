// CBS area codes: municipality GM + 4 digits, district (wijk) WK + 6, neighbourhood (buurt)
// BU + 8. A district code starts with its municipality's digits, a neighbourhood code with
// its district's, e.g. GM0344 > WK034401 > BU03440101.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace wijkmatch {

enum class AreaLevel { municipality, district, neighbourhood };

/// Why `code` is not a CBS code of `level`, or nullopt when it is one.
std::optional<std::string> check_area_code(std::string_view code, AreaLevel level);

/// "BU03440101" -> "WK034401"; precondition: a valid neighbourhood code.
std::string district_of(std::string_view neighbourhood_code);
/// "BU03440101" or "WK034401" -> "GM0344"; precondition: a valid code.
std::string municipality_of(std::string_view area_code);

}  // namespace wijkmatch
