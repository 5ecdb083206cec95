// What an import keeps of a VM's network: the NIC's MAC, host names its
// guestinfo URLs fetch from (DNS names, served files or stubs), paths that
// resolve from the written scenario, and Terraform state JSON.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/field/guestinfo_urls.h"
#include "harness/field/import.h"
#include "harness/field/terraform.h"
#include "harness/field/testing/import_run.h"
#include "harness/scenario/load.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

using testing::ImportRun;
using testing::kVmxDir;
using testing::WorkingDirectory;

// The command line's words as harness/cli/field_options.cc reads them.
ImportCommandOptions options_of(const std::vector<std::string>& args) {
  ImportCommandOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* value = a == "-o"            ? &o.output
                         : a == "--rom-dir"   ? &o.rom_dir
                         : a == "--serve-dir" ? &o.serve_dir
                         : a == "--resource"  ? &o.resource
                                              : nullptr;
    if (value != nullptr && i + 1 < args.size()) {
      *value = args[++i];
    } else {
      o.input = a;
    }
  }
  return o;
}

ImportRun import_vmx(const std::vector<std::string>& args) {
  return testing::run_import(import_vmx_command, options_of(args));
}

// From a temp dir: an import that prints its scenario writes stubs there.
ImportRun import_tf(const std::vector<std::string>& args) {
  const testing::TempDir cwd;
  const WorkingDirectory in(cwd.path());
  return testing::run_import(import_tf_command, options_of(args));
}

std::string vmx_with(const std::string& extra) {
  return "displayName = \"pxe\"\nethernet0.virtualDev = \"vmxnet3\"\n" + extra;
}

TEST(ImportMac, StaticAndGeneratedAddressesAreKept) {
  testing::TempDir tmp;
  const auto mac_of = [&](const std::string& vmx) {
    const fs::path in = tmp.write("vm.vmx", vmx_with(vmx));
    const ImportRun r = import_vmx({in.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    const YAML::Node s = YAML::Load(r.out);
    return s["mac"] ? s["mac"].as<std::string>() : "<none>";
  };
  EXPECT_EQ(mac_of("ethernet0.addressType = \"static\"\nethernet0.address = \"00:50:56:3F:00:07\"\n"
                   "ethernet0.generatedAddress = \"00:0c:29:00:00:01\"\n"),
            "00:50:56:3f:00:07");
  EXPECT_EQ(mac_of("ethernet0.addressType = \"generated\"\n"
                   "ethernet0.generatedAddress = \"00:0c:29:ab:cd:ef\"\n"),
            "00:0c:29:ab:cd:ef");
  EXPECT_EQ(mac_of("ethernet0.addressType = \"generated\"\n"), "<none>");
}

TEST(ImportMac, ABadMacNamesItsLine) {
  testing::TempDir tmp;
  const fs::path in = tmp.write("vm.vmx", vmx_with("ethernet0.address = \"00:50:56:zz:00:07\"\n"));
  const ImportRun r = import_vmx({in.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "romharness: " + in.string() +
                       ":3: ethernet0.address = '00:50:56:zz:00:07' is not a NIC address: "
                       "expected six hex bytes like 00:50:56:aa:bb:cc\n");
}

TEST(ImportMac, TheWrittenMacLoadsIntoTheScenario) {
  testing::TempDir tmp;
  const fs::path in = tmp.write("vm.vmx", vmx_with("ethernet0.address = \"00:50:56:3f:00:07\"\n"
                                                   "nx3bios.filename = \"ipxe-vmxnet3.rom\"\n"));
  tmp.write("roms/ipxe-vmxnet3.rom", "ROM");  // found by --rom-dir; the test writes only in tmp
  const fs::path out = tmp.path() / "out" / "vm.yaml";
  fs::create_directories(out.parent_path());
  ASSERT_EQ(
      import_vmx({in.string(), "--rom-dir", (tmp.path() / "roms").string(), "-o", out.string()})
          .code,
      0);
  EXPECT_EQ(load_scenario_file(out)[0].mac, "00:50:56:3f:00:07");
}

TEST(GuestinfoUrls, FindsHostsPortsAndPaths) {
  const auto urls = urls_in(
      "ifopen net0 && chain http://boot.ipxe.org/demo/boot.php?mac=${net0/mac} || "
      "chain HTTPS://10.0.0.1:8443/x.ipxe && chain http://srv:{{port}}/boot.ipxe");
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[0].host, "boot.ipxe.org");
  EXPECT_EQ(urls[0].path, "/demo/boot.php");
  EXPECT_TRUE(urls[0].host_is_name());
  EXPECT_EQ(urls[1].scheme, "https");
  EXPECT_EQ(urls[1].port, "8443");
  EXPECT_FALSE(urls[1].host_is_name());
  EXPECT_EQ(urls[2].port, "{{port}}");
  EXPECT_EQ(with_boot_server_port("chain http://boot.ipxe.org/demo/boot.php && "
                                  "chain http://10.0.0.1/a && chain http://srv:81/b && "
                                  "chain https://name/c"),
            "chain http://boot.ipxe.org:{{port}}/demo/boot.php && chain http://10.0.0.1/a && "
            "chain http://srv:81/b && chain https://name/c");
}

class ImportByName : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = tmp_.write("field/vm.vmx", vmx_with("guestinfo.ipxe.scriptlet = \"chain "
                                              "http://boot.ipxe.org/demo/boot.php\"\n"));
    out_ = tmp_.path() / "scenarios" / "vm.yaml";
    fs::create_directories(out_.parent_path());
  }
  testing::TempDir tmp_;
  fs::path in_;
  fs::path out_;
};

