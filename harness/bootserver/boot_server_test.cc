// The boot server over real sockets: Beast and raw clients, and curl.
#include "harness/bootserver/boot_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "harness/bootserver/test_client.h"
#include "harness/core/error.h"
#include "harness/core/process.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace http = boost::beast::http;
using std::chrono::milliseconds;
using testing::http_request;
using testing::raw_exchange;

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

// A deadline for helper commands (curl, cmp) that is never the thing under
// test: generous enough for a loaded machine.
constexpr auto kCommandDeadline = milliseconds(300000);

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// A record is complete once its response has been sent, which can be just
// after the client has read it: wait until `n` are.
std::vector<RequestRecord> wait_count(const BootServer& server, std::size_t n) {
  const auto complete = [n](const std::vector<RequestRecord>& all) {
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(),
                                                  [](const auto& r) { return r.complete; })) >= n;
  };
  return server.wait_until(complete, milliseconds(30000)).value_or(server.requests());
}

class BootServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "root";
    tmp_.write("root/boot.ipxe", "#!ipxe\nkernel http://{{server}}/vmlinuz\n");
    tmp_.write("root/data.bin", testing::pattern_bytes(100000));
    tmp_.write("outside/secret", "SECRET");
    fs::create_symlink(tmp_.path() / "outside/secret", root_ / "escape");
    kernel_ = tmp_.write("cache/vmlinuz", "KERNEL-BYTES");
  }

  std::unique_ptr<BootServer> start(std::vector<HttpFault> faults = {}) {
    BootServerConfig config{.root = root_,
                            .files = {{"/vmlinuz", kernel_}},
                            .faults = std::move(faults),
                            .log_file = tmp_.path() / "http.log"};
    return std::make_unique<BootServer>(config);
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

TEST_F(BootServerTest, GetHeadAnd404) {
  auto server = start();
  ASSERT_NE(server->port(), 0);
  const auto data = http_request(server->port(), "GET", "/data.bin");
  EXPECT_EQ(data.result_int(), 200);
  EXPECT_EQ(data[http::field::content_length], "100000");
  EXPECT_EQ(data.body(), testing::pattern_bytes(100000));
  const auto kernel = http_request(server->port(), "GET", "/vmlinuz");
  EXPECT_EQ(kernel.body(), "KERNEL-BYTES");
  const auto head = http_request(server->port(), "HEAD", "/data.bin");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[http::field::content_length], "100000");
  EXPECT_TRUE(head.body().empty());
  const auto missing = http_request(server->port(), "GET", "/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing.body(), "404 Not Found: no such file\n");
}

TEST_F(BootServerTest, TemplatesAreFilled) {
  auto server = start();
  const std::string own = "127.0.0.1:" + std::to_string(server->port());
  EXPECT_EQ(http_request(server->port(), "GET", "/boot.ipxe").body(),
            "#!ipxe\nkernel http://" + own + "/vmlinuz\n");
  server->set_variable("server", "10.0.2.2:" + std::to_string(server->port()));
  EXPECT_EQ(http_request(server->port(), "GET", "/boot.ipxe?mac=52").body(),
            "#!ipxe\nkernel http://10.0.2.2:" + std::to_string(server->port()) + "/vmlinuz\n");
}

TEST_F(BootServerTest, TraversalIsRefusedAndLogged) {
  auto server = start();
  const struct {
    const char* target;
    const char* status;
  } cases[] = {{"/../etc/passwd", "403"},
               {"/%2e%2e/%2e%2e/etc/passwd", "403"},
               {"/a/..%2f..%2fetc/passwd", "403"},
               {"/escape", "403"},
               {"/x%00y", "400"}};
  for (const auto& c : cases) {
    const auto r = raw_exchange(server->port(), get(c.target));
    EXPECT_EQ(r.data.substr(9, 3), c.status) << c.target;
    EXPECT_EQ(r.body().find("SECRET"), std::string::npos) << c.target;
    EXPECT_EQ(r.body().find("root:"), std::string::npos) << c.target;
  }
  wait_count(*server, std::size(cases));
  const std::string log = log_text();
  EXPECT_NE(log.find(" GET /../etc/passwd 403 "), std::string::npos) << log;
  EXPECT_NE(log.find("# path has a '..' segment"), std::string::npos) << log;
  EXPECT_NE(log.find(" GET /escape 403 "), std::string::npos) << log;
  EXPECT_NE(log.find("# resolves outside the root to '"), std::string::npos) << log;
  EXPECT_NE(log.find(" GET /x%2500y 400 "), std::string::npos) << log;
  EXPECT_NE(log.find("# path contains a NUL byte"), std::string::npos) << log;
}

TEST_F(BootServerTest, UnknownMethodIs405) {
  auto server = start();
  const auto r = raw_exchange(server->port(),
                              "DELETE /data.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.data.substr(0, 12), "HTTP/1.1 405");
  EXPECT_NE(r.data.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_EQ(r.body(), "405 Method Not Allowed: method 'DELETE' not allowed\n");
  EXPECT_TRUE(fs::exists(root_ / "data.bin"));
}

TEST_F(BootServerTest, StatusFaultAppliesToTheFirstRequestsOnly) {
  auto server =
      start({HttpFault{.name = "kernel-404", .path = "/vmlinuz", .status = 404, .times = 1},
             HttpFault{.path = "/*.bin", .status = 500}});
  EXPECT_EQ(http_request(server->port(), "GET", "/vmlinuz").result_int(), 404);
  EXPECT_EQ(http_request(server->port(), "GET", "/vmlinuz").result_int(), 200);
  const auto r = http_request(server->port(), "GET", "/data.bin");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r.body(), "500 Internal Server Error: injected fault\n");
  const auto records = wait_count(*server, 3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fault, "kernel-404");
  EXPECT_EQ(records[1].fault, "");
  EXPECT_EQ(records[2].fault, "status=500");
}

TEST_F(BootServerTest, DelayFirstByteIsMeasurable) {
  auto server = start({HttpFault{.path = "/vmlinuz", .delay_first_byte = milliseconds(80)}});
  const auto fast = raw_exchange(server->port(), get("/data.bin"));
  const auto slow = raw_exchange(server->port(), get("/vmlinuz"));
  EXPECT_GE(slow.first_byte, milliseconds(80));
  EXPECT_EQ(slow.body(), "KERNEL-BYTES");
  EXPECT_EQ(fast.body(), testing::pattern_bytes(100000));
  const auto records = wait_count(*server, 2);
  EXPECT_EQ(records[0].fault, "");            // no delay for the other path (a lower bound only:
  EXPECT_EQ(records[1].fault, "delay=80ms");  // an upper one would fail under load)
}

TEST_F(BootServerTest, RateBoundsThroughput) {
  // 100000 bytes at 400000 B/s: the last 20000-byte chunk may not leave before 200 ms.
  auto server = start({HttpFault{.path = "/data.bin", .rate = 400000}});
  const auto r = raw_exchange(server->port(), get("/data.bin"));
  EXPECT_EQ(r.body(), testing::pattern_bytes(100000));
  EXPECT_GE(r.total, milliseconds(200));
}

TEST_F(BootServerTest, ResetAfterCutsTheConnectionWithRst) {
  auto server = start({HttpFault{.path = "/data.bin", .reset_after = 1000}});
  const auto r = raw_exchange(server->port(), get("/data.bin"));
  EXPECT_EQ(r.end, net::error::connection_reset) << r.end.message();
  EXPECT_NE(r.data.find("Content-Length: 100000\r\n"), std::string::npos);
  EXPECT_LE(r.body().size(), 1000u);
  const auto rec =
      server->wait_for_request([](const RequestRecord& x) { return x.cut; }, milliseconds(30000));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bytes_sent, 1000u);
  EXPECT_EQ(rec->fault, "reset_after=1000");
  EXPECT_EQ(rec->note, "reset after 1000 of 100000 bytes");
}

TEST_F(BootServerTest, TruncateSendsAShortBodyThenCloses) {
  auto server = start({HttpFault{.path = "/data.bin", .truncate = 5000}});
  const auto r = raw_exchange(server->port(), get("/data.bin"));
  EXPECT_EQ(r.end, net::error::eof) << r.end.message();
  EXPECT_NE(r.data.find("Content-Length: 100000\r\n"), std::string::npos);
  EXPECT_EQ(r.body(), testing::pattern_bytes(5000));
  // curl agrees the transfer was cut short (exit 18: partial file).
  const CommandOutput curl =
      run_command({"curl", "-sS", "-o", "/dev/null", server->url() + "data.bin"}, kCommandDeadline);
  EXPECT_EQ(curl.status.code, 18) << curl.err;
  const auto records = wait_count(*server, 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].cut);
  EXPECT_EQ(records[0].bytes_sent, 5000u);
  EXPECT_NE(log_text().find(" GET /data.bin 200 5000 "), std::string::npos);
  EXPECT_NE(log_text().find(" fault=truncate=5000 cut # truncated after 5000 of 100000 bytes\n"),
            std::string::npos)
      << log_text();
}

