// The one way wijkmatch writes an output file: into a temporary file beside the target, then a
// rename over it, so that a reader (or a crash) never sees half a file and a failure keeps the
// old one.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

// Beside the target, so that the rename stays within one file system; the process id and a
// counter keep two writers (processes or threads) of the same target apart.
std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  auto tmp = path;
  tmp += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  return tmp;
}

void remove_quietly(const std::filesystem::path& path) noexcept {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
  const auto tmp = temporary_beside(path);
  try {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      const int code = errno;
      throw Error("cannot write " + path.string() + (code != 0 ? std::string(": ") + std::strerror(code) : ""));
    }
    write(out);
    out.close();
    if (!out) throw Error("cannot write " + path.string() + ": write failed (disk full?)");
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    remove_quietly(tmp);
    throw Error("cannot write " + path.string() + ": " + ec.message());
  }
}

void write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  write_file_atomic(path, [contents](std::ostream& out) {
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  });
}

}  // namespace wijkmatch
