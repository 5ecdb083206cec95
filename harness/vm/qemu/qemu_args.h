// Building QEMU's argument vector from a BootPlan: a pure function, so the
// command lines we run are checked against golden files (as libvirt's
// qemuxml2argvtest does) and saved with every scenario's artifacts.
//
//   QemuSetup setup = ...;                   // binary, firmware, accelerator
//   QemuPaths paths = QemuPaths::in(dir, sockets);
//   std::vector<std::string> argv = build_qemu_argv(setup, plan, paths);
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/vm/boot_plan.h"

namespace rh {

// What this machine's QEMU offers; found once per run (qemu_setup.h).
struct QemuSetup {
  std::filesystem::path binary = "qemu-system-x86_64";
  std::vector<std::filesystem::path> firmware_dirs;  // -L, in order
  std::string accel = "tcg";
  bool guestrpc = false;                   // romharness' patched QEMU
  std::filesystem::path ovmf_code;         // read-only OVMF image for -bios
  std::filesystem::path sercon_port_file;  // 2 bytes: f8 03
  bool sandbox = true;                     // -sandbox on (seccomp; Debian's and our builds have it)
  // When romharness runs as root: QEMU opens its files, then drops to this
  // user before the guest runs (-runas). Empty: QEMU keeps our user.
  std::string run_as;
};

// Where the VM's files and sockets go. Sockets live in a short directory
// because a UNIX socket path is limited to 107 bytes.
struct QemuPaths {
  std::filesystem::path serial_socket;
  std::filesystem::path qmp_socket;
  std::filesystem::path capture;         // capture.pcap
  std::filesystem::path guestrpc_log;    // guestrpc.log
  std::filesystem::path guestinfo_blob;  // every guestinfo key in one file (emulator/README.md)
  // QEMU's user network forwards the guest's DNS queries to the nameserver in
  // /etc/resolv.conf; when set, QEMU sees this file there instead (a private
  // mount namespace; needs root), so a responder of ours answers dns_names.
  std::filesystem::path resolv_conf;
  bool interactive = false;  // serial (and monitor) on the terminal, no QMP
  static QemuPaths in(const std::filesystem::path& artifacts, const std::filesystem::path& sockets);
};

std::vector<std::string> build_qemu_argv(const QemuSetup& setup, const BootPlan& plan,
                                         const QemuPaths& paths);

// QEMU's device name for a NIC of core/nic.h ("e1000-82545em" is QEMU's own).
std::string qemu_nic_device(const std::string& nic);

}  // namespace rh
