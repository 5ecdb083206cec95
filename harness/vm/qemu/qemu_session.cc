#include "harness/vm/qemu/qemu_session.h"

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/owner.h"
#include "harness/vm/dns_address.h"
#include "harness/vm/emulator/guestinfo_blob.h"
#include "harness/vm/emulator/guestrpc_log.h"
#include "harness/vm/qemu/qemu_events.h"
#include "harness/vm/qemu/qemu_leftovers.h"
#include "harness/vm/qemu/unix_socket.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kQuitGrace = std::chrono::seconds(3);
constexpr auto kTermGrace = std::chrono::seconds(2);
constexpr auto kStatusTimeout = std::chrono::seconds(2);

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw SetupError("cannot write '" + p.string() + "'");
}

// The QMP and serial sockets live in a short /tmp path (a UNIX socket path
// is limited to 107 bytes); the owner file lets a later run sweep it if this
// process is killed (qemu_leftovers.h).
fs::path make_socket_dir() {
  char tmpl[] = "/tmp/rh-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw SetupError("cannot create a socket directory in /tmp");
  write_file(fs::path(tmpl) / kOwnerFile, this_process_owner() + "\n");
  return tmpl;
}

}  // namespace

QemuSession::QemuSession(const BootPlan& plan, fs::path socket_dir)
    : plan_(plan),
      socket_dir_(std::move(socket_dir)),
      paths_(QemuPaths::in(plan.artifacts_dir, socket_dir_)),
      stderr_(plan.artifacts_dir / "qemu.stderr"),
      guestrpc_(plan.artifacts_dir / "guestrpc.log") {}

std::unique_ptr<QemuSession> QemuSession::start(const QemuSetup& setup, const BootPlan& plan,
                                                const BootEndpoints& where) {
  fs::create_directories(plan.artifacts_dir);
  std::unique_ptr<QemuSession> vm(new QemuSession(plan, make_socket_dir()));
  vm->prepare_files(where);
  vm->launch(setup);
  return vm;
}

void QemuSession::prepare_files(const BootEndpoints& where) {
  if (!plan_.guestinfo.empty()) write_guestinfo_blob(paths_.guestinfo_blob, plan_.guestinfo);
  if (!plan_.network.dns_names.empty() && !where.dns_bind.empty()) {
    paths_.resolv_conf = plan_.artifacts_dir / "resolv.conf";
    write_file(paths_.resolv_conf, resolv_conf_text(plan_.name, where.dns_bind));
  }
}

// QEMU's -runas calls setuid(), and the kernel clears a process's parent-death
// signal when its credentials change: a SIGKILLed harness would leave QEMU
// running as nobody. So a root shell stays QEMU's parent and keeps the signal
// (SIGUSR1, so that it can act on it): it kills its process group, QEMU and
// itself (the whole group, so a QEMU forked a moment before is not missed). A SIGTERM
// to the group (stop) reaches QEMU itself; the keeper waits and passes on
// QEMU's exit status.
std::vector<std::string> QemuSession::with_keeper(const std::vector<std::string>& argv) {
  std::vector<std::string> wrapped = {"/bin/sh", "-c",
                                      "trap 'kill -KILL 0' USR1; trap 'wait $q; exit $?' TERM; "
                                      "\"$0\" \"$@\" & q=$!; wait $q; exit $?"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

void QemuSession::launch(const QemuSetup& setup) {
  const std::vector<std::string> argv = build_qemu_argv(setup, plan_, paths_);
  write_file(plan_.artifacts_dir / "qemu.argv", shell_quote(argv) + "\n");
  origin_ = std::chrono::steady_clock::now();
  console_ =
      std::make_unique<ConsoleLog>(plan_.artifacts_dir / "serial.log", origin_,
                                   ConsoleLimits{.wrap_columns = plan_.console_wrap_columns()});
  std::vector<std::pair<fs::path, fs::path>> mounts;
  if (!paths_.resolv_conf.empty()) mounts.emplace_back(paths_.resolv_conf, "/etc/resolv.conf");
  const bool drops_privileges = !setup.run_as.empty();
  process_.emplace(Process::start({.argv = drops_privileges ? with_keeper(argv) : argv,
                                   .stdout_path = plan_.artifacts_dir / "qemu.stdout",
                                   .stderr_path = plan_.artifacts_dir / "qemu.stderr",
                                   .bind_mounts = mounts,
                                   .parent_death_signal = drops_privileges ? SIGUSR1 : SIGKILL}));
  connect_serial();
  try {
    qmp_ = QmpClient::connect(paths_.qmp_socket, kStartTimeout,
                              [this] { return process_->running(); });
  } catch (const SetupError& e) {
    throw_if_exited();
    throw SetupError(std::string("QEMU did not answer on QMP: ") + e.what());
  }
}

void QemuSession::throw_if_exited() {
  // QEMU checks some options (a missing romfile) only after opening its
  // sockets, so "exited immediately" can show up at any step of the start.
  if (auto st = process_->wait_for(std::chrono::milliseconds(500))) {
    throw SetupError("QEMU exited immediately (" + st->describe() + "): " + stderr_tail());
  }
}

void QemuSession::connect_serial() {
  try {
    serial_fd_ = connect_unix_socket(paths_.serial_socket, kStartTimeout,
                                     [this] { return process_->running(); });
  } catch (const SetupError& e) {
    throw_if_exited();
    process_->stop(kTermGrace);
    throw SetupError(std::string("QEMU did not open its serial socket: ") + e.what());
  }
  serial_reader_ = std::thread([this] { read_serial(); });
}

void QemuSession::read_serial() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(serial_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    console_->append({buffer, static_cast<std::size_t>(n)}, std::chrono::steady_clock::now());
  }
  console_->finish();
}

double QemuSession::now_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_)
      .count();
}

