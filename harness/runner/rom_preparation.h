// The ROM a scenario boots, made ready before any VM starts: the variant
// built (or taken from --rom), the scenario's damage applied to a copy, and
// its size and ids held to their limits, since ESXi refuses an oversized ROM
// (and an emulator would too, with a less helpful message).
//
//   PreparedRom rom = prepare_rom(scenario, context, artifacts_dir);
//   if (rom.rejected) ... // never booted: *rom.rejected says why
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "harness/core/result.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace rh {

struct PreparedRom {
  std::filesystem::path file;           // what boots (a built variant, a damaged copy...)
  RomInfo info;                         // for the result: size, sha256, budget, provenance
  std::optional<std::string> rejected;  // why it may not boot at all
  bool ids_match_nic = true;            // the firmware decides what a wrong-id ROM does
};

// Throws SetupError when a variant cannot be built.
PreparedRom prepare_rom(const Scenario& s, const RunContext& ctx, const std::filesystem::path& dir);

}  // namespace rh
