#include "harness/core/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "harness/core/error.h"

namespace rh {
namespace {

using std::chrono::milliseconds;

TEST(Process, CapturesOutputAndExitCode) {
  const CommandOutput r =
      run_command({"sh", "-c", "echo out; echo err >&2; exit 3"}, milliseconds(5000));
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 3);
  EXPECT_EQ(r.status.describe(), "exit status 3");
}

TEST(Process, TimeoutStopsTheWholeGroup) {
  const CommandOutput r = run_command({"sh", "-c", "sleep 30 & sleep 30; wait"}, milliseconds(200));
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.status.exited);
  EXPECT_EQ(r.status.signal, SIGTERM);
}

TEST(Process, StopEscalatesToKill) {
  Process p = Process::start({.argv = {"sh", "-c", "trap '' TERM; sleep 30"}});
  std::this_thread::sleep_for(milliseconds(100));
  const ExitStatus st = p.stop(milliseconds(200));
  EXPECT_EQ(st.signal, SIGKILL) << st.describe();
  EXPECT_TRUE(wait_group_empty(p.pid(), milliseconds(2000))) << "process group still has members";
}

TEST(Process, MissingProgramIsASetupError) {
  EXPECT_THROW(Process::start({.argv = {"no-such-program-romharness"}}), SetupError);
}

TEST(Process, ShellQuote) {
  EXPECT_EQ(shell_quote({"qemu", "-name", "a b", "it's", "x=1,y"}),
            "qemu -name 'a b' 'it'\\''s' x=1,y");
}

}  // namespace
}  // namespace rh
