#include "harness/rom/budget.h"

#include <cstdio>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string quoted(const std::string& name) { return "ROM '" + name + "'"; }

BudgetCheck check_legacy_space(const OptionRom& rom) {
  BudgetCheck check{
      .kind = "legacy-space", .limit = kLegacyOptionRomSpace, .actual = rom.shadow_size};
  const std::string what =
      quoted(rom.name) + " shadows " + std::to_string(rom.shadow_size) + " bytes at BIOS POST";
  check.ok = rom.shadow_size <= kLegacyOptionRomSpace;
  check.message = what + ", " +
                  (check.ok ? std::to_string(kLegacyOptionRomSpace - rom.shadow_size) + " under"
                            : std::to_string(rom.shadow_size - kLegacyOptionRomSpace) + " over") +
                  " the " + std::to_string(kLegacyOptionRomSpace) +
                  " bytes of legacy option ROM space";
  return check;
}

// The image a firmware runs: the x86 one under a BIOS, the EFI one under UEFI.
// With no firmware given, the first image either firmware could run.
const RomImage* image_for(const OptionRom& rom, const std::string& firmware) {
  if (firmware == "efi") return rom.first_efi();
  if (firmware == "bios" || rom.first_x86() != nullptr) return rom.first_x86();
  return rom.first_efi();
}

std::string image_kind(const std::string& firmware) {
  return firmware == "efi" ? "EFI" : "x86 BIOS";
}

}  // namespace

bool BudgetReport::ok() const { return first_failure().empty(); }

std::vector<std::string> BudgetReport::failures() const {
  std::vector<std::string> out;
  for (const auto& check : checks) {
    if (!check.ok) out.push_back(check.message);
  }
  return out;
}

std::string BudgetReport::first_failure() const {
  for (const auto& check : checks) {
    if (!check.ok) return check.message;
  }
  return "";
}

BudgetCheck check_size(const std::string& rom_name, std::size_t actual, std::size_t limit,
                       const std::string& kind, const std::string& limit_name) {
  BudgetCheck check{.kind = kind, .ok = actual <= limit, .limit = limit, .actual = actual};
  check.message = quoted(rom_name) + " is " + std::to_string(actual) + " bytes, " +
                  (check.ok ? std::to_string(limit - actual) + " under "
                            : std::to_string(actual - limit) + " over ") +
                  limit_name + " " + std::to_string(limit);
  return check;
}

BudgetCheck check_nic(const OptionRom& rom, const std::string& nic, const std::string& firmware) {
  const Nic& model = nic_named(nic);
  const RomImage* image = image_for(rom, firmware);
  if (image == nullptr) {
    return {.kind = "firmware",
            .ok = false,
            .message = quoted(rom.name) + " has no " + image_kind(firmware) + " image; " +
                       (firmware == "efi" ? "UEFI firmware" : "the BIOS") + " will not run it"};
  }
  BudgetCheck check{.kind = "nic"};
  check.ok = image->vendor_id == model.vendor_id && image->device_id == model.device_id;
  check.message =
      quoted(rom.name) + " " + code_type_name(image->code_type) + " image is for PCI id " +
      image->id() + (check.ok ? " and matches" : " but") + " NIC '" + nic + "' " +
      (check.ok ? "(" + model.id() + ")" : "is " + model.id() + "; the firmware will not load it");
  return check;
}

BudgetReport check_rom(const OptionRom& rom, const RomLimits& limits) {
  BudgetReport report;
  if (limits.budget) {
    report.checks.push_back(
        check_size(rom.name, rom.file_size, *limits.budget, "budget", "budget"));
  }
  if (limits.opromsize) {
    report.checks.push_back(
        check_size(rom.name, rom.file_size, *limits.opromsize, "opromsize", "opromsize"));
  }
  if (limits.firmware == "bios" && rom.first_x86() != nullptr) {
    report.checks.push_back(check_legacy_space(rom));
  }
  if (!limits.nic.empty()) report.checks.push_back(check_nic(rom, limits.nic, limits.firmware));
  return report;
}

}  // namespace rh
