// Where romharness keeps what it builds once and reuses: the patched QEMU,
// the Linux payload, ROM builds, the accelerator probe's answer. One rule,
// shared with the shell scripts (ci/cache-root.sh holds the same line):
//
//   $ROMHARNESS_CACHE, else $XDG_CACHE_HOME/romharness, else $HOME/.cache/romharness
//
//   std::filesystem::path qemu = cache_root() / "qemu" / "current";
#pragma once

#include <filesystem>

namespace rh {

// Throws SetupError when none of the three variables is set.
std::filesystem::path cache_root();

}  // namespace rh
