#include "harness/vm/libvirt/console_stream.h"

#include <array>

#include "harness/core/error.h"
#include "harness/vm/libvirt/libvirt_connection.h"

namespace rh {
namespace {

constexpr std::size_t kChunk = std::size_t{64} * 1024;
constexpr int kEvents =
    VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;

}  // namespace

ConsoleStream::ConsoleStream(virConnectPtr conn, virDomainPtr dom, ConsoleLog& log)
    : state_(std::make_shared<State>()) {
  state_->log = &log;
  state_->stream = virStreamNew(conn, VIR_STREAM_NONBLOCK);
  if (state_->stream == nullptr) throw SetupError(libvirt_error("libvirt: cannot make a stream"));
  // FORCE takes the console over from a client that left it open (a
  // `virsh console` someone forgot), rather than failing.
  if (virDomainOpenConsole(dom, nullptr, state_->stream, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
    const std::string why = libvirt_error("libvirt: cannot open the domain's serial console");
    virStreamFree(state_->stream);
    throw SetupError(why);
  }
  auto* opaque = new std::shared_ptr<State>(state_);  // freed by free_state
  if (virStreamEventAddCallback(state_->stream, kEvents, &ConsoleStream::readable, opaque,
                                &ConsoleStream::free_state) < 0) {
    const std::string why = libvirt_error("libvirt: cannot watch the console stream");
    delete opaque;  // NOLINT(cppcoreguidelines-owning-memory)
    virStreamAbort(state_->stream);
    virStreamFree(state_->stream);
    throw SetupError(why);
  }
  state_->watching = true;
}

ConsoleStream::~ConsoleStream() { close(); }

void ConsoleStream::free_state(void* opaque) {
  delete static_cast<std::shared_ptr<State>*>(opaque);  // NOLINT(cppcoreguidelines-owning-memory)
}

void ConsoleStream::readable(virStreamPtr stream, int /*events*/, void* opaque) {
  State& s = **static_cast<std::shared_ptr<State>*>(opaque);
  std::lock_guard lock(s.mu);
  if (s.closed || s.ended) return;
  std::array<char, kChunk> buf{};
  for (;;) {
    const int n = virStreamRecv(stream, buf.data(), buf.size());
    if (n > 0) {
      s.log->append(std::string_view(buf.data(), static_cast<std::size_t>(n)),
                    ConsoleLog::Clock::now());
      continue;
    }
    if (n == -2) return;  // nothing more for now
    s.ended = n == 0 ? std::string("end of stream") : libvirt_error("console stream failed");
    s.ended_cv.notify_all();
    break;
  }
  // Removing the callback from inside it is allowed (virsh console does).
  virStreamEventRemoveCallback(stream);
  s.watching = false;
}

void ConsoleStream::close() {
  bool remove = false;
  virStreamPtr stream = nullptr;
  {
    std::lock_guard lock(state_->mu);
    if (state_->closed) return;
    state_->closed = true;
    remove = state_->watching;
    state_->watching = false;
    stream = state_->stream;
  }
  // No libvirt call under our lock: the event loop thread may hold libvirt's
  // while it waits for ours.
  if (remove) virStreamEventRemoveCallback(stream);
  virStreamAbort(stream);
  virStreamFree(stream);
}

std::optional<std::string> ConsoleStream::ended() const {
  std::lock_guard lock(state_->mu);
  return state_->ended;
}

bool ConsoleStream::wait_ended(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->ended_cv.wait_for(lock, timeout, [&] {
    return state_->ended.has_value() || state_->closed;
  }) && state_->ended.has_value();
}

}  // namespace rh
