// `romharness run` through the other backends, as a user runs it:
//  - libvirt: the smoke scenarios and the guest-tools scenario give the same
//    verdicts as through the direct QEMU backend, `report --compare` puts the
//    two runs side by side, and no domain is left afterwards;
//  - a pool of two libvirt connections, one through a proxy that is cut
//    mid-boot: the scenario is retried on the other host and results.json
//    records the lost attempt;
//  - vsphere, against govmomi's simulator: the lab flow runs, the boot part is
//    UNSUPPORTED (a simulated VM runs no guest), and the password is in no
//    output, report or artifact.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "harness/core/process.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/vm/libvirt/live_test_support.h"
#include "harness/vm/libvirt/private_resolver.h"
#include "harness/vm/vsphere/vcsim_process.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kBinary = fs::path(RH_BINARY_DIR) / "harness/cli/romharness";

using Verdicts = std::map<std::string, std::string>;

Verdicts verdicts_of(const fs::path& report_root) {
  std::ifstream in(report_root / "latest" / "results.json");
  if (!in) return {};
  Verdicts out;
  const auto results = nlohmann::json::parse(in);  // named: the loop must not outlive it
  for (const auto& s : results["scenarios"]) {
    out[s["name"]] = s["verdict"].get<std::string>() + " (" + s["backend"].get<std::string>() + ")";
  }
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The libvirt domain names a run used, from each scenario's domain.xml.
std::vector<std::string> domain_names_of(const fs::path& report_root) {
  const fs::path run = report_root / "latest";
  std::ifstream in(run / "results.json");
  if (!in) return {};
  std::vector<std::string> out;
  const auto results = nlohmann::json::parse(in);
  for (const auto& s : results["scenarios"]) {
    if (!s["artifacts"].contains("domain.xml")) continue;
    const std::string xml = read_all(run / s["artifacts"]["domain.xml"].get<std::string>());
    const auto from = xml.find("<name>");
    const auto to = xml.find("</name>");
    if (from != std::string::npos && to != std::string::npos)
      out.push_back(xml.substr(from + 6, to - from - 6));
  }
  return out;
}

Verdicts without_backend(Verdicts v) {
  for (auto& [name, verdict] : v) verdict = verdict.substr(0, verdict.find(' '));
  return v;
}

CommandOutput romharness(std::vector<std::string> args, const fs::path& report_root) {
  args.insert(args.begin(), kBinary.string());
  args.insert(args.end(), {"--report-dir", report_root.string()});
  return run_command(args, 900s, RH_SOURCE_DIR);
}

bool libvirt_answers() {
  return run_command({"virsh", "-c", "qemu:///system", "uri"}, 30s).status.code == 0;
}

TEST(BackendRuns, LibvirtGivesTheVerdictsOfTheDirectBackendAndLeavesNoDomain) {
  if (!libvirt_answers())
    GTEST_SKIP() << "no libvirtd on qemu:///system (ci/services/libvirt start)";
  testing::TempDir tmp;
  const std::vector<std::string> scenarios = {"run", "scenarios/smoke",
                                              "scenarios/guestinfo/guest-tools.yaml", "-j", "2"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = scenarios;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const auto direct = romharness(with({"--backend", "qemu"}), tmp.path() / "qemu");
  const auto libvirt =
      romharness(with({"--backend", "libvirt", "--connect", "qemu:///system"}), tmp.path() / "lv");
  EXPECT_EQ(libvirt.status.code, direct.status.code) << libvirt.err;

  const auto qemu_verdicts = verdicts_of(tmp.path() / "qemu");
  const auto libvirt_verdicts = verdicts_of(tmp.path() / "lv");
  ASSERT_EQ(qemu_verdicts.size(), 7U) << direct.err;
  // A daemon without mount namespaces (ci/services/libvirt inside a chroot)
  // cannot give QEMU a resolv.conf: dns_names are UNSUPPORTED there, not lost.
  const char* by_name = "smoke/dhcp-chain-by-name/e1000-bios";
  const bool no_namespaces = qemu_mount_namespaces_off().has_value();
  Verdicts expected = without_backend(qemu_verdicts);
  if (no_namespaces) expected[by_name] = "UNSUPPORTED";
  EXPECT_EQ(without_backend(libvirt_verdicts), expected);
  EXPECT_EQ(libvirt_verdicts.at("guestinfo/guest-tools/e1000-bios"), "PASS (libvirt)");
  EXPECT_EQ(libvirt_verdicts.at(by_name),
            no_namespaces ? "UNSUPPORTED (libvirt)" : "PASS (libvirt)");

  // This run's domains only: other tests boot through the same daemon.
  const auto domains =
      run_command({"virsh", "-c", "qemu:///system", "list", "--all", "--name"}, 30s);
  const auto names = domain_names_of(tmp.path() / "lv");
  const auto booted =
      std::count_if(libvirt_verdicts.begin(), libvirt_verdicts.end(), [](const auto& v) {
        return !v.second.starts_with("UNSUPPORTED");  // refused before a domain was made
      });
  EXPECT_EQ(names.size(), static_cast<std::size_t>(booted));
  for (const auto& name : names) {
    EXPECT_EQ(domains.out.find(name), std::string::npos) << "left behind: " << name;
  }

  const auto compare =
      run_command({kBinary.string(), "report", "--compare", (tmp.path() / "qemu/latest").string(),
                   (tmp.path() / "lv/latest").string()},
                  60s, RH_SOURCE_DIR);
  EXPECT_EQ(compare.status.code, 0) << compare.err;
  EXPECT_NE(compare.out.find("libvirt"), std::string::npos) << compare.out;
  EXPECT_NE(compare.out.find("qemu"), std::string::npos) << compare.out;
}

// The first serial.log under `root` that shows `text`, waiting for it.
bool serial_log_shows(const fs::path& root, const std::string& text) {
  return testing::eventually([&] {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == "serial.log" &&
          read_all(it->path()).find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  });
}

TEST(BackendRuns, AHostLostMidBootIsRetriedOnTheOtherHostAndRecorded) {
  if (auto why = testing::live_libvirt_missing()) GTEST_SKIP() << *why;
  testing::TempDir tmp;
  testing::LibvirtProxy proxy(tmp.path());
  const fs::path hosts = tmp.path() / "hosts.txt";
  // Equal load: the file's order decides, so the boot starts behind the proxy.
  std::ofstream(hosts) << proxy.uri() << " slots=1\nqemu:///system slots=1\n";
  const fs::path reports = tmp.path() / "reports";
  Process run =
      Process::start({.argv = {kBinary.string(), "run", "scenarios/smoke/dhcp-linux-bios.yaml",
                               "--filter", "*e1000-bios", "--backend", "libvirt", "--hosts",
                               hosts.string(), "--report-dir", reports.string()},
                      .cwd = RH_SOURCE_DIR,
                      .stderr_path = tmp.path() / "run.stderr"});
  ASSERT_TRUE(serial_log_shows(reports, "iPXE")) << read_all(tmp.path() / "run.stderr");
  EXPECT_GE(proxy.cut(), 1);
  const auto status = run.wait_for(900s);
  ASSERT_TRUE(status) << "the run did not end";
  EXPECT_EQ(status->code, 0) << read_all(tmp.path() / "run.stderr");

  std::ifstream in(reports / "latest" / "results.json");
  ASSERT_TRUE(in);
  const auto scenario = nlohmann::json::parse(in)["scenarios"].at(0);
  EXPECT_EQ(scenario["verdict"], "PASS") << scenario["reason"];
  EXPECT_EQ(scenario["host"], "qemu:///system");
  ASSERT_EQ(scenario["retried"].size(), 1U) << scenario.dump(2);
  EXPECT_EQ(scenario["retried"][0]["host"], proxy.uri());
  EXPECT_EQ(scenario["retried"][0]["verdict"], "UNRESOLVED");
}

TEST(BackendRuns, VsphereLabAgainstTheSimulatorIsUnsupportedAtBootAndKeepsThePasswordOut) {
  if (vsphere::testing::Vcsim::binary().empty()) GTEST_SKIP() << "rh-vcsim not built";
  testing::TempDir tmp;
  const auto sim = vsphere::testing::Vcsim::start({}, tmp.path() / "sim");
  const auto lab = sim->lab_config();
  const fs::path lab_file = tmp.path() / "lab.yaml";
  std::ofstream(lab_file) << "endpoint: " << lab.endpoint << "\n"
                          << "username: " << lab.username << "\n"
                          << "password_file: " << lab.password_file.string() << "\n"
                          << "tls: {ca_bundle: " << lab.tls.ca_bundle.string() << "}\n"
                          << "datacenter: DC0\ndatastore: LocalDS_0\nnetwork: VM Network\n"
                          << "cluster: DC0_C0\nvm_prefix: rhsim-\n"
                          << "boot_server: {address: 127.0.0.1}\n";
  const fs::path reports = tmp.path() / "reports";
  // On ESXi the ROM itself writes the serial console (VMware's BIOS does not).
  const fs::path scenario = tmp.path() / "lab-boot.yaml";
  std::ofstream(scenario) << "name: lab-boot\nrom: /usr/lib/ipxe/qemu/pxe-vmxnet3.rom\n"
                          << "nic: vmxnet3\nconsole: rom\nnetwork: dhcp\n"
                          << "stages:\n  - {name: rom-start, serial: iPXE, timeout: 60s}\n";
  const auto r = romharness(
      {"run", scenario.string(), "--backend", "vsphere", "--lab", lab_file.string()}, reports);
  EXPECT_EQ(r.status.code, 0) << r.out << r.err;  // UNSUPPORTED is not a failure
  const auto verdicts = verdicts_of(reports);
  ASSERT_EQ(verdicts.size(), 1U) << r.err;
  EXPECT_EQ(verdicts.begin()->second, "UNSUPPORTED (vsphere)");
  const std::string results = read_all(reports / "latest" / "results.json");
  EXPECT_NE(results.find("the boot part"), std::string::npos) << results;

  const std::string& password = sim->options().password;
  EXPECT_EQ((r.out + r.err).find(password), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(reports)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(read_all(entry.path()).find(password), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace rh
