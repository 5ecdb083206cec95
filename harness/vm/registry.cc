#include "harness/vm/registry.h"

#include "harness/core/error.h"
#include "harness/vm/libvirt/libvirt_backend.h"
#include "harness/vm/qemu/qemu_backend.h"
#include "harness/vm/vsphere/vsphere_backend.h"

namespace rh {

const std::vector<BackendEntry>& backend_registry() {
  static const std::vector<BackendEntry> entries = {
      {"qemu", &make_qemu_backend, "QEMU processes on this machine (the default)"},
      {"libvirt", &make_libvirt_backend, "transient libvirt domains (--connect URI, --hosts FILE)"},
      {"vsphere", &make_vsphere_backend, "VMs on a real ESXi/vCenter lab (--lab FILE)"},
  };
  return entries;
}

std::string backend_names() {
  std::string names;
  for (const auto& e : backend_registry())
    names += (names.empty() ? "" : ", ") + std::string(e.name);
  return names;
}

std::unique_ptr<VmBackend> make_backend(const std::string& name, const BackendOptions& options) {
  for (const auto& e : backend_registry()) {
    if (name == e.name) return e.make(options);
  }
  throw InputError("unknown backend '" + name + "' (known: " + backend_names() + ")");
}

}  // namespace rh
