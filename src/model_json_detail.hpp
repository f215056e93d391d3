// Private: the two paths of the format v1 reader and the streaming writer (model_json*.cpp).
#pragma once
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

/// The value of a document's "format" member.
inline constexpr std::string_view model_format_name = "wijkmatch-neighbourhood";

/// Bytes past the end of a text that the fast path may read when the caller says they are
/// there (read_input reserves them for a file): then it parses the text in place, not a copy.
inline constexpr std::size_t input_padding = 64;

/// The fast path of the reader (simdjson): the model of a document that is well-formed and of
/// the right shape in every part (known members, each once, of the right types, references that
/// resolve), or nullopt at the first thing that is not. It reports nothing: for any document it
/// refuses, the precise path finds the problems. The model is not yet checked (Model::check),
/// and its index is not built. O(size).
std::optional<Model> read_model_fast(std::string_view text, const LoadOptions& options, bool padded = false);

/// The precise path: every problem of the document with its pointer, and the model as far as it
/// could be read (nlohmann: a duplicate-member pass, the document tree, the checks). O(size).
Model read_model_precise(std::string_view text, const LoadOptions& options, std::vector<Problem>& problems);

/// Streams to_json(model, indent) into `text` (appended) or `out`, without a document tree.
/// O(size of the text); memory beyond the model: O(1) for a stream (a 1 MiB buffer).
void write_model_json(const Model& model, std::string& text, int indent);
void write_model_json(const Model& model, std::ostream& out, int indent);

}  // namespace wijkmatch::detail
