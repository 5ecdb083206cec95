// Shared by the live libvirt tests and the child process the sweep test
// kills: what they need from this machine (a running libvirtd, root, the
// patched QEMU) and a small domain to start.
//
//   if (auto why = live_libvirt_missing()) GTEST_SKIP() << *why;
//   std::string xml = idle_domain_xml(name, owner_metadata(me), staged_emulator());
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rh::testing {

inline constexpr const char* kSystemUri = "qemu:///system";
// Test domains and files stay apart from real runs' stage root.
inline const std::filesystem::path kTestStageRoot = "/var/lib/libvirt/romharness-test";

// Why the live tests cannot run here (not root, no libvirtd answering, no
// patched QEMU); nullopt when they can.
std::optional<std::string> live_libvirt_missing();
// The patched QEMU from the cache.
std::filesystem::path patched_qemu();
// The patched QEMU staged under kTestStageRoot, where libvirt-qemu may run it.
std::filesystem::path staged_emulator();
// A domain with no NIC and no disk: SeaBIOS starts, finds nothing to boot
// and waits for good; its banner reaches the serial console (sercon).
std::string idle_domain_xml(const std::string& name, const std::string& metadata,
                            const std::filesystem::path& sercon_file);
// Names of all domains on qemu:///system that start with `prefix`.
std::vector<std::string> domains_named(const std::string& prefix);

}  // namespace rh::testing
