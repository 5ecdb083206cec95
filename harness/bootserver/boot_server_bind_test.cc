// Where the boot server listens (issue 16): loopback by default, another
// address when told, and clear errors for a bad or foreign one.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>

#include "harness/bootserver/boot_server.h"
#include "harness/bootserver/test_client.h"
#include "harness/core/error.h"
#include "harness/core/process.h"

namespace rh {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;

std::string setup_error(const BootServerConfig& config) {
  try {
    BootServer server(config);
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(no error)";
}

class BootServerBindTest : public ::testing::Test {
 protected:
  void SetUp() override { tmp_.write("root/boot.ipxe", "{{server}}"); }
  BootServerConfig config(const std::string& address) const {
    BootServerConfig c{.root = tmp_.path() / "root"};
    c.bind_address = address;
    return c;
  }
  testing::TempDir tmp_;
};

TEST_F(BootServerBindTest, DefaultsToLoopback) {
  BootServer server({.root = tmp_.path() / "root"});
  const std::string own = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(server.host_port(), own);
  EXPECT_EQ(server.url(), "http://" + own + "/");
  EXPECT_EQ(testing::http_request(server.port(), "GET", "/boot.ipxe").body(), own);
}

// Linux routes all of 127.0.0.0/8 to lo, so 127.0.0.2 needs no set-up.
TEST_F(BootServerBindTest, AnotherLoopbackAddress) {
  BootServer server(config("127.0.0.2"));
  const std::string own = "127.0.0.2:" + std::to_string(server.port());
  EXPECT_EQ(server.url(), "http://" + own + "/");
  const auto r = testing::raw_exchange_to("127.0.0.2", server.port(),
                                          "GET /boot.ipxe HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.body(), own) << r.data;  // {{server}} names the address it listens on
  net::io_context ioc;
  net::ip::tcp::socket other(ioc);
  boost::system::error_code ec;
  other.connect({net::ip::make_address("127.0.0.1"), server.port()}, ec);
  EXPECT_EQ(ec, net::error::connection_refused) << "listens on 127.0.0.2 only";
}

TEST_F(BootServerBindTest, Ipv6Loopback) {
  std::optional<BootServer> server;
  try {
    server.emplace(config("::1"));
  } catch (const SetupError& e) {
    GTEST_SKIP() << "UNSUPPORTED: no IPv6 loopback here: " << e.what();
  }
  const std::string own = "[::1]:" + std::to_string(server->port());
  EXPECT_EQ(server->url(), "http://" + own + "/");
  // -g: the brackets are an address, not a curl glob.
  const CommandOutput curl =
      run_command({"curl", "-g", "-sS", server->url() + "boot.ipxe"}, milliseconds(60000));
  ASSERT_TRUE(curl.status.ok()) << curl.err;
  EXPECT_EQ(curl.out, own);
  EXPECT_EQ(server->requests().at(0).client.rfind("[::1]:", 0), 0u) << server->requests()[0].client;
}

TEST_F(BootServerBindTest, AddressNotOnThisMachineIsAClearError) {
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never configured on a host.
  EXPECT_EQ(setup_error(config("192.0.2.1")),
            "boot server cannot listen on 192.0.2.1:0: Cannot assign requested address");
}

TEST_F(BootServerBindTest, InvalidAddressIsNamed) {
  for (const std::string bad : {"localhost", "127.0.0.300", "", "::1::2", "127.0.0.1:80"}) {
    EXPECT_EQ(setup_error(config(bad)),
              "boot server bind address '" + bad + "' is not an IPv4 or IPv6 address");
  }
}

TEST_F(BootServerBindTest, PortInUseIsNamed) {
  BootServer first(config("127.0.0.1"));
  BootServerConfig c = config("127.0.0.1");
  c.port = first.port();
  EXPECT_EQ(setup_error(c), "boot server cannot listen on 127.0.0.1:" +
                                std::to_string(first.port()) + ": Address already in use");
}

}  // namespace
}  // namespace rh
