// One QEMU process as a Vm: started from an argument vector (saved as the
// qemu.argv artifact), serial read continuously on a UNIX socket, QMP for
// status and a graceful quit, stderr kept, everything reaped on stop().
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "harness/core/process.h"
#include "harness/vm/qemu/qemu_args.h"
#include "harness/vm/qemu/qmp_client.h"
#include "harness/vm/vm_backend.h"

namespace rh {

class QemuVm : public Vm {
 public:
  // Throws SetupError ("QEMU exited immediately (...): <stderr>") when QEMU
  // does not come up.
  static std::unique_ptr<QemuVm> start(const QemuSetup& setup, const VmConfig& config);
  ~QemuVm() override;

  std::chrono::steady_clock::time_point started_at() const override { return origin_; }
  SerialLog& serial() override { return *serial_; }
  std::optional<std::string> exited() override;
  std::string stop() override;
  std::map<std::string, std::filesystem::path> artifacts() const override;
  std::vector<QmpNotice> qmp_events() const;

 private:
  QemuVm(const VmConfig& config, std::filesystem::path socket_dir);
  void launch(const QemuSetup& setup);
  void connect_serial();
  void read_serial();
  std::string stderr_tail() const;
  void throw_if_exited();
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> resolv_mount() const;

  VmConfig config_;
  std::filesystem::path socket_dir_;
  QemuPaths paths_;
  std::chrono::steady_clock::time_point origin_;
  std::unique_ptr<SerialLog> serial_;
  std::optional<Process> process_;
  std::unique_ptr<QmpClient> qmp_;
  int serial_fd_ = -1;
  std::thread serial_reader_;
  std::optional<std::string> stopped_;
};

}  // namespace rh
