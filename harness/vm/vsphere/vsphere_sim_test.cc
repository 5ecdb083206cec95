// The vSphere backend's parts against govmomi's vCenter simulator (rh-vcsim,
// ci/vcsim), which each test starts on loopback with TLS: login, placement,
// upload, create, configure, power on, the serial follower over real range
// requests, power off, destroy, the sweep, and the faults the simulator's Go
// main injects. The simulator runs no guest: the test itself writes the
// lines a guest would into the file the VM's serial port names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "harness/core/error.h"
#include "harness/core/owner.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/vm/vsphere/file_follower.h"
#include "harness/vm/vsphere/lab_vm.h"
#include "harness/vm/vsphere/plan_spec.h"
#include "harness/vm/vsphere/sweep.h"
#include "harness/vm/vsphere/vcsim_process.h"

namespace rh::vsphere {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

class SimTest : public ::testing::Test {
 protected:
  void start_sim(std::vector<std::string> faults = {}) {
    std::string bin = testing::Vcsim::binary();
    if (bin.empty() || !std::filesystem::exists(bin)) {
      GTEST_SKIP() << "rh-vcsim is not built (needs golang-go and "
                      "golang-github-vmware-govmomi-dev; or set RH_VCSIM)";
    }
    sim_ = testing::Vcsim::start({.faults = std::move(faults)}, tmp_.path() / "sim");
    lab_ = sim_->lab_config();
  }
  void TearDown() override {
    if (HasFailure() && sim_) std::cerr << "rh-vcsim said:\n" << sim_->output();
  }
  std::unique_ptr<VimClient> connect() {
    auto vim = std::make_unique<VimClient>(lab_.endpoint, lab_.tls, read_credentials(lab_));
    vim->login();
    return vim;
  }
  BootPlan plan() const {
    BootPlan p{.name = "smoke/static/vmxnet3", .nic = "vmxnet3", .rom = "/r/ipxe.rom"};
    p.guestinfo = {{"ipxe.ip", "10.0.0.5"}, {"ipxe.scriptlet", "chain http://10.0.0.1:8080/x"}};
    return p;
  }
  VmSpec spec(const LabPlacement& where, const std::string& name,
              const std::string& owner = this_process_owner()) const {
    return vm_spec_for(
        plan(), lab_, where,
        {.vm_name = name, .rom_file = "ipxe.rom", .run_id = "run-1", .owner = owner});
  }
  std::size_t lab_vms(VimClient& vim, const LabPlacement& where) const {
    return vms_with_prefix(vim, where.datacenter, lab_.vm_prefix).size();
  }
  // The error `f` throws, with the password checked absent from it.
  template <typename F>
  std::string setup_error(F f) {
    try {
      f();
    } catch (const SetupError& e) {
      std::string message = e.what();
      EXPECT_THAT(message, Not(HasSubstr(sim_->options().password)));
      return message;
    }
    ADD_FAILURE() << "no SetupError";
    return "";
  }

