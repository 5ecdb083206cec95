// One lab VM as a VmSession: made by VsphereBackend::start, it owns the VM
// (LabVm), the followers of its serial port file and vmware.log, and the
// console they feed. stop() powers off, takes the last bytes, keeps
// vmware.log, destroys the VM and hands back the lab slot.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/vm/vm_backend.h"
#include "harness/vm/vsphere/file_follower.h"
#include "harness/vm/vsphere/lab_vm.h"
#include "harness/vm/vsphere/plan_spec.h"

namespace rh::vsphere {

struct SessionSetup {
  VimClient* vim = nullptr;
  const LabConfig* lab = nullptr;
  const LabPlacement* where = nullptr;
  VmIdentity id;
  std::function<void()> release_slot;  // called once, when the VM is gone
};

class VsphereSession : public VmSession {
 public:
  // Creates, uploads, powers on; SetupError (and no VM left) when it cannot.
  static std::unique_ptr<VsphereSession> open(const BootPlan& plan, SessionSetup setup);
  ~VsphereSession() override;

  std::chrono::steady_clock::time_point started_at() const override { return started_; }
  ConsoleLog& console() override { return *console_; }
  std::vector<VmEvent> poll_events() override;
  std::vector<GuestRpcCall> poll_guestrpc() override;
  std::optional<std::string> exited() override;
  std::string stop() override;
  std::string host() const override;
  std::optional<std::filesystem::path> capture() const override { return std::nullopt; }
  std::string capture_missing() const override;
  std::optional<std::string> no_guest() const override { return no_guest_; }
  std::vector<Artifact> artifacts() const override;

 private:
  VsphereSession(const BootPlan& plan, SessionSetup setup);
  void create_and_power_on(const BootPlan& plan);
  void on_vmware_log(std::string_view bytes);
  void event(VmEvent::Kind kind, std::string name, std::string text);
  double ms_now() const;
  void keep_vmware_log();
  void write_vm_record();

  SessionSetup setup_;
  std::filesystem::path dir_;
  std::unique_ptr<DatastoreFiles> files_;
  std::unique_ptr<LabVm> vm_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<ConsoleLog> console_;
  std::unique_ptr<FileFollower> serial_;
  std::unique_ptr<FileFollower> vmware_log_;
  std::optional<std::string> no_guest_;
  std::optional<std::string> exited_;
  std::chrono::steady_clock::time_point last_power_check_;
  std::vector<Artifact> artifacts_;
  std::string last_follow_error_;

  mutable std::mutex mu_;
  std::vector<VmEvent> events_;
  std::vector<GuestRpcCall> guestrpc_;
  std::string log_partial_;  // vmware.log text after its last newline
  std::optional<std::string> stop_result_;
};

}  // namespace rh::vsphere
