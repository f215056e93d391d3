// Private helpers for reading JSON documents with JSON-pointer diagnostics.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

using json = nlohmann::json;

/// Stands in for a number that overflows a double, so that the reader can report its pointer.
/// It starts with a NUL character, which no valid key, code or identifier contains.
inline constexpr std::string_view non_finite_marker{"\0wijkmatch-non-finite-number", 28};
bool is_non_finite_marker(const json& j);

/// RFC 6901 escaping of one reference token.
std::string escape_pointer(std::string_view token);

/// The pointer of an entity's field, "/collection/index[/field]", as both model readers and the
/// model check report it. O(length).
inline std::string entity_pointer(std::string_view collection, std::size_t index, std::string_view field = {}) {
  std::string p = "/";
  p += collection;
  p += '/';
  p += std::to_string(index);
  if (!field.empty()) {
    p += '/';
    p += field;
  }
  return p;
}

/// Parses `text` after checking size and nesting depth; reports syntax errors (line and
/// column, never the offending text, which may be personal), invalid UTF-8 and duplicate
/// object members. Returns nullopt and appends problems on failure.
std::optional<json> parse_checked(std::string_view text, std::size_t max_bytes, int max_depth,
                                  std::vector<Problem>& problems);

/// A calendar date written YYYY-MM-DD (years 0000 to 9999; the model check bounds the range).
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::string format_date(std::chrono::sys_days day);
/// Shortest text that reads back as the same double.
std::string format_number(double value);

const std::string& life_domain_choices();
const std::string& ladder_choices();
const std::string& age_band_choices();
const std::string& tie_kind_choices();
const std::string& need_status_choices();
const std::string& organiser_kind_choices();
const std::string& initiative_status_choices();

/// A human name for the JSON type of `j`, e.g. "a string", "null".
std::string type_name(const json& j);

/// Walks a document, collecting problems (up to a limit) with their pointers.
class Reader {
 public:
  Reader(std::vector<Problem>& problems, std::size_t limit) : problems_(problems), limit_(limit) {}

  void fail(std::string pointer, std::string reason);
  bool full() const noexcept { return problems_.size() >= limit_; }

  /// Checks that `j` is an object whose members are all in `allowed`.
  bool expect_object(const json& j, const std::string& ptr, std::initializer_list<std::string_view> allowed);
  /// The member `name` of object `obj`, or nullptr (reporting it when required).
  const json* field(const json& obj, const std::string& ptr, std::string_view name, bool required);

  std::optional<std::string> string(const json& obj, const std::string& ptr, std::string_view name, bool required);
  /// A pseudonymous key: 1..64 of letters, digits, '_', '-', '.', ':'.
  std::optional<std::string> key(const json& obj, const std::string& ptr, std::string_view name);
  std::optional<std::string> key_value(const json& j, const std::string& ptr);
  /// A string meant as a key; its syntax is left to the model check.
  std::optional<std::string> key_text(const json& obj, const std::string& ptr, std::string_view name);
  /// A lowercase identifier: [a-z][a-z0-9_]{0,63}.
  std::optional<std::string> identifier(const json& obj, const std::string& ptr, std::string_view name);
  std::optional<std::int64_t> integer(const json& obj, const std::string& ptr, std::string_view name, std::int64_t min,
                                      std::int64_t max, bool required);
  std::optional<std::int64_t> integer_value(const json& j, const std::string& ptr, std::int64_t min, std::int64_t max);
  /// A required finite number in [min, max].
  std::optional<double> number(const json& obj, const std::string& ptr, std::string_view name, double min, double max,
                               std::string_view what);
  std::optional<double> number_value(const json& j, const std::string& ptr, double min, double max,
                                     std::string_view what);
  /// The type checks of integer() and number() alone: a value of the right type comes back
  /// even outside [min, max] (saturated to int), for the model check to report; the range
  /// only words the reason for a value of the wrong type.
  std::optional<int> int_typed(const json& obj, const std::string& ptr, std::string_view name, std::int64_t min,
                               std::int64_t max, bool required);
  std::optional<double> number_typed(const json& obj, const std::string& ptr, std::string_view name, double min,
                                     double max, std::string_view what, bool required);
  std::optional<double> number_typed_value(const json& j, const std::string& ptr, double min, double max,
                                           std::string_view what);
  std::optional<bool> boolean(const json& obj, const std::string& ptr, std::string_view name, bool required);

  template <class Parse>
  auto enumeration(const json& obj, const std::string& ptr, std::string_view name, Parse parse,
                   const std::string& choices, bool required) -> decltype(parse(std::string_view{})) {
    const json* j = field(obj, ptr, name, required);
    if (!j) return std::nullopt;
    return enum_value(*j, ptr + "/" + escape_pointer(name), parse, choices);
  }
  template <class Parse>
  auto enumeration(const json& arr, const std::string& ptr, std::size_t index, Parse parse, const std::string& choices)
      -> decltype(parse(std::string_view{})) {
    return enum_value(arr[index], ptr + "/" + std::to_string(index), parse, choices);
  }
  template <class Parse>
  auto enum_value(const json& j, const std::string& ptr, Parse parse, const std::string& choices)
      -> decltype(parse(std::string_view{})) {
    if (j.is_string())
      if (auto v = parse(j.get_ref<const std::string&>())) return v;
    fail(ptr, "must be one of " + choices);
    return std::nullopt;
  }

 private:
  std::vector<Problem>& problems_;
  std::size_t limit_;
};

// Readers of the parts of format v1 that events share with the model document
// (model_json.cpp). Each reports its problems to `r` and returns nullopt (or what it could read).
std::optional<Location> read_location(Reader& r, const json& j, const std::string& ptr);
std::optional<WeeklySchedule> read_schedule(Reader& r, const json& j, const std::string& ptr);
std::vector<std::string> read_strings(Reader& r, const json& obj, const std::string& ptr, std::string_view field,
                                      std::string_view array_rule, std::string_view element_rule);
std::vector<std::string> read_languages(Reader& r, const json& obj, const std::string& ptr);
std::optional<DomainSet> read_domain_list(Reader& r, const json& obj, const std::string& ptr, std::string_view field);
std::optional<std::chrono::sys_days> read_date(Reader& r, const json& obj, const std::string& ptr,
                                               std::string_view field);
/// A whole format v1 document, read and checked as parse_model does; problems appended.
Model read_model_document(const json& doc, std::vector<Problem>& problems, std::size_t limit);

}  // namespace wijkmatch::detail
