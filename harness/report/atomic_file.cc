#include "harness/report/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "harness/core/error.h"

namespace rh {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
  throw SetupError("cannot " + what + " '" + path.string() + "': " + std::strerror(err));
}

void write_all(int fd, std::string_view content, const std::filesystem::path& tmp) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail("write", tmp, err);
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) fail("create directory", path.parent_path(), ec.value());
  std::string tmp_name = path.string() + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp_name.data());
  if (fd < 0) fail("create a temporary file for", path, errno);
  std::filesystem::path tmp = tmp_name;
  write_all(fd, content, tmp);
  ::fchmod(fd, 0644);  // mkstemp's 0600 would hide reports from a CI user
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail("flush", tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail("rename into place", path, err);
  }
}

}  // namespace rh
