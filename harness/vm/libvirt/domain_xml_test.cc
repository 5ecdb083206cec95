// Golden files for the domain XML we hand to libvirt, built from BootPlans
// the way the backend builds them. To accept a deliberate change:
// RH_UPDATE_GOLDEN=1 ./vm_libvirt_test, then review the diff. Each golden
// file is also checked against libvirt's own schema (virt-xml-validate).
#include "harness/vm/libvirt/domain_xml.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/domain_plan.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

const fs::path kGolden = fs::path(RH_SOURCE_DIR) / "harness/vm/libvirt/testdata";

// Stands in for the stage (tested against a real libvirtd in
// libvirt_live_test): fixed paths, so the XML is stable.
class FixedStage : public FileStage {
 public:
  explicit FixedStage(bool outputs) : outputs_(outputs) {}
  fs::path put_file(const fs::path& /*local*/, const std::string& name) override {
    return dir_ / name;
  }
  fs::path put_bytes(std::string_view bytes, const std::string& name) override {
    written[name] = std::string(bytes);
    return dir_ / name;
  }
  std::optional<fs::path> output(const std::string& name) override {
    if (!outputs_) return std::nullopt;
    return dir_ / name;
  }
  bool collect(const std::string& /*name*/, const fs::path& /*dest*/) override { return false; }
  void remove() override {}
  std::string describe() const override { return dir_.string(); }
  std::map<std::string, std::string> written;

 private:
  fs::path dir_ = "/var/lib/libvirt/romharness/romharness_ci_4123_98231_1_x";
  bool outputs_;
};

std::string xml_for(const BootPlan& plan, bool outputs = true, const GuestinfoLayout& layout = {}) {
  FixedStage stage(outputs);
  const HostFiles host{.emulator = "/var/lib/libvirt/romharness/emulator/0123/qemu-system-x86_64",
                       .efi_loader = "/usr/share/ovmf/OVMF.fd",
                       .outputs = outputs};
  const StagedFiles files = stage_plan(plan, stage, layout, host);
  const DomainOwner owner{
      .host = "ci", .pid = 4123, .start = 98231, .run_id = "20261201-1", .scenario = plan.name};
  return build_domain_xml(domain_spec(
      plan, {.name = domain_name(owner, 1, plan.name), .metadata_xml = owner_metadata(owner)},
      files));
}

void expect_golden(const std::string& name, const std::string& xml) {
  const fs::path file = kGolden / (name + ".xml");
  if (std::getenv("RH_UPDATE_GOLDEN") != nullptr) std::ofstream(file) << xml;
  std::ifstream in(file);
  ASSERT_TRUE(in) << "missing golden file " << file << " (run with RH_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(xml, expected.str()) << "golden file " << file;
}

BootPlan dhcp_plan() {
  BootPlan p{.name = "smoke/dhcp-linux/vmxnet3-bios",
             .nic = "vmxnet3",
             .rom = "/usr/lib/ipxe/qemu/pxe-vmxnet3.rom"};
  return p;
}

TEST(DomainXml, DhcpOnLibvirtsOwnUserNetwork) { expect_golden("dhcp-bios", xml_for(dhcp_plan())); }

TEST(DomainXml, DhcpBootFileNeedsOurNetdev) {
  BootPlan p = dhcp_plan();
  p.name = "smoke/dhcp-linux/e1000-bios";
  p.nic = "e1000-82545em";
  p.romsize = 262144;
  p.network.boot_url = "http://10.0.2.2:40000/boot.ipxe?a=1,b=2";
  expect_golden("dhcp-bootfile-romsize", xml_for(p));
}

TEST(DomainXml, StaticGuestinfoPerKey) {
  BootPlan p{.name = "smoke/static/vmxnet3-bios", .nic = "vmxnet3", .rom = "/roms/a.rom"};
  p.network = {.mode = NetworkMode::kStatic,
               .subnet = "10.0.0.0/24",
               .gateway = "10.0.0.1",
               .dns = "10.0.0.200"};
  p.guestinfo = {{"ipxe.net0.ip", "10.0.0.10"}, {"ipxe.scriptlet", "chain http://x/'y'&z"}};
  expect_golden("static-guestinfo", xml_for(p));
}

TEST(DomainXml, GuestinfoAsOneBlob) {
  BootPlan p{.name = "smoke/static/blob", .nic = "vmxnet3", .rom = "/roms/a.rom"};
  p.network = {.mode = NetworkMode::kStatic,
               .subnet = "10.0.2.0/24",
               .gateway = "10.0.2.2",
               .dns = "10.0.2.3"};
  p.guestinfo = {{"ipxe.net0.ip", "10.0.2.10"}, {"ipxe.net0.gateway", "10.0.2.2"}};
  GuestinfoLayout layout;
  layout.encode = [](const std::map<std::string, std::string>& m) {
    return std::to_string(m.size()) + " keys";
  };
  expect_golden("static-guestinfo-blob", xml_for(p, true, layout));
}

