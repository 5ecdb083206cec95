#include "harness/evidence/pcap.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace {

constexpr std::uint32_t kMagicMicros = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNanos = 0xa1b23c4d;
constexpr std::size_t kGlobalHeader = 24;
constexpr std::size_t kRecordHeader = 16;

std::uint32_t le32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

unsigned be16(std::string_view f, std::size_t at) {
  return static_cast<unsigned>(static_cast<unsigned char>(f[at])) << 8 |
         static_cast<unsigned char>(f[at + 1]);
}

std::string mac_text(std::string_view six) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < 6; ++i) {
    const auto byte = static_cast<unsigned char>(six[i]);
    if (i > 0) text += ':';
    text += kHex[byte >> 4];
    text += kHex[byte & 0x0fU];
  }
  return text;
}

void note_source(std::string_view frame, CaptureSummary& s) {
  if (s.source_macs.size() >= CaptureSummary::kMaxSourceMacs) return;
  const std::string mac = mac_text(frame.substr(6, 6));
  if (!s.sent_from(mac)) s.source_macs.push_back(mac);
}

void classify(std::string_view frame, CaptureSummary& s) {
  if (frame.size() < 14) return;
  note_source(frame, s);
  const unsigned ethertype = be16(frame, 12);
  if (ethertype == 0x0806) {
    if (frame.size() >= 22 && be16(frame, 20) == 1) ++s.arp_requests;
    return;
  }
  if (ethertype != 0x0800 || frame.size() < 14 + 20) return;
  const std::string_view ip = frame.substr(14);
  const std::size_t ihl = std::size_t{static_cast<unsigned char>(ip[0]) & 0x0fU} * 4U;
  const unsigned proto = static_cast<unsigned char>(ip[9]);
  if (ihl < 20 || ip.size() < ihl + 8) return;
  const std::string_view l4 = ip.substr(ihl);
  const unsigned src = be16(l4, 0);
  const unsigned dst = be16(l4, 2);
  if (proto == 17) {
    if (src == 68 && dst == 67) ++s.dhcp_client_packets;
    if (dst == 53) ++s.dns_queries;
  } else if (proto == 6 && l4.size() >= 14) {
    const unsigned flags = static_cast<unsigned char>(l4[13]);
    if ((flags & 0x12) == 0x02) ++s.tcp_syns;  // SYN without ACK
  }
}

}  // namespace

bool CaptureSummary::sent_from(const std::string& mac) const {
  return std::find(source_macs.begin(), source_macs.end(), mac) != source_macs.end();
}

CaptureSummary summarise_capture_bytes(const std::string& bytes) {
  if (bytes.size() < kGlobalHeader) throw SetupError("capture is shorter than a pcap header");
  const std::uint32_t magic = le32(bytes, 0);
  if (magic != kMagicMicros && magic != kMagicNanos) {
    throw SetupError("capture is not a little-endian pcap file (magic " + std::to_string(magic) +
                     ")");
  }
  CaptureSummary s;
  std::size_t at = kGlobalHeader;
  while (at < bytes.size()) {
    if (bytes.size() - at < kRecordHeader) {
      s.truncated = true;
      break;
    }
    const std::size_t captured = le32(bytes, at + 8);
    at += kRecordHeader;
    if (bytes.size() - at < captured) {
      s.truncated = true;
      break;
    }
    ++s.packets;
    classify(std::string_view(bytes).substr(at, captured), s);
    at += captured;
  }
  return s;
}

CaptureSummary summarise_capture(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SetupError("cannot read capture '" + file.string() + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return summarise_capture_bytes(buffer.str());
}

}  // namespace rh
