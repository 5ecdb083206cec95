#include "harness/vm/libvirt/private_resolver.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <vector>

#include "harness/core/error.h"
#include "harness/core/process.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::seconds kMountTimeout{20};

ino_t mount_namespace_of(const std::string& proc) {
  struct stat st {};
  const std::string ns = "/proc/" + proc + "/ns/mnt";
  if (::stat(ns.c_str(), &st) != 0) {
    throw SetupError("libvirt: cannot read the mount namespace of '" + ns + "'");
  }
  return st.st_ino;
}

// A qemu.conf line without its comment and blanks: `namespaces = [ ]  # x`
// reads "namespaces=[]".
std::string setting_of(const std::string& line) {
  std::string out;
  for (const char c : line.substr(0, line.find('#'))) {
    if (c != ' ' && c != '\t' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

std::optional<std::string> qemu_mount_namespaces_off(const fs::path& qemu_conf) {
  std::ifstream in(qemu_conf);
  for (std::string line; std::getline(in, line);) {
    if (setting_of(line) == "namespaces=[]") {
      return "libvirtd runs QEMU in the machine's mount namespace (`namespaces = []` in " +
             qemu_conf.string() +
             "), so a resolv.conf for one domain would be the machine's: dns_names need "
             "libvirt's default `namespaces = [\"mount\"]`";
    }
  }
  return std::nullopt;
}

pid_t local_qemu_pid(const std::string& domain, const fs::path& run_dir) {
  const fs::path pid_file = run_dir / (domain + ".pid");
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) {
    throw SetupError("libvirt: no QEMU pid in '" + pid_file.string() +
                     "' (is the domain running on this machine?)");
  }
  return static_cast<pid_t>(pid);
}

std::vector<std::string> bind_resolv_conf_argv(pid_t pid, const fs::path& resolv_conf) {
  return {"nsenter",
          "--mount=/proc/" + std::to_string(pid) + "/ns/mnt",
          "--",
          "mount",
          "--bind",
          resolv_conf.string(),
          "/etc/resolv.conf"};
}

void give_private_resolv_conf(const std::string& domain, const fs::path& resolv_conf,
                              const fs::path& run_dir) {
  const pid_t pid = local_qemu_pid(domain, run_dir);
  if (mount_namespace_of(std::to_string(pid)) == mount_namespace_of("self")) {
    throw SetupError("libvirt: QEMU of '" + domain +
                     "' shares this machine's mount namespace (qemu.conf `namespaces = []`), so "
                     "a resolv.conf for it would be the machine's: dns_names need libvirt's "
                     "default `namespaces = [\"mount\"]`");
  }
  const auto argv = bind_resolv_conf_argv(pid, resolv_conf);
  const CommandOutput out = run_command(argv, kMountTimeout);
  if (!out.status.ok()) {
    throw SetupError("libvirt: cannot give '" + domain + "' its own resolv.conf: '" +
                     shell_quote(argv) + "' ended with " + out.status.describe() + ": " + out.err);
  }
}

}  // namespace rh
