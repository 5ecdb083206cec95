// `romharness inspect FILE... [--json]`: a readable table (or JSON) of the
// images in each option ROM file, for users checking what they built or were
// handed from the field.
//
//   romharness inspect /usr/lib/ipxe/qemu/efi-e1000.rom
//   romharness inspect bin/15ad07b0.rom bin/8086100f.mrom --json
//
// Exit status: 0 every file is well formed, 1 a ROM is malformed (an error or
// a diagnostic such as a bad checksum), 2 an unreadable file. The options are
// read by harness/cli/rom_options.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "harness/rom/option_rom.h"

namespace rh {

inline constexpr int kInspectJsonSchemaVersion = 1;

struct InspectOptions {
  std::vector<std::string> files;
  bool json = false;  // {"schema_version": 1, "files": [...]} instead of tables
};

int inspect_command(const InspectOptions& options, std::ostream& out, std::ostream& err);

// The per-file JSON object `inspect --json` prints (also used by reports).
nlohmann::json option_rom_json(const OptionRom& rom);
// The per-file table `inspect` prints.
void print_option_rom(const OptionRom& rom, std::ostream& out);

}  // namespace rh
