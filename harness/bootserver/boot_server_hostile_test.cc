// Hostile guests over real sockets (issue 13): path attacks, oversized and
// malformed heads, slow and idle clients, floods of connections. Every case
// waits for what it expects with a generous deadline; none has an upper time
// bound or a fixed sleep.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/bootserver/boot_server.h"
#include "harness/bootserver/http_session.h"
#include "harness/bootserver/test_client.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;
using testing::raw_exchange_to;

constexpr auto kDeadline = milliseconds(60000);

std::string get(const std::string& target, const std::string& headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n";
}

std::string status_of(const testing::RawExchange& r) {
  return r.data.size() >= 12 ? r.data.substr(9, 3) : "(no status line: '" + r.data + "')";
}

// Polls `pred` on the server's connection counters until it holds or the
// deadline passes (the counters have no wait of their own).
bool wait_stats(const BootServer& server, const std::function<bool(const ConnectionStats&)>& pred) {
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  while (!pred(server.connection_stats())) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

std::size_t count_status(const std::vector<RequestRecord>& all, int status) {
  return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [status](const auto& r) {
    return r.complete && r.status == status;
  }));
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

class HostileRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "root";
    tmp_.write("root/boot.ipxe", "#!ipxe\nkernel http://{{server}}/vmlinuz\n");
    tmp_.write("root/sub/inner.txt", "INNER");
    tmp_.write("outside/secret", "SECRET");
    fs::create_symlink(tmp_.path() / "outside/secret", root_ / "escape");       // file link out
    fs::create_symlink(tmp_.path() / "outside", root_ / "dirlink");             // dir link out
    fs::create_symlink("../../outside/secret", root_ / "sub/relative-escape");  // relative, out
    fs::create_symlink(root_ / "sub/inner.txt", root_ / "inside-link");         // stays inside
    fs::create_symlink("loop", root_ / "loop");                                 // a cycle
    fs::create_symlink("/", root_ / "slash");                                   // the whole disk
    kernel_ = tmp_.write("cache/vmlinuz", "KERNEL-BYTES");
  }

  BootServerConfig config() const {
    return {.root = root_, .files = {{"/vmlinuz", kernel_}}, .log_file = tmp_.path() / "http.log"};
  }

  std::string log_text() const {
    std::ifstream in(tmp_.path() / "http.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  testing::TempDir tmp_;
  fs::path root_;
  fs::path kernel_;
};

TEST_F(HostileRequestTest, NoTargetLeavesTheRoot) {
  BootServer server(config());
  const struct {
    std::string target;
    const char* status;
  } cases[] = {
      {"/../etc/passwd", "403"},
      {"/%2e%2e/%2e%2e/etc/passwd", "403"},
      {"/%2E%2e%2fetc/passwd", "403"},
      {"/sub/%2E%2e%2f%2E%2e%2f%2E%2e%2fetc/passwd", "403"},
      {"/sub/..%2F..%2Fetc%2Fpasswd", "403"},
      {"/vmlinuz/../escape", "403"},
      {"http://evil.test/../etc/passwd", "403"},
      {"http://evil.test/escape", "403"},
      {"http://evil.test/boot.ipxe", "200"},  // absolute-form is served from the root
      {"//etc/passwd", "404"},                // root/etc/passwd, which does not exist
      {"///etc//passwd", "404"},
      {R"(/..\..\etc\passwd)", "400"},
      {"/%5c..%5c..%5cetc%5cpasswd", "400"},
      {"/escape", "403"},
      {"/dirlink/secret", "403"},
      {"/dirlink", "403"},
      {"/sub/relative-escape", "403"},
      {"/slash/etc/passwd", "403"},
      {"/inside-link", "200"},  // a link that stays inside the root still works
      {"/loop", "404"},
      {"/x%00y", "400"},
      {"/escape%00.ipxe", "400"},
      {std::string("/escape\0.ipxe", 13), "400"},  // raw NUL: Beast refuses the line
      {"/sub/inner.txt%0d%0aX-Injected:%20yes", "400"},
  };
  for (const auto& c : cases) {
    const auto r = raw_exchange_to("127.0.0.1", server.port(), get(c.target));
    EXPECT_EQ(status_of(r), c.status) << c.target;
    EXPECT_EQ(r.data.find("SECRET"), std::string::npos) << c.target;
    EXPECT_EQ(r.data.find("root:"), std::string::npos) << c.target;
    EXPECT_EQ(r.data.find("X-Injected"), std::string::npos) << c.target;
  }
  // Every one was answered and recorded.
  const auto all = server.wait_until(
      [&](const auto& records) {
        return std::count_if(records.begin(), records.end(), [](const auto& r) {
                 return r.complete;
               }) == static_cast<long>(std::size(cases));
      },
      kDeadline);
  ASSERT_TRUE(all) << log_text();
  EXPECT_NE(log_text().find(" GET /dirlink/secret 403 "), std::string::npos) << log_text();
  EXPECT_NE(log_text().find("# path contains a backslash"), std::string::npos) << log_text();
}

TEST_F(HostileRequestTest, OverlongRequestLineIs414) {
  BootServer server(config());
  const std::string line = "/" + std::string(20000, 'a');
  const auto r = raw_exchange_to("127.0.0.1", server.port(), get(line), true);
  EXPECT_EQ(status_of(r), "414") << r.data.substr(0, 200);
  EXPECT_NE(r.body().find("request line over 8192 bytes"), std::string::npos) << r.body();
  // Just under the limit is an ordinary request (and an ordinary 404).
  const std::string fits = "/" + std::string(kMaxRequestLine - 40, 'b');
  EXPECT_EQ(status_of(raw_exchange_to("127.0.0.1", server.port(), get(fits), true)), "404");
}

TEST_F(HostileRequestTest, OverlongHeadIs431) {
  BootServer server(config());
  std::string big;
  for (int i = 0; i < 40; ++i)
    big += "X-Big-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  const auto r = raw_exchange_to("127.0.0.1", server.port(), get("/boot.ipxe", big), true);
  EXPECT_EQ(status_of(r), "431");
  EXPECT_NE(r.body().find("request head over 16384 bytes"), std::string::npos) << r.body();
  std::string many;  // many tiny fields: Beast takes each as it completes
  for (int i = 0; i < 20000; ++i) many += "a: b\r\n";
  EXPECT_EQ(status_of(raw_exchange_to("127.0.0.1", server.port(), get("/boot.ipxe", many), true)),
            "431");
  std::string fits;
  for (int i = 0; i < 10; ++i)
    fits += "X-Ok-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  EXPECT_EQ(status_of(raw_exchange_to("127.0.0.1", server.port(), get("/boot.ipxe", fits), true)),
            "200");
  const auto records = server.wait_until(
      [](const auto& all) { return count_status(all, 431) == 2 && count_status(all, 200) == 1; },
      kDeadline);
  ASSERT_TRUE(records) << log_text();
  EXPECT_NE(log_text().find(" GET /boot.ipxe 431 "), std::string::npos) << log_text();
}

