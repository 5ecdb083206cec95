// The network's addresses for `network: static`, derived from the
// scenario's guestinfo the way a VMware admin writes it (issue 3):
//
//   guestinfo {ipxe.net0.ip: 10.0.0.10, ipxe.net0.netmask: 255.255.255.0,
//              ipxe.net0.gateway: 10.0.0.1, ipxe.dns: 10.0.0.200}
//   -> StaticNet{subnet "10.0.0.0/24", gateway "10.0.0.1", dns "10.0.0.200"}
//
// Explicit overrides describe the network as it really is when guestinfo is
// deliberately wrong (a negative scenario with a bad gateway or IP).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "harness/scenario/scenario.h"

namespace rh {

struct StaticNetOverrides {
  std::string subnet;
  std::string gateway;
  std::string dns;
};

// Throws std::invalid_argument naming the key and value that could not be used.
StaticNet derive_static_net(const std::map<std::string, std::string>& guestinfo,
                            const StaticNetOverrides& given);

std::optional<unsigned> parse_ipv4(const std::string& text);  // host byte order
std::string format_ipv4(unsigned addr);
bool ipv4_in_subnet(const std::string& addr, const std::string& subnet);

}  // namespace rh
