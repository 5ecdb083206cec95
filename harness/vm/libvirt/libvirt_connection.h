// A connection to one libvirt host, with libvirt's event loop running on a
// process-wide thread: domain events, console streams and keepalive all need
// it. A connection that dies (daemon gone, network cut, keepalive timeout)
// reports it once through on_lost(), on the event loop thread.
//
//   auto conn = LibvirtConnection::open("qemu+ssh://lab-3/system");  // throws SetupError
//   conn->on_lost([](const std::string& why) { ... });
//   virDomainPtr dom = virDomainLookupByName(conn->get(), "x");
#pragma once

#include <libvirt/libvirt.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace rh {

// Registers libvirt's default event implementation and starts the thread
// that runs it; libvirt's own error printing is silenced (we report errors).
// Safe to call many times; must precede the first virConnectOpen.
void ensure_libvirt_event_loop();

// "<what>: <libvirt's last error in this thread>".
std::string libvirt_error(const std::string& what);

struct DomainDeleter {
  void operator()(virDomainPtr d) const { virDomainFree(d); }
};
using DomainHandle = std::unique_ptr<virDomain, DomainDeleter>;

class LibvirtConnection {
 public:
  // Opens with libvirt's default authentication (ssh agent and the like;
  // nothing is asked on a terminal) and turns keepalive on.
  static std::unique_ptr<LibvirtConnection> open(const std::string& uri);
  ~LibvirtConnection();
  LibvirtConnection(const LibvirtConnection&) = delete;
  LibvirtConnection& operator=(const LibvirtConnection&) = delete;

  virConnectPtr get() const { return conn_; }
  const std::string& uri() const { return uri_; }
  // `fn` runs once when the connection is lost (immediately if it already is).
  void on_lost(std::function<void(const std::string& reason)> fn);
  bool lost() const;
  std::string lost_reason() const;

 private:
  struct CloseState {
    std::mutex mu;
    bool lost = false;
    std::string reason;
    std::function<void(const std::string&)> fn;
  };
  LibvirtConnection(std::string uri, virConnectPtr conn);
  static void closed(virConnectPtr conn, int reason, void* opaque);
  static void free_state(void* opaque);

  std::string uri_;
  virConnectPtr conn_;
  std::shared_ptr<CloseState> close_;
};

}  // namespace rh
