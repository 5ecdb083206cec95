#include "harness/vm/qemu/qemu_args.h"

#include "harness/vm/emulator/guestinfo_blob.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// QEMU's option parser splits on commas; a literal comma is written twice.
std::string escape_commas(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

void add(std::vector<std::string>& argv, std::initializer_list<std::string> items) {
  argv.insert(argv.end(), items.begin(), items.end());
}

std::string machine_option(const QemuSetup& setup, const BootPlan& c) {
  std::string m = (c.machine.empty() ? "pc" : c.machine) + ",accel=" + setup.accel;
  if (!c.guestinfo.empty()) m += ",vmport=on";
  return m;
}

std::string netdev_option(const BootPlan& c) {
  // `none`: the NIC sits on a hub port with nothing else on it: no DHCP
  // server, no router; what a VM on an empty port group sees.
  if (c.network.mode == NetworkMode::kNone) return "hubport,id=net0,hubid=0";
  // IPv6 stays on: iPXE's "Configuring" waits for IPv6 autoconfiguration too,
  // and without a router answering it sits out a ~15 s timeout (measured).
  std::string n = "user,id=net0";
  const NetworkPlan& net = c.network;
  if (net.mode == NetworkMode::kStatic) {
    n += ",net=" + net.subnet + ",host=" + net.gateway + ",dns=" + net.dns;
  }
  if (net.mode == NetworkMode::kDhcp && !net.boot_url.empty()) {
    n += ",bootfile=" + escape_commas(net.boot_url);
  }
  return n;
}

std::string nic_option(const BootPlan& c) {
  std::string d = qemu_nic_device(c.nic) + ",netdev=net0,mac=" + c.nic_mac() + ",bootindex=1";
  d += ",romfile=" + escape_commas(c.rom.string());
  if (c.romsize) d += ",romsize=" + std::to_string(*c.romsize);
  return d;
}

void add_firmware(std::vector<std::string>& argv, const QemuSetup& setup, const BootPlan& c) {
  for (const auto& dir : setup.firmware_dirs) add(argv, {"-L", dir.string()});
  if (c.firmware == Firmware::kEfi) add(argv, {"-bios", setup.ovmf_code.string()});
  if (c.uses_sercon()) {
    // SeaBIOS copies its own and the option ROM's screen output to this port.
    add(argv, {"-fw_cfg", "name=etc/sercon-port,file=" + setup.sercon_port_file.string()});
  }
}

// All guestinfo travels in one fw_cfg file the patched emulator parses, so
// neither key length nor key count meets fw_cfg's limits.
void add_guestinfo(std::vector<std::string>& argv, const BootPlan& c, const QemuPaths& paths) {
  if (c.guestinfo.empty()) return;
  add(argv, {"-fw_cfg", "name=" + std::string(kGuestinfoBlobFwCfgName) +
                            ",file=" + escape_commas(paths.guestinfo_blob.string())});
  add(argv, {"-global", "vmport.guestrpc-log=" + escape_commas(paths.guestrpc_log.string())});
}

// Least privilege: seccomp, and as root a drop to an unprivileged user once
// QEMU has opened what it needs. QEMU's -runas calls setuid, which
// elevateprivileges=deny would forbid, so that one is left out then.
void add_sandbox(std::vector<std::string>& argv, const QemuSetup& setup) {
  if (!setup.sandbox) return;
  if (setup.run_as.empty()) {
    add(argv,
        {"-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"});
  } else {
    add(argv,
        {"-sandbox", "on,obsolete=deny,spawn=deny,resourcecontrol=deny", "-runas", setup.run_as});
  }
}

void add_network(std::vector<std::string>& argv, const BootPlan& c, const QemuPaths& paths) {
  if (c.network.mode == NetworkMode::kNone && c.rom.empty()) return;
  add(argv, {"-netdev", netdev_option(c), "-device", nic_option(c), "-object",
             "filter-dump,id=capture0,netdev=net0,file=" + escape_commas(paths.capture.string())});
}

void add_direct_boot(std::vector<std::string>& argv, const BootPlan& c) {
  const DirectKernel& d = c.direct;
  if (d.kernel.empty()) return;
  add(argv, {"-kernel", d.kernel.string()});
  if (!d.initrd.empty()) add(argv, {"-initrd", d.initrd.string()});
  if (!d.append.empty()) add(argv, {"-append", d.append});
}

}  // namespace

QemuPaths QemuPaths::in(const fs::path& artifacts, const fs::path& sockets) {
  return {.serial_socket = sockets / "serial.sock",
          .qmp_socket = sockets / "qmp.sock",
          .capture = artifacts / "capture.pcap",
          .guestrpc_log = artifacts / "guestrpc.log",
          .guestinfo_blob = artifacts / "guestinfo.bin"};
}

std::string qemu_nic_device(const std::string& nic) { return nic; }  // scenario names are QEMU's

std::vector<std::string> build_qemu_argv(const QemuSetup& setup, const BootPlan& c,
                                         const QemuPaths& paths) {
  std::vector<std::string> argv{setup.binary.string()};
  add(argv, {"-name", c.name, "-nodefaults", "-no-user-config", "-display", "none", "-machine",
             machine_option(setup, c), "-m", std::to_string(c.memory_mb), "-smp",
             std::to_string(c.cpus)});
  if (!c.guestinfo.empty()) add(argv, {"-cpu", "qemu64,x-hv-vendor=VMwareVMware"});
  add_firmware(argv, setup, c);
  if (paths.interactive) {
    add(argv, {"-serial", "mon:stdio"});  // Ctrl-A X quits, Ctrl-A C the monitor
  } else {
    add(argv, {"-chardev",
               "socket,id=serial0,path=" + escape_commas(paths.serial_socket.string()) +
                   ",server=on,wait=on",
               "-serial", "chardev:serial0", "-qmp",
               "unix:" + escape_commas(paths.qmp_socket.string()) + ",server=on,wait=off"});
  }
  add_network(argv, c, paths);
  add_guestinfo(argv, c, paths);
  add_direct_boot(argv, c);
  add_sandbox(argv, setup);
  // A guest reboot ends the boot: nothing after it would be the same boot.
  add(argv, {"-no-reboot"});
  return argv;
}

}  // namespace rh
