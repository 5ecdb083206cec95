#include "harness/vm/libvirt/host_pool.h"

#include <gtest/gtest.h>

#include <future>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_hosts(text, "hosts.txt");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

HostPool::Probe never_answers() {
  return [](const HostEntry&) { return std::string("down"); };
}

TEST(HostsFile, ParsesHostsWithKeys) {
  const auto hosts = parse_hosts(
      "# lab\n"
      "qemu:///system slots=2\n"
      "\n"
      "qemu+ssh://lab-3/system  slots=4 pool=rh emulator=/opt/rh/qemu ovmf=/fw/OVMF.fd # big\n",
      "hosts.txt");
  ASSERT_EQ(hosts.size(), 2U);
  EXPECT_EQ(hosts[0].uri, "qemu:///system");
  EXPECT_EQ(hosts[0].slots, 2);
  EXPECT_TRUE(hosts[0].local());
  EXPECT_EQ(hosts[1].pool, "rh");
  EXPECT_EQ(hosts[1].emulator, "/opt/rh/qemu");
  EXPECT_EQ(hosts[1].where, "hosts.txt:4");
  EXPECT_FALSE(hosts[1].local());
}

TEST(HostsFile, ErrorsNameLineAndValue) {
  EXPECT_EQ(error_of("qemu:///system slots=0\n"),
            "hosts.txt:1: slots must be a number from 1 to 1024, got '0'");
  EXPECT_NE(error_of("\nqemu:///system colour=red\n").find("hosts.txt:2: unknown key 'colour'"),
            std::string::npos);
  EXPECT_NE(error_of("lab-3\n").find("hosts.txt:1: 'lab-3' is not a libvirt URI"),
            std::string::npos);
  EXPECT_NE(error_of("qemu+ssh://lab/system slots=1\n").find("needs pool=NAME"), std::string::npos);
  EXPECT_NE(error_of("qemu:///system\nqemu:///system\n")
                .find("hosts.txt:2: host 'qemu:///system' is listed twice"),
            std::string::npos);
  EXPECT_EQ(error_of("# nothing\n"), "hosts.txt: no hosts listed");
}

TEST(HostsFile, LocalUris) {
  EXPECT_TRUE(is_local_uri("qemu:///system"));
  EXPECT_TRUE(is_local_uri("qemu+unix:///system?socket=/tmp/p.sock"));
  EXPECT_FALSE(is_local_uri("qemu+ssh://lab-3/system"));
  EXPECT_FALSE(is_local_uri("qemu+tcp://localhost/system"));
  EXPECT_FALSE(is_local_uri("qemu+unix://lab/system"));
}

std::vector<HostEntry> two_hosts() {
  return {{.uri = "a:///x", .slots = 1}, {.uri = "b:///x", .slots = 3}};
}

TEST(HostPool, LeastLoadedFirstByShareOfSlots) {
  HostPool pool(two_hosts());
  auto l1 = pool.acquire(never_answers());
  ASSERT_TRUE(l1);
  EXPECT_EQ(l1->host().uri, "a:///x");  // both empty: file order
  auto l2 = pool.acquire(never_answers());
  EXPECT_EQ(l2->host().uri, "b:///x");  // a is full
  auto l3 = pool.acquire(never_answers());
  EXPECT_EQ(l3->host().uri, "b:///x");
  EXPECT_EQ(pool.in_flight("b:///x"), 2);
  l1.reset();
  // a: 0/1, b: 2/3: a is less loaded.
  EXPECT_EQ(pool.acquire(never_answers())->host().uri, "a:///x");
}

TEST(HostPool, DeadHostIsSkippedAndRetryGoesElsewhere) {
  HostPool pool(two_hosts());
  auto first = pool.acquire(never_answers());
  ASSERT_EQ(first->host().uri, "a:///x");
  pool.mark_dead("a:///x", "keepalive timeout");
  first.reset();
  EXPECT_FALSE(pool.healthy("a:///x"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(pool.acquire(never_answers())->host().uri, "b:///x");
}

TEST(HostPool, AllDeadProbesThenGivesUpWithReasons) {
  HostPool pool(two_hosts());
  pool.mark_dead("a:///x", "eof");
  pool.mark_dead("b:///x", "eof");
  std::string why;
  EXPECT_FALSE(pool.acquire(never_answers(), &why));
  EXPECT_EQ(why, "a:///x: down; b:///x: down");
  // One answers again: it is used.
  auto lease = pool.acquire(
      [](const HostEntry& h) { return h.uri == "b:///x" ? std::string() : std::string("down"); });
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->host().uri, "b:///x");
}

TEST(HostPool, WaitsForAFreeSlot) {
  HostPool pool({{.uri = "a:///x", .slots = 1}});
  auto held = pool.acquire(never_answers());
  auto waiting =
      std::async(std::launch::async, [&] { return pool.acquire(never_answers())->host().uri; });
  held.reset();  // the waiter gets the slot whenever it asked
  EXPECT_EQ(waiting.get(), "a:///x");
}

TEST(HostPool, WaiterGivesUpWhenItsOnlyHostDies) {
  HostPool pool({{.uri = "a:///x", .slots = 1}});
  auto held = pool.acquire(never_answers());
  auto waiting = std::async(std::launch::async, [&] {
    std::string why;
    return pool.acquire(never_answers(), &why).has_value();
  });
  pool.mark_dead("a:///x", "eof");
  EXPECT_FALSE(waiting.get());
}

}  // namespace
}  // namespace rh