TEST(DomainXml, EfiLinkDownRemoteHost) {
  BootPlan p{.name = "field/e1000e-efi link",
             .nic = "e1000e",
             .firmware = Firmware::kEfi,
             .machine = "q35",
             .memory_mb = 512,
             .rom = "/roms/e.efirom"};
  p.link_up_after = std::chrono::milliseconds(3000);
  p.network.boot_url = "http://192.0.2.7:40000/boot.ipxe";
  expect_golden("efi-link-remote", xml_for(p, /*outputs=*/false));
}

TEST(DomainXml, EmptyPortGroupWithRom) {
  BootPlan p = dhcp_plan();
  p.name = "negative/no-network";
  p.network.mode = NetworkMode::kNone;
  p.console = ConsoleSource::kRom;
  expect_golden("none-network", xml_for(p));
}

TEST(DomainXml, DirectKernelWithoutNic) {
  BootPlan p{.name = "probe", .nic = "vmxnet3"};
  p.network.mode = NetworkMode::kNone;
  p.direct = {
      .kernel = "/payload/vmlinuz", .initrd = "/payload/initrd", .append = "console=ttyS0 quiet"};
  expect_golden("direct-kernel", xml_for(p));
}

TEST(DomainXml, GoldenFilesPassLibvirtsSchema) {
  if (!fs::exists("/usr/bin/virt-xml-validate")) {
    GTEST_SKIP() << "virt-xml-validate missing (apt-get install libvirt-clients)";
  }
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kGolden)) {
    if (entry.path().extension() != ".xml") continue;
    const CommandOutput r = run_command(
        {"/usr/bin/virt-xml-validate", entry.path().string(), "domain"}, std::chrono::seconds(60));
    EXPECT_TRUE(r.status.ok()) << entry.path() << ": " << r.out << r.err;
    ++checked;
  }
  EXPECT_GE(checked, 7);
}

TEST(DomainXml, SerconOnlyForFirmwareConsoleUnderSeaBios) {
  BootPlan p = dhcp_plan();
  FixedStage stage(true);
  stage_plan(p, stage, {}, {});
  EXPECT_EQ(stage.written.at("sercon-port"), std::string("\xf8\x03", 2));
  p.firmware = Firmware::kEfi;
  FixedStage efi(true);
  stage_plan(p, efi, {}, {});
  EXPECT_EQ(efi.written.count("sercon-port"), 0U);
}

TEST(DomainXml, GuestinfoValuesAreStagedByteExact) {
  BootPlan p = dhcp_plan();
  p.guestinfo = {{"ipxe.scriptlet", "chain ${filename}\n"}};
  FixedStage stage(true);
  const StagedFiles f = stage_plan(p, stage, {}, {});
  ASSERT_EQ(f.guestinfo.size(), 1U);
  EXPECT_EQ(f.guestinfo[0].name, "opt/guestinfo/ipxe.scriptlet");
  EXPECT_EQ(stage.written.at("guestinfo-0"), "chain ${filename}\n");
}

TEST(DomainXml, WhichNetworksLibvirtExpressesItself) {
  EXPECT_TRUE(libvirt_user_network_fits({}));
  EXPECT_TRUE(libvirt_user_network_fits({.mode = NetworkMode::kStatic,
                                         .subnet = "10.0.0.0/24",
                                         .host = "10.0.0.2",
                                         .dns = "10.0.0.3"}));
  EXPECT_FALSE(libvirt_user_network_fits({.mode = NetworkMode::kStatic,
                                          .subnet = "10.0.0.0/24",
                                          .host = "10.0.0.1",
                                          .dns = "10.0.0.3"}));
  EXPECT_FALSE(libvirt_user_network_fits({.bootfile = "http://x/"}));
  EXPECT_FALSE(libvirt_user_network_fits({.mode = NetworkMode::kNone}));
}

TEST(DomainXml, BadSubnetNamesTheValue) {
  DomainSpec s{.name = "x", .nic_model = "vmxnet3"};
  s.network = {.mode = NetworkMode::kStatic, .subnet = "10.0.0.0/33"};
  try {
    build_domain_xml(s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'10.0.0.0/33'"), std::string::npos) << e.what();
  }
  s.network = {.mode = NetworkMode::kStatic, .subnet = "10.0.0.0/24", .host = "ten"};
  EXPECT_THROW(build_domain_xml(s), InputError);
}

TEST(DomainXml, EscapesAttributeText) {
  EXPECT_EQ(xml_escape("a'b\"c<d>e&f"), "a&apos;b&quot;c&lt;d&gt;e&amp;f");
}

}  // namespace
}  // namespace rh
