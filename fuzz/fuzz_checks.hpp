// Shared by the fuzz targets: property checks that abort (so that libFuzzer saves the input),
// and the rule that only wijkmatch::Error may escape a loader.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "model_binary.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch::fuzz {

/// Aborts with `what` when a property does not hold; libFuzzer then reports a crash and
/// writes the input to a crash-* file.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

/// Runs `body`; an exception that is not a wijkmatch::Error aborts (the documented rule of
/// error.hpp). Returns the wijkmatch::Error's message, or an empty string when none was thrown.
template <class Body>
std::string only_wijkmatch_errors(const char* where, Body&& body) {
  try {
    body();
    return {};
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: a %s escaped: %s\n", where, typeid(e).name(), e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: a non-standard exception escaped\n", where);
    std::abort();
  }
}

/// Validates and parses `text` and requires that they agree: no problem exactly when parsing
/// succeeds, and otherwise the same problems, at least one. Returns what was parsed, if anything.
template <class T, class Validate, class Parse>
std::optional<T> require_validate_agrees_with_parse(std::string_view text, Validate validate, Parse parse) {
  std::vector<Problem> validated;
  only_wijkmatch_errors("validate", [&] { validated = validate(text); });
  std::optional<T> parsed;
  std::vector<Problem> rejected;
  only_wijkmatch_errors("parse", [&] {
    try {
      parsed = parse(text);
    } catch (const InputError& e) {
      rejected = e.problems();
      require(!rejected.empty(), "an InputError names at least one problem");
    }
  });
  require(validated.empty() == parsed.has_value(), "validate finds no problem exactly when parse succeeds");
  require(validated == rejected, "validate and parse report the same problems");
  return parsed;
}

/// What loads saves and loads back equal, through JSON (indented and on one line) and through
/// the binary format; and the saved text is stable (saving the reloaded model gives the same
/// bytes). Any exception here is a failure: a loaded model must always save and reload.
inline void require_round_trips(const Model& model) {
  try {
    const std::string text = to_json(model);
    require(validate_model(text).empty(), "the saved JSON of a loaded model validates");
    const Model from_text = parse_model(text);
    require(from_text == model, "JSON round trip gives an equal model");
    require(to_json(from_text) == text, "saving the reloaded model gives the same JSON");
    require(parse_model(to_json(model, -1)) == model, "one-line JSON round trip gives an equal model");
    const std::string bytes = detail::encode_model_binary(model);
    const Model from_bytes = detail::decode_model_binary(bytes);
    require(from_bytes == model, "binary round trip gives an equal model");
    require(detail::encode_model_binary(from_bytes) == bytes, "saving the reloaded model gives the same bytes");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "round trip of a loaded model threw: %s\n", e.what());
    std::abort();
  }
}

}  // namespace wijkmatch::fuzz
