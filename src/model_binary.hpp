// In-memory access to the binary model format (`.wjm`) for the fuzz targets and tests; the
// public entry points (io.hpp) read and write files.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

/// The bytes save_model_binary writes. Throws Error for a model the format cannot hold.
std::string encode_model_binary(const Model& model);

/// Decodes bytes as load_model_binary does after reading the file, with the same checks.
Model decode_model_binary(std::string_view bytes, std::size_t max_problems = 100);

/// Rewrites the declared size and every checksum that the framing of `bytes` lets it find, so
/// that a fuzzer's mutations reach the field checks instead of stopping at a checksum. A real
/// file is never resealed: that would hide damage.
void reseal_model_binary(std::string& bytes);

}  // namespace wijkmatch::detail
