// Child processes, started from an argument vector (never a shell string),
// each in its own process group with a parent-death signal, stopped
// gracefully then killed, always reaped. Built on Boost.Process.
//
//   ProcessSpec spec{.argv = {"qemu-system-x86_64", "-nodefaults"},
//                    .stdout_path = dir / "qemu.stdout", .stderr_path = dir / "qemu.stderr"};
//   Process qemu = Process::start(spec);
//   ...
//   ExitStatus st = qemu.stop(std::chrono::seconds(3));  // SIGTERM, wait, SIGKILL
//
// PR_SET_PDEATHSIG fires when the *thread* that started the child exits, so
// start a child from the thread that also stops it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rh {

struct ExitStatus {
  bool exited = false;  // normal exit; `code` is valid
  int code = 0;
  int signal = 0;  // killed by this signal when !exited
  bool ok() const { return exited && code == 0; }
  std::string describe() const;  // "exit status 1", "killed by signal 9 (Killed)"
};

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH if not a path
  std::filesystem::path cwd;               // empty: inherit
  std::map<std::string, std::string> env;  // added to (or replacing) the inherited environment
  std::filesystem::path stdin_path;        // empty: /dev/null
  std::filesystem::path stdout_path;       // empty: /dev/null
  std::filesystem::path stderr_path;       // empty: /dev/null
  // Files bind-mounted over others in a private mount namespace of the child
  // only (needs root), e.g. its own /etc/resolv.conf. Source -> target.
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> bind_mounts;
  // Sent to the child when the thread that started it dies (PR_SET_PDEATHSIG).
  int parent_death_signal = 9;  // SIGKILL
};

class Process {
 public:
  // Throws SetupError naming argv[0] when it cannot be started.
  static Process start(const ProcessSpec& spec);

  Process(Process&&) noexcept;
  Process& operator=(Process&&) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // safety net: kills the group and reaps

  pid_t pid() const;
  bool running();
  std::optional<ExitStatus> exit_status();  // set once the process has been reaped
  // Waits up to `timeout`; nullopt if it is still running.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  // SIGTERM to the group, wait `grace`, SIGKILL to the group, reap.
  ExitStatus stop(std::chrono::milliseconds grace);
  void signal_group(int sig);

 private:
  struct Impl;
  explicit Process(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct CommandOutput {
  ExitStatus status;
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Runs to completion (or `timeout`, then stops it), capturing stdout/stderr.
CommandOutput run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::filesystem::path& cwd = {},
                          const std::map<std::string, std::string>& env = {});

// True once no process of group `pgid` is left (zombies reparented to init
// count until init reaps them), polling up to `timeout`.
bool wait_group_empty(pid_t pgid, std::chrono::milliseconds timeout);

// "a 'b c'": an argv quoted for display and for pasting into a POSIX shell.
std::string shell_quote(const std::vector<std::string>& argv);

// `name` looked up in PATH as a shell would; empty when it is not there.
std::filesystem::path find_in_path(const std::string& name);

}  // namespace rh
