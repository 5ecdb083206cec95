#include "harness/scenario/scenario.h"

namespace rh {

std::string_view to_string(Firmware f) { return f == Firmware::kEfi ? "efi" : "bios"; }

std::string_view to_string(NetworkMode m) {
  switch (m) {
    case NetworkMode::kStatic: return "static";
    case NetworkMode::kNone: return "none";
    default: return "dhcp";
  }
}

const std::vector<NicModel>& nic_models() {
  // PCI ids from design.md; VMware's "e1000" is the 82545EM (8086:100f).
  static const std::vector<NicModel> kModels{
      {"vmxnet3", 0x15ad, 0x07b0},
      {"e1000", 0x8086, 0x100e},
      {"e1000-82545em", 0x8086, 0x100f},
      {"e1000e", 0x8086, 0x10d3},
  };
  return kModels;
}

const NicModel* find_nic(std::string_view name) {
  for (const auto& model : nic_models()) {
    if (model.name == name) return &model;
  }
  return nullptr;
}

std::string StageSpec::describe() const {
  if (kind == Kind::kHttp) return "HTTP " + http_method + " " + http_path;
  return "serial /" + serial.text + "/";
}

std::string ExpectSpec::describe() const {
  if (!fail) return "pass";
  std::string out = "fail";
  if (!reached.empty()) out += " after stage '" + reached + "'";
  if (serial) out += " with serial /" + serial->text + "/";
  if (!ipxe_error.empty()) out += " with iPXE error " + ipxe_error;
  return out;
}

}  // namespace rh
