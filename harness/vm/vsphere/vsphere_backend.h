// The vSphere lab behind the VmBackend seam (harness/vm/vm_backend.h): each
// plan becomes a VM on the lab file's ESXi/vCenter (lab_vm.h), its serial
// port file followed over HTTPS into the console, vmware.log's Guest: lines
// into the GuestRPC log, destroyed when the session stops.
//
//   std::unique_ptr<VmBackend> lab = make_vsphere_backend({.lab_file = "lab.yaml",
//                                                          .run_id = "20261201-2230-4f2a"});
//   lab->check(plan);           // EFI with a custom ROM: UNSUPPORTED, and why
//   auto vm = lab->start(plan, lab->endpoints(plan));
//
// registry.cc: {"vsphere", &make_vsphere_backend, "VMs on a real ESXi/vCenter lab (--lab FILE)"}
#pragma once

#include <memory>

#include "harness/vm/registry.h"

namespace rh {

// InputError when options.lab_file is empty or the lab file is wrong
// (file:line); nothing is contacted before the first start().
std::unique_ptr<VmBackend> make_vsphere_backend(const BackendOptions& options);

}  // namespace rh
