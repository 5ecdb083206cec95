#include "harness/vm/qemu/accel_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/vm/qemu/qemu_session.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kProbeRom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";
constexpr auto kProbeTimeout = std::chrono::seconds(15);
constexpr auto kProbeGrace = std::chrono::seconds(2);

bool kvm_opens() {
  const int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

// Under the paravirtual KVM here iPXE hangs right after "starting
// execution"; under a working KVM "ok" follows at once.
bool ipxe_initialises(VmSession& vm) {
  const auto deadline = Clock::now() + kProbeTimeout;
  std::optional<Clock::time_point> started;
  while (Clock::now() < deadline && !vm.exited()) {
    for (const auto& line : vm.console().tail(3)) {
      if (line.find("initialising devices...ok") != std::string::npos) return true;
      if (!started && line.find("starting execution") != std::string::npos) started = Clock::now();
    }
    if (started && Clock::now() - *started > kProbeGrace) return false;
    vm.console().wait_for_more(vm.console().line_count(),
                               Clock::now() + std::chrono::milliseconds(100));
  }
  return false;
}

fs::path probe_cache_file(const QemuSetup& setup) {
  std::string kernel = "unknown";
  std::ifstream("/proc/sys/kernel/osrelease") >> kernel;
  std::error_code ec;
  const auto stamp = fs::last_write_time(setup.binary, ec).time_since_epoch().count();
  const std::string key = setup.binary.string() + "|" + std::to_string(stamp) + "|" + kernel;
  return cache_root() / "accel-probe" / (sha256_hex(key).substr(0, 16) + ".txt");
}

std::pair<std::string, std::string> boot_probe(QemuSetup setup, const fs::path& dir) {
  setup.accel = "kvm";
  const BootPlan probe{.name = "accel-probe",
                       .nic = "e1000",
                       .rom = kProbeRom,
                       .artifacts_dir = dir / "accel-probe"};
  try {
    auto vm = QemuSession::start(setup, probe, {});
    const bool ok = ipxe_initialises(*vm);
    vm->stop();
    if (ok) return {"kvm", "KVM booted iPXE in the probe"};
    return {"tcg", "KVM is present but iPXE did not initialise under it"};
  } catch (const SetupError& e) {
    if (std::string(e.what()).find("invalid accelerator kvm") == std::string::npos) {
      return {"", std::string("KVM probe could not start QEMU: ") + e.what()};
    }
    return {"tcg", "this QEMU was built without KVM"};
  }
}

}  // namespace

std::pair<std::string, std::string> probe_accel(QemuSetup setup, const fs::path& dir) {
  if (!kvm_opens()) return {"tcg", "/dev/kvm cannot be opened"};
  if (!fs::exists(kProbeRom)) return {"tcg", std::string("no probe ROM at ") + kProbeRom};
  const fs::path cached = probe_cache_file(setup);
  std::string accel;
  std::string reason;
  if (std::ifstream in(cached); in && std::getline(in, accel) && std::getline(in, reason)) {
    return {accel, reason + " (cached probe)"};
  }
  std::tie(accel, reason) = boot_probe(std::move(setup), dir);
  if (accel.empty()) return {"tcg", reason};  // not cached: the next run tries again
  fs::create_directories(cached.parent_path());
  std::ofstream(cached) << accel << "\n" << reason << "\n";
  return {accel, reason};
}

}  // namespace rh
