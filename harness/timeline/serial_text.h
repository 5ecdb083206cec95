// Serial console text as a person would read it: SeaBIOS sercon and iPXE
// send ANSI colour/clear-screen sequences and backspace spinners, which must
// not stop a pattern such as "iPXE initialising devices" from matching.
//
//   clean_serial_line("\x1b[0;1miPXE 1.0.0\x1b[0m -- Open");  // "iPXE 1.0.0 -- Open"
//   clean_serial_line("line...\b \b\b \b");                     // "line..."
#pragma once

#include <string>
#include <string_view>

namespace rh {

// Drops CSI/OSC and two-byte escape sequences and "\b \b" spinner erasures
// (iPXE's spinner would otherwise erase the whole line it sits on), applies
// other backspaces, drops the remaining C0 controls except tab, and trims
// trailing blanks.
std::string clean_serial_line(std::string_view raw);

}  // namespace rh
