#include "harness/vm/libvirt/libvirt_domain.h"

#include <libvirt/virterror.h>

#include <cstdlib>
#include <mutex>

#include "harness/core/error.h"

namespace rh {
namespace {

constexpr const char* kAlreadyOff = "domain already shut off";
// How long a powered-off domain's console may take to deliver its last bytes.
constexpr std::chrono::seconds kConsoleDrain{5};

std::string stopped_detail(int detail) {
  switch (detail) {
    case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN:
      return "shutdown";
    case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
      return "destroyed";
    case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
      return "crashed";
    case VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
      return "migrated";
    case VIR_DOMAIN_EVENT_STOPPED_SAVED:
      return "saved";
    case VIR_DOMAIN_EVENT_STOPPED_FAILED:
      return "failed";
    case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT:
      return "snapshot reverted";
    default:
      return "detail " + std::to_string(detail);
  }
}

std::string free_string(char* s) {
  std::string out = s != nullptr ? s : "";
  free(s);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
  return out;
}

bool no_such_domain() {
  const virErrorPtr e = virGetLastError();
  return e != nullptr && e->code == VIR_ERR_NO_DOMAIN;
}

// The first user interface of a live domain XML, with its link set.
std::string interface_with_link(const std::string& xml, bool up) {
  const auto begin = xml.find("<interface type='user'");
  const std::string close = "</interface>";
  const auto end = xml.find(close, begin);
  if (begin == std::string::npos || end == std::string::npos) {
    throw SetupError("libvirt: the domain has no user-network interface to set the link of");
  }
  std::string nic = xml.substr(begin, end - begin);
  const auto link = nic.find("<link state=");
  if (link != std::string::npos) nic.erase(link, nic.find("/>", link) + 2 - link);
  return nic + "<link state='" + (up ? "up" : "down") + "'/>" + close;
}

}  // namespace

struct LibvirtDomain::Events {
  std::mutex mu;
  std::string name;
  std::string uri;
  Clock::time_point origin = Clock::now();
  bool running_seen = false;
  std::vector<VmEvent> queue;
  std::optional<std::string> exited;
  bool host_lost = false;
  std::function<void(const std::string&)> on_host_lost;

  void push(VmEvent::Kind kind, std::string event_name, std::string text) {
    const auto since = std::chrono::duration<double, std::milli>(Clock::now() - origin).count();
    queue.push_back({.at_ms = since > 0 ? since : 0,
                     .kind = kind,
                     .name = std::move(event_name),
                     .text = std::move(text)});
  }

  void lifecycle(int event, int detail) {
    std::lock_guard lock(mu);
    switch (event) {
      case VIR_DOMAIN_EVENT_RESUMED:
        running_seen = true;
        push(VmEvent::Kind::kPower, "running", "");
        break;
      case VIR_DOMAIN_EVENT_SUSPENDED:
        // Before the first resume it is our own paused start.
        if (running_seen) push(VmEvent::Kind::kPower, "paused", "");
        break;
      case VIR_DOMAIN_EVENT_CRASHED:
        push(VmEvent::Kind::kPower, "crashed", "guest panicked");
        break;
      case VIR_DOMAIN_EVENT_STOPPED:
        stopped(detail);
        break;
      default:
        break;  // STARTED (paused), SHUTDOWN (STOPPED follows), PMSUSPENDED ...
    }
  }

  void stopped(int detail) {
    const std::string why = stopped_detail(detail);
    if (detail == VIR_DOMAIN_EVENT_STOPPED_FAILED) {
      push(VmEvent::Kind::kEmulatorError, "infrastructure",
           "QEMU failed (libvirt: stopped/failed)");
    } else {
      push(VmEvent::Kind::kPower,
           detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ? "crashed" : "shutdown", why);
    }
    if (!exited) exited = "domain shut off (" + why + ")";
  }

  void reboot() {
    std::lock_guard lock(mu);
    push(VmEvent::Kind::kPower, "reset", "guest reset (the domain is destroyed: on_reboot)");
  }

