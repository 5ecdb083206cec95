// The vSphere backend through the VmBackend seam, against rh-vcsim started
// by the test: a lab file, check, endpoints, start (create, upload, power
// on), the console fed by the serial follower from lines the test writes
// into the VM's serial file, vmware.log's Guest: lines as GuestRPC log calls,
// stop (power off, vmware.log kept, destroy), and no password anywhere.
#include "harness/vm/vsphere/vsphere_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/vm/vsphere/lab_vm.h"
#include "harness/vm/vsphere/vcsim_process.h"

namespace rh {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class BackendSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string bin = vsphere::testing::Vcsim::binary();
    if (bin.empty() || !fs::exists(bin)) {
      GTEST_SKIP() << "rh-vcsim is not built (needs golang-go and "
                      "golang-github-vmware-govmomi-dev; or set RH_VCSIM)";
    }
    sim_ = vsphere::testing::Vcsim::start({}, tmp_.path() / "sim");
  }
  void TearDown() override {
    if (HasFailure() && sim_) std::cerr << "rh-vcsim said:\n" << sim_->output();
  }
  fs::path lab_file(const std::string& extra = "", std::string tls = "") {
    vsphere::LabConfig c = sim_->lab_config();
    if (tls.empty()) tls = "ca_bundle: " + c.tls.ca_bundle.string();
    std::string text = "endpoint: " + c.endpoint + "\nusername: " + c.username +
                       "\npassword_file: " + c.password_file.string() + "\ntls:\n  " + tls +
                       "\ndatacenter: DC0\ndatastore: LocalDS_0\nnetwork: VM Network\n"
                       "cluster: DC0_C0\nvm_prefix: rhsim-\nboot_server:\n  address: 127.0.0.1\n" +
                       extra;
    return tmp_.write("lab.yaml", text);
  }
  BootPlan plan() {
    BootPlan p{.name = "smoke/static/e1000e",
               .nic = "e1000e",
               .rom = tmp_.write("rom/808610d3.mrom", std::string(70000, 'R'))};
    p.guestinfo = {{"ipxe.ip", "10.0.0.5"}, {"ipxe.netmask", "255.255.255.0"}};
    p.artifacts_dir = tmp_.path() / "artifacts";
    return p;
  }
  // A client of the test's own to look at the lab and to play the guest.
  void open_lab() {
    lab_ = sim_->lab_config();
    vim_ = std::make_unique<vsphere::VimClient>(lab_.endpoint, lab_.tls,
                                                vsphere::read_credentials(lab_));
    vim_->login();
    where_ = vsphere::resolve_placement(*vim_, lab_);
    files_ = std::make_unique<vsphere::DatastoreFiles>(*vim_, "DC0", "LocalDS_0");
  }
  std::vector<vsphere::NamedObject> lab_vms() {
    return vsphere::vms_with_prefix(*vim_, where_.datacenter, "rhsim-");
  }

  rh::testing::TempDir tmp_;
  std::unique_ptr<vsphere::testing::Vcsim> sim_;
  vsphere::LabConfig lab_;
  std::unique_ptr<vsphere::VimClient> vim_;
  vsphere::LabPlacement where_;
  std::unique_ptr<vsphere::DatastoreFiles> files_;
};

