// From a BootPlan to a lab VM: what the lab cannot boot (the backend's
// check), the VM's name, and its VmSpec with the extraConfig the plan asks
// for: every guestinfo.* key, the NIC's ROM key naming the uploaded ROM
// (core/nic.h: Nic::vmx_rom_key), ethernet0.opromsize, and the run's tags.
//
//   if (auto why = lab_cannot_boot(plan, lab)) -> UNSUPPORTED *why
//   VmSpec spec = vm_spec_for(plan, lab, placement, {.vm_name = name, .rom_file = "ipxe.rom",
//                                                    .run_id = id, .owner = this_process_owner()});
#pragma once

#include <optional>
#include <string>

#include "harness/vm/boot_plan.h"
#include "harness/vm/vsphere/inventory.h"
#include "harness/vm/vsphere/lab_file.h"
#include "harness/vm/vsphere/vm_spec.h"

namespace rh::vsphere {

// The ROM BAR when the plan names none: ipxe.org's VMware howto's value.
inline constexpr long long kDefaultOpromSize = 262144;

std::optional<std::string> lab_cannot_boot(const BootPlan& plan, const LabConfig& lab);

struct VmIdentity {
  std::string vm_name;
  std::string rom_file;  // in the VM's directory; empty: no ROM
  std::string run_id;
  std::string owner;  // owner.h
};

VmSpec vm_spec_for(const BootPlan& plan, const LabConfig& lab, const LabPlacement& where,
                   const VmIdentity& id);

// "<prefix><run id>-<n>-<scenario, lower-case, [a-z0-9-]>", at most 80
// characters (vSphere's limit for a VM name).
std::string lab_vm_name(const std::string& prefix, const std::string& run_id, int n,
                        const std::string& scenario);

}  // namespace rh::vsphere