TEST_F(BootServerTest, RequestLogFileLines) {
  auto server = start({HttpFault{.path = "/vmlinuz", .delay_first_byte = milliseconds(20)}});
  const auto before = std::chrono::steady_clock::now().time_since_epoch();
  http_request(server->port(), "GET", "/data.bin");
  http_request(server->port(), "HEAD", "/vmlinuz");
  wait_count(*server, 2);
  const auto after = std::chrono::steady_clock::now().time_since_epoch();
  std::istringstream lines(log_text());
  std::string line;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    rows.emplace_back(std::istream_iterator<std::string>(fields),
                      std::istream_iterator<std::string>());
  }
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].size(), 6u);
  const long long ns = std::stoll(rows[0][0]);
  EXPECT_GE(ns, std::chrono::duration_cast<std::chrono::nanoseconds>(before).count());
  EXPECT_LE(ns, std::chrono::duration_cast<std::chrono::nanoseconds>(after).count());
  EXPECT_EQ(std::vector<std::string>(rows[0].begin() + 1, rows[0].begin() + 5),
            (std::vector<std::string>{"GET", "/data.bin", "200", "100000"}));
  ASSERT_EQ(rows[1].size(), 7u);
  EXPECT_EQ(std::vector<std::string>(rows[1].begin() + 1, rows[1].end() - 2),
            (std::vector<std::string>{"HEAD", "/vmlinuz", "200", "0"}));
  EXPECT_GE(std::stod(rows[1][5]), 20.0);
  EXPECT_EQ(rows[1][6], "fault=delay=20ms");
  const auto records = server->requests();
  EXPECT_EQ(records[0].client.rfind("127.0.0.1:", 0), 0u);
  EXPECT_GE(records[1].end - records[1].start, milliseconds(20));
}

