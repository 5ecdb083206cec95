// `romharness repro SCENARIO`: rerun one scenario with every artifact kept,
// then print (and save as repro.sh) a bare QEMU command line and the boot
// server command that reproduce it by hand.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace rh {

int repro_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
extern const char* const kReproHelp;

}  // namespace rh
