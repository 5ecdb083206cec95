// One running libvirt domain: created transient from XML, paused, with
// AUTODESTROY (libvirt kills it when our connection closes, so a SIGKILLed
// or disconnected run leaves no running VM where the daemon noticed);
// console stream opened, lifecycle events subscribed, then resumed. Power
// changes arrive as VmEvents from libvirt's event loop thread; a connection
// that dies gives one kHostLost. stop() destroys the domain, reconnecting
// when the connection died.
//
//   auto conn = LibvirtConnection::open("qemu:///system");
//   auto dom = LibvirtDomain::start(std::move(conn), {.name = n, .xml = xml,
//                                                      .console_file = dir / "serial.log"});
//   dom->console().wait_for_more(0, deadline);
//   for (const VmEvent& e : dom->poll_events()) ...
//   dom->stop();   // "domain destroyed"
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/console/console_log.h"
#include "harness/evidence/boot_evidence.h"
#include "harness/vm/libvirt/console_stream.h"
#include "harness/vm/libvirt/libvirt_connection.h"

namespace rh {

struct DomainStart {
  std::string name;
  std::string xml;
  std::filesystem::path console_file;  // serial.log; empty: keep no file
  ConsoleLimits console_limits;
  // Off only where a test needs a domain to outlive its creator (the sweep test).
  bool autodestroy = true;
  // Called once, on libvirt's event loop thread, when the connection dies.
  std::function<void(const std::string& reason)> on_host_lost;
  // Called once while the domain is created but still paused (e.g. to give
  // its QEMU a resolv.conf); a SetupError it throws ends the start.
  std::function<void()> before_resume;
};

class LibvirtDomain {
 public:
  using Clock = std::chrono::steady_clock;
  // Throws SetupError with libvirt's message (which carries QEMU's stderr);
  // nothing is left running then.
  static std::unique_ptr<LibvirtDomain> start(std::unique_ptr<LibvirtConnection> conn,
                                              const DomainStart& start);
  ~LibvirtDomain();
  LibvirtDomain(const LibvirtDomain&) = delete;
  LibvirtDomain& operator=(const LibvirtDomain&) = delete;

  Clock::time_point started_at() const { return origin_; }
  ConsoleLog& console() { return *log_; }
  std::vector<VmEvent> poll_events();
  // Empty while running; "domain shut off (destroyed)", "host lost: ..." after.
  std::optional<std::string> exited() const;
  bool host_lost() const;
  // Destroys the domain (SIGTERM first, then SIGKILL) and closes the console.
  // Idempotent; never throws. Says how it ended.
  std::string stop();
  // Sets the NIC's link (virDomainUpdateDeviceFlags). Throws SetupError.
  void set_link(bool up);
  const std::string& name() const { return name_; }
  const std::string& uri() const { return uri_; }
  // The domain's live XML as libvirt completed it (for the artifacts); empty when gone.
  std::string live_xml() const;

 private:
  struct Events;
  LibvirtDomain(std::unique_ptr<LibvirtConnection> conn, const DomainStart& start);
  void create(const DomainStart& start);
  void watch_events();
  void unwatch_events();
  std::string destroy_now();
  std::string destroy_after_reconnect();

  std::unique_ptr<LibvirtConnection> conn_;
  std::string name_;
  std::string uri_;
  DomainHandle dom_;
  std::array<unsigned char, VIR_UUID_BUFLEN> uuid_{};
  Clock::time_point origin_;
  std::unique_ptr<ConsoleLog> log_;
  std::unique_ptr<ConsoleStream> stream_;
  std::shared_ptr<Events> events_;
  std::vector<int> callback_ids_;
  std::optional<std::string> stopped_;
};

}  // namespace rh