TEST_F(BootServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  auto server = start();
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  socket.connect({net::ip::make_address_v4("127.0.0.1"), server->port()});
  boost::beast::flat_buffer buffer;
  for (const char* target : {"/vmlinuz", "/boot.ipxe"}) {
    http::request<http::empty_body> req(http::verb::get, target, 11);
    http::write(socket, req);
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
  }
  const auto records = wait_count(*server, 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].client, records[1].client);
}

// Sixteen requests in flight at once can only be seen if the server handles
// them concurrently. Their first byte is held back for an hour, so however
// slowly the clients start, none can finish before the last has arrived
// (no timing threshold); stop() then cuts them.
TEST_F(BootServerTest, ConcurrentClients) {
  auto server = start({HttpFault{.path = "/data.bin", .delay_first_byte = std::chrono::hours(1)}});
  std::vector<std::thread> clients;
  clients.reserve(16);
  std::atomic<int> cut{0};
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      try {
        http_request(server->port(), "GET", "/data.bin");
      } catch (const std::exception&) {
        ++cut;  // the connection closed by stop()
      }
    });
  }
  const auto all_in_flight = [](const std::vector<RequestRecord>& all) {
    return std::count_if(all.begin(), all.end(), [](const auto& r) { return !r.complete; }) == 16;
  };
  EXPECT_TRUE(server->wait_until(all_in_flight, milliseconds(60000)));
  server->stop();
  for (auto& c : clients) c.join();
  EXPECT_EQ(cut, 16);
  const auto records = server->requests();
  EXPECT_EQ(std::count_if(records.begin(), records.end(), [](const auto& r) { return r.cut; }), 16);
}

