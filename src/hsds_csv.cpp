// A small CSV reader for the HSDS tabular datapackage (src/hsds_detail.hpp).
#include <string>

#include "hsds_detail.hpp"

namespace wijkmatch::detail {

std::vector<nlohmann::json> read_csv(std::string_view text, std::vector<Problem>& problems) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, in_quotes = false, any = false;
  std::size_t i = 0;
  auto end_cell = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    quoted = false;
  };
  auto end_row = [&] {
    end_cell();
    rows.push_back(std::move(row));
    row.clear();
    any = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          i += 2;
          continue;
        }
        in_quotes = false;
      } else {
        cell += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && cell.empty() && !quoted) {
      in_quotes = quoted = any = true;
    } else if (c == ',') {
      end_cell();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // the '\n' ends the row
    } else if (c == '\n') {
      if (any || !row.empty() || !cell.empty()) end_row();
    } else {
      cell += c;
      any = true;
    }
    ++i;
  }
  if (in_quotes) {
    problems.push_back({"/" + std::to_string(rows.empty() ? 0 : rows.size() - 1), "unterminated quoted field"});
    return {};
  }
  if (any || !row.empty() || !cell.empty()) end_row();
  std::vector<nlohmann::json> out;
  if (rows.empty()) return out;
  const auto& header = rows.front();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() > header.size()) {
      problems.push_back({"/" + std::to_string(r - 1), "has " + std::to_string(rows[r].size()) +
                                                           " cells but the header names " +
                                                           std::to_string(header.size()) + " columns"});
      continue;
    }
    nlohmann::json obj = nlohmann::json::object();
    for (std::size_t c = 0; c < rows[r].size(); ++c) obj[header[c]] = rows[r][c];
    out.push_back(std::move(obj));
  }
  return out;
}

}  // namespace wijkmatch::detail
