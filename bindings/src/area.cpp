// CBS area codes (area.hpp): municipality_of, district_of, check_area_code.
#include "common.hpp"

namespace wijkmatch::py_bindings {

void bind_area(py::module_& m) {
  m.def(
      "municipality_of", [](const std::string& code) { return municipality_of(code); }, py::arg("code"),
      "'BU03440101' or 'WK034401' -> 'GM0344'.");
  m.def(
      "district_of", [](const std::string& code) { return district_of(code); }, py::arg("code"),
      "'BU03440101' -> 'WK034401'.");
  m.def(
      "check_area_code",
      [](const std::string& code, const std::string& level) -> std::optional<std::string> {
        AreaLevel l = AreaLevel::neighbourhood;
        if (level == "municipality")
          l = AreaLevel::municipality;
        else if (level == "district")
          l = AreaLevel::district;
        else if (level != "neighbourhood")
          throw py::value_error("level must be municipality, district or neighbourhood");
        return check_area_code(code, l);
      },
      py::arg("code"), py::arg("level") = "neighbourhood",
      "Why `code` is not a CBS code of `level`, or None when it is one.");
}

}  // namespace wijkmatch::py_bindings
