#include "harness/field/import.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/field/testing/import_run.h"
#include "harness/field/vmx.h"
#include "harness/scenario/load.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

using testing::ImportRun;
using testing::kVmxDir;

// Run from a temp dir: an import that prints its scenario writes its stubs
// to the working directory.
ImportRun import_vmx(const ImportCommandOptions& options) {
  const testing::TempDir cwd;
  const testing::WorkingDirectory in(cwd.path());
  return testing::run_import(import_vmx_command, options);
}

ImportRun import_tf(const ImportCommandOptions& options) {
  const testing::TempDir cwd;
  const testing::WorkingDirectory in(cwd.path());
  return testing::run_import(import_tf_command, options);
}

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(ImportVmx, SeedConfiguration) {
  ImportRun r = import_vmx({kVmxDir + "seed-vmxnet3.vmx"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "pxe-seed-01");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");
  EXPECT_EQ(s["firmware"].as<std::string>(), "bios");
  EXPECT_EQ(s["memory"].as<int>(), 2048);
  EXPECT_EQ(s["cpus"].as<int>(), 2);
  EXPECT_EQ(s["network"].as<std::string>(), "static");
  EXPECT_EQ(s["rom"]["file"].as<std::string>(), "ipxe-vmxnet3.rom");
  EXPECT_EQ(s["rom"]["opromsize"].as<int>(), 58880);
  YAML::Node g = s["guestinfo"];
  EXPECT_EQ(g.size(), 6u);
  EXPECT_EQ(g["ipxe.net0.ip"].as<std::string>(), "10.0.0.10");
  EXPECT_EQ(g["ipxe.net0.netmask"].as<std::string>(), "255.255.255.0");
  EXPECT_EQ(g["ipxe.net0.gateway"].as<std::string>(), "10.0.0.1");
  EXPECT_EQ(g["ipxe.dns"].as<std::string>(), "10.0.0.200");
  EXPECT_EQ(g["ipxe.scriptlet"].as<std::string>(), "chain http://10.0.0.1/boot.ipxe");
  EXPECT_EQ(g["ipxe.filename"].as<std::string>(), "http://10.0.0.1/boot.ipxe");
  EXPECT_TRUE(s["payload"]["linux"].as<bool>());
  ASSERT_EQ(s["stages"].size(), 4u);
  EXPECT_EQ(s["stages"][0]["serial"].as<std::string>(), "SeaBIOS");
  EXPECT_EQ(s["stages"][3]["serial"].as<std::string>(), "ROMHARNESS-USERSPACE");
  EXPECT_EQ(s["expect"].as<std::string>(), "pass");
  EXPECT_TRUE(has_line(r.out, "# not mapped: ethernet0.networkName = \"VM Network\""));
  EXPECT_TRUE(has_line(r.out, "# not mapped: guestOS = \"other5xlinux-64\""));
  EXPECT_FALSE(has_line(r.out, "# not mapped: memsize = \"2048\""));
  EXPECT_NE(r.out.find("# note: ROM 'ipxe-vmxnet3.rom' (nx3bios.filename, "), std::string::npos);
}

TEST(ImportVmx, RomDirMapsTheRomFileAndOutputFileIsWritten) {
  fs::path dir = fs::temp_directory_path() / ("rh-import-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "ipxe-vmxnet3.rom") << "rom";
  std::string out_path = (dir / "seed.yaml").string();
  ImportRun r = import_vmx(
      {.input = kVmxDir + "seed-vmxnet3.vmx", .output = out_path, .rom_dir = dir.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + out_path + " (6 guestinfo keys, 6 keys not mapped)\n");
  YAML::Node s = YAML::LoadFile(out_path);
  EXPECT_EQ(s["rom"]["file"].as<std::string>(), "ipxe-vmxnet3.rom");  // relative to seed.yaml
  fs::remove_all(dir);
}

// The imported file is a scenario the runner accepts as it is.
TEST(ImportVmx, OutputLoadsAsAScenario) {
  fs::path dir = fs::temp_directory_path() / ("rh-load-" + std::to_string(::getpid()));
  fs::create_directories(dir / "roms");
  std::ofstream(dir / "roms" / "ipxe-vmxnet3.rom") << "rom";
  std::string out_path = (dir / "seed.yaml").string();
  ImportRun r = import_vmx({.input = kVmxDir + "seed-vmxnet3.vmx",
                            .output = out_path,
                            .rom_dir = (dir / "roms").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(YAML::LoadFile(out_path)["rom"]["file"].as<std::string>(), "roms/ipxe-vmxnet3.rom");
  std::vector<Scenario> loaded = load_scenario_file(out_path);
  ASSERT_EQ(loaded.size(), 1u);
  const Scenario& s = loaded[0];
  EXPECT_EQ(s.base_name, "pxe-seed-01");
  EXPECT_EQ(s.nic, "vmxnet3");
  EXPECT_EQ(s.firmware, Firmware::kBios);
  EXPECT_EQ(s.memory_mb, 2048);
  EXPECT_EQ(s.network, NetworkMode::kStatic);
  EXPECT_EQ(s.rom.file, dir / "roms" / "ipxe-vmxnet3.rom");
  EXPECT_EQ(s.rom.opromsize, 58880);
  EXPECT_EQ(s.guestinfo.at("ipxe.scriptlet"), "chain http://10.0.0.1/boot.ipxe");
  EXPECT_EQ(s.payload.script.filename(), "linux.ipxe");
  EXPECT_EQ(s.stages.size(), 4u);
  fs::remove_all(dir);
}

TEST(ImportVmx, OddQuotingRoundTripsThroughYaml) {
  ImportRun r = import_vmx({kVmxDir + "odd-quoting.vmx"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "odd-quoting-test");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");
  EXPECT_EQ(s["memory"].as<int>(), 512);
  EXPECT_EQ(s["rom"].as<std::string>(), "/vmfs/volumes/datastore1/roms/ipxe-vmxnet3.rom");
  YAML::Node g = s["guestinfo"];
  EXPECT_EQ(g["ipxe.net0.netmask"].as<std::string>(), "255.255.255.0");  // key lower-cased
  EXPECT_EQ(g["ipxe.dns"].as<std::string>(), "10.0.0.53");               // last one wins
  EXPECT_EQ(g["ipxe.scriptlet"].as<std::string>(),
            "echo \"hello: world\" #not-a-comment\nchain http://{{server}}/boot.ipxe?a=1|b=2\n");
  EXPECT_EQ(g["ipxe.username"].as<std::string>(), "ops|user");
  EXPECT_EQ(g["ipxe.password"].as<std::string>(), "p@ss: w0rds # \"x\"");
  EXPECT_EQ(g["empty"].as<std::string>(), "");
  EXPECT_NE(r.err.find("warning: " + kVmxDir +
                       "odd-quoting.vmx:16: duplicate key 'guestinfo.ipxe.dns' (first set at "
                       "line 11); the value at line 16 wins"),
            std::string::npos)
      << r.err;
}

// One literal spliced around the source dir (a macro), named so that it does
// not read as a list item missing its comma.
constexpr const char* kE1000RomNote =
    "# note: e1000bios.filename = 'ipxe-e1000.rom' (" RH_SOURCE_DIR
    "/fixtures/vmx/unknown-keys.vmx:25) is for e1000 NICs; VMware ignores it for this vmxnet3 NIC";

TEST(ImportVmx, UnknownKeysBecomeComments) {
  ImportRun r = import_vmx({kVmxDir + "unknown-keys.vmx"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "legacy_app_07");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");
  EXPECT_EQ(s["network"].as<std::string>(), "dhcp");
  EXPECT_EQ(s["rom"].as<std::string>(), "/usr/lib/ipxe/qemu/pxe-{nic}.rom");
  for (const char* line : {
           "# not mapped: scsi0.virtualDev = \"pvscsi\"",
           "# not mapped: scsi0:0.fileName = \"legacy_app_07.vmdk\"",
           "# not mapped: cpuid.coresPerSocket = \"2\"",
           "# not mapped: ethernet1.present = \"TRUE\"",
           "# not mapped: ethernet1.virtualDev = \"e1000\"",
           "# not mapped: e1000bios.filename = \"ipxe-e1000.rom\"",
           "# not mapped: uuid.bios = \"56 4d 7a 2b 11 9e 3c 2d-8f 01 22 33 44 55 66 77\"",
           kE1000RomNote,
       }) {
    EXPECT_TRUE(has_line(r.out, line)) << line << "\n--- in ---\n" << r.out;
  }
  EXPECT_FALSE(has_line(r.out, "# not mapped: ethernet0.virtualDev = \"vmxnet3\""));
}

TEST(ImportVmx, EfiE1000e) {
  ImportRun r = import_vmx({kVmxDir + "efi-e1000e.vmx"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "efi-e1000e-dhcp");
  EXPECT_EQ(s["nic"].as<std::string>(), "e1000e");
  EXPECT_EQ(s["firmware"].as<std::string>(), "efi");
  EXPECT_EQ(s["network"].as<std::string>(), "dhcp");
  EXPECT_EQ(s["rom"]["file"].as<std::string>(), "ipxe-e1000e.rom");
  EXPECT_EQ(s["rom"]["opromsize"].as<int>(), 262144);
  EXPECT_EQ(s["stages"][0]["name"].as<std::string>(), "ipxe");  // no SeaBIOS stage on EFI
  EXPECT_TRUE(has_line(r.out, "# not mapped: uefi.secureBoot.enabled = \"FALSE\""));
}

TEST(ImportVmx, E1000MapsToThe82545em) {
  fs::path p = fs::temp_directory_path() / ("rh-e1000-" + std::to_string(::getpid()) + ".vmx");
  std::ofstream(p) << "ethernet0.virtualDev = \"e1000\"\ne1000bios.filename = \"x.rom\"\n";
  ImportRun r = import_vmx({p.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(YAML::Load(r.out)["nic"].as<std::string>(), "e1000-82545em");
  EXPECT_EQ(YAML::Load(r.out)["rom"].as<std::string>(), "x.rom");
  fs::remove(p);
}

TEST(ImportVmx, ErrorsAreExact) {
  auto error_for = [](const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("rh-bad-" + std::to_string(::getpid()) + ".vmx");
    std::ofstream(p) << text;
    ImportRun r = import_vmx({p.string()});
    fs::remove(p);
    EXPECT_EQ(r.code, 2);
    std::string prefix = "romharness: " + p.string();
    return r.err.starts_with(prefix) ? r.err.substr(prefix.size()) : r.err;
  };
  EXPECT_EQ(error_for("memsize = \"1\"\nethernet0 virtualDev\n"),
            ":2: cannot parse line 'ethernet0 virtualDev' (expected: key = \"value\")\n");
  EXPECT_EQ(error_for("ethernet0.virtualDev = \"vlance\"\n"),
            ":1: ethernet0.virtualDev = 'vlance' is not supported (romharness boots vmxnet3, "
            "e1000, e1000e)\n");
  EXPECT_EQ(error_for("ethernet0.virtualDev = \"vmxnet3\"\nmemsize = \"2G\"\n"),
            ":2: memsize = '2G' is not a whole number (memory in MiB)\n");
  EXPECT_EQ(error_for("ethernet0.virtualDev = \"vmxnet3\"\nethernet0.opromsize = \"0x10000\"\n"),
            ":2: ethernet0.opromsize = '0x10000' is not a whole number (option ROM size in "
            "bytes)\n");
  EXPECT_EQ(error_for("ethernet0.virtualDev = \"vmxnet3\"\nnumvcpus = \"99999999999999999999\"\n"),
            ":2: numvcpus = '99999999999999999999' is too large (number of CPUs)\n");
  EXPECT_EQ(error_for("memsize = \"512\"\n"),
            ": no network adapter (no ethernetN.* keys); the VM cannot network-boot\n");
}

// Usage errors (no input, an option of import-tf) are tested in harness/cli.
TEST(ImportVmx, MissingFileIsNamed) {
  ImportRun missing = import_vmx({"/nonexistent.vmx"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.err, "romharness: cannot open .vmx file '/nonexistent.vmx'\n");
}

TEST(ImportTf, SeedResource) {
  ImportRun r = import_tf({.input = kVmxDir + "vsphere.tf", .resource = "pxe_seed"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["name"].as<std::string>(), "pxe-seed-01");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");
  EXPECT_EQ(s["firmware"].as<std::string>(), "bios");
  EXPECT_EQ(s["memory"].as<int>(), 2048);
  EXPECT_EQ(s["cpus"].as<int>(), 2);
  EXPECT_EQ(s["network"].as<std::string>(), "static");
  EXPECT_EQ(s["rom"]["file"].as<std::string>(), "ipxe-vmxnet3.rom");
  EXPECT_EQ(s["rom"]["opromsize"].as<int>(), 58880);
  YAML::Node g = s["guestinfo"];
  EXPECT_EQ(g["ipxe.net0.ip"].as<std::string>(), "10.0.0.10");
  EXPECT_EQ(g["ipxe.scriptlet"].as<std::string>(),
            "chain http://10.0.0.1/boot.ipxe\necho \"chained\" \\o/");
  EXPECT_EQ(g["ipxe.dollar"].as<std::string>(), "${not_interpolated}");
  EXPECT_FALSE(g["ipxe.filename"]);  // a template: not importable
  std::string tf = kVmxDir + "vsphere.tf";
  for (const std::string& line : {
           "# not mapped: extra_config \"guestinfo.ipxe.filename\" = "
           "\"http://${var.boot_server}/boot.ipxe\" (" +
               tf + ":30)",
           "# not mapped: datastore_id = data.vsphere_datastore.ds.id (" + tf + ":9)",
           "# not mapped: network_interface[0].network_id = data.vsphere_network.pxe.id (" + tf +
               ":16)",
           "# not mapped: disk { ... } (" + tf + ":34)",
       }) {
    EXPECT_TRUE(has_line(r.out, line)) << line << "\n--- in ---\n" << r.out;
  }
  EXPECT_NE(r.err.find("warning: " + tf +
                       ":30: extra_config \"guestinfo.ipxe.filename\" = "
                       "\"http://${var.boot_server}/boot.ipxe\" is not a literal; not imported"),
            std::string::npos)
      << r.err;
}

TEST(ImportTf, EfiResourceWithDefaultAdapterAndHeredoc) {
  ImportRun r = import_tf({.input = kVmxDir + "vsphere.tf", .resource = "efi_dhcp"});
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node s = YAML::Load(r.out);
  EXPECT_EQ(s["firmware"].as<std::string>(), "efi");
  EXPECT_EQ(s["nic"].as<std::string>(), "vmxnet3");  // the provider's default adapter_type
  EXPECT_EQ(s["network"].as<std::string>(), "dhcp");
  EXPECT_EQ(s["guestinfo"]["ipxe.scriptlet"].as<std::string>(),
            "dhcp\nchain http://10.0.0.1/boot.ipxe\n");
}

TEST(ImportTf, ChoosingTheResource) {
  std::string tf = kVmxDir + "vsphere.tf";
  ImportRun two = import_tf({tf});
  EXPECT_EQ(two.code, 2);
  EXPECT_EQ(two.err, "romharness: " + tf +
                         ": 2 resources \"vsphere_virtual_machine\" ('pxe_seed', 'efi_dhcp'); "
                         "choose one with --resource NAME\n");
  ImportRun wrong = import_tf({.input = tf, .resource = "nope"});
  EXPECT_EQ(wrong.err, "romharness: " + tf +
                           ": no resource \"vsphere_virtual_machine\" \"nope\" (found: "
                           "'pxe_seed', 'efi_dhcp')\n");
}

}  // namespace
}  // namespace rh

namespace rh {
namespace {

// Every byte a .vmx can carry in a guestinfo value survives the YAML emitter.
TEST(ImportSettings, GuestinfoValuesRoundTripThroughYaml) {
  std::string nasty =
      "tab\tnl\ncr\rctl\x01\x1f del\x7f quote\" back\\ colon: hash # {{server}} "
      "- [a] {b} 'single' &anchor *alias !tag %pct @at `tick` \xc3\xa9 ";
  std::vector<std::string> values = {nasty, "",     " leading", "trailing ", "true", "null",
                                     "~",   "0x10", "1e3",      "- dash",    "? q",  ": c"};
  std::vector<VmSetting> settings = {{"ethernet0.virtualDev", "vmxnet3", "", "t:1"}};
  for (size_t i = 0; i < values.size(); ++i) {
    settings.push_back({"guestinfo.k" + std::to_string(i), values[i], "", "t:2"});
  }
  ImportResult r = scenario_from_settings(settings, {.source = "t.vmx"});
  YAML::Node s = YAML::Load(r.yaml);
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(s["guestinfo"]["k" + std::to_string(i)].as<std::string>(), values[i]) << i;
  }
}

TEST(ImportSettings, ValuesThatAreNotUtf8AreLeftOutWithANote) {
  ImportResult r =
      scenario_from_settings({{"ethernet0.virtualDev", "vmxnet3", "", "t:1"},
                              {"guestinfo.bad", "caf\xe9", "guestinfo.bad = \"caf\xe9\"", "t:2"}},
                             {.source = "t.vmx"});
  EXPECT_FALSE(YAML::Load(r.yaml)["guestinfo"]);
  EXPECT_NE(r.yaml.find("# note: guestinfo.bad (t:2) is not valid UTF-8 and is left out: "
                        "scenario files hold UTF-8 text\n"),
            std::string::npos);
  EXPECT_NE(r.yaml.find("# not mapped: guestinfo.bad = \"caf|E9\"\n"), std::string::npos);
}

// Found by vmx_fuzz: an overlong form passed a looser check and yaml-cpp
// wrote a different value for it.
TEST(ImportSettings, OverlongUtf8IsNotUtf8Either) {
  ImportResult r = scenario_from_settings({{"ethernet0.virtualDev", "vmxnet3", "", "t:1"},
                                           {"guestinfo.ipxe.password", "p\xC0\x8Cs",
                                            "guestinfo.ipxe.password = \"p\xC0\x8Cs\"", "t:2"}},
                                          {.source = "t.vmx"});
  EXPECT_FALSE(YAML::Load(r.yaml)["guestinfo"]);
  EXPECT_NE(r.yaml.find("# note: guestinfo.ipxe.password (t:2) is not valid UTF-8"),
            std::string::npos);
}

}  // namespace
}  // namespace rh