TEST_F(ImportByName, HostNamesBecomeDnsNamesAndAStubIsWrittenWithANote) {
  const ImportRun r = import_vmx({in_.string(), "-o", out_.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const YAML::Node s = YAML::LoadFile(out_.string());
  ASSERT_TRUE(s["dns_names"]);
  EXPECT_EQ(s["dns_names"][0].as<std::string>(), "boot.ipxe.org");
  EXPECT_EQ(s["guestinfo"]["ipxe.scriptlet"].as<std::string>(),
            "chain http://boot.ipxe.org:{{port}}/demo/boot.php");
  EXPECT_EQ(s["payload"]["files"]["/demo/boot.php"].as<std::string>(), "pxe-files/demo/boot.php");
  const fs::path stub = out_.parent_path() / "pxe-files" / "demo" / "boot.php";
  ASSERT_TRUE(fs::is_regular_file(stub));
  const std::string note =
      "no --serve-dir given: wrote a stub pxe-files/demo/boot.php for "
      "http://boot.ipxe.org/demo/boot.php; put the real file there, or pass --serve-dir DIR "
      "holding demo/boot.php";
  EXPECT_NE(r.err.find("note: " + note + "\n"), std::string::npos) << r.err;
  std::ifstream in(out_);
  const std::string yaml((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(yaml.find("# note: " + note + "\n"), std::string::npos) << yaml;
}

TEST_F(ImportByName, ServeDirFilesAreServedInsteadOfAStub) {
  tmp_.write("www/demo/boot.php", "#!ipxe\necho real\n");
  const ImportRun r = import_vmx(
      {in_.string(), "-o", out_.string(), "--serve-dir", (tmp_.path() / "www").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const YAML::Node s = YAML::LoadFile(out_.string());
  EXPECT_EQ(s["payload"]["files"]["/demo/boot.php"].as<std::string>(), "../www/demo/boot.php");
  EXPECT_FALSE(fs::exists(out_.parent_path() / "pxe-files"));
  EXPECT_EQ(r.err.find("stub"), std::string::npos) << r.err;
}

// Run from a directory that is neither the input's, the output's nor the
// repository: every path written must resolve from the scenario file.
TEST_F(ImportByName, PathsResolveFromTheScenarioFileWhereverTheImportRan) {
  tmp_.write("elsewhere/.keep", "");
  tmp_.write("roms/ipxe-vmxnet3.rom", "ROM");
  const fs::path in =
      tmp_.write("field/rom.vmx", vmx_with("nx3bios.filename = \"x/ipxe-vmxnet3.rom\"\n"
                                           "guestinfo.ipxe.scriptlet = \"chain "
                                           "http://boot.ipxe.org/demo/boot.php\"\n"));
  {
    WorkingDirectory cwd(tmp_.path() / "elsewhere");
    const ImportRun r =
        import_vmx({"../field/rom.vmx", "-o", "../scenarios/vm.yaml", "--rom-dir", "../roms"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const YAML::Node s = YAML::LoadFile(out_.string());
  const fs::path script = s["payload"]["script"].as<std::string>();
  EXPECT_TRUE(script.is_relative()) << script;
  EXPECT_TRUE(fs::is_regular_file(out_.parent_path() / script)) << script;
  for (const fs::path& cwd : {tmp_.path() / "elsewhere", fs::path("/")}) {
    WorkingDirectory in_cwd(cwd);
    const auto rows = load_scenario_file(out_);
    EXPECT_TRUE(fs::is_regular_file(rows[0].payload.script)) << rows[0].payload.script;
    EXPECT_EQ(rows[0].rom.file, tmp_.path() / "roms" / "ipxe-vmxnet3.rom");
    EXPECT_TRUE(fs::is_regular_file(rows[0].payload.files.at("/demo/boot.php")));
  }
}

TEST(ImportTfState, StateJsonMapsLikeHcl) {
  const ImportRun r = import_tf({kVmxDir + "vsphere-state.json", "--resource", "pxe_seed"});
  ASSERT_EQ(r.code, 0) << r.err;
  const YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "pxe-seed-01");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");
  EXPECT_EQ(s["mac"].as<std::string>(), "00:50:56:9a:3c:01");
  EXPECT_EQ(s["memory"].as<int>(), 2048);
  EXPECT_EQ(s["cpus"].as<int>(), 2);
  EXPECT_EQ(s["network"].as<std::string>(), "static");
  EXPECT_EQ(s["rom"]["opromsize"].as<int>(), 58880);
  EXPECT_EQ(s["guestinfo"]["ipxe.net0.ip"].as<std::string>(), "10.0.0.10");
  EXPECT_EQ(s["dns_names"][0].as<std::string>(), "boot.ipxe.org");
  EXPECT_NE(r.out.find("# not mapped: guest_id = \"other5xLinux64Guest\""), std::string::npos);
  EXPECT_EQ(r.out.find("annotation"), std::string::npos) << "unset attributes are not listed";
}

TEST(ImportTfState, ChildModulesAdaptersAndChoosingAResource) {
  const ImportRun r = import_tf({kVmxDir + "vsphere-state.json", "--resource",
                                 "module.lab.vsphere_virtual_machine.efi_dhcp"});
  ASSERT_EQ(r.code, 0) << r.err;
  const YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["nic"].as<std::string>(), "e1000e");
  EXPECT_EQ(s["firmware"].as<std::string>(), "efi");
  EXPECT_FALSE(s["mac"]);
  const ImportRun both = import_tf({kVmxDir + "vsphere-state.json"});
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.err, "romharness: " + kVmxDir +
                          "vsphere-state.json: 2 resources \"vsphere_virtual_machine\" "
                          "('vsphere_virtual_machine.pxe_seed', "
                          "'module.lab.vsphere_virtual_machine.efi_dhcp'); choose one with "
                          "--resource NAME or ADDRESS\n");
}

TEST(ImportTfState, BadJsonAndEmptyStatesSayWhat) {
  EXPECT_THROW(tf_state_virtual_machine("{\"values\": ", "s.json", ""), InputError);
  try {
    tf_state_virtual_machine("{\"format_version\": \"1.0\"}", "s.json", "");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "s.json: no \"values\" object; is this `terraform show -json` output of a state "
              "with resources?");
  }
  EXPECT_THROW(
      tf_state_virtual_machine("{\"values\": {\"root_module\": {\"resources\": [{\"type\": 7}]}}}",
                               "s.json", ""),
      InputError);
  try {
    tf_state_virtual_machine("{\"values\": {\"root_module\": {}}}", "s.json", "");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "s.json: no resource \"vsphere_virtual_machine\" in the state "
              "(values.root_module.resources)");
  }
}

TEST(ImportTf, HclMacAddressIsKept) {
  const TfVirtualMachine vm = tf_virtual_machine(
      "resource \"vsphere_virtual_machine\" \"a\" {\n"
      "  network_interface {\n    adapter_type = \"e1000\"\n    mac_address = "
      "\"00:50:56:01:02:03\"\n"
      "  }\n}\n",
      "main.tf", "");
  const ImportResult r = scenario_from_settings(vm.settings, {.source = "main.tf"});
  EXPECT_EQ(YAML::Load(r.yaml)["mac"].as<std::string>(), "00:50:56:01:02:03");
}

}  // namespace
}  // namespace rh
