#include "harness/vm/libvirt/live_test_support.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/vm/libvirt/domain_xml.h"
#include "harness/vm/libvirt/file_stage.h"
#include "harness/vm/libvirt/libvirt_connection.h"

namespace rh::testing {
namespace fs = std::filesystem;

fs::path patched_qemu() {
  try {
    return cache_root() / "qemu" / "current" / "bin" / "qemu-system-x86_64";
  } catch (const SetupError&) {
    return {};
  }
}

std::optional<std::string> live_libvirt_missing() {
  if (::geteuid() != 0) return "needs root (qemu:///system and staging for libvirt-qemu)";
  const fs::path qemu = patched_qemu();
  if (qemu.empty() || !fs::exists(qemu)) {
    return "no patched QEMU at '" + qemu.string() + "' (emulator/build-qemu)";
  }
  try {
    LibvirtConnection::open(kSystemUri);
  } catch (const SetupError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

fs::path staged_emulator() { return stage_emulator(kTestStageRoot, patched_qemu()); }

std::string idle_domain_xml(const std::string& name, const std::string& metadata,
                            const fs::path& sercon_file) {
  DomainSpec s{.name = name, .metadata_xml = metadata, .emulator = staged_emulator()};
  s.memory_mb = 64;
  s.network.mode = NetworkMode::kNone;
  s.sercon_port_file = sercon_file;
  std::string xml = build_domain_xml(s);
  // SeaBIOS would retry (reboot, and so end the domain) after 60 s; the
  // tests want it to wait for as long as they look.
  xml.replace(xml.find("</os>"), 5, "  <bios rebootTimeout='-1'/>\n  </os>");
  return xml;
}

std::vector<std::string> domains_named(const std::string& prefix) {
  auto conn = LibvirtConnection::open(kSystemUri);
  virDomainPtr* doms = nullptr;
  const int n = virConnectListAllDomains(conn->get(), &doms, 0);
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    const std::string name = virDomainGetName(doms[i]);
    if (name.starts_with(prefix)) names.push_back(name);
    virDomainFree(doms[i]);
  }
  free(doms);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
  return names;
}

std::string wait_for_line(ConsoleLog& log, const std::string& text,
                          std::chrono::steady_clock::duration within) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + within;
  std::size_t seen = 0;
  while (Clock::now() < deadline) {
    for (const auto& line : log.lines_from(seen)) {
      if (line.text.find(text) != std::string::npos) return line.text;
    }
    seen = log.line_count();
    for (const auto& partial : log.tail(1)) {
      if (partial.find(text) != std::string::npos) return partial;
    }
    log.wait_for_more(seen, std::min(deadline, Clock::now() + std::chrono::seconds(1)));
  }
  return "";
}

bool eventually(const std::function<bool()>& pred, std::chrono::steady_clock::duration within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

struct LibvirtProxy::Impl {
  Process socat;
};

LibvirtProxy::LibvirtProxy(const fs::path& dir) {
  const fs::path socket = dir / "libvirt-proxy.sock";
  impl_ = std::make_unique<Impl>(
      Impl{Process::start({.argv = {"socat", "UNIX-LISTEN:" + socket.string() + ",fork",
                                    "UNIX-CONNECT:/run/libvirt/libvirt-sock"}})});
  for (int i = 0; i < 6000 && !fs::exists(socket); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!fs::exists(socket)) throw SetupError("socat did not listen on " + socket.string());
  uri_ = "qemu+unix:///system?socket=" + socket.string();
}

LibvirtProxy::~LibvirtProxy() { impl_->socat.stop(std::chrono::seconds(1)); }

int LibvirtProxy::cut() {
  int killed = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid;
    std::string comm;
    std::string state;
    long ppid = 0;
    if (stat >> pid >> comm >> state >> ppid && ppid == impl_->socat.pid()) {
      killed += ::kill(std::stoi(pid), SIGKILL) == 0 ? 1 : 0;
    }
  }
  return killed;
}

}  // namespace rh::testing
