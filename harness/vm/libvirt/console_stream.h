// A domain's serial console read live over its libvirt connection
// (virDomainOpenConsole on a non-blocking stream), so it works the same for
// a remote host. Bytes are handed to a ConsoleLog from libvirt's event loop
// thread as they arrive.
//
//   ConsoleLog log(dir / "serial.log", origin);
//   ConsoleStream console(conn->get(), dom, log);  // throws SetupError
//   ...
//   console.close();   // after this returns, `log` is no longer touched
//
// Open it before the guest's CPUs run (start the domain paused): a pty
// console drops what is written while nobody reads it.
#pragma once

#include <libvirt/libvirt.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "harness/console/console_log.h"

namespace rh {

class ConsoleStream {
 public:
  ConsoleStream(virConnectPtr conn, virDomainPtr dom, ConsoleLog& log);
  ~ConsoleStream();
  ConsoleStream(const ConsoleStream&) = delete;
  ConsoleStream& operator=(const ConsoleStream&) = delete;

  // Stops reading and releases the stream. Idempotent.
  void close();
  // Why the stream ended by itself ("end of stream", an error); empty while it runs.
  std::optional<std::string> ended() const;
  // Waits until the stream ends by itself or `timeout` passes; true when it
  // ended. A domain that powered off has closed its console, but the last
  // bytes it wrote may still be on their way from libvirtd: they are read
  // until the end of the stream says there are no more.
  bool wait_ended(std::chrono::milliseconds timeout) const;

 private:
  struct State {
    std::mutex mu;
    std::condition_variable ended_cv;
    ConsoleLog* log = nullptr;
    virStreamPtr stream = nullptr;
    bool closed = false;
    bool watching = false;
    std::optional<std::string> ended;
  };
  static void readable(virStreamPtr stream, int events, void* opaque);
  static void free_state(void* opaque);

  std::shared_ptr<State> state_;
};

}  // namespace rh
