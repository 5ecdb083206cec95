#include "harness/core/vm_terms.h"

namespace rh {

std::string_view to_string(Firmware f) { return f == Firmware::kEfi ? "efi" : "bios"; }

std::string_view to_string(NetworkMode m) {
  switch (m) {
    case NetworkMode::kStatic:
      return "static";
    case NetworkMode::kNone:
      return "none";
    case NetworkMode::kDhcp:
      break;
  }
  return "dhcp";
}

std::string_view to_string(ConsoleSource c) {
  return c == ConsoleSource::kRom ? "rom" : "firmware";
}

}  // namespace rh
