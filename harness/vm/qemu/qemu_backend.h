// The local QEMU backend: finds the QEMU to use (romharness' patched build
// with GuestRPC, or the system one), picks the accelerator by a functional
// probe, and starts QemuVms.
//
//   QemuBackend backend = QemuBackend::create({.accel = "auto", .work_dir = run_dir});
//   backend.lacks(Capability::kGuestRpc);  // reason, or nullopt
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "harness/core/cache_root.h"
#include "harness/vm/qemu/qemu_args.h"
#include "harness/vm/vm_backend.h"

namespace rh {

struct QemuOptions {
  std::string accel = "auto";      // auto | tcg | kvm
  std::filesystem::path qemu;      // explicit binary; empty: search
  std::filesystem::path work_dir;  // where run-wide helper files go
};

class QemuBackend : public VmBackend {
 public:
  static std::unique_ptr<QemuBackend> create(const QemuOptions& options);  // throws SetupError
  std::string name() const override { return "qemu"; }
  std::string accel() const override { return setup_.accel; }
  std::optional<std::string> lacks(Capability cap) const override;
  std::unique_ptr<Vm> start(const VmConfig& config) override;
  const QemuSetup& setup() const { return setup_; }
  const std::string& accel_reason() const { return accel_reason_; }

 private:
  QemuSetup setup_;
  std::string accel_reason_;
};

// Finds the binary and firmware; no accelerator decision (accel = "tcg").
QemuSetup locate_qemu(const QemuOptions& options);

// Boots an iPXE ROM under KVM and watches for iPXE to initialise its
// devices: /dev/kvm opening is not KVM working (design.md). Returns "kvm" or
// "tcg" and why.
std::pair<std::string, std::string> probe_accel(QemuSetup setup, const std::filesystem::path& dir);

}  // namespace rh
