// The libvirt pieces against a real libvirtd on qemu:///system
// (ci/services/libvirt start) with the patched QEMU: iPXE on the live
// console stream, a connection killed mid-boot, the sweep after a SIGKILL,
// uploads through the storage API. Every test leaves no domain behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/domain_plan.h"
#include "harness/vm/libvirt/file_stage.h"
#include "harness/vm/libvirt/host_pool.h"
#include "harness/vm/libvirt/libvirt_domain.h"
#include "harness/vm/libvirt/live_test_support.h"
#include "harness/vm/libvirt/private_resolver.h"
#include "harness/vm/libvirt/sweep.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::eventually;
using testing::wait_for_line;
constexpr const char* kTestPool = "romharness-test";
const fs::path kPoolDir = "/var/lib/libvirt/romharness-test-pool";

std::string my_prefix() { return std::string(kDomainPrefix) + DomainOwner::self("").token() + "_"; }

bool has_event(const std::vector<VmEvent>& events, VmEvent::Kind kind, const std::string& name) {
  for (const auto& e : events) {
    if (e.kind == kind && (name.empty() || e.name == name)) return true;
  }
  return false;
}

class LibvirtLive : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::live_libvirt_missing()) GTEST_SKIP() << *why;
    conn_ = LibvirtConnection::open(testing::kSystemUri);
  }
  void TearDown() override {
    if (!conn_) return;
    for (const auto& name : testing::domains_named(my_prefix())) {
      ADD_FAILURE() << "domain left behind: " << name;
      DomainHandle d(virDomainLookupByName(conn_->get(), name.c_str()));
      if (d) virDomainDestroy(d.get());
    }
  }

  std::unique_ptr<LocalStage> local_stage(const std::string& name) {
    return LocalStage::create(testing::kTestStageRoot, name, qemu_user(conn_->get(), "qemu"));
  }

  // A transient dir pool, as a remote host's pool= names one.
  void ensure_pool(const std::string& pool = kTestPool) {
    if (virStoragePoolPtr p = virStoragePoolLookupByName(conn_->get(), pool.c_str())) {
      virStoragePoolFree(p);
      return;
    }
    const fs::path dir = kPoolDir.string() + pool.substr(std::string(kTestPool).size());
    fs::create_directories(dir);
    const std::string xml = "<pool type='dir'><name>" + pool + "</name><target><path>" +
                            dir.string() + "</path></target></pool>";
    virStoragePoolPtr p = virStoragePoolCreateXML(conn_->get(), xml.c_str(), 0);
    ASSERT_NE(p, nullptr) << libvirt_error("pool " + pool);
    virStoragePoolFree(p);
  }

  // Places no other test sweeps: every libvirt run sweeps the stage root it
  // is given, and two sweeps at once take each other's leftovers.
  SweepPlaces own_places(const std::string& tag) {
    SweepPlaces places{.stage_root = testing::kTestStageRoot / ("sweep-" + tag),
                       .pool = std::string(kTestPool) + "-" + tag};
    ensure_pool(places.pool);
    return places;
  }

  // Starts libvirt_owner_child on `places`, waits for its domain and
  // SIGKILLs it; returns the domain's name, "" when it never started.
  std::string kill_an_owner(const SweepPlaces& places, bool autodestroy) {
    const fs::path out = tmp_.path() / "child.out";
    Process child = Process::start(
        {.argv = {RH_OWNER_CHILD, places.pool, places.stage_root.string(), autodestroy ? "1" : "0"},
         .stdout_path = out,
         .stderr_path = out});
    std::string domain;
    const bool started = eventually([&] {
      std::ifstream in(out);
      return std::getline(in, domain) && domain.starts_with(kDomainPrefix);
    });
    child.signal_group(SIGKILL);
    child.wait_for(60s);
    return started ? domain : "";
  }

  std::unique_ptr<LibvirtDomain> boot(const BootPlan& plan, FileStage& stage, bool outputs,
                                      const std::string& name, LibvirtConnection* via = nullptr) {
    const StagedFiles files = stage_plan(plan, stage, {},
                                         {.emulator = testing::staged_emulator(),
                                          .efi_loader = "/usr/share/ovmf/OVMF.fd",
                                          .outputs = outputs});
    const DomainOwner me = DomainOwner::self("live-test", plan.name);
    const std::string xml = build_domain_xml(
        domain_spec(plan, {.name = name, .metadata_xml = owner_metadata(me)}, files));
    auto conn = LibvirtConnection::open(via != nullptr ? via->uri() : testing::kSystemUri);
    return LibvirtDomain::start(
        std::move(conn), {.name = name, .xml = xml, .console_file = tmp_.path() / "serial.log"});
  }

  std::string next_name(const std::string& scenario) {
    static int seq = 0;
    return domain_name(DomainOwner::self(""), ++seq, scenario);
  }

  std::unique_ptr<LibvirtConnection> conn_;
  testing::TempDir tmp_;
};

