// Shared by the live libvirt tests and the child process the sweep test
// kills: what they need from this machine (a running libvirtd, root, the
// patched QEMU) and a small domain to start.
//
//   if (auto why = live_libvirt_missing()) GTEST_SKIP() << *why;
//   std::string xml = idle_domain_xml(name, owner_metadata(me), staged_emulator());
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/console/console_log.h"

namespace rh::testing {

// Generous: TCG on a loaded two-core machine.
inline constexpr std::chrono::seconds kBootDeadline{300};

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

// Waits for a console line (or the line being written) containing `text`;
// returns it, or "" when `within` passes first.
std::string wait_for_line(ConsoleLog& log, const std::string& text,
                          std::chrono::steady_clock::duration within = kBootDeadline);
// Polls `pred` until it holds or `within` passes; returns its last answer.
bool eventually(const std::function<bool()>& pred,
                std::chrono::steady_clock::duration within = std::chrono::seconds(120));

// A socat proxy in front of libvirtd's socket: cut() kills its per-connection
// children, which ends every connection through it the way a dying host or
// network does, while it keeps listening for new ones.
class LibvirtProxy {
 public:
  explicit LibvirtProxy(const std::filesystem::path& dir);
  ~LibvirtProxy();
  LibvirtProxy(const LibvirtProxy&) = delete;
  LibvirtProxy& operator=(const LibvirtProxy&) = delete;
  const std::string& uri() const { return uri_; }
  int cut();  // how many connections it ended

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string uri_;
};

}  // namespace rh::testing
