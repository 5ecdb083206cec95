// Who made a VM or a temp dir: "host:pid:start" of the romharness process, kept
// with it (a lab VM's extraConfig, a libvirt domain's metadata, a socket dir). A sweep removes it
// only when its owner ran on this host and is gone (no such pid, or the pid now belongs to a
// process that started at another time).
//
//   std::string tag = this_process_owner();   // "ci-7:4242:91823311"
//   owner_is_gone(tag);                        // false while this process runs
#pragma once

#include <optional>
#include <string>

namespace rh {

std::string this_process_owner();
std::string this_host_name();

enum class OwnerState { kRunning, kGone, kOtherHost, kUnreadable };
OwnerState owner_state(const std::string& tag);

}  // namespace rh
