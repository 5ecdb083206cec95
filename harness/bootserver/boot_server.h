// The HTTP boot server a scenario's VM chains its script and payload from.
// Binds 127.0.0.1 unless told another address (port 0 by default: the OS
// picks; read port()), serves GET and HEAD from the scenario's own root plus
// mapped extra files, fills `{{name}}` templates, injects faults, and records
// every request. Guest input is untrusted: request heads are size-capped,
// slow and idle clients time out, and connections beyond a cap are refused.
//
//   BootServer server({.root = scenario_dir / "http",
//                      .files = {{"/vmlinuz", cache / "vmlinuz"}, {"/initrd.img", cache /
//                      "initrd.img"}}, .faults = scenario.http_faults, .log_file = artifacts /
//                      "http.log"});
//   server.set_variable("server", "10.0.2.2:" + std::to_string(server.port()));
//   auto seen = server.wait_for_request(
//       [](const RequestRecord& r) { return r.method == "GET" && r.path == "/boot.ipxe"; },
//       std::chrono::seconds(30));
//   server.stop();  // also done by the destructor
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/bootserver/request_log.h"
#include "harness/scenario/http_fault.h"

namespace boost::asio {
class io_context;
}

namespace rh {

struct BootServerConfig {
  std::filesystem::path root;                          // no request may leave it
  std::map<std::string, std::filesystem::path> files;  // URL path -> file anywhere
  std::map<std::string, std::string> variables;        // "server" defaults to <address>:<port>
  std::set<std::string> templates;                     // URL paths filled besides *.ipxe
  std::vector<HttpFault> faults;
  std::filesystem::path log_file;          // empty: in memory only
  RequestLog::Observer on_request;         // called after each record (any thread)
  std::string bind_address = "127.0.0.1";  // an IPv4 or IPv6 literal
  std::uint16_t port = 0;
  int threads = 2;
  // Connections open at once; one more is answered 503 and closed at once.
  std::size_t max_connections = 128;
  // A connection with no request in progress for this long is closed.
  std::chrono::milliseconds idle_timeout{60000};
  // A request whose first byte has arrived must be complete (head and body)
  // within this, or it is answered 408 and the connection closed.
  std::chrono::milliseconds request_timeout{10000};
};

// What happened to connections, for tests and reports.
struct ConnectionStats {
  std::uint64_t accepted = 0;          // handed to a session
  std::uint64_t refused = 0;           // over max_connections: 503 and closed
  std::uint64_t idle_timeouts = 0;     // closed after idle_timeout without a request
  std::uint64_t request_timeouts = 0;  // answered 408 after request_timeout
  std::size_t open = 0;                // sessions alive now
  std::size_t peak = 0;                // most sessions alive at once
};

struct ServerState;
class Listener;

class BootServer {
 public:
  // Binds and starts serving. Throws SetupError (root missing, extra file
  // missing, bad or foreign bind address, port in use, log file not writable).
  explicit BootServer(const BootServerConfig& config);
  ~BootServer();
  BootServer(const BootServer&) = delete;
  BootServer& operator=(const BootServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:<port>/", "http://[::1]:<port>/"
  std::string host_port() const { return host_port_; }  // "127.0.0.1:<port>"
  // Thread-safe; applies to templates served from now on.
  void set_variable(const std::string& name, std::string value);

  std::vector<RequestRecord> requests() const;
  std::optional<RequestRecord> wait_for_request(const RequestLog::Predicate& pred,
                                                std::chrono::milliseconds timeout) const;
  std::optional<std::vector<RequestRecord>> wait_until(const RequestLog::AllPredicate& pred,
                                                       std::chrono::milliseconds timeout) const;
  ConnectionStats connection_stats() const;

  // Closes the listener and every connection (a response in flight is
  // recorded as cut), joins the threads. Idempotent.
  void stop();

 private:
  std::shared_ptr<ServerState> state_;
  std::unique_ptr<boost::asio::io_context> ioc_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::string host_port_;
};

}  // namespace rh
