// One VM on the lab, from CreateVM_Task to Destroy_Task. The object owns
// the VM: its destructor powers it off and destroys it if destroy() was not
// called (an exception, a timeout), so no path through a boot leaves it.
//
//   std::unique_ptr<LabVm> vm = LabVm::create(vim, files, placement, spec, timeout);
//   vm->upload("ipxe.rom", rom_bytes);   // into the VM's directory
//   vm->power_on();
//   ...
//   vm->power_off();
//   std::optional<std::string> log = vm->fetch("vmware.log");
//   vm->destroy();
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/vm/vsphere/datastore_files.h"
#include "harness/vm/vsphere/inventory.h"
#include "harness/vm/vsphere/vm_spec.h"

namespace rh::vsphere {

class LabVm {
 public:
  // SetupError naming the VM and the fault when the host refuses it.
  static std::unique_ptr<LabVm> create(VimClient& vim, DatastoreFiles& files,
                                       const LabPlacement& where, const VmSpec& spec,
                                       std::chrono::milliseconds task_timeout);
  // Adopts an existing VM (the sweep): this object now destroys it.
  LabVm(VimClient& vim, DatastoreFiles& files, MoRef ref, std::string name,
        std::chrono::milliseconds task_timeout);
  ~LabVm();
  LabVm(const LabVm&) = delete;
  LabVm& operator=(const LabVm&) = delete;

  const MoRef& ref() const { return ref_; }
  const std::string& name() const { return name_; }
  const std::string& dir();  // its datastore directory (read once)
  std::string what() const { return "VM '" + name_ + "'"; }

  void upload(const std::string& file_name, const std::string& bytes);
  std::optional<std::string> fetch(const std::string& file_name);
  void power_on();
  void power_off();  // a VM already off is left as it is
  std::string power_state();
  std::map<std::string, std::string> extra_config();
  // The file its serial port writes to, read back from the VM's devices,
  // relative to the datastore ("rh-1/serial.log"); "" when it has none.
  std::string serial_file();
  void destroy();  // power off, Destroy_Task; idempotent
  bool destroyed() const { return destroyed_; }

 private:
  void read_dir();
  void run_task(const std::string& method);

  VimClient& vim_;
  DatastoreFiles& files_;
  MoRef ref_;
  std::string name_;
  std::string dir_;
  std::chrono::milliseconds task_timeout_;
  bool destroyed_ = false;
};

// The VMs below the datacenter whose name starts with `prefix`.
std::vector<NamedObject> vms_with_prefix(VimClient& vim, const MoRef& datacenter,
                                         const std::string& prefix);

}  // namespace rh::vsphere
