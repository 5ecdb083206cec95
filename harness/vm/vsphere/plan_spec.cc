#include "harness/vm/vsphere/plan_spec.h"

#include <cctype>

#include "harness/core/nic.h"

namespace rh::vsphere {

std::optional<std::string> lab_cannot_boot(const BootPlan& plan, const LabConfig& lab) {
  const Nic* nic = find_nic(plan.nic);
  if (nic == nullptr || !vsphere_nic_type(plan.nic)) {
    return "the lab has no NIC '" + plan.nic + "' (vSphere: vmxnet3, e1000, e1000e)";
  }
  if (!plan.direct.kernel.empty())
    return "a lab VM boots from its NIC, not a kernel given directly";
  if (!plan.machine.empty() && plan.machine != "pc") {
    return "the lab's VMs have one chipset; machine '" + plan.machine + "' cannot be chosen";
  }
  if (plan.firmware == Firmware::kEfi && !plan.rom.empty() && lab.efi_rom_key.empty()) {
    return "no documented ESXi key replaces a NIC's EFI option ROM (ipxe.org lists BIOS keys "
           "only); name one as efi_rom_key in the lab file to try it";
  }
  if (plan.firmware == Firmware::kBios && !plan.rom.empty() && nic->vmx_rom_key.empty()) {
    return "ESXi has no .vmx key for a BIOS ROM on NIC '" + plan.nic + "'";
  }
  if (!plan.network.dns_names.empty()) {
    return "the lab network's DNS server is not the harness's: it cannot answer the scenario's "
           "names";
  }
  if (plan.link_up_after) return "the lab backend cannot hold a NIC's link down at power-on";
  if (lab.boot_server_address.empty()) {
    return "the lab file names no boot_server.address (the boot server as the lab's VMs reach "
           "it)";
  }
  return std::nullopt;
}

namespace {

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    bool keep = std::isalnum(c) != 0;
    char next = keep ? static_cast<char>(std::tolower(c)) : '-';
    if (next == '-' && (out.empty() || out.back() == '-')) continue;
    out += next;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

void add_rom_keys(const BootPlan& plan, const LabConfig& lab, const VmIdentity& id, VmSpec& spec) {
  if (id.rom_file.empty()) return;
  std::string key =
      plan.firmware == Firmware::kEfi ? lab.efi_rom_key : nic_named(plan.nic).vmx_rom_key;
  // A bare file name is looked up in the VM's own directory.
  spec.extra_config.emplace_back(key, id.rom_file);
  spec.extra_config.emplace_back("ethernet0.opromsize",
                                 std::to_string(plan.romsize.value_or(kDefaultOpromSize)));
}

}  // namespace

std::string lab_vm_name(const std::string& prefix, const std::string& run_id, int n,
                        const std::string& scenario) {
  std::string name = prefix + run_id + "-" + std::to_string(n) + "-" + slug(scenario);
  if (name.size() > 80) name.resize(80);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

VmSpec vm_spec_for(const BootPlan& plan, const LabConfig& lab, const LabPlacement& where,
                   const VmIdentity& id) {
  VmSpec spec;
  spec.name = id.vm_name;
  spec.datastore_name = where.datastore_name;
  spec.guest_id = lab.guest_id;
  spec.cpus = plan.cpus;
  spec.memory_mb = plan.memory_mb;
  spec.firmware = plan.firmware;
  spec.nic_type = vsphere_nic_type(plan.nic).value_or("VirtualVmxnet3");
  spec.mac = plan.mac;
  spec.network_name = where.network_name;
  spec.network = where.network;
  spec.dvs_uuid = where.dvs_uuid;
  spec.portgroup_key = where.portgroup_key;
  spec.serial_file = "[" + where.datastore_name + "] " + id.vm_name + "/serial.log";
  for (const auto& [key, value] : plan.guestinfo) {
    spec.extra_config.emplace_back("guestinfo." + key, value);
  }
  add_rom_keys(plan, lab, id, spec);
  spec.extra_config.emplace_back(kRunKey, id.run_id);
  spec.extra_config.emplace_back(kOwnerKey, id.owner);
  return spec;
}

}  // namespace rh::vsphere
