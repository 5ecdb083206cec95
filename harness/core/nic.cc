#include "harness/core/nic.h"

#include <cctype>
#include <cstdio>

#include "harness/core/error.h"

namespace rh {

std::string Nic::id() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x:%04x", vendor_id, device_id);
  return buf;
}

const std::vector<Nic>& known_nics() {
  // VMware's "e1000" is the 82545EM (8086:100f); QEMU's plain e1000 is the
  // 82540EM (8086:100e), which Debian's pxe-e1000.rom is built for.
  static const std::vector<Nic> nics = {{"vmxnet3", 0x15ad, 0x07b0, "nx3bios.filename"},
                                        {"e1000", 0x8086, 0x100e, "e1000bios.filename"},
                                        {"e1000-82545em", 0x8086, 0x100f, "e1000bios.filename"},
                                        {"e1000e", 0x8086, 0x10d3, "e1000ebios.filename"}};
  return nics;
}

const Nic* find_nic(const std::string& name) {
  for (const auto& nic : known_nics()) {
    if (nic.name == name) return &nic;
  }
  return nullptr;
}

std::string known_nic_names() {
  std::string names;
  for (const auto& nic : known_nics()) names += (names.empty() ? "" : ", ") + nic.name;
  return names;
}

const Nic& nic_named(const std::string& name) {
  if (const Nic* nic = find_nic(name)) return *nic;
  throw InputError("unknown NIC model '" + name + "' (known: " + known_nic_names() + ")");
}

std::optional<std::string> normalized_mac(const std::string& text, std::string* why) {
  const auto fail = [&](const std::string& reason) -> std::optional<std::string> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  if (text.size() != 17) return fail("expected six hex bytes like 00:50:56:aa:bb:cc");
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i % 3 == 2) {
      if (c != ':' && c != '-') return fail("expected six hex bytes like 00:50:56:aa:bb:cc");
      out += ':';
    } else if (std::isxdigit(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      return fail("expected six hex bytes like 00:50:56:aa:bb:cc");
    }
  }
  // The first byte's lowest bit marks a group address, which no NIC may own.
  if (std::stoi(out.substr(0, 2), nullptr, 16) & 1) {
    return fail("a multicast address (the first byte is odd); a NIC needs a unicast one");
  }
  if (out == "00:00:00:00:00:00") return fail("the all-zero address is no NIC's");
  return out;
}

}  // namespace rh