TEST_F(LibvirtLive, BootsIpxeWithOurNetdevAndSeesItOnTheConsoleStream) {
  BootPlan plan{.name = "live/e1000-dhcp-bootfile",
                .nic = "e1000",
                .rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom"};
  // The boot file comes from slirp's DHCP server: only our own netdev can
  // offer it. Nothing listens on port 9; iPXE printing the URL is the proof.
  plan.network.boot_url = "http://10.0.2.2:9/romharness-live.ipxe";
  const std::string name = next_name(plan.name);
  auto stage = local_stage(name);
  auto dom = boot(plan, *stage, true, name);
  EXPECT_NE(wait_for_line(dom->console(), "iPXE"), "");
  EXPECT_NE(wait_for_line(dom->console(), "romharness-live.ipxe"), "")
      << "tail: " << dom->console().tail(5).back();
  EXPECT_TRUE(eventually([&] { return !dom->exited(); }));
  const auto events = dom->poll_events();
  EXPECT_TRUE(has_event(events, VmEvent::Kind::kPower, "running"));
  EXPECT_EQ(dom->stop(), "domain destroyed");
  EXPECT_TRUE(stage->collect("capture.pcap", tmp_.path() / "capture.pcap"))
      << "QEMU wrote no capture into " << stage->describe();
  EXPECT_GT(fs::file_size(tmp_.path() / "capture.pcap"), 24U);  // more than the pcap header
  stage->remove();
  EXPECT_FALSE(fs::exists(stage->describe()));
}

TEST_F(LibvirtLive, BootsFromAStoragePoolUploadOnLibvirtsOwnNetwork) {
  ensure_pool();
  BootPlan plan{
      .name = "live/vmxnet3-pool", .nic = "vmxnet3", .rom = "/usr/lib/ipxe/qemu/pxe-vmxnet3.rom"};
  plan.link_up_after = 1ms;  // starts down; the test raises it
  const std::string name = next_name(plan.name);
  auto stage = std::make_unique<PoolStage>(conn_->get(), kTestPool, name);
  auto dom = boot(plan, *stage, false, name);
  EXPECT_NE(dom->live_xml().find("<link state='down'/>"), std::string::npos);
  dom->set_link(true);
  EXPECT_NE(dom->live_xml().find("<link state='up'/>"), std::string::npos);
  EXPECT_NE(wait_for_line(dom->console(), "iPXE"), "");
  EXPECT_EQ(dom->stop(), "domain destroyed");
  EXPECT_TRUE(fs::exists(kPoolDir / staged_name(name, "rom")));
  stage.reset();  // deletes its volumes
  for (const auto& entry : fs::directory_iterator(kPoolDir)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(name)) << "left: " << entry.path();
  }
}

