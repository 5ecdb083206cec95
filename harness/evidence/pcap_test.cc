#include "harness/evidence/pcap.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string le32(std::uint32_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
          static_cast<char>(v >> 24)};
}

std::string pcap_header() {
  return le32(0xa1b2c3d4) + std::string("\x02\x00\x04\x00", 4) + le32(0) + le32(0) + le32(65535) +
         le32(1);
}

std::string record(const std::string& frame) {
  return le32(0) + le32(0) + le32(static_cast<std::uint32_t>(frame.size())) +
         le32(static_cast<std::uint32_t>(frame.size())) + frame;
}

std::string udp_frame(unsigned src, unsigned dst, const std::string& source_mac = "") {
  std::string f(14, '\0');
  f.replace(6, source_mac.size(), source_mac);
  f[12] = 0x08;  // IPv4
  std::string ip(20, '\0');
  ip[0] = 0x45;
  ip[9] = 17;
  std::string udp(8, '\0');
  udp[0] = static_cast<char>(src >> 8);
  udp[1] = static_cast<char>(src);
  udp[2] = static_cast<char>(dst >> 8);
  udp[3] = static_cast<char>(dst);
  return f + ip + udp;
}

TEST(Pcap, CountsDhcpAndDns) {
  const auto s = summarise_capture_bytes(pcap_header() + record(udp_frame(68, 67)) +
                                         record(udp_frame(1024, 53)) + record(udp_frame(67, 68)));
  EXPECT_EQ(s.packets, 3u);
  EXPECT_EQ(s.dhcp_client_packets, 1u);
  EXPECT_EQ(s.dns_queries, 1u);
  EXPECT_FALSE(s.truncated);
}

TEST(Pcap, ListsEachSourceMacOnce) {
  const std::string guest("\x00\x50\x56\x9a\x3c\x01", 6), router("\x52\x55\x0a\x00\x02\x02", 6);
  const auto s = summarise_capture_bytes(pcap_header() + record(udp_frame(68, 67, guest)) +
                                         record(udp_frame(67, 68, router)) +
                                         record(udp_frame(1024, 53, guest)));
  EXPECT_EQ(s.source_macs, (std::vector<std::string>{"00:50:56:9a:3c:01", "52:55:0a:00:02:02"}));
  EXPECT_TRUE(s.sent_from("00:50:56:9a:3c:01"));
  EXPECT_FALSE(s.sent_from("52:54:00:12:34:56"));
}

TEST(Pcap, TruncatedRecordIsFlaggedNotFatal) {
  std::string bytes = pcap_header() + record(udp_frame(68, 67));
  bytes.resize(bytes.size() - 5);
  const auto s = summarise_capture_bytes(bytes);
  EXPECT_EQ(s.packets, 0u);
  EXPECT_TRUE(s.truncated);
}

TEST(Pcap, RejectsNonPcap) {
  EXPECT_THROW(summarise_capture_bytes(std::string(30, 'x')), SetupError);
  EXPECT_THROW(summarise_capture_bytes("short"), SetupError);
}

}  // namespace
}  // namespace rh
