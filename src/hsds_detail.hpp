// Private helpers of the HSDS importer and exporter.
#pragma once
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijkmatch/error.hpp"

namespace wijkmatch::detail {

/// Reads CSV (RFC 4180: quoted fields with embedded commas, quotes and line breaks; CRLF or LF;
/// a UTF-8 byte order mark is skipped) into one JSON object per data row, header names as keys
/// and every cell a string. A row with more cells than the header, or an unterminated quote,
/// is a problem with pointer "/ROW" (data rows counted from 0). O(size).
std::vector<nlohmann::json> read_csv(std::string_view text, std::vector<Problem>& problems);

}  // namespace wijkmatch::detail
