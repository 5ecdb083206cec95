// Which accelerator works here, found by booting, not by the device's
// presence: /dev/kvm may open and still be a paravirtual KVM under which iPXE
// hangs (design.md). The answer costs seconds, so it is cached per QEMU
// binary and host kernel under the cache root.
//
//   auto [accel, why] = probe_accel(setup, run_dir);   // {"tcg", "KVM is present but ..."}
#pragma once

#include <filesystem>
#include <string>
#include <utility>

#include "harness/vm/qemu/qemu_args.h"

namespace rh {

// Boots an iPXE ROM under KVM and watches for iPXE to initialise its
// devices. Returns "kvm" or "tcg" and why.
std::pair<std::string, std::string> probe_accel(QemuSetup setup, const std::filesystem::path& dir);

}  // namespace rh