  void lost(const std::string& reason) {
    std::function<void(const std::string&)> notify;
    {
      std::lock_guard lock(mu);
      if (host_lost) return;
      host_lost = true;
      push(VmEvent::Kind::kHostLost, "host lost", uri + ": " + reason);
      if (!exited) exited = "host lost: " + uri + ": " + reason;
      notify = on_host_lost;
    }
    if (notify) notify(reason);
  }
};

namespace {

template <typename T>
T& state(void* opaque) {
  return **static_cast<std::shared_ptr<T>*>(opaque);
}

}  // namespace

LibvirtDomain::LibvirtDomain(std::unique_ptr<LibvirtConnection> conn, const DomainStart& start)
    : conn_(std::move(conn)),
      name_(start.name),
      uri_(conn_->uri()),
      events_(std::make_shared<Events>()) {
  events_->name = name_;
  events_->uri = uri_;
  events_->on_host_lost = start.on_host_lost;
}

std::unique_ptr<LibvirtDomain> LibvirtDomain::start(std::unique_ptr<LibvirtConnection> conn,
                                                    const DomainStart& start) {
  std::unique_ptr<LibvirtDomain> d(new LibvirtDomain(std::move(conn), start));
  d->watch_events();
  try {
    d->create(start);
  } catch (...) {
    d->stop();
    throw;
  }
  auto events = d->events_;
  d->conn_->on_lost([events](const std::string& reason) { events->lost(reason); });
  return d;
}

LibvirtDomain::~LibvirtDomain() { stop(); }

void LibvirtDomain::watch_events() {
  auto lifecycle = [](virConnectPtr /*c*/, virDomainPtr dom, int event, int detail,
                      void* opaque) -> int {
    auto& ev = state<Events>(opaque);
    const char* name = virDomainGetName(dom);
    if (name != nullptr && ev.name == name) ev.lifecycle(event, detail);
    return 0;
  };
  auto reboot = [](virConnectPtr /*c*/, virDomainPtr dom, void* opaque) {
    auto& ev = state<Events>(opaque);
    const char* name = virDomainGetName(dom);
    if (name != nullptr && ev.name == name) ev.reboot();
  };
  auto free_opaque = [](void* opaque) {
    delete static_cast<std::shared_ptr<Events>*>(
        opaque);  // NOLINT(cppcoreguidelines-owning-memory)
  };
  const std::pair<int, virConnectDomainEventGenericCallback> wanted[] = {
      {VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(+lifecycle)},
      {VIR_DOMAIN_EVENT_ID_REBOOT, VIR_DOMAIN_EVENT_CALLBACK(+reboot)}};
  for (const auto& [id, cb] : wanted) {
    auto* opaque = new std::shared_ptr<Events>(events_);  // freed by free_opaque
    // All domains: ours does not exist yet, and its first events matter.
    const int handle =
        virConnectDomainEventRegisterAny(conn_->get(), nullptr, id, cb, opaque, +free_opaque);
    if (handle < 0) {
      delete opaque;  // NOLINT(cppcoreguidelines-owning-memory)
      throw SetupError(
          libvirt_error("libvirt: cannot subscribe to domain events on '" + uri_ + "'"));
    }
    callback_ids_.push_back(handle);
  }
}

void LibvirtDomain::unwatch_events() {
  for (int id : callback_ids_) virConnectDomainEventDeregisterAny(conn_->get(), id);
  callback_ids_.clear();
}

void LibvirtDomain::create(const DomainStart& start) {
  // Paused first: a pty console drops what is written before it is opened,
  // and SeaBIOS prints within milliseconds.
  unsigned int flags = VIR_DOMAIN_START_PAUSED;
  if (start.autodestroy) flags |= VIR_DOMAIN_START_AUTODESTROY;
  virDomainPtr dom = virDomainCreateXML(conn_->get(), start.xml.c_str(), flags);
  if (dom == nullptr) {
    throw SetupError(
        libvirt_error("libvirt: cannot start domain '" + name_ + "' on '" + uri_ + "'"));
  }
  dom_.reset(dom);
  virDomainGetUUID(dom, uuid_.data());
  origin_ = Clock::now();
  log_ = std::make_unique<ConsoleLog>(start.console_file, origin_, start.console_limits);
  stream_ = std::make_unique<ConsoleStream>(conn_->get(), dom, *log_);
  {
    std::lock_guard lock(events_->mu);
    events_->origin = origin_;
  }
  if (start.before_resume) start.before_resume();
  if (virDomainResume(dom) < 0) {
    throw SetupError(libvirt_error("libvirt: cannot resume domain '" + name_ + "'"));
  }
}

std::vector<VmEvent> LibvirtDomain::poll_events() {
  std::lock_guard lock(events_->mu);
  std::vector<VmEvent> out;
  out.swap(events_->queue);
  return out;
}

std::optional<std::string> LibvirtDomain::exited() const {
  std::lock_guard lock(events_->mu);
  return events_->exited;
}

bool LibvirtDomain::host_lost() const {
  std::lock_guard lock(events_->mu);
  return events_->host_lost;
}

std::string LibvirtDomain::destroy_now() {
  const int active = virDomainIsActive(dom_.get());
  if (active == 0 || (active < 0 && no_such_domain())) return kAlreadyOff;
  if (active < 0) return destroy_after_reconnect();  // the connection failed
  // GRACEFUL: SIGTERM only, so QEMU flushes its capture; then SIGKILL.
  if (virDomainDestroyFlags(dom_.get(), VIR_DOMAIN_DESTROY_GRACEFUL) == 0)
    return "domain destroyed";
  if (virDomainDestroy(dom_.get()) == 0 || no_such_domain()) return "domain destroyed (forced)";
  if (conn_->lost()) return destroy_after_reconnect();
  return libvirt_error("domain '" + name_ + "' could not be destroyed");
}

std::string LibvirtDomain::destroy_after_reconnect() {
  try {
    auto fresh = LibvirtConnection::open(uri_);
    DomainHandle d(virDomainLookupByUUID(fresh->get(), uuid_.data()));
    if (!d) return "host lost; the domain was already gone (libvirt's autodestroy)";
    if (virDomainDestroy(d.get()) < 0 && !no_such_domain()) {
      return libvirt_error("host lost; domain '" + name_ + "' could not be destroyed");
    }
    return "host lost; domain destroyed after reconnecting";
  } catch (const SetupError& e) {
    return "host lost; domain '" + name_ + "' may still run on '" + uri_ + "' (" + e.what() +
           "): the next run's sweep removes it";
  }
}

std::string LibvirtDomain::stop() {
  if (stopped_) return *stopped_;
  // A guest that powered off after its last line: the line can reach us
  // after the shutdown event (seen under load: a boot's marker lost, FAIL).
  if (stream_ && exited()) stream_->wait_ended(kConsoleDrain);
  std::string how = dom_ ? destroy_now() : "domain never started";
  if (stream_) stream_->close();
  if (log_) log_->finish();
  unwatch_events();
  if (const auto ex = exited(); ex && how == kAlreadyOff) how = *ex;  // say why it was off
  stopped_ = how;
  return how;
}

void LibvirtDomain::set_link(bool up) {
  const std::string nic = interface_with_link(live_xml(), up);
  if (virDomainUpdateDeviceFlags(dom_.get(), nic.c_str(), VIR_DOMAIN_AFFECT_LIVE) < 0) {
    throw SetupError(
        libvirt_error(std::string("libvirt: cannot set the link ") + (up ? "up" : "down")));
  }
}

std::string LibvirtDomain::live_xml() const {
  if (!dom_) return "";
  return free_string(virDomainGetXMLDesc(dom_.get(), 0));
}

}  // namespace rh
