// A tiny authoritative DNS responder for the names a scenario declares
// (issue 3: "the DNS server named in guestinfo answers the names the scenario
// declares"). A records only; other names get NXDOMAIN, other types an empty
// answer. It listens on an address of its own (loopback unless told
// otherwise), port 53, which QEMU's user network forwards the guest's DNS
// queries to when QEMU runs with a private /etc/resolv.conf naming that
// address (see QemuVm). Packets are untrusted: dns_answer() parses them and
// is fuzzed on its own (dns_answer_fuzz.cc).
//
//   DnsResponder dns({.bind_address = "127.77.0.12",
//                     .names = {{"boot.example.test", "10.0.0.1"}}});
//   dns.queries();   // names asked, in order, for the report
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rh {

struct DnsResponderConfig {
  std::string bind_address = "127.0.0.1";    // an IPv4 or IPv6 literal
  std::uint16_t port = 53;                   // 0: the OS picks (read port())
  std::map<std::string, std::string> names;  // name -> IPv4 address
};

class DnsResponder {
 public:
  // Throws SetupError naming the address when it is not a literal or cannot
  // be bound (not on this machine, in use; port 53 needs root).
  explicit DnsResponder(const DnsResponderConfig& config);
  DnsResponder(const std::string& bind_address, std::map<std::string, std::string> names,
               int port = 53);
  ~DnsResponder();
  DnsResponder(const DnsResponder&) = delete;
  DnsResponder& operator=(const DnsResponder&) = delete;

  std::vector<std::string> queries() const;
  int port() const { return port_; }  // the bound one

 private:
  void serve();

  int fd_ = -1;
  int port_ = 0;
  std::map<std::string, std::string> names_;  // lower-case name -> IPv4
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<std::string> queries_;
  std::thread thread_;
};

// Exposed for tests: the answer to one query packet; nullopt for a packet
// that is not a well-formed standard query (dropped, as a server would).
std::optional<std::string> dns_answer(const std::string& query,
                                      const std::map<std::string, std::string>& names,
                                      std::string* asked_name = nullptr);

}  // namespace rh
