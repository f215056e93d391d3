// Fuzz target: the binary model loader (.wjm, io.hpp).
// The input is decoded twice: as it is (a damaged file must give an InputError, never a crash),
// and resealed, with size and checksums recomputed, so that mutations reach the field checks.
// Properties: only wijkmatch::Error escapes; a damaged or truncated file is an InputError with
// a problem; what loads also passes the JSON loader's checks and round-trips through both formats.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_checks.hpp"

namespace {

std::optional<wijkmatch::Model> decode(const std::string& bytes) {
  std::optional<wijkmatch::Model> model;
  wijkmatch::fuzz::only_wijkmatch_errors("decode_model_binary", [&] {
    try {
      model = wijkmatch::detail::decode_model_binary(bytes);
    } catch (const wijkmatch::InputError& e) {
      wijkmatch::fuzz::require(!e.problems().empty(), "an InputError names at least one problem");
    }
  });
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (auto model = decode(bytes)) wijkmatch::fuzz::require_round_trips(*model);
  wijkmatch::detail::reseal_model_binary(bytes);
  if (auto model = decode(bytes)) wijkmatch::fuzz::require_round_trips(*model);
  return 0;
}
