// CBS area codes (area.hpp).
#include "wijkmatch/area.hpp"

#include <tuple>

namespace wijkmatch {
namespace {

bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

std::optional<std::string> check_area_code(std::string_view code, AreaLevel level) {
  const auto [prefix, digits, what] = [level]() -> std::tuple<std::string_view, std::size_t, std::string_view> {
    switch (level) {
      case AreaLevel::municipality: return {"GM", 4, "municipality"};
      case AreaLevel::district: return {"WK", 6, "district"};
      case AreaLevel::neighbourhood: return {"BU", 8, "neighbourhood"};
    }
    return {"", 0, ""};
  }();
  if (code.size() != prefix.size() + digits || !code.starts_with(prefix) || !all_digits(code.substr(prefix.size())))
    return "must be a CBS " + std::string(what) + " code: " + std::string(prefix) + " followed by " +
           std::to_string(digits) + " digits";
  return std::nullopt;
}

std::string district_of(std::string_view code) { return "WK" + std::string(code.substr(2, 6)); }
std::string municipality_of(std::string_view code) { return "GM" + std::string(code.substr(2, 4)); }

}  // namespace wijkmatch
