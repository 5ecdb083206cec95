#include "harness/core/nic.h"

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

}  // namespace rh
