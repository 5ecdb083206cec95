#include "harness/vm/vsphere/vm_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/vm/vsphere/plan_spec.h"
#include "harness/vm/vsphere/soap_response.h"

namespace rh::vsphere {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

LabConfig lab_config() {
  LabConfig lab;
  lab.boot_server_address = "192.0.2.10";
  return lab;
}

LabPlacement placement() {
  LabPlacement p;
  p.datastore_name = "LocalDS_0";
  p.network_name = "VM Network";
  p.network = {"Network", "network-7"};
  return p;
}

BootPlan plan(const std::string& nic, Firmware fw = Firmware::kBios) {
  BootPlan p{.name = "smoke/static/e1000", .nic = nic, .firmware = fw, .rom = "/roms/x.rom"};
  p.guestinfo = {{"ipxe.ip", "10.0.0.5"}, {"ipxe.scriptlet", "chain http://10.0.0.1/b"}};
  return p;
}

VmIdentity identity() {
  return {.vm_name = "rh-r1-1-smoke", .rom_file = "ipxe.rom", .run_id = "r1", .owner = "h:1:2"};
}

std::map<std::string, std::string> as_map(const VmSpec& spec) {
  return {spec.extra_config.begin(), spec.extra_config.end()};
}

TEST(VmSpec, ExtraConfigHasGuestinfoTheNicsRomKeyOpromsizeAndTags) {
  for (const auto& [nic, key] :
       std::vector<std::pair<std::string, std::string>>{{"vmxnet3", "nx3bios.filename"},
                                                        {"e1000", "e1000bios.filename"},
                                                        {"e1000e", "e1000ebios.filename"}}) {
    std::map<std::string, std::string> extra =
        as_map(vm_spec_for(plan(nic), lab_config(), placement(), identity()));
    EXPECT_EQ(extra.at("guestinfo.ipxe.ip"), "10.0.0.5") << nic;
    EXPECT_EQ(extra.at("guestinfo.ipxe.scriptlet"), "chain http://10.0.0.1/b") << nic;
    EXPECT_EQ(extra.at(key), "ipxe.rom") << nic;
    EXPECT_EQ(extra.at("ethernet0.opromsize"), "262144") << nic;
    EXPECT_EQ(extra.at("romharness.run"), "r1") << nic;
    EXPECT_EQ(extra.at("romharness.owner"), "h:1:2") << nic;
  }
  BootPlan small = plan("vmxnet3");
  small.romsize = 65536;
  EXPECT_EQ(
      as_map(vm_spec_for(small, lab_config(), placement(), identity())).at("ethernet0.opromsize"),
      "65536");
}

TEST(VmSpec, ConfigSpecXmlIsInWsdlOrderAndParses) {
  VmSpec spec = vm_spec_for(plan("e1000e"), lab_config(), placement(), identity());
  spec.mac = "00:50:56:00:00:01";
  std::string xml = config_spec_xml(spec);
  std::vector<std::string> order = {"<name>",     "<guestId>",      "<files>",      "<numCPUs>",
                                    "<memoryMB>", "<deviceChange>", "<extraConfig", "<firmware>"};
  std::size_t at = 0;
  for (const std::string& element : order) {
    std::size_t found = xml.find(element, at);
    ASSERT_NE(found, std::string::npos) << element << " after " << at << " in " << xml;
    at = found;
  }
  EXPECT_THAT(xml, HasSubstr("<device xsi:type=\"VirtualE1000e\"><key>-100</key>"));
  EXPECT_THAT(xml, HasSubstr("<addressType>manual</addressType>"
                             "<macAddress>00:50:56:00:00:01</macAddress>"));
  EXPECT_THAT(xml, HasSubstr("<backing xsi:type=\"VirtualSerialPortFileBackingInfo\">"
                             "<fileName>[LocalDS_0] rh-r1-1-smoke/serial.log</fileName>"));
  EXPECT_THAT(xml, HasSubstr("<network type=\"Network\">network-7</network>"));
  EXPECT_THAT(xml, HasSubstr("<firmware>bios</firmware>"));
  std::string doc =
      "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">" +
      xml + "</r>";
  pugi::xml_document parsed;
  EXPECT_TRUE(parsed.load_string(doc.c_str()));
}

TEST(VmSpec, DistributedPortGroupsAreJoinedBySwitchAndKey) {
  LabPlacement p = placement();
  p.dvs_uuid = "50 2a ff";
  p.portgroup_key = "dvportgroup-11";
  std::string xml = config_spec_xml(vm_spec_for(plan("vmxnet3"), lab_config(), p, identity()));
  EXPECT_THAT(xml, HasSubstr("VirtualEthernetCardDistributedVirtualPortBackingInfo\"><port>"
                             "<switchUuid>50 2a ff</switchUuid>"
                             "<portgroupKey>dvportgroup-11</portgroupKey></port>"));
}

TEST(PlanSpec, EfiWithACustomRomIsUnsupportedUnlessTheLabNamesAKey) {
  LabConfig lab = lab_config();
  EXPECT_THAT(lab_cannot_boot(plan("vmxnet3", Firmware::kEfi), lab),
              Optional(HasSubstr("no documented ESXi key replaces a NIC's EFI option ROM")));
  BootPlan no_rom = plan("vmxnet3", Firmware::kEfi);
  no_rom.rom.clear();
  EXPECT_EQ(lab_cannot_boot(no_rom, lab), std::nullopt);
  lab.efi_rom_key = "ethernet0.efiRom";
  EXPECT_EQ(lab_cannot_boot(plan("vmxnet3", Firmware::kEfi), lab), std::nullopt);
  EXPECT_EQ(as_map(vm_spec_for(plan("vmxnet3", Firmware::kEfi), lab, placement(), identity()))
                .at("ethernet0.efiRom"),
            "ipxe.rom");
}

TEST(PlanSpec, WhatTheLabCannotBootSaysWhy) {
  EXPECT_THAT(lab_cannot_boot(plan("rtl8139"), lab_config()),
              Optional(HasSubstr("no NIC 'rtl8139'")));
  BootPlan q35 = plan("e1000");
  q35.machine = "q35";
  EXPECT_THAT(lab_cannot_boot(q35, lab_config()), Optional(HasSubstr("machine 'q35'")));
  BootPlan dns = plan("e1000");
  dns.network.dns_names = {"boot.example"};
  EXPECT_THAT(lab_cannot_boot(dns, lab_config()), Optional(HasSubstr("DNS")));
  EXPECT_THAT(lab_cannot_boot(plan("e1000"), LabConfig{}),
              Optional(HasSubstr("no boot_server.address")));
  EXPECT_EQ(lab_cannot_boot(plan("e1000-82545em"), lab_config()), std::nullopt);
}

TEST(PlanSpec, VmNamesAreSafeAndShort) {
  EXPECT_EQ(lab_vm_name("rh-", "20261201-2230", 3, "smoke/Static DHCP/e1000"),
            "rh-20261201-2230-3-smoke-static-dhcp-e1000");
  EXPECT_EQ(lab_vm_name("rh-", "r", 1, std::string(200, 'x')).size(), 80U);
}

}  // namespace
}  // namespace rh::vsphere
