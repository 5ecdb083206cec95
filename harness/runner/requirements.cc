#include "harness/runner/requirements.h"

#include <utility>
#include <vector>

namespace rh {
namespace {

std::optional<std::string> lacks(Capability cap, const RunContext& ctx) {
  const CapabilityInfo& info = capability_info(cap);
  if (info.provider == CapabilityProvider::kBackend) return ctx.backend->lacks(cap);
  if (cap == Capability::kIpxeSrc && ctx.ipxe_src.empty()) {
    return std::string("needs an iPXE tree: pass --ipxe-src");
  }
  return std::nullopt;
}

// What the scenario needs without saying so, and why.
std::vector<std::pair<Capability, std::string>> implied(const Scenario& s) {
  std::vector<std::pair<Capability, std::string>> out;
  if (!s.guestinfo.empty()) out.emplace_back(Capability::kGuestRpc, "guestinfo needs GuestRPC");
  if (s.firmware == Firmware::kEfi) out.emplace_back(Capability::kEfi, "EFI firmware");
  if (!s.dns_names.empty()) out.emplace_back(Capability::kDnsNames, "dns_names");
  if (s.console == ConsoleSource::kFirmware) {
    out.emplace_back(Capability::kFirmwareConsole, "console: firmware");
  }
  return out;
}

}  // namespace

std::optional<std::string> missing_rom_source(const Scenario& s, const RunContext& ctx) {
  if (s.rom.variant.empty() || !ctx.ipxe_src.empty()) return std::nullopt;
  return "ROM variant '" + s.rom.variant + "' (" + s.rom.variant_nic +
         ") must be built from an iPXE tree, which this run does not have: pass --ipxe-src "
         "PATH|GIT_URL to build it, or --rom " +
         s.rom.variant + "/" + s.rom.variant_nic + "=FILE to use a ROM you built";
}

std::optional<std::string> unsupported_reason(const Scenario& s, const BootPlan& plan,
                                              const RunContext& ctx) {
  for (const Capability cap : s.requires_caps) {
    if (auto why = lacks(cap, ctx)) {
      return "requires " + std::string(capability_info(cap).name) + ": " + *why;
    }
  }
  for (const auto& [cap, what] : implied(s)) {
    if (auto why = lacks(cap, ctx)) return what + ": " + *why;
  }
  if (auto why = missing_rom_source(s, ctx)) return why;
  return ctx.backend->check(plan);
}

}  // namespace rh
