// What a bisection builds and boots at each commit: one ROM variant
// (SET/NIC/PLATFORM, as rom-builds names them) and, unless it bisects on
// size alone, the one scenario (a matrix row of the scenario file) that
// boots it. Chosen and checked once, before anything is built.
//
//   BisectTarget t = pick_target("scenarios/guestinfo/static-scriptlet.yaml",
//                                "vmware-min/vmxnet3", false, "rom-builds");
//   t.ref;        // {vmware-min, vmxnet3, bios}
//   t.scenario;   // the row "guestinfo/static-scriptlet/vmxnet3-bios"
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "harness/rom/builder.h"
#include "harness/scenario/scenario.h"

namespace rh {

struct BisectTarget {
  VariantRef ref;
  std::optional<Scenario> scenario;  // empty: size only
  std::string label() const;         // "vmware-min/vmxnet3/bios"
};

// "SET[/NIC[/PLATFORM]]" -> its parts (missing ones empty); InputError when malformed.
VariantRef parse_variant(const std::string& text);

// The scenario file's row the variant's NIC and PLATFORM select (the file's
// only row when they are not given) and the variant it builds: the row's
// own, with the parts `variant` gives overriding it (SET too); a row that
// boots a ROM file boots the variant's build instead. `scenario_file` may be empty only when
// `size_only`, with a full SET/NIC/PLATFORM. InputError naming the file,
// the rows and the known variants when it does not add up.
BisectTarget pick_target(const std::filesystem::path& scenario_file, const std::string& variant,
                         bool size_only, const std::filesystem::path& variants);

}  // namespace rh
