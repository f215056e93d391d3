#include "json_util.hpp"

#include <algorithm>
#include <cctype>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "duplicates.hpp"
#include "model_check.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::detail {
namespace {

// The names of E's N values, "a, b, c", for "expected one of ..." messages; built once.
template <class E, std::size_t N>
const std::string& choices() {
  static const std::string names = [] {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i) out += ", ";
      out += to_string(static_cast<E>(i));
    }
    return out;
  }();
  return names;
}

// Line (1-based) of byte offset `pos`.
std::size_t line_of(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

// A SAX pass that reports duplicate object members with their JSON pointer. It builds no
// document, so it is linear in the input (nlohmann's callback parser is not: it rescans the
// parent container at the end of every value).
class DuplicateMemberFinder {
 public:
  DuplicateMemberFinder(std::vector<Problem>& problems, std::size_t limit) : problems_(problems), limit_(limit) {}
  bool found() const noexcept { return found_; }

  bool null() { return element_done(); }
  bool boolean(bool) { return element_done(); }
  bool number_integer(json::number_integer_t) { return element_done(); }
  bool number_unsigned(json::number_unsigned_t) { return element_done(); }
  bool number_float(json::number_float_t, const json::string_t&) { return element_done(); }
  bool string(json::string_t&) { return element_done(); }
  bool binary(json::binary_t&) { return element_done(); }
  bool start_object(std::size_t) {
    frames_.push_back({false, 0, {}, {}});
    return true;
  }
  bool key(json::string_t& k) {
    frames_.back().names.push_back(k);
    frames_.back().key = k;
    return true;
  }
  bool end_object() {
    // The names are compared when the object is complete, in O(n log n).
    const auto& names = frames_.back().names;
    for (const auto& d : find_duplicates(names.size(), [&](std::size_t i) -> const std::string& { return names[i]; })) {
      found_ = true;
      if (problems_.size() < limit_)
        problems_.push_back({pointer() + "/" + escape_pointer(names[d.index]), "duplicate member name"});
    }
    return end_container();
  }
  bool start_array(std::size_t) {
    frames_.push_back({true, 0, {}, {}});
    return true;
  }
  bool end_array() { return end_container(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  struct Frame {
    bool is_array = false;
    std::size_t completed = 0;       // array elements finished
    std::string key;                 // object member being parsed
    std::vector<std::string> names;  // every member name of the object, in order
  };
  bool element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().completed;
    return true;
  }
  bool end_container() {
    frames_.pop_back();
    return element_done();
  }
  // Pointer of the innermost object.
  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
      p += "/" + (frames_[i].is_array ? std::to_string(frames_[i].completed) : escape_pointer(frames_[i].key));
    return p;
  }
  std::vector<Frame> frames_;
  std::vector<Problem>& problems_;
  std::size_t limit_;
  bool found_ = false;
};

// Follows a byte-by-byte scan of JSON text, so that the scan can skip what stands in strings.
class StringTracker {
 public:
  /// Takes the next byte; true when it is part of a string (its quotes included).
  bool in_string(char c) noexcept {
    if (in_string_) {
      if (escaped_)
        escaped_ = false;
      else if (c == '\\')
        escaped_ = true;
      else if (c == '"')
        in_string_ = false;
      return true;
    }
    in_string_ = c == '"';
    return in_string_;
  }

 private:
  bool in_string_ = false, escaped_ = false;
};

// A number token that mark_non_finite_numbers replaced: where the marker ends in the patched
// text, and how many bytes longer than the token it is (negative for a very long token).
struct Replacement {
  std::size_t patched_end;
  std::ptrdiff_t growth;
};

// Replaces number tokens that overflow a double by the non-finite marker string.
std::string mark_non_finite_numbers(std::string_view text, std::vector<Replacement>& replacements) {
  std::string out;
  out.reserve(text.size() + 64);
  StringTracker strings;
  const char* point = std::localeconv()->decimal_point;
  const char decimal_point = point != nullptr && *point != '\0' ? *point : '.';
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (strings.in_string(c)) {
      out += c;
      ++i;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i + 1;
      while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.' ||
                                 text[j] == 'e' || text[j] == 'E' || text[j] == '+' || text[j] == '-'))
        ++j;
      const std::string token(text.substr(i, j - i));
      // strtod reads the decimal point of LC_NUMERIC, and nlohmann's lexer puts that character
      // in place of '.' before it calls strtod; so does this. Otherwise, under a locale with a
      // decimal comma, "1.5e999" would read as 1 here, stay in place, and fail the second parse
      // without a pointer.
      std::string local = token;
      std::replace(local.begin(), local.end(), '.', decimal_point);
      const double v = std::strtod(local.c_str(), nullptr);
      if (std::isfinite(v)) {
        out += token;
      } else {
        const std::string marker = "\"\\u0000" + std::string(non_finite_marker.substr(1)) + "\"";
        out += marker;
        replacements.push_back({out.size(), std::ssize(marker) - std::ssize(token)});
      }
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// nlohmann reports "line L, column C" after reading `read` bytes of the patched text; the user
// wrote the original, so the column is recounted there (markers hold no line break).
std::string with_original_column(std::string what, std::string_view original, std::size_t read,
                                 const std::vector<Replacement>& replacements) {
  std::ptrdiff_t offset = static_cast<std::ptrdiff_t>(read);
  for (const Replacement& r : replacements) {
    if (r.patched_end <= read) offset -= r.growth;
  }
  const auto end = static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(offset, 0, std::ssize(original)));
  const auto newline = original.substr(0, end).rfind('\n');
  const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  const std::string label = "column ";
  const auto at = what.find(label);
  if (at == std::string::npos) return what;
  const auto digits = what.find_first_not_of("0123456789", at + label.size());
  what.replace(at + label.size(), digits - (at + label.size()), std::to_string(end - line_start));
  return what;
}

}  // namespace