TEST_F(HostileRequestTest, MalformedAndOversizedRequestsAreRefused) {
  BootServer server(config());
  const auto send = [&](const std::string& text) {
    return status_of(raw_exchange_to("127.0.0.1", server.port(), text, true));
  };
  EXPECT_EQ(send("GET /boot.ipxe HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"), "413");
  EXPECT_EQ(send("GARBAGE\r\n\r\n"), "400");
  EXPECT_EQ(send("GET /boot.ipxe HTTP/9.9\r\n\r\n"), "400");
  EXPECT_EQ(send("GET /boot.ipxe HTTP/1.1\r\nBad Header\r\n\r\n"), "400");
  EXPECT_EQ(send("GET /boot.ipxe HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            "400");
  EXPECT_EQ(send("GET /boot.ipxe HTTP/1.1\r\nHost: x\r\n"), "400");  // ends mid-head
  EXPECT_EQ(send("GET * HTTP/1.1\r\n\r\n"), "400");
  EXPECT_EQ(send("OPTIONS * HTTP/1.1\r\n\r\n"), "405");
  EXPECT_EQ(send("GET /boot.ipxe HTTP/1.1\r\nHost: x\r\n\r\n"), "200");  // then EOF: a clean end
  const auto r = raw_exchange_to("127.0.0.1", server.port(), "GET /boot.ipxe HTTP/1.1\r\n", true);
  EXPECT_NE(r.body().find("unreadable request: partial message"), std::string::npos) << r.data;
}

// Two requests in one segment: the second is parsed from what was already read.
TEST_F(HostileRequestTest, PipelinedRequestsAreAnsweredInOrder) {
  BootServer server(config());
  const auto r =
      raw_exchange_to("127.0.0.1", server.port(),
                      "GET /vmlinuz HTTP/1.1\r\nHost: x\r\n\r\n" + get("/sub/inner.txt"), true);
  const std::size_t first = r.data.find("KERNEL-BYTES");
  const std::size_t second = r.data.find("INNER");
  ASSERT_NE(first, std::string::npos) << r.data;
  ASSERT_NE(second, std::string::npos) << r.data;
  EXPECT_LT(first, second);
}

TEST_F(HostileRequestTest, SlowClientGets408) {
  BootServerConfig c = config();
  c.request_timeout = milliseconds(1500);
  BootServer server(c);
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), server.port()});
  net::write(socket, net::buffer(std::string("GET /boot.ipxe HTTP/1.1\r\nX-Slow: ")));
  // One header byte a second, never finishing the head: only the server's
  // deadline can end this.
  const int fd = socket.native_handle();
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) > 0) break;
    ASSERT_LT(std::chrono::steady_clock::now(), until) << "the server never gave up";
    ASSERT_EQ(::send(fd, "a", 1, MSG_NOSIGNAL), 1);
  }
  std::string data;
  char buf[4096];
  while (testing::wait_readable(fd)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(data.substr(0, 12), "HTTP/1.1 408") << data;
  EXPECT_NE(data.find("request not complete 1500 ms after its first byte"), std::string::npos);
  EXPECT_NE(data.find("Connection: close"), std::string::npos);
  EXPECT_EQ(server.connection_stats().request_timeouts, 1u);
  const auto rec = server.wait_for_request(
      [](const RequestRecord& r) { return r.complete && r.status == 408; }, kDeadline);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->method, "GET");
  EXPECT_EQ(rec->target, "/boot.ipxe");
}

