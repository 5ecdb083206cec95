#include "harness/core/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>

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

TEST(Process, ChildrenDoNotInheritABlockedSigterm) {
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &term, &old);
  Process p = Process::start({.argv = {"sleep", "30"}});
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(p.stop(milliseconds(2000)).signal, SIGTERM) << "SIGTERM was blocked in the child";
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

namespace rh {
namespace {

TEST(Process, BindMountsAreTheChildsOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "bind mounts in a private namespace need root";
  const std::filesystem::path mine =
      std::filesystem::temp_directory_path() / ("rh-resolv-" + std::to_string(::getpid()));
  { std::ofstream(mine) << "nameserver 127.77.0.53\n"; }
  const std::filesystem::path out = mine.string() + ".out";
  Process p = Process::start({.argv = {"cat", "/etc/resolv.conf"},
                              .stdout_path = out,
                              .bind_mounts = {{mine, "/etc/resolv.conf"}}});
  ASSERT_TRUE(p.wait_for(std::chrono::seconds(5)));
  std::ifstream in(out);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "nameserver 127.77.0.53");
  std::ifstream host("/etc/resolv.conf");
  std::string host_first;
  std::getline(host, host_first);
  EXPECT_NE(host_first, "nameserver 127.77.0.53") << "the mount leaked to the host";
  std::filesystem::remove(mine);
  std::filesystem::remove(out);
}

}  // namespace
}  // namespace rh
