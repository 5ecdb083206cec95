#include "harness/vm/vsphere/vm_spec.h"

#include <map>

namespace rh::vsphere {
namespace {

constexpr int kNicKey = -100;
constexpr int kSerialKey = -200;

std::string connectable(bool connected) {
  std::string c = connected ? "true" : "false";
  return "<connectable><startConnected>true</startConnected>"
         "<allowGuestControl>true</allowGuestControl><connected>" +
         c + "</connected></connectable>";
}

std::string nic_backing(const VmSpec& s) {
  if (!s.dvs_uuid.empty()) {
    return R"(<backing xsi:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port>)" +
           xml_text("switchUuid", s.dvs_uuid) + xml_text("portgroupKey", s.portgroup_key) +
           "</port></backing>";
  }
  return R"(<backing xsi:type="VirtualEthernetCardNetworkBackingInfo">)" +
         xml_text("deviceName", s.network_name) + xml_moref("network", s.network) + "</backing>";
}

std::string nic_change(const VmSpec& s) {
  std::string mac = s.mac.empty()
                        ? xml_text("addressType", "generated")
                        : xml_text("addressType", "manual") + xml_text("macAddress", s.mac);
  return "<deviceChange><operation>add</operation><device xsi:type=\"" + s.nic_type + "\">" +
         xml_text("key", std::to_string(kNicKey)) + nic_backing(s) + connectable(true) + mac +
         "</device></deviceChange>";
}

std::string serial_change(const VmSpec& s) {
  return "<deviceChange><operation>add</operation><device xsi:type=\"VirtualSerialPort\">" +
         xml_text("key", std::to_string(kSerialKey)) +
         R"(<backing xsi:type="VirtualSerialPortFileBackingInfo">)" +
         xml_text("fileName", s.serial_file) + "</backing>" + connectable(true) +
         "<yieldOnPoll>true</yieldOnPoll></device></deviceChange>";
}

std::string extra_config(const VmSpec& s) {
  std::string xml;
  for (const auto& [key, value] : s.extra_config) {
    xml += R"(<extraConfig xsi:type="OptionValue">)" + xml_text("key", key) +
           R"(<value xsi:type="xsd:string">)" + xml_escape(value) + "</value></extraConfig>";
  }
  return xml;
}

}  // namespace

std::optional<std::string> vsphere_nic_type(const std::string& nic) {
  // VMware's e1000 is the 82545EM; both names map to it.
  static const std::map<std::string, std::string> types = {{"vmxnet3", "VirtualVmxnet3"},
                                                           {"e1000", "VirtualE1000"},
                                                           {"e1000-82545em", "VirtualE1000"},
                                                           {"e1000e", "VirtualE1000e"}};
  auto it = types.find(nic);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

std::string config_spec_xml(const VmSpec& s) {
  return "<config>" + xml_text("name", s.name) + xml_text("guestId", s.guest_id) + "<files>" +
         xml_text("vmPathName", "[" + s.datastore_name + "]") + "</files>" +
         xml_text("numCPUs", std::to_string(s.cpus)) +
         xml_text("memoryMB", std::to_string(s.memory_mb)) + nic_change(s) + serial_change(s) +
         extra_config(s) + xml_text("firmware", s.firmware == Firmware::kEfi ? "efi" : "bios") +
         "</config>";
}

}  // namespace rh::vsphere
