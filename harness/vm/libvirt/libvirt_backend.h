// `--backend libvirt`: scenarios boot as transient libvirt domains on one
// host (`--connect URI`, default qemu:///system) or a pool of hosts
// (`--hosts FILE`, see host_pool.h), with romharness' patched QEMU as the
// emulator. Before the first boot every host is swept of what dead runs
// left (sweep.h). A host whose connection dies is marked dead; its session
// reports kHostLost and the runner's retry gets another host.
//
//   BackendOptions o{.run_id = "20261201-223000-4f2a", .connect = "qemu:///system"};
//   std::unique_ptr<VmBackend> b = make_libvirt_backend(o);  // throws SetupError / InputError
//   if (auto why = b->check(plan)) ...;                       // UNSUPPORTED
//   auto vm = b->start(plan, b->endpoints(plan));
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/vm/libvirt/domain_plan.h"
#include "harness/vm/libvirt/host_pool.h"
#include "harness/vm/libvirt/libvirt_session.h"
#include "harness/vm/registry.h"
#include "harness/vm/vm_backend.h"

namespace rh {

inline const std::filesystem::path kDefaultStageRoot = "/var/lib/libvirt/romharness";

struct LibvirtBackendConfig {
  std::vector<HostEntry> hosts;
  std::filesystem::path qemu;  // staged for local hosts; empty: the patched build in the cache
  std::filesystem::path stage_root = kDefaultStageRoot;
  std::string run_id;
  std::string accel = "auto";  // auto|tcg: domain type qemu; kvm: type kvm
  GuestinfoLayout guestinfo;
  std::string server_bind;       // empty: loopback
  std::string server_advertise;  // empty: the network's router (slirp's host address)
};

class LibvirtBackend : public VmBackend {
 public:
  // Sweeps every host; throws SetupError when none answers.
  explicit LibvirtBackend(LibvirtBackendConfig config);

  std::string name() const override { return "libvirt"; }
  std::string describe() const override;
  std::string accel() const override { return setup_.type == "kvm" ? "kvm" : "tcg"; }
  std::optional<std::string> lacks(Capability cap) const override;
  std::optional<std::string> check(const BootPlan& plan) const override;
  BootEndpoints endpoints(const BootPlan& plan) override;
  std::unique_ptr<VmSession> start(const BootPlan& plan, const BootEndpoints& where) override;
  std::vector<std::string> notices() const override { return notices_; }

  HostPool& pool() { return *pool_; }

 private:
  bool any_remote() const;
  void locate_local_files();
  void sweep_hosts();

  LibvirtBackendConfig config_;
  std::unique_ptr<HostPool> pool_;
  SessionSetup setup_;
  bool guestrpc_ = false;  // the local emulator is romharness' patched QEMU
  std::vector<std::string> notices_;
};

// BackendOptions -> LibvirtBackendConfig (hosts file or --connect).
LibvirtBackendConfig libvirt_config(const BackendOptions& options);
std::unique_ptr<VmBackend> make_libvirt_backend(const BackendOptions& options);

}  // namespace rh
