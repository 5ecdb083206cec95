// One QEMU process as a VmSession: started from an argument vector (saved
// as the qemu.argv artifact), serial read continuously on a UNIX socket into
// a ConsoleLog, QMP for events, status, the NIC's link and a graceful quit,
// stderr and guestrpc.log followed as they grow, everything reaped on stop().
//
//   auto vm = QemuSession::start(setup, plan, where);   // throws SetupError
//   vm->console().wait_for_more(0, deadline);
//   vm->stop();
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "harness/core/process.h"
#include "harness/vm/file_follower.h"
#include "harness/vm/qemu/qemu_args.h"
#include "harness/vm/qemu/qmp_client.h"
#include "harness/vm/vm_backend.h"

namespace rh {

class QemuSession : public VmSession {
 public:
  // Throws SetupError ("QEMU exited immediately (...): <stderr>") when QEMU
  // does not come up.
  static std::unique_ptr<QemuSession> start(const QemuSetup& setup, const BootPlan& plan,
                                            const BootEndpoints& where);
  ~QemuSession() override;

  std::chrono::steady_clock::time_point started_at() const override { return origin_; }
  ConsoleLog& console() override { return *console_; }
  std::vector<VmEvent> poll_events() override;
  std::vector<GuestRpcCall> poll_guestrpc() override;
  std::optional<std::string> exited() override;
  std::string stop() override;
  void set_link(bool up) override;
  std::optional<std::filesystem::path> capture() const override;
  std::string capture_missing() const override;
  std::vector<Artifact> artifacts() const override;

 private:
  QemuSession(const BootPlan& plan, std::filesystem::path socket_dir);
  void prepare_files(const BootEndpoints& where);
  void launch(const QemuSetup& setup);
  static std::vector<std::string> with_keeper(const std::vector<std::string>& argv);
  void connect_serial();
  void read_serial();
  void check_status(std::vector<VmEvent>& out);
  std::string stderr_tail() const;
  void throw_if_exited();
  double now_ms() const;

  BootPlan plan_;
  std::filesystem::path socket_dir_;
  QemuPaths paths_;
  std::chrono::steady_clock::time_point origin_;
  std::unique_ptr<ConsoleLog> console_;
  std::optional<Process> process_;
  std::unique_ptr<QmpClient> qmp_;
  int serial_fd_ = -1;
  std::thread serial_reader_;
  std::optional<std::string> stopped_;
  std::size_t qmp_seen_ = 0;
  FileFollower stderr_;
  FileFollower guestrpc_;
  bool status_reported_ = false;
};

}  // namespace rh
