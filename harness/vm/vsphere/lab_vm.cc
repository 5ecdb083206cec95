#include "harness/vm/vsphere/lab_vm.h"

#include <iostream>

#include "harness/core/error.h"

namespace rh::vsphere {
namespace {

// "[LocalDS_0] rh-1/rh-1.vmx" -> "rh-1/rh-1.vmx"
std::string without_datastore(const std::string& ds_path) {
  std::size_t close = ds_path.find("] ");
  return close == std::string::npos ? ds_path : ds_path.substr(close + 2);
}

// "[LocalDS_0] rh-1/rh-1.vmx" -> "rh-1"
std::string directory_of(const std::string& vm_path) {
  std::string path = without_datastore(vm_path);
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace

LabVm::LabVm(VimClient& vim, DatastoreFiles& files, MoRef ref, std::string name,
             std::chrono::milliseconds task_timeout)
    : vim_(vim),
      files_(files),
      ref_(std::move(ref)),
      name_(std::move(name)),
      task_timeout_(task_timeout) {}

std::unique_ptr<LabVm> LabVm::create(VimClient& vim, DatastoreFiles& files,
                                     const LabPlacement& where, const VmSpec& spec,
                                     std::chrono::milliseconds task_timeout) {
  std::string what = "VM '" + spec.name + "'";
  std::string params = config_spec_xml(spec) + xml_moref("pool", where.pool);
  if (where.host) params += xml_moref("host", *where.host);
  MoRef task = vim.call_for_ref("CreateVM_Task", where.vm_folder, params, what);
  try {
    vim.wait_task(task, what, task_timeout);
  } catch (const SetupError&) {
    // A failed create can still leave a VM of that name (a partial
    // registration): find it and destroy it before reporting.
    try {
      for (const NamedObject& o : vms_with_prefix(vim, where.datacenter, spec.name)) {
        if (o.name == spec.name) LabVm(vim, files, o.ref, o.name, task_timeout).destroy();
      }
    } catch (const SetupError&) {  // the create's own error is the one to report
    }
    throw;
  }
  ObjectContent info = vim.retrieve_one(task, {"info.result"}, what);
  auto vm = std::make_unique<LabVm>(vim, files, info.ref("info.result"), spec.name, task_timeout);
  vm->read_dir();
  return vm;
}

LabVm::~LabVm() {
  if (destroyed_) return;
  try {
    destroy();
  } catch (const std::exception& e) {
    // Nothing can be thrown from here; the sweep removes what is left.
    std::cerr << "romharness: could not destroy " << what() << ": " << e.what()
              << " (romharness lab sweep removes it)\n";
  }
}

void LabVm::read_dir() {
  ObjectContent c = vim_.retrieve_one(ref_, {"config.files.vmPathName"}, what());
  dir_ = directory_of(c.text("config.files.vmPathName"));
}

const std::string& LabVm::dir() {
  if (dir_.empty()) read_dir();
  return dir_;
}

void LabVm::run_task(const std::string& method) {
  vim_.wait_task(vim_.call_for_ref(method, ref_, "", what()), what(), task_timeout_);
}

void LabVm::upload(const std::string& file_name, const std::string& bytes) {
  files_.put(dir() + "/" + file_name, bytes);
}

std::optional<std::string> LabVm::fetch(const std::string& file_name) {
  return files_.get(dir() + "/" + file_name);
}

void LabVm::power_on() { run_task("PowerOnVM_Task"); }

void LabVm::power_off() {
  if (power_state() == "poweredOff") return;
  try {
    run_task("PowerOffVM_Task");
  } catch (const VimFault& e) {
    // Off by now (the guest shut down between the two calls): as asked.
    if (e.fault().type != "InvalidPowerState" || power_state() != "poweredOff") throw;
  }
}

std::string LabVm::power_state() {
  return vim_.retrieve_one(ref_, {"runtime.powerState"}, what()).text("runtime.powerState");
}

std::map<std::string, std::string> LabVm::extra_config() {
  return vim_.retrieve_one(ref_, {"config.extraConfig"}, what()).options("config.extraConfig");
}

std::string LabVm::serial_file() {
  ObjectContent c = vim_.retrieve_one(ref_, {"config.hardware.device"}, what());
  auto devices = c.props.find("config.hardware.device");
  if (devices == c.props.end()) return "";
  for (pugi::xml_node d : devices->second.children()) {
    if (xsi_type(d) != "VirtualSerialPort") continue;
    pugi::xml_node backing = child_named(d, "backing");
    if (xsi_type(backing) == "VirtualSerialPortFileBackingInfo") {
      return without_datastore(child_text(backing, "fileName"));
    }
  }
  return "";
}

void LabVm::destroy() {
  if (destroyed_) return;
  try {
    power_off();
    run_task("Destroy_Task");
  } catch (const VimFault& e) {
    if (e.fault().type != "ManagedObjectNotFound") throw;  // already gone (a sweep)
  }
  destroyed_ = true;
}

std::vector<NamedObject> vms_with_prefix(VimClient& vim, const MoRef& datacenter,
                                         const std::string& prefix) {
  std::vector<NamedObject> out;
  for (NamedObject& o : list_named(vim, datacenter, {"VirtualMachine"})) {
    if (o.name.starts_with(prefix)) out.push_back(std::move(o));
  }
  return out;
}

}  // namespace rh::vsphere
