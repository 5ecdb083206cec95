#include "harness/vm/qemu/qemu_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/vm/qemu/qemu_vm.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr const char* kProbeRom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";
constexpr auto kProbeTimeout = std::chrono::seconds(15);
constexpr auto kProbeGrace = std::chrono::seconds(2);

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

fs::path first_existing(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates) {
    if (fs::exists(c)) return c;
  }
  return {};
}

fs::path write_sercon_file(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path p = dir / "sercon-port.bin";
  std::ofstream(p, std::ios::binary).write("\xf8\x03", 2);  // 0x3f8, little-endian
  return p;
}

bool kvm_opens() {
  const int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace

QemuSetup locate_qemu(const QemuOptions& options) {
  QemuSetup s;
  const fs::path patched = cache_root() / "qemu" / "current" / "bin" / "qemu-system-x86_64";
  fs::path chosen = options.qemu;
  if (chosen.empty()) chosen = env_or("ROMHARNESS_QEMU", "");
  if (chosen.empty() && fs::exists(patched)) chosen = patched;
  if (chosen.empty()) chosen = "/usr/bin/qemu-system-x86_64";
  if (!fs::exists(chosen)) {
    throw SetupError("QEMU not found at '" + chosen.string() +
                     "': install qemu-system-x86 (ci/setup does) or pass --qemu PATH");
  }
  s.binary = chosen;
  // The patched build marks itself with emulator.json beside bin/.
  s.guestrpc = fs::exists(chosen.parent_path().parent_path() / "emulator.json");
  if (chosen != "/usr/bin/qemu-system-x86_64") {
    s.firmware_dirs = {"/usr/share/seabios", "/usr/share/qemu"};
  }
  s.ovmf_code = first_existing({"/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd"});
  s.sercon_port_file = write_sercon_file(options.work_dir);
  return s;
}

namespace {

// Under the paravirtual KVM here iPXE hangs right after "starting
// execution"; under a working KVM "ok" follows at once.
bool ipxe_initialises(Vm& vm) {
  const auto deadline = std::chrono::steady_clock::now() + kProbeTimeout;
  std::optional<std::chrono::steady_clock::time_point> started;
  while (std::chrono::steady_clock::now() < deadline && !vm.exited()) {
    for (const auto& line : vm.serial().tail(3)) {
      if (line.find("initialising devices...ok") != std::string::npos) return true;
      if (!started && line.find("starting execution") != std::string::npos) {
        started = std::chrono::steady_clock::now();
      }
    }
    if (started && std::chrono::steady_clock::now() - *started > kProbeGrace) return false;
    vm.serial().wait_for_more(vm.serial().line_count(),
                              std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
  }
  return false;
}

// The probe costs seconds, so its answer is kept per QEMU binary and host
// kernel in the cache.
fs::path probe_cache_file(const QemuSetup& setup) {
  std::string kernel = "unknown";
  std::ifstream("/proc/sys/kernel/osrelease") >> kernel;
  std::error_code ec;
  const auto stamp = fs::last_write_time(setup.binary, ec).time_since_epoch().count();
  return cache_root() / "accel-probe" /
         (sha256_hex(setup.binary.string() + "|" + std::to_string(stamp) + "|" + kernel)
              .substr(0, 16) +
          ".txt");
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
  setup.accel = "kvm";
  VmConfig probe{.name = "accel-probe",
                 .nic_model = "e1000",
                 .rom = kProbeRom,
                 .network = NetworkMode::kDhcp,
                 .artifacts_dir = dir / "accel-probe"};
  try {
    auto vm = QemuVm::start(setup, probe);
    const bool ok = ipxe_initialises(*vm);
    vm->stop();
    accel = ok ? "kvm" : "tcg";
    reason =
        ok ? "KVM booted iPXE in the probe" : "KVM is present but iPXE did not initialise under it";
  } catch (const SetupError& e) {
    if (std::string(e.what()).find("invalid accelerator kvm") == std::string::npos) {
      return {"tcg", std::string("KVM probe could not start QEMU: ") + e.what()};
    }
    accel = "tcg";
    reason = "this QEMU was built without KVM";
  }
  fs::create_directories(cached.parent_path());
  std::ofstream(cached) << accel << "\n" << reason << "\n";
  return {accel, reason};
}

std::unique_ptr<QemuBackend> QemuBackend::create(const QemuOptions& options) {
  auto backend = std::make_unique<QemuBackend>();
  backend->setup_ = locate_qemu(options);
  if (options.accel == "auto") {
    std::tie(backend->setup_.accel, backend->accel_reason_) =
        probe_accel(backend->setup_, options.work_dir);
  } else if (options.accel == "tcg" || options.accel == "kvm") {
    backend->setup_.accel = options.accel;
    backend->accel_reason_ = "forced with --accel";
  } else {
    throw InputError("--accel must be auto, tcg or kvm, got '" + options.accel + "'");
  }
  return backend;
}

std::optional<std::string> QemuBackend::lacks(Capability cap) const {
  switch (cap) {
    case Capability::kGuestRpc:
      if (setup_.guestrpc) return std::nullopt;
      return "the QEMU in use ('" + setup_.binary.string() +
             "') has no VMware GuestRPC: build romharness' patched QEMU with emulator/build-qemu "
             "(ci/setup does) or pass --qemu PATH";
    case Capability::kEfi:
      if (!setup_.ovmf_code.empty()) return std::nullopt;
      return std::string("no OVMF firmware: apt-get install ovmf");
    case Capability::kKvm:
      if (setup_.accel == "kvm") return std::nullopt;
      return "KVM is not in use (" + accel_reason_ + ")";
    case Capability::kLab:
      return std::string("the local QEMU backend has no vSphere lab");
  }
  return std::string("unknown capability");
}

std::unique_ptr<Vm> QemuBackend::start(const VmConfig& config) {
  return QemuVm::start(setup_, config);
}

}  // namespace rh