  rh::testing::TempDir tmp_;
  std::unique_ptr<testing::Vcsim> sim_;
  LabConfig lab_;
};

TEST_F(SimTest, BadPasswordIsInvalidLoginNamingUserAndEndpointNotThePassword) {
  start_sim();
  std::string message = setup_error([&] {
    VimClient vim(lab_.endpoint, lab_.tls, {.username = "rh-user", .password = Secret("wrong!")});
    vim.login();
  });
  EXPECT_THAT(message, HasSubstr("vSphere login to " + sim_->url() +
                                 " as 'rh-user' failed: InvalidLogin (Login failure)"));
  EXPECT_THAT(message, Not(HasSubstr("wrong!")));
}

TEST_F(SimTest, TlsIsVerifiedByDefaultAndInsecureOnlyWhenAsked) {
  start_sim();
  LabConfig system_store = lab_;
  system_store.tls.ca_bundle.clear();
  std::string message = setup_error(
      [&] { VimClient(system_store.endpoint, system_store.tls, read_credentials(lab_)).login(); });
  EXPECT_THAT(message, HasSubstr("certificate"));
  EXPECT_NO_THROW(connect());
  system_store.tls.insecure = true;
  EXPECT_NO_THROW(
      VimClient(system_store.endpoint, system_store.tls, read_credentials(lab_)).login());
}

TEST_F(SimTest, PlacementFindsEveryObjectByName) {
  start_sim();
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  EXPECT_EQ(where.datacenter.type, "Datacenter");
  EXPECT_EQ(where.datastore.type, "Datastore");
  EXPECT_EQ(where.network.type, "Network");
  EXPECT_EQ(where.pool.type, "ResourcePool");
  EXPECT_EQ(where.vm_folder.type, "Folder");
  lab_.network = "DC0_DVPG0";
  where = resolve_placement(*vim, lab_);
  EXPECT_EQ(where.network.type, "DistributedVirtualPortgroup");
  EXPECT_FALSE(where.dvs_uuid.empty());
  EXPECT_FALSE(where.portgroup_key.empty());
}

TEST_F(SimTest, MissingObjectsAreNamedWithWhatIsThere) {
  start_sim();
  auto vim = connect();
  LabConfig bad = lab_;
  bad.datastore = "NoSuchDS";
  EXPECT_THAT(setup_error([&] { resolve_placement(*vim, bad); }),
              HasSubstr("vSphere datastore 'NoSuchDS' not found in datacenter 'DC0' "
                        "(there are: LocalDS_0)"));
  bad = lab_;
  bad.datacenter = "DC9";
  EXPECT_THAT(setup_error([&] { resolve_placement(*vim, bad); }),
              HasSubstr("vSphere datacenter 'DC9' not found (there are: DC0)"));
  bad = lab_;
  bad.folder = "nope";
  bad.where["folder"] = "lab.yaml:9:9";
  EXPECT_THAT(setup_error([&] { resolve_placement(*vim, bad); }),
              HasSubstr("vSphere folder 'nope' not found in datacenter 'DC0'"));
}

// A sink the follower feeds and the test waits on (for a condition, never a time).
class Collected {
 public:
  void add(std::string_view bytes) {
    std::lock_guard lock(mu_);
    text_ += bytes;
    cv_.notify_all();
  }
  bool wait_for(const std::string& needle) {
    std::unique_lock lock(mu_);
    return cv_.wait_until(lock, Clock::now() + std::chrono::seconds(60),
                          [&] { return text_.find(needle) != std::string::npos; });
  }
  std::string text() {
    std::lock_guard lock(mu_);
    return text_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
};

TEST_F(SimTest, WholeFlowUploadCreateConfigurePowerFollowSerialDestroy) {
  start_sim();
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  std::size_t others = list_named(*vim, where.datacenter, {"VirtualMachine"}).size();

  auto vm = LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-1-flow"), lab_.task_timeout);
  EXPECT_EQ(vm->dir(), "rhsim-run-1-1-flow");
  std::string rom = rh::testing::pattern_bytes(70000);
  vm->upload("ipxe.rom", rom);

  // What the host keeps, read back through the API and the datastore.
  std::map<std::string, std::string> extra = vm->extra_config();
  EXPECT_EQ(extra["guestinfo.ipxe.ip"], "10.0.0.5");
  EXPECT_EQ(extra["guestinfo.ipxe.scriptlet"], "chain http://10.0.0.1:8080/x");
  EXPECT_EQ(extra["nx3bios.filename"], "ipxe.rom");
  EXPECT_EQ(extra["ethernet0.opromsize"], "262144");
  EXPECT_EQ(extra["romharness.run"], "run-1");
  EXPECT_EQ(extra["romharness.owner"], this_process_owner());
  EXPECT_EQ(extra["govcsim"], "TRUE");  // the simulator's own mark
  EXPECT_EQ(vm->fetch("ipxe.rom"), rom);
  ObjectContent hw = vim->retrieve_one(
      vm->ref(),
      {"config.hardware.numCPU", "config.hardware.memoryMB", "config.firmware", "config.guestId"},
      "the VM");
  EXPECT_EQ(hw.text("config.hardware.memoryMB"), "256");
  EXPECT_EQ(hw.text("config.firmware"), "bios");
  EXPECT_EQ(hw.text("config.guestId"), "otherGuest64");
  ASSERT_EQ(vm->serial_file(), "rhsim-run-1-1-flow/serial.log");

  vm->power_on();
  EXPECT_EQ(vm->power_state(), "poweredOn");
  Collected seen;
  FileFollower follower(
      files, vm->serial_file(), [&](std::string_view b) { seen.add(b); },
      std::chrono::milliseconds(20));
  // No guest runs: the test writes what a ROM would, in two steps.
  files.put(vm->serial_file(), "iPXE initialising devices...ok\n");
  ASSERT_TRUE(seen.wait_for("initialising devices...ok\n")) << seen.text();
  files.put(vm->serial_file(), "iPXE initialising devices...ok\nnet0: 10.0.0.5/24 gw 10.0.0.1\n");
  ASSERT_TRUE(seen.wait_for("gw 10.0.0.1\n")) << seen.text();
  follower.stop();
  EXPECT_EQ(seen.text(), "iPXE initialising devices...ok\nnet0: 10.0.0.5/24 gw 10.0.0.1\n");
  // The server really answers ranges (206 from the offset on, 416 past the end).
  HttpClient http(lab_.tls);
  HttpRequest from_31{.url = files.url(vm->serial_file()), .range_from = 31};
  from_31.headers = {"Cookie: " + vim->cookie()};
  HttpResponse part = http.request(from_31);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "net0: 10.0.0.5/24 gw 10.0.0.1\n");
  from_31.range_from = 61;
  EXPECT_EQ(http.request(from_31).status, 416);
  EXPECT_GE(follower.reads(), 2);
  EXPECT_EQ(follower.last_error(), std::nullopt);