bool is_non_finite_marker(const json& j) {
  return j.is_string() && j.get_ref<const std::string&>() == non_finite_marker;
}

std::string escape_pointer(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::optional<json> parse_checked(std::string_view text, std::size_t max_bytes, int max_depth,
                                  std::vector<Problem>& problems) {
  if (text.size() > max_bytes) {
    problems.push_back({"", "document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                std::to_string(max_bytes) + " bytes"});
    return std::nullopt;
  }
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
    problems.push_back({"", "empty document"});
    return std::nullopt;
  }
  // Nesting is bounded before parsing so that no later recursion can exhaust the stack.
  int depth = 0;
  StringTracker strings;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (strings.in_string(c)) continue;
    if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        problems.push_back({"", "line " + std::to_string(line_of(text, i)) + ": nesting deeper than " +
                                    std::to_string(max_depth) + " levels"});
        return std::nullopt;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  std::string patched;  // the text with non-finite numbers replaced, when there are any
  std::vector<Replacement> replacements;
  const std::string_view original = text;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt == 1) text = patched;
    try {
      DuplicateMemberFinder duplicates(problems, problems.size() + 100);
      json::sax_parse(text.begin(), text.end(), &duplicates, json::input_format_t::json, /*strict=*/true,
                      /*ignore_comments=*/false);
      if (duplicates.found()) return std::nullopt;
      return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/false);
    } catch (const nlohmann::json::out_of_range& e) {
      // A number too large for a double (1e999): JSON allows it, we do not. Replace each such
      // token by a marker string so that the reader can name its pointer.
      if (attempt == 0 && e.id == 406) {
        patched = mark_non_finite_numbers(text, replacements);
        continue;
      }
      problems.push_back({"", "not valid JSON: a number is out of range"});
      return std::nullopt;
    } catch (const nlohmann::json::parse_error& e) {
      // Keep "line L, column C: what"; drop nlohmann's "last read" echo of the input.
      std::string what = e.what();
      if (auto at = what.find("parse error at "); at != std::string::npos) what = what.substr(at + 15);
      if (auto last = what.find("; last read"); last != std::string::npos) what = what.substr(0, last);
      if (!replacements.empty()) what = with_original_column(std::move(what), original, e.byte, replacements);
      if (what.find("ill-formed UTF-8") != std::string::npos) what += " (the file must be UTF-8)";
      if (what.find("unexpected end of input") != std::string::npos || e.byte >= text.size())
        what += " (the file is truncated)";
      problems.push_back({"", "not valid JSON: " + what});
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::sys_days> parse_date(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string format_date(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  return json(value).dump();
}

const std::string& life_domain_choices() { return choices<LifeDomain, life_domain_count>(); }
const std::string& ladder_choices() { return choices<LadderLevel, ladder_level_count>(); }
const std::string& age_band_choices() { return choices<AgeBand, age_band_count>(); }
const std::string& tie_kind_choices() { return choices<TieKind, tie_kind_count>(); }
const std::string& need_status_choices() { return choices<NeedStatus, need_status_count>(); }
const std::string& organiser_kind_choices() { return choices<OrganiserKind, organiser_kind_count>(); }
const std::string& initiative_status_choices() { return choices<InitiativeStatus, initiative_status_count>(); }

std::string type_name(const json& j) {
  if (is_non_finite_marker(j)) return "a non-finite number";
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

void Reader::fail(std::string pointer, std::string reason) {
  if (!full()) problems_.push_back({std::move(pointer), std::move(reason)});
}

bool Reader::expect_object(const json& j, const std::string& ptr, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) {
    fail(ptr, "must be an object, not " + type_name(j));
    return false;
  }
  for (const auto& [name, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string expected;
      for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
      fail(ptr + "/" + escape_pointer(name), "unknown field; expected one of " + expected);
    }
  }
  return true;
}

const json* Reader::field(const json& obj, const std::string& ptr, std::string_view name, bool required) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) fail(ptr + "/" + escape_pointer(name), "missing required field");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> Reader::string(const json& obj, const std::string& ptr, std::string_view name,
                                          bool required) {
  const json* j = field(obj, ptr, name, required);
  if (!j) return std::nullopt;
  if (!j->is_string() || is_non_finite_marker(*j)) {
    fail(ptr + "/" + escape_pointer(name), "must be a string, not " + type_name(*j));
    return std::nullopt;
  }
  return j->get<std::string>();
}

std::optional<std::string> Reader::key_value(const json& j, const std::string& ptr) {
  if (!j.is_string()) {
    fail(ptr, "must be a key (a string), not " + type_name(j));
    return std::nullopt;
  }
  const auto& s = j.get_ref<const std::string&>();
  if (!valid_key(s)) {
    fail(ptr, std::string(key_rule));
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> Reader::key(const json& obj, const std::string& ptr, std::string_view name) {
  const json* j = field(obj, ptr, name, true);
  if (!j) return std::nullopt;
  return key_value(*j, ptr + "/" + escape_pointer(name));
}

std::optional<std::string> Reader::key_text(const json& obj, const std::string& ptr, std::string_view name) {
  const json* j = field(obj, ptr, name, true);
  if (!j) return std::nullopt;
  if (!j->is_string()) {
    fail(ptr + "/" + escape_pointer(name), "must be a key (a string), not " + type_name(*j));
    return std::nullopt;
  }
  return j->get<std::string>();
}

std::optional<std::string> Reader::identifier(const json& obj, const std::string& ptr, std::string_view name) {
  auto s = string(obj, ptr, name, true);
  if (!s) return std::nullopt;
  if (!valid_identifier(*s)) {
    fail(ptr + "/" + escape_pointer(name), std::string(identifier_rule));
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> Reader::integer_value(const json& j, const std::string& ptr, std::int64_t min,
                                                  std::int64_t max) {
  const std::string range = " in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (j.is_number_unsigned()) {
    auto v = j.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(max) || (min > 0 && v < static_cast<std::uint64_t>(min))) {
      fail(ptr, "must be an integer" + range);
      return std::nullopt;
    }
    return static_cast<std::int64_t>(v);
  }
  if (j.is_number_integer()) {
    auto v = j.get<std::int64_t>();
    if (v < min || v > max) {
      fail(ptr, "must be an integer" + range);
      return std::nullopt;
    }
    return v;
  }
  if (is_non_finite_marker(j))
    fail(ptr, "must be a finite integer" + range);
  else
    fail(ptr, "must be an integer" + range + ", not " + type_name(j));
  return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const json& obj, const std::string& ptr, std::string_view name,
                                            std::int64_t min, std::int64_t max, bool required) {
  const json* j = field(obj, ptr, name, required);
  if (!j) return std::nullopt;
  return integer_value(*j, ptr + "/" + escape_pointer(name), min, max);
}

std::optional<double> Reader::number_value(const json& j, const std::string& ptr, double min, double max,
                                           std::string_view what) {
  const std::string range = " in [" + format_number(min) + ", " + format_number(max) + "]";
  // The parser never yields a non-finite number (it refuses one, and parse_checked puts the
  // marker in its place), so the marker is the one way such a number arrives.
  if (is_non_finite_marker(j) || (j.is_number() && !std::isfinite(j.get<double>()))) {
    fail(ptr, "must be a finite number (" + std::string(what) + ")");
    return std::nullopt;
  }
  if (!j.is_number()) {
    fail(ptr, "must be a number (" + std::string(what) + ")" + range + ", not " + type_name(j));
    return std::nullopt;
  }
  const double v = j.get<double>();
  if (v < min || v > max) {
    fail(ptr, "must be a number (" + std::string(what) + ")" + range + ", got " + format_number(v));
    return std::nullopt;
  }
  return v;
}

std::optional<double> Reader::number(const json& obj, const std::string& ptr, std::string_view name, double min,
                                     double max, std::string_view what) {
  const json* j = field(obj, ptr, name, true);
  if (!j) return std::nullopt;
  return number_value(*j, ptr + "/" + escape_pointer(name), min, max, what);
}

std::optional<int> Reader::int_typed(const json& obj, const std::string& ptr, std::string_view name, std::int64_t min,
                                     std::int64_t max, bool required) {
  const json* j = field(obj, ptr, name, required);
  if (!j) return std::nullopt;
  constexpr std::int64_t lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
  if (j->is_number_unsigned()) return static_cast<int>(std::min<std::uint64_t>(j->get<std::uint64_t>(), hi));
  if (j->is_number_integer()) return static_cast<int>(std::clamp<std::int64_t>(j->get<std::int64_t>(), lo, hi));
  // Of the wrong type: integer_value words the reason.
  return integer_value(*j, ptr + "/" + escape_pointer(name), min, max);
}

std::optional<double> Reader::number_typed_value(const json& j, const std::string& ptr, double min, double max,
                                                 std::string_view what) {
  if (j.is_number() && std::isfinite(j.get<double>())) return j.get<double>();
  return number_value(j, ptr, min, max, what);
}

std::optional<double> Reader::number_typed(const json& obj, const std::string& ptr, std::string_view name, double min,
                                           double max, std::string_view what, bool required) {
  const json* j = field(obj, ptr, name, required);
  if (!j) return std::nullopt;
  return number_typed_value(*j, ptr + "/" + escape_pointer(name), min, max, what);
}

std::optional<bool> Reader::boolean(const json& obj, const std::string& ptr, std::string_view name, bool required) {
  const json* j = field(obj, ptr, name, required);
  if (!j) return std::nullopt;
  if (!j->is_boolean()) {
    fail(ptr + "/" + escape_pointer(name), "must be true or false, not " + type_name(*j));
    return std::nullopt;
  }
  return j->get<bool>();
}

}  // namespace wijkmatch::detail