std::string QemuSession::stderr_tail() const {
  std::ifstream in(plan_.artifacts_dir / "qemu.stderr");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  return text.empty() ? "(no stderr)" : text;
}

// A STOP the guest did not ask for is the emulator giving up (KVM internal
// error, an I/O error): ask QMP why, so it ends the boot at once.
void QemuSession::check_status(std::vector<VmEvent>& out) {
  if (status_reported_ || !qmp_ || !process_->running()) return;
  try {
    const auto status = qmp_->execute("query-status", kStatusTimeout);
    if (!status.contains("status") || !status["status"].is_string()) return;
    if (auto e = vm_event_from_status(status["status"].get<std::string>(), now_ms())) {
      status_reported_ = true;
      out.push_back(*e);
    }
  } catch (const SetupError&) {
    // QEMU is going away; exited() will say how.
  }
}

std::vector<VmEvent> QemuSession::poll_events() {
  std::vector<VmEvent> out;
  if (qmp_) {
    const auto notices = qmp_->events();
    for (; qmp_seen_ < notices.size(); ++qmp_seen_) {
      const QmpNotice& n = notices[qmp_seen_];
      const double at = std::chrono::duration<double, std::milli>(n.at - origin_).count();
      if (auto e = vm_event_from_qmp(n.name, n.data, at)) out.push_back(*e);
      if (n.name == "STOP") check_status(out);
    }
  }
  const auto lines = stopped_ ? stderr_.rest() : stderr_.new_lines();
  for (const auto& line : lines) {
    for (auto& e : vm_events_from_stderr(line, now_ms())) out.push_back(std::move(e));
  }
  return out;
}

std::vector<GuestRpcCall> QemuSession::poll_guestrpc() {
  std::vector<GuestRpcCall> out;
  for (const auto& line : stopped_ ? guestrpc_.rest() : guestrpc_.new_lines()) {
    GuestRpcCall call;
    if (parse_guestrpc_line(line, origin_, call)) out.push_back(std::move(call));
  }
  return out;
}

std::optional<std::string> QemuSession::exited() {
  if (stopped_) return stopped_;
  if (auto st = process_->exit_status()) return st->describe();
  return std::nullopt;
}

void QemuSession::set_link(bool up) {
  if (!qmp_) throw SetupError("QEMU has no QMP connection: cannot set the NIC's link");
  qmp_->execute("set_link", {{"name", "net0"}, {"up", up}}, kStatusTimeout);
}

std::string QemuSession::stop() {
  if (stopped_) return *stopped_;
  if (process_->running() && qmp_) {
    try {
      qmp_->execute("quit", kQuitGrace);
    } catch (const SetupError&) {
      // QEMU may close the socket before answering; the wait below decides.
    }
  }
  std::optional<ExitStatus> st = process_->wait_for(kQuitGrace);
  if (!st) st = process_->stop(kTermGrace);
  if (serial_fd_ >= 0) ::shutdown(serial_fd_, SHUT_RDWR);
  if (serial_reader_.joinable()) serial_reader_.join();
  if (serial_fd_ >= 0) ::close(serial_fd_);
  serial_fd_ = -1;
  std::error_code ignored;
  fs::remove_all(socket_dir_, ignored);
  stopped_ = st->describe();
  if (!wait_group_empty(process_->pid(), std::chrono::seconds(2))) {
    *stopped_ += " (warning: processes of its group were still alive)";
  }
  return *stopped_;
}

QemuSession::~QemuSession() {
  try {
    if (process_) stop();
  } catch (...) {
    // The destructor is a safety net; Process's own destructor still kills.
  }
}

std::optional<fs::path> QemuSession::capture() const {
  if (!fs::exists(paths_.capture)) return std::nullopt;
  return paths_.capture;
}

std::string QemuSession::capture_missing() const {
  return fs::exists(paths_.capture) ? "" : "QEMU wrote no capture (the VM had no network)";
}

std::vector<Artifact> QemuSession::artifacts() const {
  std::vector<Artifact> out;
  for (const char* name :
       {"serial.log", "qemu.argv", "qemu.stderr", "capture.pcap", "guestrpc.log"}) {
    const fs::path p = plan_.artifacts_dir / name;
    if (fs::exists(p)) out.push_back({name, p});
  }
  return out;
}

}  // namespace rh
