// Building QEMU's argument vector from a VmConfig: a pure function, so the
// command lines we run are checked against golden files (as libvirt's
// qemuxml2argvtest does) and saved with every scenario's artifacts.
//
//   QemuSetup setup = ...;                   // binary, firmware, accelerator
//   QemuPaths paths = QemuPaths::in(dir, sockets);
//   std::vector<std::string> argv = build_qemu_argv(setup, config, paths);
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/vm/vm_backend.h"

namespace rh {

// What this machine's QEMU offers; found once per run (qemu_setup.h).
struct QemuSetup {
  std::filesystem::path binary = "qemu-system-x86_64";
  std::vector<std::filesystem::path> firmware_dirs;  // -L, in order
  std::string accel = "tcg";
  bool guestrpc = false;                   // romharness' patched QEMU
  std::filesystem::path ovmf_code;         // read-only OVMF image for -bios
  std::filesystem::path sercon_port_file;  // 2 bytes: f8 03
};

// Where the VM's files and sockets go. Sockets live in a short directory
// because a UNIX socket path is limited to 107 bytes.
struct QemuPaths {
  std::filesystem::path serial_socket;
  std::filesystem::path qmp_socket;
  std::filesystem::path capture;        // capture.pcap
  std::filesystem::path guestrpc_log;   // guestrpc.log
  std::filesystem::path guestinfo_dir;  // one file per guestinfo value
  bool interactive = false;             // serial (and monitor) on the terminal, no QMP
  static QemuPaths in(const std::filesystem::path& artifacts, const std::filesystem::path& sockets);
};

std::vector<std::string> build_qemu_argv(const QemuSetup& setup, const VmConfig& config,
                                         const QemuPaths& paths);

// The fw_cfg file name that carries one guestinfo key to the emulator.
std::string guestinfo_fw_cfg_name(const std::string& key);

}  // namespace rh
