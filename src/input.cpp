// The one bounded reader behind every loader and every source (io.hpp, read_input).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "model_json_detail.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

constexpr std::size_t chunk_size = std::size_t{1} << 16;

[[noreturn]] void refuse(std::string reason) { throw InputError({Problem{"", std::move(reason)}}); }

[[noreturn]] void over_limit(std::string_view name, std::size_t max_bytes) {
  throw InputTooLarge(std::string(name), std::nullopt, max_bytes,
                      "input exceeds the limit of " + std::to_string(max_bytes) + " bytes");
}

// Appends `n` bytes unless that passes the limit: the text never grows beyond `max_bytes`.
void append(std::string& text, const char* data, std::size_t n, std::size_t max_bytes, std::string_view name) {
  if (n > max_bytes - text.size()) over_limit(name, max_bytes);
  text.append(data, n);
}

class File {
 public:
  explicit File(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_input(std::istream& in, std::size_t max_bytes, std::string_view name) {
  std::string text;
  char buf[chunk_size];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    append(text, buf, static_cast<std::size_t>(in.gcount()), max_bytes, name);
  if (in.bad()) refuse("cannot read " + std::string(name) + ": read error");
  return text;
}

std::string read_input(const std::filesystem::path& path, std::size_t max_bytes) {
  if (path == "-") return read_input(std::cin, max_bytes, "standard input");
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) refuse("cannot read " + name + ": no such file");
  if (std::filesystem::is_directory(status)) refuse("cannot read " + name + ": is a directory");
  std::uintmax_t expected = 0;
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_bytes)
      throw InputTooLarge(
          name, size, max_bytes,
          "file of " + std::to_string(size) + " bytes exceeds the limit of " + std::to_string(max_bytes) + " bytes");
    if (!ec) expected = size;
  }
  File file(path);
  if (file.fd() < 0) refuse("cannot read " + name + ": " + std::strerror(errno));
  std::string text;
  // One allocation for the whole file, with room past its end that lets the JSON reader parse
  // it in place (simdjson reads up to 64 bytes beyond the text; model_json_fast.cpp).
  if (expected > 0) text.reserve(static_cast<std::size_t>(expected) + detail::input_padding);
  char buf[chunk_size];
  for (;;) {
    const ::ssize_t n = ::read(file.fd(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      refuse("cannot read " + name + ": " + std::strerror(errno));
    }
    append(text, buf, static_cast<std::size_t>(n), max_bytes, name);
  }
  return text;
}

}  // namespace wijkmatch
