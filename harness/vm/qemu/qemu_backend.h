// The local QEMU backend: finds the QEMU to use (romharness' patched build
// with GuestRPC, or the system one), picks the accelerator by a functional
// probe, checks plans against QEMU's limits and starts QemuSessions.
//
//   auto backend = QemuBackend::create({.accel = "auto", .work_dir = run_dir});
//   backend->lacks(Capability::kGuestRpc);  // reason, or nullopt
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "harness/vm/qemu/qemu_args.h"
#include "harness/vm/registry.h"
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
  std::string describe() const override;
  std::string accel() const override { return setup_.accel; }
  std::optional<std::string> lacks(Capability cap) const override;
  std::optional<std::string> check(const BootPlan& plan) const override;
  BootEndpoints endpoints(const BootPlan& plan) override;
  std::unique_ptr<VmSession> start(const BootPlan& plan, const BootEndpoints& where) override;
  std::vector<std::string> sweep_leftovers() override;
  std::vector<std::string> manual_command(const BootPlan& plan,
                                          const BootEndpoints& where) const override;
  const QemuSetup& setup() const { return setup_; }
  const std::string& accel_reason() const { return accel_reason_; }

 private:
  QemuSetup setup_;
  std::string accel_reason_;
};

std::unique_ptr<VmBackend> make_qemu_backend(const BackendOptions& options);

// Finds the binary and firmware; no accelerator decision (accel = "tcg").
QemuSetup locate_qemu(const QemuOptions& options);

}  // namespace rh
