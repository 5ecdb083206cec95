#include "harness/vm/libvirt/domain_plan.h"

namespace rh {
namespace {

// SeaBIOS reads the port as a little-endian binary integer: 0x3f8 (COM1).
constexpr char kSerconPort[] = {'\xf8', '\x03'};
// fw_cfg has 32 file slots by default, shared with QEMU's own files
// (emulator/README.md); per-key guestinfo needs more.
constexpr int kFwCfgSlots = 0x100;

}  // namespace

std::vector<std::pair<std::string, std::string>> guestinfo_files(
    const std::map<std::string, std::string>& guestinfo, const GuestinfoLayout& layout) {
  std::vector<std::pair<std::string, std::string>> files;
  if (guestinfo.empty()) return files;
  if (layout.encode) {
    files.emplace_back(layout.blob_name, layout.encode(guestinfo));
    return files;
  }
  for (const auto& [key, value] : guestinfo) files.emplace_back(layout.per_key_prefix + key, value);
  return files;
}

StagedFiles stage_plan(const BootPlan& plan, FileStage& stage, const GuestinfoLayout& layout,
                       const HostFiles& host) {
  StagedFiles f{.emulator = host.emulator, .efi_loader = host.efi_loader};
  if (!plan.rom.empty()) f.rom = stage.put_file(plan.rom, "rom");
  if (plan.uses_sercon()) {
    f.sercon_port =
        stage.put_bytes(std::string_view(kSerconPort, sizeof kSerconPort), "sercon-port");
  }
  int n = 0;
  for (const auto& [name, bytes] : guestinfo_files(plan.guestinfo, layout)) {
    f.guestinfo.push_back({name, stage.put_bytes(bytes, "guestinfo-" + std::to_string(n++))});
  }
  if (!plan.direct.kernel.empty()) f.kernel = stage.put_file(plan.direct.kernel, "kernel");
  if (!plan.direct.initrd.empty()) f.initrd = stage.put_file(plan.direct.initrd, "initrd");
  if (host.outputs) {
    f.capture = stage.output("capture.pcap").value_or("");
    if (!plan.guestinfo.empty()) f.guestrpc_log = stage.output("guestrpc.log").value_or("");
  }
  return f;
}

DomainSpec domain_spec(const BootPlan& plan, const DomainIdentity& id, const StagedFiles& files) {
  DomainSpec s;
  s.name = id.name;
  s.metadata_xml = id.metadata_xml;
  s.type = id.type;
  s.machine = plan.machine.empty() ? "pc" : plan.machine;
  s.memory_mb = plan.memory_mb;
  s.cpus = plan.cpus;
  s.emulator = files.emulator;
  s.firmware = plan.firmware;
  if (plan.firmware == Firmware::kEfi) s.efi_loader = files.efi_loader;
  s.nic_model = plan.nic;
  s.mac = plan.nic_mac();
  s.rom = files.rom;
  s.romsize = plan.romsize;
  s.link_down = plan.link_up_after.has_value();
  s.network.mode = plan.network.mode;
  if (plan.network.mode == NetworkMode::kStatic) {
    s.network.subnet = plan.network.subnet;
    s.network.host = plan.network.gateway;
    s.network.dns = plan.network.dns;
  } else if (plan.network.mode == NetworkMode::kDhcp) {
    s.network.bootfile = plan.network.boot_url;
  }
  s.fw_cfg = files.guestinfo;
  s.sercon_port_file = files.sercon_port;
  s.vmware_cpu_vendor = !plan.guestinfo.empty();
  s.guestrpc_log = files.guestrpc_log;
  s.capture = files.capture;
  if (!plan.guestinfo.empty()) s.fw_cfg_slots = kFwCfgSlots;
  s.kernel = files.kernel;
  s.initrd = files.initrd;
  s.append = plan.direct.append;
  return s;
}

}  // namespace rh
