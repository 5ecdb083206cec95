#include "harness/core/process.h"

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/core/error.h"

namespace bp = boost::process;

namespace rh {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(5);

// Runs in the child between fork and exec: its own process group (so the
// whole tree can be signalled), and death when the starting thread dies.
struct GroupAndDeathSignal : bp::extend::handler {
  explicit GroupAndDeathSignal(int signal) : death_signal(signal) {}
  int death_signal;
  pid_t parent = ::getpid();  // constructed in the parent, before the fork

  template <typename Executor>
  void on_exec_setup(Executor& /*exec*/) const {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, death_signal);
    // A signal mask survives exec: the run blocks SIGINT/SIGTERM in its own
    // threads (a signal thread waits for them), and children must not inherit
    // that, or a graceful SIGTERM would never arrive.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // A parent killed between the fork and the prctl sends no signal: the
    // child, already adopted, would run on forever (a SIGKILLed run with VMs
    // starting left a QEMU behind). Checked after the prctl, so a parent
    // that dies later is covered by the signal.
    if (death_signal != 0 && ::getppid() != parent) ::_exit(128 + death_signal);
  }
};

// Also between fork and exec (so only syscalls, no allocation): a private
// mount namespace with the requested bind mounts. Runs after the stdio
// redirections, so a failure is explained in the child's stderr file.
struct BindMounts : bp::extend::handler {
  std::vector<std::pair<std::string, std::string>> mounts;

  template <typename Executor>
  void on_exec_setup(Executor& /*exec*/) const {
    if (mounts.empty()) return;
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      fail("cannot create a private mount namespace (needs root)");
    }
    for (const auto& [source, target] : mounts) {
      if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
        fail("cannot bind-mount a file over the target");
      }
    }
  }

  [[noreturn]] static void fail(const char* what) {
    const char prefix[] = "romharness: ";
    (void)!::write(STDERR_FILENO, prefix, sizeof prefix - 1);
    (void)!::write(STDERR_FILENO, what, std::strlen(what));
    (void)!::write(STDERR_FILENO, "\n", 1);
    ::_exit(126);
  }
};

ExitStatus decode_status(int native) {
  ExitStatus st;
  if (WIFEXITED(native)) {
    st.exited = true;
    st.code = WEXITSTATUS(native);
  } else if (WIFSIGNALED(native)) {
    st.signal = WTERMSIG(native);
  }
  return st;
}

bp::environment make_env(const std::map<std::string, std::string>& extra) {
  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : extra) env[key] = value;
  return env;
}

std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const auto found = find_in_path(name);
  if (found.empty()) throw SetupError("cannot start '" + name + "': not found in PATH");
  return found.string();
}

std::string path_or_null(const std::filesystem::path& p) {
  return p.empty() ? std::string("/dev/null") : p.string();
}

}  // namespace

std::string ExitStatus::describe() const {
  if (exited) return "exit status " + std::to_string(code);
  if (signal != 0) {
    return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "still running";
}

struct Process::Impl {
  bp::child child;
  pid_t pid = 0;
  std::optional<ExitStatus> status;

  bool poll() {
    if (status) return false;
    int native = 0;
    const pid_t r = ::waitpid(pid, &native, WNOHANG);
    if (r == pid) {
      status = decode_status(native);
      child.detach();  // reaped here; keep Boost from waiting again
      return false;
    }
    if (r < 0 && errno == ECHILD) {
      status = ExitStatus{};
      child.detach();
      return false;
    }
    return true;
  }
};

Process::Process(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Process::Process(Process&&) noexcept = default;
Process& Process::operator=(Process&&) noexcept = default;

Process::~Process() {
  if (impl_ && !impl_->status) {
    signal_group(SIGKILL);
    int native = 0;
    ::waitpid(impl_->pid, &native, 0);
    impl_->child.detach();
  }
}

Process Process::start(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw SetupError("cannot start a process with an empty argument vector");
  const std::string program = resolve_program(spec.argv.front());
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  auto impl = std::make_unique<Impl>();
  BindMounts mounts;
  for (const auto& [source, target] : spec.bind_mounts) {
    mounts.mounts.emplace_back(source.string(), target.string());
  }
  std::error_code ec;
  const std::string cwd =
      spec.cwd.empty() ? std::filesystem::current_path().string() : spec.cwd.string();
  impl->child = bp::child(
      bp::exe = program, bp::args = args, bp::start_dir = cwd, make_env(spec.env),
      bp::std_in<path_or_null(spec.stdin_path), bp::std_out> path_or_null(spec.stdout_path),
      bp::std_err > path_or_null(spec.stderr_path), GroupAndDeathSignal(spec.parent_death_signal),
      mounts, ec);
  if (ec) {
    throw SetupError("cannot start '" + spec.argv.front() + "': " + ec.message());
  }
  impl->pid = impl->child.id();
  return Process(std::move(impl));
}

pid_t Process::pid() const { return impl_->pid; }

bool Process::running() { return impl_->poll(); }

std::optional<ExitStatus> Process::exit_status() {
  impl_->poll();
  return impl_->status;
}

std::optional<ExitStatus> Process::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (impl_->poll()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
  return impl_->status;
}

void Process::signal_group(int sig) {
  if (impl_->status) return;
  // The group may already be gone (child exited); ESRCH is fine.
  if (::kill(-impl_->pid, sig) != 0) ::kill(impl_->pid, sig);
}

ExitStatus Process::stop(std::chrono::milliseconds grace) {
  if (!impl_->poll()) return *impl_->status;
  signal_group(SIGTERM);
  if (auto st = wait_for(grace)) {
    signal_group(SIGKILL);  // stragglers left in the group
    return *st;
  }
  signal_group(SIGKILL);
  if (auto st = wait_for(std::chrono::seconds(10))) return *st;
  return ExitStatus{};
}

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

CommandOutput run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::filesystem::path& cwd,
                          const std::map<std::string, std::string>& env) {
  char tmpl[] = "/tmp/romharness-cmd-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw SetupError("cannot create a temporary directory in /tmp");
  const std::filesystem::path dir(tmpl);
  ProcessSpec spec{.argv = argv,
                   .cwd = cwd,
                   .env = env,
                   .stdin_path = {},
                   .stdout_path = dir / "out",
                   .stderr_path = dir / "err"};
  CommandOutput result;
  {
    Process p = Process::start(spec);
    if (auto st = p.wait_for(timeout)) {
      result.status = *st;
    } else {
      result.timed_out = true;
      result.status = p.stop(std::chrono::seconds(2));
    }
  }
  result.out = slurp(dir / "out");
  result.err = slurp(dir / "err");
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result;
}

bool wait_group_empty(pid_t pgid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::kill(-pgid, 0) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

std::string shell_quote(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain =
        !arg.empty() &&
        arg.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") ==
            std::string::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out;
}

std::filesystem::path find_in_path(const std::string& name) {
  return bp::search_path(name).string();
}

}  // namespace rh