TEST_F(HostileRequestTest, IdleConnectionsTimeOut) {
  BootServerConfig c = config();
  c.idle_timeout = milliseconds(300);
  BootServer server(c);
  net::io_context ioc;
  // One that never says anything, one that goes quiet after a keep-alive request.
  tcp::socket silent(ioc);
  silent.connect({net::ip::make_address("127.0.0.1"), server.port()});
  tcp::socket quiet(ioc);
  quiet.connect({net::ip::make_address("127.0.0.1"), server.port()});
  net::write(quiet, net::buffer(std::string("GET /boot.ipxe HTTP/1.1\r\nHost: x\r\n\r\n")));
  for (tcp::socket* s : {&silent, &quiet}) {
    std::string data;
    boost::system::error_code ec;
    char buf[4096];
    while (!ec && testing::wait_readable(s->native_handle())) {
      data.append(buf, s->read_some(net::buffer(buf), ec));
    }
    EXPECT_EQ(ec, net::error::eof) << ec.message();
    if (s == &quiet) {
      EXPECT_EQ(data.substr(0, 12), "HTTP/1.1 200") << data;
    } else {
      EXPECT_TRUE(data.empty()) << data;
    }
  }
  EXPECT_TRUE(wait_stats(server, [](const ConnectionStats& s) { return s.open == 0; }));
  EXPECT_EQ(server.connection_stats().idle_timeouts, 2u);
  EXPECT_EQ(server.requests().size(), 1u);  // an idle connection is no request
}

// Hundreds of connections at once, with the default cap: the excess is
// answered 503 and closed at once, each refusal recorded; the server's
// descriptors stay bounded by the cap; it serves again once they go.
TEST_F(HostileRequestTest, ConnectionFloodIsCapped) {
  BootServerConfig c = config();
  c.idle_timeout = std::chrono::minutes(10);  // the admitted ones hold their places
  const std::size_t cap = c.max_connections;
  ASSERT_EQ(cap, 128u);
  constexpr std::size_t kClients = 400;
  BootServer server(c);
  const std::size_t fds_before = open_descriptors();
  net::io_context ioc;
  std::vector<tcp::socket> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.emplace_back(ioc).connect({net::ip::make_address("127.0.0.1"), server.port()});
  }
  const auto refused = server.wait_until(
      [&](const auto& all) { return count_status(all, 503) == kClients - cap; }, kDeadline);
  ASSERT_TRUE(refused) << server.connection_stats().refused;
  ASSERT_TRUE(wait_stats(server, [&](const ConnectionStats& s) { return s.accepted == cap; }));
  const ConnectionStats stats = server.connection_stats();
  EXPECT_EQ(stats.refused, kClients - cap);
  EXPECT_EQ(stats.open, cap);
  EXPECT_EQ(stats.peak, cap);
  // Client sockets plus the admitted sessions, and little else.
  EXPECT_LE(open_descriptors(), fds_before + kClients + cap + 16);
  EXPECT_EQ(refused->back().note, "over the cap of 128 open connections");
  clients.clear();
  EXPECT_TRUE(wait_stats(server, [](const ConnectionStats& s) { return s.open == 0; }));
  EXPECT_EQ(status_of(raw_exchange_to("127.0.0.1", server.port(), get("/boot.ipxe"))), "200");
  EXPECT_EQ(server.connection_stats().peak, cap);
}

// A small cap and a client that reads the refusal: the 503 is a real answer.
TEST_F(HostileRequestTest, RefusedConnectionIsAnswered503) {
  BootServerConfig c = config();
  c.max_connections = 1;
  c.idle_timeout = std::chrono::minutes(10);
  BootServer server(c);
  net::io_context ioc;
  tcp::socket holder(ioc);
  holder.connect({net::ip::make_address("127.0.0.1"), server.port()});
  ASSERT_TRUE(wait_stats(server, [](const ConnectionStats& s) { return s.open == 1; }));
  const auto r = raw_exchange_to("127.0.0.1", server.port(), "");
  EXPECT_EQ(status_of(r), "503") << r.data;
  EXPECT_EQ(r.body(), "503 Service Unavailable: over the cap of 1 open connections\n");
  EXPECT_EQ(server.connection_stats().refused, 1u);
}

}  // namespace
}  // namespace rh
