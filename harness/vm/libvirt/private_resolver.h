// Gives one local libvirt domain's QEMU a resolv.conf of its own, so that a
// scenario's dns_names are answered by its responder, as the QEMU backend
// does with a private mount namespace of its own making.
//
// QEMU's user network (libslirp 4.7, slirp/src/socket.c sotranslate_out4)
// sends a query for the guest's DNS address to the first nameserver of the
// resolv.conf QEMU sees; libvirt starts every QEMU in a mount namespace of
// its own (qemu.conf `namespaces`, on by default). Bind-mounting a file over
// /etc/resolv.conf inside that namespace, while the domain is still paused,
// changes what that one QEMU sees and nothing else on the machine.
//
//   give_private_resolv_conf("romharness_ci_41_9_1_smoke.a", stage / "resolv.conf");
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rh {

// Where libvirtd (qemu:///system) writes each running domain's QEMU pid.
inline const std::filesystem::path kLibvirtQemuRunDir = "/run/libvirt/qemu";
// The local daemon's QEMU driver configuration.
inline const std::filesystem::path kLibvirtQemuConf = "/etc/libvirt/qemu.conf";

// Why dns_names cannot work with this daemon, when its qemu.conf turns
// QEMU's mount namespaces off (`namespaces = []`: QEMU shares the machine's
// mount namespace, so there is no view of its own to give a resolv.conf).
// ci/services/libvirt turns them off inside a chroot, where libvirt creates
// a namespace's device nodes outside QEMU's root and QEMU finds no /dev/ptmx.
std::optional<std::string> qemu_mount_namespaces_off(
    const std::filesystem::path& qemu_conf = kLibvirtQemuConf);

// The QEMU pid of a running local domain. Throws SetupError.
pid_t local_qemu_pid(const std::string& domain,
                     const std::filesystem::path& run_dir = kLibvirtQemuRunDir);

// The nsenter command that mounts `resolv_conf` over /etc/resolv.conf in
// the mount namespace of process `pid`.
std::vector<std::string> bind_resolv_conf_argv(pid_t pid, const std::filesystem::path& resolv_conf);

// Throws SetupError when QEMU shares this process's mount namespace (the
// mount would change the machine's resolver) or the mount fails.
void give_private_resolv_conf(const std::string& domain, const std::filesystem::path& resolv_conf,
                              const std::filesystem::path& run_dir = kLibvirtQemuRunDir);

}  // namespace rh
