// The virtual NICs a scenario can name, with what identifies each to the
// firmware (PCI ids) and to VMware (the .vmx key that names its option ROM).
// Backends map a name to their own device (QEMU -device, libvirt <model>,
// vSphere VirtualEthernetCard type); this table is the one list of names.
//
//   const Nic& nic = nic_named("vmxnet3");  // InputError for an unknown name
//   nic.id();                                // "15ad:07b0"
//   nic.vmx_rom_key;                         // "nx3bios.filename"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rh {

struct Nic {
  std::string name;  // as in scenarios: vmxnet3, e1000, e1000-82545em, e1000e
  std::uint16_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::string vmx_rom_key;  // .vmx key of its BIOS option ROM on ESXi; empty: none
  std::string id() const;   // "15ad:07b0"
};

// vmxnet3, e1000, e1000-82545em, e1000e.
const std::vector<Nic>& known_nics();
const Nic* find_nic(const std::string& name);  // nullptr when unknown
// InputError "unknown NIC model 'x' (known: ...)".
const Nic& nic_named(const std::string& name);
// "vmxnet3, e1000, e1000-82545em, e1000e", for messages.
std::string known_nic_names();

// A NIC's MAC address as a scenario and every backend take it: six bytes in
// hex, ':' or '-' between them (VMware writes "00:50:56:..."), any case ->
// "00:50:56:aa:bb:cc". Nullopt with `why` set when it is not a usable
// address for one NIC (a multicast or all-zero address is not).
std::optional<std::string> normalized_mac(const std::string& text, std::string* why = nullptr);

}  // namespace rh
