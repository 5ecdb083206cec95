// One scenario's VM on a libvirt host, as the runner sees every backend's
// (VmSession): files staged where QEMU runs, a transient domain from the
// generated XML, the console read live over the connection, events from
// libvirt's event loop, and on stop() the domain destroyed, outputs copied
// back (local hosts) and everything staged removed. It holds one slot of
// its host for its whole life.
//
//   auto session = LibvirtSession::start(std::move(conn), std::move(lease), plan, setup);
//   session->console().wait_for_more(0, deadline);
//   session->stop();
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/vm/file_follower.h"
#include "harness/vm/libvirt/domain_plan.h"
#include "harness/vm/libvirt/file_stage.h"
#include "harness/vm/libvirt/host_pool.h"
#include "harness/vm/libvirt/libvirt_domain.h"
#include "harness/vm/vm_backend.h"

namespace rh {

// What the backend decided once for the run.
struct SessionSetup {
  std::string run_id;
  std::string type = "qemu";             // domain type: qemu (TCG) or kvm
  std::filesystem::path local_emulator;  // staged; for hosts without emulator=
  std::filesystem::path local_ovmf;      // for hosts without ovmf=
  std::filesystem::path stage_root;      // local staging
  GuestinfoLayout guestinfo;
  HostPool* pool = nullptr;  // told when the host is lost
};

class LibvirtSession : public VmSession {
 public:
  // Throws SetupError; nothing is left on the host then.
  // `dns_server`: the address of the scenario's DNS responder, given to a
  // local domain's QEMU as its resolver (private_resolver.h); empty: none.
  static std::unique_ptr<LibvirtSession> start(std::unique_ptr<LibvirtConnection> conn,
                                               HostPool::Lease lease, const BootPlan& plan,
                                               const SessionSetup& setup,
                                               const std::string& dns_server = "");
  ~LibvirtSession() override;

  std::chrono::steady_clock::time_point started_at() const override;
  ConsoleLog& console() override { return domain_->console(); }
  std::vector<VmEvent> poll_events() override;
  std::vector<GuestRpcCall> poll_guestrpc() override;
  std::optional<std::string> exited() override { return domain_->exited(); }
  std::string stop() override;
  void set_link(bool up) override { domain_->set_link(up); }
  std::string host() const override { return uri_; }
  std::optional<std::filesystem::path> capture() const override;
  std::string capture_missing() const override;
  std::vector<Artifact> artifacts() const override;

 private:
  LibvirtSession(HostPool::Lease lease, const BootPlan& plan);
  void stage_and_start(std::unique_ptr<LibvirtConnection> conn, const BootPlan& plan,
                       const SessionSetup& setup, const std::string& dns_server);
  std::function<void()> private_resolver(const BootPlan& plan, const std::string& dns_server);
  void raise_link_later(std::chrono::milliseconds after);
  void read_qemu_log(std::vector<VmEvent>& out);
  void collect_outputs();

  std::optional<HostPool::Lease> lease_;
  HostEntry host_;
  std::string uri_;
  std::string name_;
  std::filesystem::path artifacts_dir_;
  bool wants_guestrpc_log_ = false;
  std::optional<FileFollower> guestrpc_;  // the staged guestrpc.log, on a local host
  std::unique_ptr<FileStage> stage_;
  std::unique_ptr<LibvirtDomain> domain_;
  std::optional<std::string> stopped_;
  std::optional<std::filesystem::path> capture_;
  std::vector<Artifact> artifacts_;
  std::optional<FileFollower> qemu_log_;  // libvirt's log of QEMU's stderr (local hosts)

  std::mutex link_mu_;
  std::condition_variable link_cv_;
  bool link_cancel_ = false;
  std::thread link_thread_;
  std::vector<VmEvent> own_events_;  // guarded by link_mu_
};

}  // namespace rh
