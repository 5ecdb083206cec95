#include "harness/vm/libvirt/libvirt_connection.h"

#include <libvirt/virterror.h>

#include <thread>

#include "harness/core/error.h"

namespace rh {
namespace {

// A host that stops answering is declared lost after about
// kKeepAliveInterval * (kKeepAliveCount + 1) seconds.
constexpr int kKeepAliveInterval = 2;
constexpr int kKeepAliveCount = 5;

void quiet(void* /*user*/, virErrorPtr /*error*/) {}

std::string close_reason(int reason) {
  switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
      return "connection closed on an error";
    case VIR_CONNECT_CLOSE_REASON_EOF:
      return "connection closed by the other end";
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      return "host stopped answering (keepalive timeout)";
    case VIR_CONNECT_CLOSE_REASON_CLIENT:
      return "connection closed by the client";
    default:
      return "connection closed (reason " + std::to_string(reason) + ")";
  }
}

}  // namespace

void ensure_libvirt_event_loop() {
  static std::once_flag once;
  std::call_once(once, [] {
    virSetErrorFunc(nullptr, quiet);
    if (virEventRegisterDefaultImpl() < 0) {
      throw SetupError(libvirt_error("libvirt: cannot register its event loop"));
    }
    // Runs for the life of the process, as in virsh and virt-manager: a
    // stream or event callback may fire until the last connection closes.
    std::thread([] {
      for (;;) virEventRunDefaultImpl();
    }).detach();
  });
}

std::string libvirt_error(const std::string& what) {
  const char* message = virGetLastErrorMessage();
  return what + ": " + (message != nullptr ? message : "unknown libvirt error");
}

LibvirtConnection::LibvirtConnection(std::string uri, virConnectPtr conn)
    : uri_(std::move(uri)), conn_(conn), close_(std::make_shared<CloseState>()) {}

std::unique_ptr<LibvirtConnection> LibvirtConnection::open(const std::string& uri) {
  ensure_libvirt_event_loop();
  virConnectPtr conn = virConnectOpenAuth(uri.c_str(), virConnectAuthPtrDefault, 0);
  if (conn == nullptr) {
    throw SetupError(libvirt_error("libvirt: cannot connect to '" + uri + "'") +
                     (uri.find(":///") != std::string::npos
                          ? " (are the daemons running? ci/services/libvirt start)"
                          : ""));
  }
  std::unique_ptr<LibvirtConnection> c(new LibvirtConnection(uri, conn));
  if (virConnectSetKeepAlive(conn, kKeepAliveInterval, kKeepAliveCount) < 0) {
    throw SetupError(libvirt_error("libvirt: cannot turn keepalive on for '" + uri + "'"));
  }
  auto* opaque = new std::shared_ptr<CloseState>(c->close_);  // freed by free_state
  if (virConnectRegisterCloseCallback(conn, &LibvirtConnection::closed, opaque,
                                      &LibvirtConnection::free_state) < 0) {
    delete opaque;  // NOLINT(cppcoreguidelines-owning-memory)
    throw SetupError(libvirt_error("libvirt: cannot watch the connection to '" + uri + "'"));
  }
  return c;
}

LibvirtConnection::~LibvirtConnection() {
  {
    std::lock_guard lock(close_->mu);
    close_->fn = nullptr;  // our own close is no loss
  }
  virConnectUnregisterCloseCallback(conn_, &LibvirtConnection::closed);
  virConnectClose(conn_);
}

void LibvirtConnection::free_state(void* opaque) {
  delete static_cast<std::shared_ptr<CloseState>*>(
      opaque);  // NOLINT(cppcoreguidelines-owning-memory)
}

void LibvirtConnection::closed(virConnectPtr /*conn*/, int reason, void* opaque) {
  auto& state = **static_cast<std::shared_ptr<CloseState>*>(opaque);
  std::function<void(const std::string&)> fn;
  std::string why;
  {
    std::lock_guard lock(state.mu);
    if (state.lost) return;
    state.lost = true;
    state.reason = close_reason(reason);
    fn = state.fn;
    why = state.reason;
  }
  if (fn) fn(why);
}

void LibvirtConnection::on_lost(std::function<void(const std::string&)> fn) {
  std::string why;
  {
    std::lock_guard lock(close_->mu);
    if (!close_->lost) {
      close_->fn = std::move(fn);
      return;
    }
    why = close_->reason;
  }
  fn(why);
}

bool LibvirtConnection::lost() const {
  std::lock_guard lock(close_->mu);
  return close_->lost;
}

std::string LibvirtConnection::lost_reason() const {
  std::lock_guard lock(close_->mu);
  return close_->reason;
}

}  // namespace rh
