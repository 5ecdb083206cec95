// Backends by name, for the runner and the command line. Adding a backend is
// its folder under harness/vm/ plus one line in registry.cc.
//
//   BackendOptions options{.accel = "auto", .work_dir = run_dir / ".setup"};
//   std::unique_ptr<VmBackend> b = make_backend("qemu", options);  // InputError if unknown
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/vm/vm_backend.h"

namespace rh {

struct BackendOptions {
  std::string accel = "auto";        // --accel auto|tcg|kvm (QEMU-based backends)
  std::filesystem::path qemu;        // --qemu PATH; empty: the patched build in the cache
  std::filesystem::path work_dir;    // run-wide helper files (reports/<run-id>/.setup)
  std::string run_id;                // goes into VM names and metadata (leftover sweeps)
  std::string connect;               // --connect URI (libvirt); empty: qemu:///system
  std::filesystem::path hosts_file;  // --hosts FILE (libvirt pool of URIs with slots)
  std::filesystem::path lab_file;    // --lab FILE (vSphere lab)
  std::string server_bind;           // --server-bind ADDR: boot server bind override
  std::string server_advertise;      // --server-advertise ADDR: the address guests use for it
};

using BackendFactory = std::unique_ptr<VmBackend> (*)(const BackendOptions&);

struct BackendEntry {
  const char* name;
  BackendFactory make;
  const char* summary;  // for --help
};

const std::vector<BackendEntry>& backend_registry();
// Throws InputError "unknown backend 'x' (known: qemu, ...)".
std::unique_ptr<VmBackend> make_backend(const std::string& name, const BackendOptions& options);
// "qemu, libvirt, ..." for messages and help.
std::string backend_names();

}  // namespace rh
