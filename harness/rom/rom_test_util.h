// Test helpers: real Debian ROMs (ipxe-qemu) and synthetic images built byte
// by byte, so malformed inputs can be made by mutating a valid one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rh::testing {

using Bytes = std::vector<std::uint8_t>;

inline const char* kDebianRomDir = "/usr/lib/ipxe/qemu";

inline std::string debian_rom(const std::string& name) {
  return std::string(kDebianRomDir) + "/" + name;
}

inline Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void put16(Bytes& b, std::size_t pos, std::uint16_t v) {
  b[pos] = v & 0xff;
  b[pos + 1] = v >> 8;
}

inline void put32(Bytes& b, std::size_t pos, std::uint32_t v) {
  put16(b, pos, v & 0xffff);
  put16(b, pos + 2, v >> 16);
}

// Makes bytes [offset, offset+length) sum to 0 by adjusting byte offset+6
// (iPXE's checksum byte).
inline void fix_checksum(Bytes& b, std::size_t offset, std::size_t length) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < length; ++i) sum += b[offset + i];
  b[offset + 6] = static_cast<std::uint8_t>(b[offset + 6] - sum);
}

struct ImageSpec {
  std::uint16_t vendor = 0x15ad;
  std::uint16_t device = 0x07b0;
  std::uint8_t code_type = 0;
  std::size_t blocks = 2;
  bool last = true;
  std::uint32_t build_id = 0;  // nonzero: add an "iPXE" header at 0x40
};

// A well-formed image: header, PCIR at 0x1c, checksum fixed for x86 images.
inline Bytes make_image(const ImageSpec& spec) {
  Bytes b(spec.blocks * 512, 0);
  put16(b, 0, 0xaa55);
  b[2] = static_cast<std::uint8_t>(spec.code_type == 0 ? spec.blocks : 1);
  put16(b, 0x18, 0x1c);
  b[0x1c] = 'P';
  b[0x1d] = 'C';
  b[0x1e] = 'I';
  b[0x1f] = 'R';
  put16(b, 0x1c + 4, spec.vendor);
  put16(b, 0x1c + 6, spec.device);
  put16(b, 0x1c + 0xa, 0x1c);
  b[0x1c + 0xc] = 3;
  b[0x1c + 0xf] = 0x02;  // network controller
  put16(b, 0x1c + 0x10, static_cast<std::uint16_t>(spec.blocks));
  put16(b, 0x1c + 0x12, 1);
  b[0x1c + 0x14] = spec.code_type;
  b[0x1c + 0x15] = spec.last ? 0x80 : 0x00;
  if (spec.build_id != 0) {
    put16(b, 0x10, 0x40);
    b[0x40] = 'i';
    b[0x41] = 'P';
    b[0x42] = 'X';
    b[0x43] = 'E';
    b[0x44] = 12;
    put32(b, 0x48, spec.build_id);
  }
  if (spec.code_type == 0) fix_checksum(b, 0, b.size());
  return b;
}

inline Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace rh::testing
