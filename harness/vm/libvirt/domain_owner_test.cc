#include "harness/vm/libvirt/domain_owner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rh {
namespace {

TEST(DomainOwner, NameCarriesTheOwner) {
  const DomainOwner me{.host = "ci-7", .pid = 4123, .start = 98231};
  const std::string name = domain_name(me, 3, "Smoke/dhcp linux/e1000_bios");
  EXPECT_EQ(name, "romharness_ci-7_4123_98231_3_smoke.dhcp-linux.e1000-bios");
  const auto back = owner_from_name(name);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->host, "ci-7");
  EXPECT_EQ(back->pid, 4123);
  EXPECT_EQ(back->start, 98231U);
  // A staged file's name parses to the same owner.
  EXPECT_EQ(owner_from_name(name + "-rom")->pid, 4123);
}

TEST(DomainOwner, ForeignNamesAreNotOurs) {
  EXPECT_FALSE(owner_from_name("debian12"));
  EXPECT_FALSE(owner_from_name("romharness_ci_x_1_2_a"));
  EXPECT_FALSE(owner_from_name("romharness_ci_1_2"));
  EXPECT_FALSE(owner_from_name("romharness__1_2_3_a"));
}

TEST(DomainOwner, MetadataRoundTripsAsLibvirtReturnsIt) {
  const DomainOwner me{.host = "ci", .pid = 7, .start = 9, .run_id = "r'1", .scenario = "a&b"};
  const std::string element = owner_metadata(me);
  EXPECT_NE(element.find("xmlns:rh='urn:romharness:run:1'"), std::string::npos);
  // libvirt hands the element back without our prefix, in double quotes.
  const auto back = owner_from_metadata(
      R"(<run host="ci" pid="7" start="9" run="r&apos;1" scenario="a&amp;b"/>)");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->run_id, "r'1");
  EXPECT_EQ(back->scenario, "a&b");
  EXPECT_EQ(owner_from_metadata(element)->pid, 7);
  EXPECT_FALSE(owner_from_metadata("<run host='ci'/>"));
}

TEST(DomainOwner, LiveGoneAndElsewhere) {
  const DomainOwner me = DomainOwner::self("run");
  EXPECT_GT(me.start, 0U);
  EXPECT_EQ(owner_state(me, me.host), OwnerState::kAlive);
  EXPECT_EQ(owner_state(me, "another-machine"), OwnerState::kElsewhere);

  DomainOwner reused = me;
  reused.start = me.start + 1;  // same pid, another process
  EXPECT_EQ(owner_state(reused, me.host), OwnerState::kGone);

  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  DomainOwner dead = me;
  dead.pid = child;
  EXPECT_EQ(owner_state(dead, me.host), OwnerState::kGone);
}

}  // namespace
}  // namespace rh
