#include "harness/vm/qemu/qemu_vm.h"

#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/vm/qemu/unix_socket.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kQuitGrace = std::chrono::seconds(3);
constexpr auto kTermGrace = std::chrono::seconds(2);
constexpr std::size_t kSerconColumns = 80;

fs::path make_socket_dir() {
  char tmpl[] = "/tmp/rh-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw SetupError("cannot create a socket directory in /tmp");
  return tmpl;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw SetupError("cannot write '" + p.string() + "'");
}

}  // namespace

QemuVm::QemuVm(const VmConfig& config, fs::path socket_dir)
    : config_(config),
      socket_dir_(std::move(socket_dir)),
      paths_(QemuPaths::in(config.artifacts_dir, socket_dir_)) {}

std::unique_ptr<QemuVm> QemuVm::start(const QemuSetup& setup, const VmConfig& config) {
  fs::create_directories(config.artifacts_dir);
  std::unique_ptr<QemuVm> vm(new QemuVm(config, make_socket_dir()));
  vm->launch(setup);
  return vm;
}

void QemuVm::launch(const QemuSetup& setup) {
  if (!config_.guestinfo.empty()) {
    fs::create_directories(paths_.guestinfo_dir);
    for (const auto& [key, value] : config_.guestinfo)
      write_file(paths_.guestinfo_dir / key, value);
  }
  const std::vector<std::string> argv = build_qemu_argv(setup, config_, paths_);
  write_file(config_.artifacts_dir / "qemu.argv", shell_quote(argv) + "\n");
  origin_ = std::chrono::steady_clock::now();
  const bool sercon = config_.firmware == Firmware::kBios && config_.firmware_serial_console;
  serial_ = std::make_unique<SerialLog>(config_.artifacts_dir / "serial.log", origin_,
                                        sercon ? kSerconColumns : 0);
  process_.emplace(Process::start({.argv = argv,
                                   .stdout_path = config_.artifacts_dir / "qemu.stdout",
                                   .stderr_path = config_.artifacts_dir / "qemu.stderr",
                                   .bind_mounts = resolv_mount()}));
  connect_serial();
  try {
    qmp_ = QmpClient::connect(paths_.qmp_socket, kStartTimeout,
                              [this] { return process_->running(); });
  } catch (const SetupError& e) {
    throw_if_exited();
    throw SetupError(std::string("QEMU did not answer on QMP: ") + e.what());
  }
}

void QemuVm::throw_if_exited() {
  // QEMU checks some options (a missing romfile) only after opening its
  // sockets, so "exited immediately" can show up at any step of the start.
  if (auto st = process_->wait_for(std::chrono::milliseconds(500))) {
    throw SetupError("QEMU exited immediately (" + st->describe() + "): " + stderr_tail());
  }
}

std::vector<std::pair<fs::path, fs::path>> QemuVm::resolv_mount() const {
  if (config_.resolv_conf.empty()) return {};
  return {{config_.resolv_conf, "/etc/resolv.conf"}};
}

void QemuVm::connect_serial() {
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

void QemuVm::read_serial() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(serial_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    serial_->append({buffer, static_cast<std::size_t>(n)}, std::chrono::steady_clock::now());
  }
  serial_->finish();
}

std::string QemuVm::stderr_tail() const {
  std::ifstream in(config_.artifacts_dir / "qemu.stderr");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  return text.empty() ? "(no stderr)" : text;
}

std::optional<std::string> QemuVm::exited() {
  if (stopped_) return stopped_;
  if (auto st = process_->exit_status()) return st->describe();
  return std::nullopt;
}

std::string QemuVm::stop() {
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

QemuVm::~QemuVm() {
  try {
    if (process_) stop();
  } catch (...) {
    // The destructor is a safety net; Process's own destructor still kills.
  }
}

std::map<std::string, fs::path> QemuVm::artifacts() const {
  std::map<std::string, fs::path> out;
  for (const char* name :
       {"serial.log", "qemu.argv", "qemu.stderr", "capture.pcap", "guestrpc.log"}) {
    const fs::path p = config_.artifacts_dir / name;
    if (fs::exists(p)) out[name] = p;
  }
  return out;
}

std::vector<QmpNotice> QemuVm::qmp_events() const {
  return qmp_ ? qmp_->events() : std::vector<QmpNotice>{};
}

}  // namespace rh
