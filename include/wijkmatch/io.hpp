// Format v1: the neighbourhood as a JSON document. See docs/format.md and
// schema/wijkmatch-model-v1.schema.json.
//
// The loader checks everything a case system can get wrong (types, ranges, enums, CBS codes,
// duplicate keys, unknown references, capacities below occupancy, schedules, non-finite
// numbers, unknown fields, nesting depth, size, truncation, UTF-8) and reports every problem
// found, up to a limit, as `JSON-pointer: reason`. It returns a complete model or throws
// InputError; nothing is ever partially loaded.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/error.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

/// The format version this build reads and writes.
inline constexpr int model_format_version = 1;
/// The newest minor version of format 1 this build reads and writes: 1.1 adds organisers,
/// volunteers, initiatives and help offers as optional members; a document marks it with
/// `"format_minor": 1` (docs/format.md, "Format v1.1"). Writers mark only models that use it.
inline constexpr int model_format_minor = 1;

/// The most bytes any reader takes from any source unless told otherwise (docs/format.md,
/// "Size limit"): model files, `.wjm`, DIMACS, standard input. 4 GiB: our own JSON of a
/// 1-million-resident city (about 1.5 GB) loads with room to spare, while a runaway source
/// (/dev/zero, a wrong file) is refused before it takes more memory than a laptop has; larger
/// models belong in the binary form (a 1M city is 175 MB there). The binary form is held to the
/// same limit: it is read into memory whole too, and 4 GiB of it holds more than the whole country.
inline constexpr std::size_t default_max_input_bytes =
    static_cast<std::size_t>(std::min<std::uint64_t>(std::uint64_t{1} << 32, SIZE_MAX));

struct LoadOptions {
  /// Larger inputs are refused with InputTooLarge (see read_input); the command line's
  /// `--max-input-bytes`.
  std::size_t max_bytes = default_max_input_bytes;
  std::size_t max_problems = 100;  ///< stop collecting after this many
  int max_depth = 32;              ///< deeper nesting is refused before parsing
};

/// Every problem in `json_text` as a model document; empty when it is valid. O(size).
std::vector<Problem> validate_model(std::string_view json_text, const LoadOptions& options = {});

/// Parses a model document. Throws InputError with every problem found. O(size): a valid
/// document is read in one pass over a simdjson parse (several hundred MB/s); any other is read
/// again by the precise reader, which finds and words every problem.
Model parse_model(std::string_view json_text, const LoadOptions& options = {});

/// Reads and parses a model file. Throws InputError (also for unreadable or oversized files).
Model load_model(const std::filesystem::path& path, const LoadOptions& options = {});

/// The model as a format v1 document; `indent` < 0 writes one line. Loads back equal. Members
/// come in byte order of their names. Throws InvalidArgument for a string that is not UTF-8.
/// O(size).
std::string to_json(const Model& model, int indent = 2);

/// Writes `to_json(model, indent)` to `out` as it goes, without holding the whole text
/// (memory beyond the model: a buffer of about 1 MiB). O(size).
void write_json(const Model& model, std::ostream& out, int indent = 2);

/// Writes `to_json(model)` to `path`, streamed like write_json (via a temporary file, so a
/// failure leaves any existing file intact). Throws Error when the file cannot be written.
void save_model(const Model& model, const std::filesystem::path& path);

/// Writes a file so that no reader ever sees a part of it: `write` fills a temporary file beside
/// `path`, which then replaces `path` in one rename. Every output file of wijkmatch is written
/// this way. On any failure (the temporary cannot be created, `write` throws or leaves the
/// stream failed, the rename fails) the temporary file is removed and `path` is left as it was;
/// then Error is thrown (`cannot write PATH: reason`), or what `write` threw is rethrown.
void write_file_atomic(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);
/// The same for contents already in memory.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

/// The model in wijkmatch's binary format (`.wjm`): versioned, little-endian, length-prefixed
/// sections of flat arrays; over a hundred times faster to load than JSON and about an eighth of its
/// size (docs/generator.md, "Binary form"). Loads back equal. Throws Error on I/O failure.
void save_model_binary(const Model& model, const std::filesystem::path& path);
/// Reads a binary model, checking magic, version, sizes and every reference; a damaged or
/// truncated file gives an InputError (pointer: the section and index), never a crash.
Model load_model_binary(const std::filesystem::path& path, const LoadOptions& options = {});
/// Loads a model in either format, chosen by the file's first bytes, never by its name: the
/// binary magic (89 'W' 'J' 'M') goes to load_model_binary, anything else to load_model, so a
/// `.wjm` file without its extension and JSON named `.wjm` both load. "-" is standard input
/// (read once, then decoded by the same rule). Both formats are held to `options.max_bytes`.
/// Throws InputError as those loaders do. O(size).
Model load_any(const std::filesystem::path& path, const LoadOptions& options = {});
/// Whether `head` (the first bytes of a file, at least 4) starts like a binary model. O(1).
bool is_binary_model(std::string_view head) noexcept;

/// Reads all of `path` into memory; "-" is standard input (std::cin). Every source (regular
/// file, pipe, fifo, device such as /dev/zero, standard input) is read in chunks and refused
/// as soon as it passes `max_bytes`, so no more than `max_bytes` is ever held; a regular file
/// is refused by its size before reading. Throws InputError (pointer "", the whole document)
/// naming the cause: "cannot read PATH: no such file", "cannot read PATH: is a directory",
/// "cannot read PATH: <system reason>", or, as InputTooLarge (with the source, the size when
/// known and the limit), "file of N bytes exceeds the limit of M bytes" or "input exceeds the
/// limit of M bytes". O(size).
std::string read_input(const std::filesystem::path& path, std::size_t max_bytes);
/// The same for an open stream; `name` stands for it in messages.
std::string read_input(std::istream& in, std::size_t max_bytes, std::string_view name);

}  // namespace wijkmatch
