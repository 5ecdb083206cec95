#include "harness/runner/rom_preparation.h"

#include <fstream>
#include <iterator>

#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/rom/budget.h"
#include "harness/rom/builder.h"
#include "harness/rom/option_rom.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// Writes the ROM with the scenario's damage applied next to its artifacts.
fs::path damaged_copy(const fs::path& rom, const RomFault& fault, const fs::path& dir) {
  std::ifstream in(rom, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (fault.corrupt_checksum && bytes.size() > 2) {
    // The first image's last byte: inside the checksummed range, past the code.
    const std::size_t image = std::size_t{static_cast<unsigned char>(bytes[2])} * 512;
    const std::size_t at = std::min(bytes.size(), image == 0 ? bytes.size() : image) - 1;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  }
  if (fault.truncate && static_cast<std::size_t>(*fault.truncate) < bytes.size()) {
    bytes.resize(static_cast<std::size_t>(*fault.truncate));
  }
  if (fault.pad_to && static_cast<std::size_t>(*fault.pad_to) > bytes.size()) {
    bytes.resize(static_cast<std::size_t>(*fault.pad_to), '\xff');
  }
  const fs::path out = dir / ("damaged-" + rom.filename().string());
  std::ofstream(out, std::ios::binary) << bytes;
  return out;
}

void build_variant(const Scenario& s, const RunContext& ctx, PreparedRom& rom) {
  BuildContext build{.ipxe_src = ctx.ipxe_src.string(), .jobs = 2};
  const BuiltRom built =
      find_or_build({s.rom.variant, s.rom.variant_nic, std::string(to_string(s.firmware))}, build);
  rom.file = built.path;
  if (built.budget) rom.info.budget_bytes = static_cast<long long>(*built.budget);
  rom.info.provenance = built.provenance;
}

void check_limits(const Scenario& s, PreparedRom& rom) {
  OptionRom image;
  try {
    image = read_option_rom(rom.file);
  } catch (const InputError& e) {
    rom.rejected = std::string(e.what()) + "; never booted";
    return;
  }
  RomLimits limits{.firmware = s.firmware == Firmware::kEfi ? "efi" : "", .nic = s.nic};
  if (rom.info.budget_bytes) limits.budget = static_cast<std::size_t>(*rom.info.budget_bytes);
  if (s.rom.opromsize) limits.opromsize = static_cast<std::size_t>(*s.rom.opromsize);
  for (const auto& check : check_rom(image, limits).checks) {
    if (check.kind == "nic" && !check.ok) rom.ids_match_nic = false;
    if (check.kind == "nic" || check.ok) continue;
    rom.rejected = check.message + "; never booted";
    return;
  }
}

}  // namespace

PreparedRom prepare_rom(const Scenario& s, const RunContext& ctx, const fs::path& dir) {
  PreparedRom rom{.file = s.rom.file};
  rom.info.variant = s.rom.variant;
  if (!s.rom.variant.empty()) build_variant(s, ctx, rom);
  if (s.rom_fault.any()) rom.file = damaged_copy(rom.file, s.rom_fault, dir);
  rom.info.path = rom.file.string();
  rom.info.size_bytes = static_cast<long long>(fs::file_size(rom.file));
  rom.info.sha256 = sha256_file_hex(rom.file);
  check_limits(s, rom);
  return rom;
}

}  // namespace rh
