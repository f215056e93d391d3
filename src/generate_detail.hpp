// What generate.cpp shares with generate_directory.cpp: the municipality sizes and the
// generation of one municipality into a model.
#pragma once
#include <cstdint>
#include <vector>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch::detail {

/// Residents per municipality, largest first, adding up to options.residents. Throws
/// InvalidArgument for options out of range. O(municipalities).
std::vector<std::int64_t> plan_sizes(const GenerateOptions& options);

/// Appends municipality `index` (with `target` residents) to `m`; ids are offset by what `m`
/// already holds. Does not rebuild the model's index. O(target).
/// Generates municipality `index` (`target` residents) into `m`, reporting progress to
/// options.progress as residents done, counting from `done_before`.
void generate_into(const GenerateOptions& options, int index, std::int64_t target, Model& m, std::int64_t done_before);

}  // namespace wijkmatch::detail