TEST_F(LibvirtLive, LostConnectionReportsHostLostAndTheDomainIsStillDestroyed) {
  testing::LibvirtProxy proxy(tmp_.path());
  const std::string uri = proxy.uri();
  HostPool pool({{.uri = uri, .slots = 1}});

  const std::string name = next_name("live/host-lost");
  auto stage = local_stage(name);
  const auto sercon = stage->put_bytes(std::string("\xf8\x03", 2), "sercon-port");
  auto dom = LibvirtDomain::start(
      LibvirtConnection::open(uri),
      {.name = name,
       .xml = testing::idle_domain_xml(name, owner_metadata(DomainOwner::self("t")), sercon),
       .on_host_lost = [&](const std::string& why) { pool.mark_dead(uri, why); }});
  ASSERT_NE(wait_for_line(dom->console(), "SeaBIOS"), "") << "not mid-boot";

  ASSERT_GE(proxy.cut(), 1);

  std::vector<VmEvent> events;
  EXPECT_TRUE(eventually([&] {
    for (auto& e : dom->poll_events()) events.push_back(e);
    return has_event(events, VmEvent::Kind::kHostLost, "");
  }));
  ASSERT_TRUE(dom->exited());
  EXPECT_EQ(dom->exited()->rfind("host lost: ", 0), 0U) << *dom->exited();
  EXPECT_FALSE(pool.healthy(uri));
  const std::string how = dom->stop();
  EXPECT_NE(how.find("host lost;"), std::string::npos) << how;
  EXPECT_TRUE(eventually([&] { return testing::domains_named(name).empty(); }))
      << "domain still there after: " << how;
  stage->remove();
}

// A dead owner's domain is host-wide: a libvirt run in another test may
// sweep it first, so the test asks that it is gone, not who took it. Its
// staged files and volumes are in places only this test sweeps.
TEST_F(LibvirtLive, SweepRemovesOnlyLeftoversOfDeadOwners) {
  const SweepPlaces places = own_places("sweep");
  const std::string child_domain = kill_an_owner(places, /*autodestroy=*/false);
  ASSERT_NE(child_domain, "") << "the owner child never started a domain";

  // Ours (alive) and another machine's: both must stay.
  const DomainOwner me = DomainOwner::self("sweep-test");
  DomainOwner foreign = me;
  foreign.host = "another-machine";
  const std::string mine = next_name("sweep/mine");
  const std::string theirs = my_prefix() + "99_sweep.foreign";
  auto stage = local_stage(mine);
  const auto sercon = stage->put_bytes(std::string("\xf8\x03", 2), "sercon-port");
  for (const auto& [name, owner] : {std::pair{mine, me}, std::pair{theirs, foreign}}) {
    DomainHandle d(virDomainCreateXML(
        conn_->get(), testing::idle_domain_xml(name, owner_metadata(owner), sercon).c_str(),
        VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY));
    ASSERT_TRUE(d) << libvirt_error("create " + name);
  }

  const SweepResult r = sweep_leftovers(conn_->get(), owner_host_name(), places);
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  const auto removed = [&](const std::string& what) {
    return std::find(r.removed.begin(), r.removed.end(), what) != r.removed.end();
  };
  EXPECT_TRUE(testing::domains_named(child_domain).empty()) << "a dead owner's domain stayed";
  EXPECT_TRUE(removed("staged " + (places.stage_root / child_domain).string()));
  EXPECT_TRUE(removed("volume " + staged_name(child_domain, "marker")));
  for (const auto& what : r.removed) {
    EXPECT_EQ(what.find("sweep.mine"), std::string::npos) << "removed a live owner's " << what;
    EXPECT_EQ(what.find("sweep.foreign"), std::string::npos) << "removed a foreign " << what;
  }
  EXPECT_EQ(testing::domains_named(mine).size(), 1U);
  EXPECT_EQ(testing::domains_named(theirs).size(), 1U);
  EXPECT_TRUE(fs::exists(stage->describe()));

  for (const auto& name : {mine, theirs}) {
    DomainHandle d(virDomainLookupByName(conn_->get(), name.c_str()));
    if (d) virDomainDestroy(d.get());
  }
  stage->remove();
}

