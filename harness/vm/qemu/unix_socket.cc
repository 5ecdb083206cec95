#include "harness/vm/qemu/unix_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "harness/core/error.h"

namespace rh {

int connect_unix_socket(const std::filesystem::path& path, std::chrono::milliseconds timeout,
                        const std::function<bool()>& still_alive) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof addr.sun_path) {
    throw SetupError("socket path '" + path.string() + "' is too long for a UNIX socket");
  }
  std::strcpy(addr.sun_path, path.c_str());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int last_errno = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    last_errno = errno;
    ::close(fd);
    if (still_alive && !still_alive()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw SetupError("cannot connect to '" + path.string() + "': " + std::strerror(last_errno));
}

}  // namespace rh
