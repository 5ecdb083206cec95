// Words the scenario model and every VM backend share: which firmware, what
// kind of network, who puts the ROM's text on the serial port.
#pragma once

#include <string_view>

namespace rh {

enum class Firmware { kBios, kEfi };
// dhcp: the network offers DHCP; static: addresses come from guestinfo and no
// DHCP server answers; none: an empty port group (no DHCP, no router).
enum class NetworkMode { kDhcp, kStatic, kNone };
// firmware: the firmware copies the screen to serial (works for any ROM);
// rom: the ROM writes to serial itself (CONSOLE_SERIAL).
enum class ConsoleSource { kFirmware, kRom };

std::string_view to_string(Firmware f);
std::string_view to_string(NetworkMode m);
std::string_view to_string(ConsoleSource c);

}  // namespace rh
