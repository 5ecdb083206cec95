#include "harness/vm/qemu/qemu_backend.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/vm/dns_address.h"
#include "harness/vm/emulator/guestinfo_blob.h"
#include "harness/vm/qemu/accel_probe.h"
#include "harness/vm/qemu/qemu_leftovers.h"
#include "harness/vm/qemu/qemu_session.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSystemQemu = "/usr/bin/qemu-system-x86_64";
// What the guest sees as the host under QEMU's default user network.
constexpr const char* kDefaultHostAddress = "10.0.2.2";

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

}  // namespace

QemuSetup locate_qemu(const QemuOptions& options) {
  QemuSetup s;
  const fs::path patched = cache_root() / "qemu" / "current" / "bin" / "qemu-system-x86_64";
  fs::path chosen = options.qemu;
  if (chosen.empty()) chosen = env_or("ROMHARNESS_QEMU", "");
  if (chosen.empty() && fs::exists(patched)) chosen = patched;
  if (chosen.empty()) chosen = kSystemQemu;
  if (!fs::exists(chosen)) {
    throw SetupError("QEMU not found at '" + chosen.string() +
                     "': install qemu-system-x86 (ci/setup does) or pass --qemu PATH");
  }
  s.binary = chosen;
  // The patched build marks itself with emulator.json beside bin/.
  s.guestrpc = fs::exists(chosen.parent_path().parent_path() / "emulator.json");
  if (chosen != kSystemQemu) s.firmware_dirs = {"/usr/share/seabios", "/usr/share/qemu"};
  s.ovmf_code = first_existing({"/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd"});
  s.sercon_port_file = write_sercon_file(options.work_dir);
  // As root, QEMU drops to nobody before the guest runs; nothing it opens
  // later needs more (its files and sockets are open by then).
  if (::geteuid() == 0) s.run_as = "nobody";
  return s;
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

std::unique_ptr<VmBackend> make_qemu_backend(const BackendOptions& options) {
  return QemuBackend::create(
      {.accel = options.accel, .qemu = options.qemu, .work_dir = options.work_dir});
}

std::string QemuBackend::describe() const {
  return "QEMU " + setup_.binary.string() + (setup_.guestrpc ? " (GuestRPC)" : "") + ", accel " +
         setup_.accel + " (" + accel_reason_ + ")";
}

std::optional<std::string> QemuBackend::lacks(Capability cap) const {
  switch (cap) {
    case Capability::kGuestRpc:
    case Capability::kGuestRpcLog:
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
    case Capability::kDnsNames:
      if (::geteuid() == 0) return std::nullopt;
      return std::string(
          "dns_names needs root (a DNS responder on port 53 and QEMU in a private mount "
          "namespace with its own resolv.conf)");
    case Capability::kPacketCapture:
    case Capability::kFirmwareConsole:
    case Capability::kLinkControl:
    case Capability::kGuestExecution:
      return std::nullopt;
    case Capability::kIpxeSrc:
      break;
  }
  return std::string("not a capability of a VM backend");
}

std::optional<std::string> QemuBackend::check(const BootPlan& plan) const {
  if (!plan.machine.empty() && plan.machine != "pc" && plan.machine != "q35") {
    return "QEMU's machine must be 'pc' or 'q35', got '" + plan.machine + "'";
  }
  try {
    (void)encode_guestinfo_blob(plan.guestinfo);  // what the emulator could not carry
  } catch (const InputError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

BootEndpoints QemuBackend::endpoints(const BootPlan& plan) {
  BootEndpoints where;
  // slirp's host address reaches the host's loopback: the server binds there.
  where.guest_host =
      plan.network.mode == NetworkMode::kStatic ? plan.network.gateway : kDefaultHostAddress;
  if (!plan.network.dns_names.empty()) where.dns_bind = next_dns_responder_address();
  return where;
}

std::unique_ptr<VmSession> QemuBackend::start(const BootPlan& plan, const BootEndpoints& where) {
  return QemuSession::start(setup_, plan, where);
}

std::vector<std::string> QemuBackend::sweep_leftovers() { return sweep_socket_dirs(); }

// The same argv with the serial console and monitor on the terminal; the
// files it names (guestinfo, resolv.conf) are the ones the run left.
std::vector<std::string> QemuBackend::manual_command(const BootPlan& plan,
                                                     const BootEndpoints& where) const {
  QemuPaths paths = QemuPaths::in(plan.artifacts_dir, plan.artifacts_dir);
  paths.interactive = true;
  if (!where.dns_bind.empty()) paths.resolv_conf = plan.artifacts_dir / "resolv.conf";
  return build_qemu_argv(setup_, plan, paths);
}

}  // namespace rh
