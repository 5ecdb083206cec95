// libFuzzer target for the boot server's request path: the input is what a
// guest sends on one connection. It runs through the real HttpSession (Beast's
// parser, the size caps, normalize_target, faults, ContentMap) over a
// socketpair, on one thread, with no network. The client half-closes after
// the input, so every run ends.
//
// Must hold for any input: the run ends; no byte of a file outside the root
// is sent (the root has file, directory and relative symlinks out of it);
// every response starts with a status line; every request is recorded, with
// a status from the responses we know.
//
//   cmake --preset fuzz && cmake --build --preset fuzz --target http_session_fuzz
//   build-fuzz/harness/bootserver/http_session_fuzz harness/bootserver/corpus/http_session_fuzz
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "harness/bootserver/http_session.h"
#include "harness/bootserver/server_state.h"

namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;

// The content of the file outside the root: random per process, so that no
// input can hold it unless the server leaked it (a fixed marker found its way
// into libFuzzer's dictionary and came back echoed in a 405's method name).
std::string make_secret() {
  std::random_device random;
  std::string secret = "secret-";
  for (int i = 0; i < 32; ++i) secret += "0123456789abcdef"[random() % 16];
  return secret;
}
const std::string kSecret = make_secret();

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A scenario-like tree, made once per process.
rh::BootServerConfig make_config() {
  char tmpl[] = "/tmp/rh-http-fuzz-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  const fs::path root = dir / "root";
  write_file(root / "boot.ipxe", "#!ipxe\nkernel http://{{server}}/vmlinuz {{missing}}\n");
  write_file(root / "data.bin", std::string(3000, 'd'));
  write_file(root / "sub/inner.txt", "INNER");
  write_file(dir / "outside/secret", kSecret);
  fs::create_symlink(dir / "outside/secret", root / "escape");
  fs::create_symlink(dir / "outside", root / "dirlink");
  fs::create_symlink("../../outside/secret", root / "sub/up");
  fs::create_symlink("/", root / "slash");
  write_file(dir / "cache/vmlinuz", "KERNEL");
  return {.root = root,
          .files = {{"/vmlinuz", dir / "cache/vmlinuz"}},
          .variables = {{"server", "10.0.2.2:8080"}},
          .templates = {"/sub/inner.txt"},
          .faults = {{.path = "/fault/*", .status = 503},
                     {.path = "/data.bin", .truncate = 100, .times = 2},
                     {.path = "/sub/*", .reset_after = 2, .after = 1}},
          .max_connections = 4};
}

const std::set<int> kStatuses = {200, 206, 400, 403, 404, 405, 408, 413, 414, 416, 431, 500, 503};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  static const rh::BootServerConfig config = make_config();
  net::io_context ioc(1);
  auto state = std::make_shared<rh::ServerState>(config);
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
  net::ip::tcp::socket server_side(ioc);
  server_side.assign(net::ip::tcp::v4(), fds[0]);
  std::make_shared<rh::HttpSession>(std::move(server_side), state)->start();

  net::local::stream_protocol::socket client(ioc);
  client.assign(net::local::stream_protocol(), fds[1]);
  std::string received;
  net::async_write(client, net::buffer(data, size), [&](boost::system::error_code, std::size_t) {
    boost::system::error_code ignored;
    client.shutdown(net::socket_base::shutdown_send, ignored);
  });
  net::async_read(client, net::dynamic_buffer(received),
                  [](boost::system::error_code, std::size_t) {});
  ioc.run();

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (received.find(kSecret) != std::string::npos && input.find(kSecret) == std::string::npos) {
    std::abort();
  }
  if (!received.empty() && !received.starts_with("HTTP/1.1 ")) std::abort();
  for (const rh::RequestRecord& r : state->log.snapshot()) {
    if (!r.complete || !kStatuses.contains(r.status)) std::abort();
    const std::string& p = r.path;
    if (p.find("/../") != std::string::npos || p.ends_with("/..")) std::abort();
  }
  return 0;
}