  vm->power_off();
  EXPECT_EQ(vm->power_state(), "poweredOff");
  std::optional<std::string> log = vm->fetch("vmware.log");
  ASSERT_TRUE(log);
  EXPECT_THAT(*log, HasSubstr("created"));  // the simulator's own vmware.log lines
  vm->destroy();
  EXPECT_EQ(lab_vms(*vim, where), 0U);
  EXPECT_EQ(list_named(*vim, where.datacenter, {"VirtualMachine"}).size(), others);
  EXPECT_EQ(files.get("rhsim-run-1-1-flow/ipxe.rom"), std::nullopt);  // its directory went too
}

TEST_F(SimTest, DestructorDestroysAVmLeftByAnError) {
  start_sim();
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  try {
    auto vm =
        LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-2-err"), lab_.task_timeout);
    vm->power_on();
    throw std::runtime_error("the boot failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(lab_vms(*vim, where), 0U);
}

TEST_F(SimTest, FailedPowerOnTaskIsNamedAndLeavesNoVm) {
  start_sim({"poweron-task"});
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  std::string message = setup_error([&] {
    auto vm =
        LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-3-pwr"), lab_.task_timeout);
    vm->power_on();
  });
  EXPECT_THAT(message, HasSubstr("vSphere task VirtualMachine.powerOn on VM 'rhsim-run-1-3-pwr'"));
  EXPECT_THAT(message, HasSubstr("failed: InsufficientResourcesFault"));
  EXPECT_EQ(lab_vms(*vim, where), 0U);
}

TEST_F(SimTest, SessionExpiryMidRunIsRetriedOnceWithANewLogin) {
  start_sim({"session-expiry"});
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  auto vm = LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-4-exp"), lab_.task_timeout);
  EXPECT_EQ(vim->logins(), 1);
  vm->power_on();  // the session expires here; a new login and one retry
  EXPECT_EQ(vim->logins(), 2);
  EXPECT_EQ(vm->power_state(), "poweredOn");
  vm->destroy();
  EXPECT_EQ(lab_vms(*vim, where), 0U);
}

TEST_F(SimTest, SessionThatExpiresAgainIsAClearErrorAndLeavesNoVm) {
  start_sim({"session-expiry-always"});
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  std::string message = setup_error([&] {
    auto vm =
        LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-5-exp"), lab_.task_timeout);
    vm->power_on();
  });
  EXPECT_THAT(message, HasSubstr("vSphere PowerOnVM_Task on VM 'rhsim-run-1-5-exp'"));
  EXPECT_THAT(message, HasSubstr("NotAuthenticated (The session is not authenticated.), again "
                                 "right after a new login"));
  EXPECT_EQ(lab_vms(*vim, where), 0U);
}

TEST_F(SimTest, Http5xxOnUploadIsNamedAndLeavesNoVm) {
  start_sim({"upload-5xx"});
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  std::string message = setup_error([&] {
    auto vm = LabVm::create(*vim, files, where, spec(where, "rhsim-run-1-6-up"), lab_.task_timeout);
    vm->upload("ipxe.rom", "rom bytes");
  });
  EXPECT_EQ(message,
            "vSphere datastore file upload of '[LocalDS_0] rhsim-run-1-6-up/ipxe.rom' (datacenter "
            "'DC0') failed: HTTP 503");
  EXPECT_EQ(lab_vms(*vim, where), 0U);
}

std::string gone_owner() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return this_host_name() + ":" + std::to_string(child) + ":1";
}

TEST_F(SimTest, SweepRemovesOnlyVmsWhoseOwnerOnThisHostIsGone) {
  start_sim();
  auto vim = connect();
  LabPlacement where = resolve_placement(*vim, lab_);
  DatastoreFiles files(*vim, where.datacenter_path, where.datastore_name);
  std::size_t others = list_named(*vim, where.datacenter, {"VirtualMachine"}).size();
  std::vector<std::unique_ptr<LabVm>> vms;
  auto leave = [&](const std::string& name, const std::string& owner) {
    vms.push_back(LabVm::create(*vim, files, where, spec(where, name, owner), lab_.task_timeout));
    vms.back()->power_on();
  };
  leave("rhsim-crashed", gone_owner());
  leave("rhsim-running", this_process_owner());
  leave("rhsim-elsewhere", "ci-other.invalid:4242:1");

  SweepReport report = sweep_lab_leftovers(lab_);
  EXPECT_EQ(report.removed, std::vector<std::string>{"rhsim-crashed"});
  EXPECT_THAT(report.kept,
              ::testing::UnorderedElementsAre(HasSubstr("rhsim-running: its run is still going"),
                                              HasSubstr("rhsim-elsewhere: made on another host")));
  EXPECT_EQ(lab_vms(*vim, where), 2U);
  EXPECT_TRUE(vms[0]->destroyed() || true);
  vms.clear();  // the owners clean up their own
  EXPECT_EQ(lab_vms(*vim, where), 0U);
  EXPECT_EQ(list_named(*vim, where.datacenter, {"VirtualMachine"}).size(), others);
}

}  // namespace
}  // namespace rh::vsphere
