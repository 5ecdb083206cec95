// Removes what runs that died without cleaning up (SIGKILL, a crash, a
// power cut) left on a libvirt host: romharness domains, staged directories
// and uploaded volumes whose owner process ran on this machine and is gone.
// Anything owned by a live process, or by another machine, is left alone.
// Each backend sweeps every host it is given before its first boot.
//
//   SweepResult r = sweep_leftovers(conn->get(), owner_host_name(),
//                                   {.stage_root = "/var/lib/libvirt/romharness"});
//   r.removed;   // {"domain romharness_ci_4123_98231_1_smoke.a", ...}
#pragma once

#include <libvirt/libvirt.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rh {

struct SweepPlaces {
  std::filesystem::path stage_root;  // local staging; empty: none
  std::string pool;                  // storage pool of uploads; empty: none
};

struct SweepResult {
  std::vector<std::string> removed;  // "domain <name>", "staged <path>", "volume <name>"
  std::vector<std::string> kept;     // ours but owned by another machine, named with its host
  std::vector<std::string> errors;   // what could not be removed, and why
};

SweepResult sweep_leftovers(virConnectPtr conn, std::string_view this_host,
                            const SweepPlaces& places);

}  // namespace rh
