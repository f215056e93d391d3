// Errors and problems (error.hpp).
#include "wijkmatch/error.hpp"

namespace wijkmatch {

std::string to_string(const Problem& problem) {
  return (problem.pointer.empty() ? std::string("(document)") : problem.pointer) + ": " + problem.reason;
}

namespace {
std::string join_problems(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& p : problems) {
    if (!text.empty()) text += '\n';
    text += to_string(p);
  }
  return text.empty() ? std::string("invalid input") : text;
}
}  // namespace

InputError::InputError(std::vector<Problem> problems)
    : Error(join_problems(problems)), problems_(std::move(problems)) {}

}  // namespace wijkmatch
