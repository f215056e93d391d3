// Private: the semantic check of a model (Model::check), shared by both loaders.
#pragma once
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/error.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

// The syntax of keys, identifiers and language codes, with the reason a loader gives.
inline constexpr std::string_view key_rule =
    "must be a pseudonymous key of 1 to 64 letters, digits, '_', '-', '.' or ':'";
inline constexpr std::string_view identifier_rule =
    "must be a lowercase identifier (a-z, 0-9, _), e.g. \"eating_club\"";
inline constexpr std::string_view language_rule =
    "must be an ISO 639-1 language code: two lowercase letters, e.g. \"nl\"";
bool valid_key(std::string_view text) noexcept;
bool valid_identifier(std::string_view text) noexcept;
bool valid_language(std::string_view text) noexcept;

/// The pointers a loader has already reported. The model holds a stand-in for each such
/// value, so the check leaves out any problem that depends on one and leaves stand-ins out of
/// duplicate checks; a problem is reported once, by the loader that saw it first.
class Reported {
 public:
  explicit Reported(const std::vector<Problem>& problems);
  bool empty() const noexcept { return pointers_.empty(); }
  /// False when `pointer`, one of its ancestors or one of its descendants was reported.
  bool known(std::string_view pointer) const;

 private:
  std::set<std::string, std::less<>> pointers_;
};

/// Appends every semantic problem of `model` to `problems`, until it holds `limit`.
/// `reported`, when given, holds the problems a loader found first. O(n log n).
void check_model(const Model& model, std::vector<Problem>& problems, std::size_t limit, const Reported* reported);

}  // namespace wijkmatch::detail
