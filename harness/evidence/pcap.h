// Reading the packet capture QEMU's filter-dump writes (classic libpcap
// format, Ethernet), enough to prove facts about the guest's traffic, such
// as "the guest sent no DHCP packet" for static GuestInfo boots: slirp runs a
// DHCP server regardless, so absence must be shown from the wire.
//
//   CaptureSummary c = summarise_capture("capture.pcap");
//   if (c.dhcp_client_packets > 0) ...
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rh {

struct CaptureSummary {
  std::size_t packets = 0;
  std::size_t dhcp_client_packets = 0;  // UDP 68 -> 67
  std::size_t dns_queries = 0;          // UDP -> 53
  std::size_t tcp_syns = 0;
  std::size_t arp_requests = 0;
  // Distinct Ethernet source addresses ("00:50:56:9a:3c:01"), first seen
  // first, at most kMaxSourceMacs: the guest's own and the virtual router's.
  std::vector<std::string> source_macs;
  bool truncated = false;  // the file ended inside a record

  static constexpr std::size_t kMaxSourceMacs = 16;
  bool sent_from(const std::string& mac) const;
};

// Throws SetupError when the file cannot be read or is not a pcap file.
CaptureSummary summarise_capture(const std::filesystem::path& file);
CaptureSummary summarise_capture_bytes(const std::string& bytes);

}  // namespace rh