TEST_F(BackendSimTest, WholeBootThroughTheSeamLeavesNoVmAndNoPassword) {
  auto backend = make_vsphere_backend({.run_id = "t1", .lab_file = lab_file()});
  EXPECT_EQ(backend->name(), "vsphere");
  EXPECT_THAT(backend->describe(), HasSubstr("datastore 'LocalDS_0'"));
  BootPlan p = plan();
  ASSERT_EQ(backend->check(p), std::nullopt);
  BootEndpoints where = backend->endpoints(p);
  EXPECT_EQ(where.server_bind, "127.0.0.1");
  EXPECT_EQ(where.guest_host, "127.0.0.1");
  EXPECT_TRUE(backend->notices().empty());

  std::unique_ptr<VmSession> vm = backend->start(p, where);
  EXPECT_EQ(vm->no_guest(), "the simulator runs no guest");
  open_lab();
  std::vector<vsphere::NamedObject> vms = lab_vms();
  ASSERT_EQ(vms.size(), 1U);
  EXPECT_EQ(vms[0].name, "rhsim-t1-1-smoke-static-e1000e");
  vsphere::LabVm look(*vim_, *files_, vms[0].ref, vms[0].name, std::chrono::minutes(1));
  std::map<std::string, std::string> extra = look.extra_config();
  EXPECT_EQ(extra["e1000ebios.filename"], "romharness-e1000e.rom");
  EXPECT_EQ(extra["guestinfo.ipxe.netmask"], "255.255.255.0");
  EXPECT_EQ(extra["romharness.run"], "t1");
  EXPECT_EQ(look.fetch("romharness-e1000e.rom"), std::string(70000, 'R'));
  EXPECT_EQ(look.power_state(), "poweredOn");

  // Play the guest: its serial port file and a CONSOLE_VMWARE line in vmware.log.
  files_->put(look.serial_file(), "iPXE 1.21.1+ -- Open Source Network Boot Firmware\n");
  std::string log = files_->get(look.dir() + "/vmware.log").value_or("");
  files_->put(look.dir() + "/vmware.log",
              log + "2026-12-01T22:30:00.000Z In(05) vcpu-0 - Guest: net0: 10.0.0.5/24\n");
  vm->console().wait_for_more(0, Clock::now() + std::chrono::seconds(60));
  ASSERT_GE(vm->console().line_count(), 1U);
  EXPECT_EQ(vm->console().lines_from(0)[0].text,
            "iPXE 1.21.1+ -- Open Source Network Boot Firmware");
  std::vector<GuestRpcCall> calls;
  for (auto until = Clock::now() + std::chrono::seconds(60); calls.empty() && Clock::now() < until;
       std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    calls = vm->poll_guestrpc();
  }
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].text, "log net0: 10.0.0.5/24");
  EXPECT_EQ(vm->exited(), std::nullopt);

  EXPECT_THAT(vm->stop(), HasSubstr("powered off and destroyed VM 'rhsim-t1-1-"));
  EXPECT_TRUE(lab_vms().empty());
  std::vector<VmEvent> events = vm->poll_events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].name, "running");
  EXPECT_EQ(vm->capture(), std::nullopt);
  std::map<std::string, fs::path> kept;
  for (const Artifact& a : vm->artifacts()) kept[a.name] = a.path;
  ASSERT_EQ(kept.count("vmware.log"), 1U);
  EXPECT_THAT(slurp(kept["vmware.log"]), HasSubstr("Guest: net0: 10.0.0.5/24"));
  EXPECT_THAT(slurp(kept["serial.log"]), HasSubstr("Open Source Network Boot Firmware"));
  EXPECT_THAT(slurp(kept["vsphere-vm.txt"]), HasSubstr("guestinfo.ipxe.ip = 10.0.0.5"));
  // The password is nowhere: artifacts, messages, the simulator's output.
  const std::string& password = sim_->options().password;
  for (const auto& [name, path] : kept) EXPECT_THAT(slurp(path), Not(HasSubstr(password))) << name;
  EXPECT_THAT(backend->describe() + vm->host() + sim_->output(), Not(HasSubstr(password)));
  EXPECT_EQ(vm->stop(), vm->stop());  // idempotent
}

TEST_F(BackendSimTest, EfiWithACustomRomIsUnsupportedWithTheReason) {
  auto backend = make_vsphere_backend({.lab_file = lab_file()});
  BootPlan p = plan();
  p.firmware = Firmware::kEfi;
  EXPECT_THAT(backend->check(p), ::testing::Optional(HasSubstr("no documented ESXi key")));
  auto with_key = make_vsphere_backend({.lab_file = lab_file("efi_rom_key: e1000e.efiRom\n")});
  EXPECT_EQ(with_key->check(p), std::nullopt);
}

TEST_F(BackendSimTest, NoticesSayTheBootServerLeftLoopbackAndTlsWasOff) {
  fs::path lab = lab_file("  bind: 192.0.2.10\n", "insecure: true");
  auto backend = make_vsphere_backend({.lab_file = lab});
  EXPECT_EQ(backend->endpoints(plan()).server_bind, "192.0.2.10");
  EXPECT_THAT(backend->notices(),
              ::testing::ElementsAre(
                  "the boot server listened on 192.0.2.10, beyond loopback, for the lab's VMs "
                  "(boot_server.bind at " +
                      lab.string() + ":13:9)",
                  "TLS verification of " + sim_->url() + " was off (tls.insecure at " +
                      lab.string() + ":5:13)"));
  // Asked for, insecure works against the simulator's self-signed certificate.
  auto vm = backend->start(plan(), backend->endpoints(plan()));
  EXPECT_THAT(vm->stop(), HasSubstr("destroyed"));
}

TEST_F(BackendSimTest, ABadPasswordFailsStartWithoutTheWrongPasswordOrAVm) {
  fs::path lab = lab_file();
  tmp_.write("sim/vcsim.pw.bad", "not-the-password-x9\n");
  std::string text = slurp(lab);
  text.replace(text.find("vcsim.pw"), 8, "vcsim.pw.bad");
  tmp_.write("lab.yaml", text);
  auto backend = make_vsphere_backend({.lab_file = lab});
  try {
    backend->start(plan(), backend->endpoints(plan()));
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    EXPECT_THAT(e.what(), HasSubstr("failed: InvalidLogin"));
    EXPECT_THAT(e.what(), Not(HasSubstr("not-the-password-x9")));
  }
  open_lab();
  EXPECT_TRUE(lab_vms().empty());
}

}  // namespace
}  // namespace rh
