#include "harness/vm/vsphere/sweep.h"

#include "harness/core/owner.h"
#include "harness/vm/vsphere/datastore_files.h"
#include "harness/vm/vsphere/inventory.h"
#include "harness/vm/vsphere/lab_vm.h"
#include "harness/vm/vsphere/vm_spec.h"

namespace rh::vsphere {
namespace {

// Why a VM stays, or "" when it goes.
std::string reason_to_keep(const std::map<std::string, std::string>& extra) {
  auto owner = extra.find(kOwnerKey);
  if (owner == extra.end()) return std::string("no ") + kOwnerKey + " tag: not made by romharness";
  switch (owner_state(owner->second)) {
    case OwnerState::kGone:
      return "";
    case OwnerState::kRunning:
      return "its run is still going (" + owner->second + ")";
    case OwnerState::kOtherHost:
      return "made on another host (" + owner->second + ")";
    case OwnerState::kUnreadable:
      break;
  }
  return "unreadable owner tag '" + owner->second + "'";
}

}  // namespace

SweepReport sweep_lab_leftovers(VimClient& vim, const LabConfig& lab) {
  LabPlacement where = resolve_placement(vim, lab);
  DatastoreFiles files(vim, where.datacenter_path, where.datastore_name);
  SweepReport report;
  for (const NamedObject& o : vms_with_prefix(vim, where.datacenter, lab.vm_prefix)) {
    std::map<std::string, std::string> extra =
        vim.retrieve_one(o.ref, {"config.extraConfig"}, "VM '" + o.name + "'")
            .options("config.extraConfig");
    std::string keep = reason_to_keep(extra);
    if (!keep.empty()) {
      report.kept.push_back(o.name + ": " + keep);
      continue;
    }
    LabVm(vim, files, o.ref, o.name, lab.task_timeout).destroy();
    report.removed.push_back(o.name);
  }
  return report;
}

SweepReport sweep_lab_leftovers(const LabConfig& lab) {
  VimClient vim(lab.endpoint, lab.tls, read_credentials(lab));
  vim.login();
  return sweep_lab_leftovers(vim, lab);
}

}  // namespace rh::vsphere
