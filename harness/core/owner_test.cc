#include "harness/core/owner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rh {
namespace {

TEST(Owner, ThisProcessIsRunning) {
  EXPECT_EQ(owner_state(this_process_owner()), OwnerState::kRunning);
}

TEST(Owner, AReapedChildIsGone) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(owner_state(this_host_name() + ":" + std::to_string(child) + ":1"), OwnerState::kGone);
}

TEST(Owner, ALivePidThatStartedAtAnotherTimeIsAReusedPid) {
  std::string tag = this_host_name() + ":" + std::to_string(getpid()) + ":1";
  EXPECT_EQ(owner_state(tag), OwnerState::kGone);
}

TEST(Owner, OtherHostsAndGarbageAreNeverGone) {
  EXPECT_EQ(owner_state("some-other-host.invalid:1:1"), OwnerState::kOtherHost);
  EXPECT_EQ(owner_state("nonsense"), OwnerState::kUnreadable);
  EXPECT_EQ(owner_state(this_host_name() + ":x:1"), OwnerState::kUnreadable);
}

}  // namespace
}  // namespace rh
