#include "harness/vm/libvirt/live_test_support.h"

#include <unistd.h>

#include <cstdlib>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
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

}  // namespace rh::testing
