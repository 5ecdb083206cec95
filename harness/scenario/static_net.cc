#include "harness/scenario/static_net.h"

#include <arpa/inet.h>

#include <bit>

namespace rh {
namespace {

// iPXE reads per-NIC keys first, then global ones (guestinfo.c): mirror that.
std::string lookup(const std::map<std::string, std::string>& gi, const std::string& name) {
  if (auto it = gi.find("ipxe.net0." + name); it != gi.end()) return it->second;
  if (auto it = gi.find("ipxe." + name); it != gi.end()) return it->second;
  return "";
}

unsigned require_ipv4(const std::string& value, const std::string& what) {
  if (auto addr = parse_ipv4(value)) return *addr;
  throw std::invalid_argument(what + " '" + value + "' is not an IPv4 address");
}

struct Subnet {
  unsigned network;
  int prefix;
};

Subnet parse_subnet(const std::string& text) {
  const auto slash = text.find('/');
  const auto bad = std::invalid_argument("subnet '" + text + "' must look like 10.0.0.0/24");
  if (slash == std::string::npos) throw bad;
  const auto addr = parse_ipv4(text.substr(0, slash));
  int prefix = -1;
  try {
    prefix = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    throw bad;
  }
  if (!addr || prefix < 8 || prefix > 30) throw bad;
  const unsigned mask = prefix == 0 ? 0 : ~0u << (32 - prefix);
  return {*addr & mask, prefix};
}

}  // namespace

std::optional<unsigned> parse_ipv4(const std::string& text) {
  in_addr a{};
  if (::inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::string format_ipv4(unsigned addr) {
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 0xff) + "." +
         std::to_string((addr >> 8) & 0xff) + "." + std::to_string(addr & 0xff);
}

bool ipv4_in_subnet(const std::string& addr, const std::string& subnet) {
  const auto a = parse_ipv4(addr);
  const Subnet s = parse_subnet(subnet);
  const unsigned mask = ~0u << (32 - s.prefix);
  return a && (*a & mask) == s.network;
}

StaticNet derive_static_net(const std::map<std::string, std::string>& guestinfo,
                            const StaticNetOverrides& given) {
  StaticNet net;
  net.subnet = given.subnet;
  if (net.subnet.empty()) {
    const unsigned ip = require_ipv4(lookup(guestinfo, "ip"), "guestinfo ipxe.net0.ip");
    const std::string mask_text = lookup(guestinfo, "netmask");
    const unsigned mask =
        mask_text.empty() ? 0xffffff00u : require_ipv4(mask_text, "guestinfo ipxe.net0.netmask");
    const int prefix = std::popcount(mask);
    if (mask != (prefix == 0 ? 0u : ~0u << (32 - prefix))) {
      throw std::invalid_argument("guestinfo netmask '" + mask_text + "' is not contiguous");
    }
    net.subnet = format_ipv4(ip & mask) + "/" + std::to_string(prefix);
  }
  parse_subnet(net.subnet);
  net.gateway = given.gateway.empty() ? lookup(guestinfo, "gateway") : given.gateway;
  if (net.gateway.empty())
    throw std::invalid_argument(
        "no gateway: set guestinfo "
        "ipxe.net0.gateway or network.gateway");
  require_ipv4(net.gateway, "gateway");
  if (!ipv4_in_subnet(net.gateway, net.subnet)) {
    throw std::invalid_argument("gateway '" + net.gateway + "' is outside subnet '" + net.subnet +
                                "'");
  }
  net.dns = given.dns.empty() ? lookup(guestinfo, "dns") : given.dns;
  // The network's own DNS server sits inside the subnet; a guestinfo DNS
  // outside it is a scenario about an unreachable DNS server, so the network
  // keeps its own at .3.
  if (net.dns.empty() || !parse_ipv4(net.dns) || !ipv4_in_subnet(net.dns, net.subnet)) {
    net.dns = format_ipv4(parse_subnet(net.subnet).network + 3);
  }
  return net;
}

}  // namespace rh
