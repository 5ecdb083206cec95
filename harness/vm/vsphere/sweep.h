// Removing what crashed runs left on the lab: VMs named with the lab's
// prefix whose romharness.owner ran on this host and is gone (see owner.h).
// VMs of running processes, of other hosts, and VMs without the tag are
// kept and listed with the reason. `romharness lab sweep --lab FILE`.
//
//   SweepReport r = sweep_lab_leftovers(load_lab_file("lab.yaml"));
//   for (const std::string& name : r.removed) ...
#pragma once

#include <string>
#include <vector>

#include "harness/vm/vsphere/lab_file.h"
#include "harness/vm/vsphere/vim_client.h"

namespace rh::vsphere {

struct SweepReport {
  std::vector<std::string> removed;  // VM names
  std::vector<std::string> kept;     // "name: why"
};

// Logs in with the lab's credentials, sweeps, logs out. SetupError on faults.
SweepReport sweep_lab_leftovers(const LabConfig& lab);
// The same on an open session.
SweepReport sweep_lab_leftovers(VimClient& vim, const LabConfig& lab);

}  // namespace rh::vsphere