TEST_F(BootServerTest, ConcurrentClientsAllGetTheirBytes) {
  auto server = start();
  std::vector<std::thread> clients;
  clients.reserve(16);
  std::atomic<int> good{0};
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      if (http_request(server->port(), "GET", "/data.bin").body() ==
          testing::pattern_bytes(100000)) {
        ++good;
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(good, 16);
  EXPECT_EQ(wait_count(*server, 16).size(), 16u);
}

TEST_F(BootServerTest, LargeFileAndRangeWithCurl) {
  const fs::path big = tmp_.write("root/initrd.img", testing::pattern_bytes(32 << 20));
  auto server = start();
  const fs::path out = tmp_.path() / "download";
  const CommandOutput curl =
      run_command({"curl", "-sS", "-o", out.string(), "-w", "%{http_code} %{size_download}",
                   server->url() + "initrd.img"},
                  kCommandDeadline);
  ASSERT_TRUE(curl.status.ok()) << curl.err;
  EXPECT_EQ(curl.out, "200 33554432");
  EXPECT_EQ(run_command({"cmp", big.string(), out.string()}, kCommandDeadline).status.code, 0);
  const CommandOutput range = run_command(
      {"curl", "-sS", "-r", "1000-1009", server->url() + "initrd.img"}, kCommandDeadline);
  EXPECT_EQ(range.out, testing::pattern_bytes(1010).substr(1000));
}

TEST_F(BootServerTest, WaitForRequestWakesOnArrival) {
  auto server = start();
  std::thread client([&] {
    // Only makes it likely that the wait below has begun (the wake-up
    // path); the test holds either way, so this waits for nothing.
    std::this_thread::sleep_for(milliseconds(30));
    http_request(server->port(), "GET", "/boot.ipxe");
  });
  const auto seen = server->wait_for_request(
      [](const RequestRecord& r) {
        return r.complete && r.method == "GET" && r.path == "/boot.ipxe";
      },
      milliseconds(30000));
  client.join();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, 200);
  EXPECT_FALSE(server->wait_for_request([](const RequestRecord& r) { return r.path == "/x"; },
                                        milliseconds(20)));
}

// The download would take 1000 s, so a finished test shows that stop() cut
// it (no upper time bound needed: a stop() that waited would hang the test).
TEST_F(BootServerTest, StopWithRequestsInFlightIsClean) {
  const std::size_t threads_before = thread_count();
  auto server = start({HttpFault{.path = "/data.bin", .rate = 100}});
  const std::uint16_t port = server->port();
  testing::RawExchange slow;
  std::thread client([&] { slow = raw_exchange(port, get("/data.bin")); });
  net::io_context ioc;
  net::ip::tcp::socket idle(ioc);  // an idle keep-alive connection too
  idle.connect({net::ip::make_address_v4("127.0.0.1"), port});
  const auto in_flight = [](const std::vector<RequestRecord>& all) { return !all.empty(); };
  ASSERT_TRUE(server->wait_until(in_flight, milliseconds(30000)));
  server->stop();
  client.join();
  EXPECT_LT(slow.body().size(), 100000u);
  const auto records = server->requests();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].cut);
  EXPECT_EQ(records[0].note, "server stopped mid-response");
  EXPECT_EQ(thread_count(), threads_before);  // the server's threads are joined
  net::ip::tcp::socket again(ioc);
  boost::system::error_code ec;
  again.connect({net::ip::make_address_v4("127.0.0.1"), port}, ec);
  EXPECT_EQ(ec, net::error::connection_refused);
  server.reset();  // destructor after stop() is harmless
}

TEST(BootServerSetup, RefusesAMissingRoot) {
  try {
    BootServer server({.root = "/nonexistent/rh-root"});
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()), "boot server root '/nonexistent/rh-root' is not a directory");
  }
}

}  // namespace
}  // namespace rh
