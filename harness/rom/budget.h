// Size and identity checks a ROM must pass before anything boots it: its
// variant's budget, a scenario's `opromsize` (the ROM BAR the hypervisor
// exposes), the 64 KiB of legacy option ROM space a BIOS shadows, and the PCI
// id of the NIC it is meant for.
//
//   OptionRom rom = read_option_rom("vmxnet3.rom");
//   BudgetReport r = check_rom(rom, {.budget = 65536, .opromsize = 262144,
//                                    .firmware = "bios", .nic = "vmxnet3"});
//   if (!r.ok()) fail(r.first_failure());
//   // "ROM 'vmxnet3.rom' is 67072 bytes, 1536 over budget 65536"
//
// For .mrom only the prefix is shadowed, so the 64 KiB check applies to the
// shadowed part while `opromsize` applies to the whole file (the payload is
// read from the BAR).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/nic.h"
#include "harness/rom/option_rom.h"

namespace rh {

inline constexpr std::size_t kLegacyOptionRomSpace = 65536;

struct RomLimits {
  std::optional<std::size_t> budget;     // the variant's size budget for this target
  std::optional<std::size_t> opromsize;  // the scenario's opromsize / QEMU romsize
  std::string firmware;                  // "bios" adds the 64 KiB check; "efi" needs an EFI image
  std::string nic;                       // NIC model the ROM must match; empty: not checked
};

struct BudgetCheck {
  std::string kind;  // "budget", "opromsize", "legacy-space", "nic", "firmware"
  bool ok = true;
  std::size_t limit = 0;   // bytes (0 for id checks)
  std::size_t actual = 0;  // bytes (0 for id checks)
  std::string message;     // one line, values quoted
};

struct BudgetReport {
  std::vector<BudgetCheck> checks;
  bool ok() const;
  std::vector<std::string> failures() const;  // messages of failed checks
  std::string first_failure() const;          // empty when ok
};

BudgetReport check_rom(const OptionRom& rom, const RomLimits& limits);

// Single checks, for callers that need one.
BudgetCheck check_size(const std::string& rom_name, std::size_t actual, std::size_t limit,
                       const std::string& kind, const std::string& limit_name);
BudgetCheck check_nic(const OptionRom& rom, const std::string& nic, const std::string& firmware);

}  // namespace rh
