// Errors raised by wijkmatch. Bad input and misuse throw; solver outcomes are Status values.
//
// Everything wijkmatch throws derives from wijkmatch::Error, with two exceptions that can
// escape any call: std::bad_alloc when memory runs out, and whatever a callback the caller
// passes in (a progress callback, say) throws itself, which propagates unchanged.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wijkmatch {

/// Base of every exception wijkmatch throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A call with an argument outside the function's documented domain: an unknown node, a
/// negative count, generator options out of range. (Python: ValueError.)
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// An index outside its container, e.g. MinCostFlow::flow(arc) for an unknown arc.
/// (Python: IndexError.)
class OutOfRange : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

/// A call made in the wrong state, e.g. asking for a solution before solve().
class StateError : public Error {
 public:
  using Error::Error;
};

/// One problem in an input document: where (a JSON pointer, RFC 6901) and why.
struct Problem {
  std::string pointer;  ///< e.g. "/residents/3/age_band"; "" is the whole document
  std::string reason;   ///< e.g. "must be one of 0-14, 15-24, 25-44, 45-64, 65-79, 80+"
  friend bool operator==(const Problem&, const Problem&) = default;
};

/// Formats a problem the way every wijkmatch tool prints it: `pointer: reason`.
std::string to_string(const Problem& problem);

/// Input that was rejected. Carries every problem found (up to the loader's limit), in
/// document order; what() joins them one per line.
class InputError : public Error {
 public:
  explicit InputError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

/// Input refused because it is larger than the reader's limit (`LoadOptions::max_bytes`,
/// read_input). Its one problem reads as before ("file of N bytes exceeds the limit of M bytes",
/// or "input exceeds the limit of M bytes" for a stream); the members let a program say more,
/// e.g. which option raises the limit (the command line names `--max-input-bytes`).
class InputTooLarge : public InputError {
 public:
  InputTooLarge(std::string source, std::optional<std::uintmax_t> size, std::size_t limit, std::string reason)
      : InputError({Problem{"", std::move(reason)}}), source_(std::move(source)), size_(size), limit_(limit) {}
  /// The path as given, or "standard input".
  const std::string& source() const noexcept { return source_; }
  /// The size of a regular file; nullopt for a stream, refused once it passed the limit.
  std::optional<std::uintmax_t> size() const noexcept { return size_; }
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::string source_;
  std::optional<std::uintmax_t> size_;
  std::size_t limit_;
};

}  // namespace wijkmatch