TEST_F(LibvirtLive, AutodestroyEndsTheDomainOfAKilledOwner) {
  const SweepPlaces places = own_places("autodestroy");
  const std::string child_domain = kill_an_owner(places, /*autodestroy=*/true);
  ASSERT_NE(child_domain, "") << "the owner child never started a domain";
  EXPECT_TRUE(eventually([&] { return testing::domains_named(child_domain).empty(); }));
  // Its staged files outlive it; the sweep takes them.
  const SweepResult r = sweep_leftovers(conn_->get(), owner_host_name(), places);
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  const auto removed = [&](const std::string& what) {
    return std::find(r.removed.begin(), r.removed.end(), what) != r.removed.end();
  };
  EXPECT_TRUE(removed("staged " + (places.stage_root / child_domain).string()));
  EXPECT_TRUE(removed("volume " + staged_name(child_domain, "marker")));
}

// What dns_names rest on: the domain's QEMU, and only it, sees our
// resolv.conf (libslirp forwards the guest's queries to its nameserver).
// A daemon without mount namespaces (ci/services/libvirt in a chroot) must
// refuse instead, leaving the machine's resolv.conf and no domain behind.
TEST_F(LibvirtLive, APausedDomainsQemuGetsAResolvConfOfItsOwn) {
  const std::string name = next_name("live/resolver");
  auto stage = local_stage(name);
  const auto sercon = stage->put_bytes(std::string("\xf8\x03", 2), "sercon-port");
  const auto conf = stage->put_bytes("nameserver 127.77.250.9\n", "resolv.conf");
  std::ifstream host_before("/etc/resolv.conf");
  const std::string machine_conf{std::istreambuf_iterator<char>(host_before), {}};
  const DomainStart start{
      .name = name,
      .xml = testing::idle_domain_xml(name, owner_metadata(DomainOwner::self("t")), sercon),
      .before_resume = [&] { give_private_resolv_conf(name, conf); }};

  if (qemu_mount_namespaces_off()) {
    try {
      LibvirtDomain::start(LibvirtConnection::open(testing::kSystemUri), start);
      ADD_FAILURE() << "a QEMU in the machine's mount namespace was given a resolv.conf";
    } catch (const SetupError& e) {
      EXPECT_NE(std::string(e.what()).find("mount namespace"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(testing::domains_named(name).empty());
    std::ifstream host_after("/etc/resolv.conf");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(host_after), {}), machine_conf);
    stage->remove();
    return;
  }
  auto dom = LibvirtDomain::start(LibvirtConnection::open(testing::kSystemUri), start);
  const pid_t qemu = local_qemu_pid(name);
  const CommandOutput seen =
      run_command({"nsenter", "--mount=/proc/" + std::to_string(qemu) + "/ns/mnt", "--", "cat",
                   "/etc/resolv.conf"},
                  20s);
  EXPECT_EQ(seen.out, "nameserver 127.77.250.9\n") << seen.err;
  std::ifstream host_after("/etc/resolv.conf");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(host_after), {}), machine_conf)
      << "the machine's resolv.conf changed";
  EXPECT_EQ(dom->stop(), "domain destroyed");
  stage->remove();
}

TEST_F(LibvirtLive, StartFailureCarriesLibvirtsReasonAndLeavesNothing) {
  const std::string name = next_name("live/bad-emulator");
  DomainSpec s{.name = name, .emulator = "/nonexistent/qemu-system-x86_64"};
  s.network.mode = NetworkMode::kNone;
  try {
    LibvirtDomain::start(LibvirtConnection::open(testing::kSystemUri),
                         {.name = name, .xml = build_domain_xml(s)});
    FAIL() << "started";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/qemu-system-x86_64"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(testing::domains_named(name).empty());
}

TEST_F(LibvirtLive, ConnectingToNoDaemonSaysHowToStartIt) {
  try {
    LibvirtConnection::open("qemu+unix:///system?socket=" + (tmp_.path() / "none.sock").string());
    FAIL() << "connected";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("ci/services/libvirt start"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace rh
