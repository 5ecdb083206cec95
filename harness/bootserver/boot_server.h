// The HTTP boot server a scenario's VM chains its script and payload from.
// Binds 127.0.0.1 (port 0 by default: the OS picks; read port()), serves GET
// and HEAD from the scenario's own root plus mapped extra files, fills
// `{{name}}` templates, injects faults, and records every request.
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
  std::map<std::string, std::string> variables;        // "server" defaults to 127.0.0.1:<port>
  std::set<std::string> templates;                     // URL paths filled besides *.ipxe
  std::vector<HttpFault> faults;
  std::filesystem::path log_file;   // empty: in memory only
  RequestLog::Observer on_request;  // called after each record (any thread)
  std::uint16_t port = 0;
  int threads = 2;
};

struct ServerState;
class Listener;

class BootServer {
 public:
  // Binds and starts serving. Throws SetupError (root missing, extra file
  // missing, port in use, log file not writable).
  explicit BootServer(const BootServerConfig& config);
  ~BootServer();
  BootServer(const BootServer&) = delete;
  BootServer& operator=(const BootServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:<port>/"
  // Thread-safe; applies to templates served from now on.
  void set_variable(const std::string& name, std::string value);

  std::vector<RequestRecord> requests() const;
  std::optional<RequestRecord> wait_for_request(const RequestLog::Predicate& pred,
                                                std::chrono::milliseconds timeout) const;
  std::optional<std::vector<RequestRecord>> wait_until(const RequestLog::AllPredicate& pred,
                                                       std::chrono::milliseconds timeout) const;

  // Closes the listener and every connection (a response in flight is
  // recorded as cut), joins the threads. Idempotent.
  void stop();

 private:
  std::shared_ptr<ServerState> state_;
  std::unique_ptr<boost::asio::io_context> ioc_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

}  // namespace rh
