// WGS84 <-> RD New and CBS label points, for the HSDS importer (include/wijkmatch/hsds.hpp).
#include <cmath>
#include <string>

#include "wijkmatch/hsds.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

// Schreutelkamp and Strang van Hees, "Benaderingsformules voor de transformatie tussen RD- en
// WGS84-kaartcoördinaten" (2001): the reference point is the Onze Lieve Vrouwetoren in
// Amersfoort, RD (155000, 463000).
constexpr double lat0 = 52.15517440, lon0 = 5.38720621, x0 = 155000.0, y0 = 463000.0;

struct Term {
  int p;
  int q;
  double c;
};
// X and Y in metres from 0.36 x degrees (dlat^p dlon^q).
constexpr Term rx[] = {{0, 1, 190094.945}, {1, 1, -11832.228}, {2, 1, -114.221}, {0, 3, -32.391}, {1, 0, -0.705},
                       {3, 1, -2.340},     {1, 3, -0.608},     {0, 2, -0.008},   {2, 3, 0.148}};
constexpr Term ry[] = {{1, 0, 309056.544}, {0, 2, 3638.893}, {2, 0, 73.077}, {1, 2, -157.984}, {3, 0, 59.788},
                       {0, 1, 0.433},      {2, 2, -6.439},   {1, 1, -0.032}, {0, 4, 0.092},    {1, 4, -0.054}};
// Latitude and longitude in arc seconds from 1e-5 x metres (dx^p dy^q).
constexpr Term kl[] = {{0, 1, 3235.65389}, {2, 0, -32.58297}, {0, 2, -0.24750}, {2, 1, -0.84978},
                       {0, 3, -0.06550},   {2, 2, -0.01709},  {1, 0, -0.00738}, {4, 0, 0.00530},
                       {2, 3, -0.00039},   {4, 1, 0.00033},   {1, 1, -0.00012}};
constexpr Term ll[] = {{1, 0, 5260.52916}, {1, 1, 105.94684}, {1, 2, 2.45656},  {3, 0, -0.81885},
                       {1, 3, 0.05594},    {3, 1, -0.05607},  {0, 1, 0.01199},  {3, 2, -0.00256},
                       {1, 4, 0.00128},    {0, 2, 0.00022},   {2, 0, -0.00022}, {5, 0, 0.00026}};

template <std::size_t N>
double sum(const Term (&terms)[N], double a, double b) {
  double s = 0.0;
  for (const auto& t : terms) s += t.c * std::pow(a, t.p) * std::pow(b, t.q);
  return s;
}

}  // namespace

Location wgs84_to_rd(double latitude, double longitude) noexcept {
  const double dlat = 0.36 * (latitude - lat0), dlon = 0.36 * (longitude - lon0);
  return {x0 + sum(rx, dlat, dlon), y0 + sum(ry, dlat, dlon)};
}

std::array<double, 2> rd_to_wgs84(Location rd) noexcept {
  const double dx = (rd.x_m - x0) * 1e-5, dy = (rd.y_m - y0) * 1e-5;
  // The inverse polynomial alone misses the forward one by decimetres; a few Newton steps on
  // the forward polynomial make export followed by import give back the same metres.
  double lat = lat0 + sum(kl, dx, dy) / 3600.0, lon = lon0 + sum(ll, dx, dy) / 3600.0;
  for (int i = 0; i < 4; ++i) {
    const Location f = wgs84_to_rd(lat, lon);
    const double h = 1e-7;
    const Location fa = wgs84_to_rd(lat + h, lon), fo = wgs84_to_rd(lat, lon + h);
    const double a = (fa.x_m - f.x_m) / h, b = (fo.x_m - f.x_m) / h, c = (fa.y_m - f.y_m) / h, d = (fo.y_m - f.y_m) / h;
    const double det = a * d - b * c;
    if (!(std::fabs(det) > 0.0)) break;
    const double ex = rd.x_m - f.x_m, ey = rd.y_m - f.y_m;
    lat += (d * ex - b * ey) / det;
    lon += (a * ey - c * ex) / det;
  }
  return {lat, lon};
}

std::vector<LabelPoint> load_label_points(const std::filesystem::path& path) {
  const std::string text = read_input(path, std::size_t{256} << 20);
  std::vector<LabelPoint> out;
  std::vector<Problem> problems;
  std::size_t pos = 0, row = 0;
  int code_col = -1, lat_col = -1, lon_col = -1;
  while (pos < text.size() && problems.size() < 20) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::size_t s = 0;
    for (;;) {
      const std::size_t c = line.find(',', s);
      cells.push_back(line.substr(s, c == std::string::npos ? std::string::npos : c - s));
      if (c == std::string::npos) break;
      s = c + 1;
    }
    if (code_col < 0) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "statcode") code_col = static_cast<int>(i);
        if (cells[i] == "lat") lat_col = static_cast<int>(i);
        if (cells[i] == "lon") lon_col = static_cast<int>(i);
      }
      if (code_col < 0 || lat_col < 0 || lon_col < 0) {
        problems.push_back({"", "label points need the columns statcode, lat and lon"});
        break;
      }
      continue;
    }
    const auto at = [&](int col) { return static_cast<std::size_t>(col) < cells.size() ? cells[col] : std::string(); };
    const std::string code = at(code_col);
    const std::string where = "/" + std::to_string(row++);
    if (code.rfind("BU", 0) != 0) continue;
    try {
      std::size_t used = 0;
      const double lat = std::stod(at(lat_col), &used);
      const double lon = std::stod(at(lon_col));
      if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) throw std::invalid_argument("range");
      out.push_back({code, wgs84_to_rd(lat, lon)});
    } catch (const std::exception&) {
      problems.push_back({where, "lat and lon must be numbers in degrees"});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return out;
}

}  // namespace wijkmatch
