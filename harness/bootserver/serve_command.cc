#include "harness/bootserver/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <mutex>
#include <ostream>

namespace rh {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Blocks SIGINT/SIGTERM in this thread (the server's threads inherit the
// mask) and restores the old mask on scope exit.
class BlockStopSignals {
 public:
  BlockStopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockStopSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  int wait() const {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

 private:
  sigset_t set_{};
  sigset_t old_{};
};

}  // namespace

int serve_command(ServeOptions opts, std::ostream& out) {
  if (!opts.fault_file.empty()) opts.config.faults = load_http_fault_file(opts.fault_file);
  std::mutex out_mutex;
  opts.config.on_request = [&](const RequestRecord& r) {
    std::lock_guard lock(out_mutex);
    out << r.log_line() << std::endl;
  };
  const BlockStopSignals signals;
  BootServer server(opts.config);
  for (auto& [name, value] : opts.config.variables) {
    std::string filled = value;
    replace_all(filled, "{port}", std::to_string(server.port()));
    server.set_variable(name, filled);
  }
  {
    std::lock_guard lock(out_mutex);
    out << "serving " << opts.config.root.string() << " at " << server.url() << std::endl;
  }
  const int sig = signals.wait();
  server.stop();
  std::lock_guard lock(out_mutex);
  out << "stopped by signal " << sig << " (" << strsignal(sig) << ")" << std::endl;
  return 0;
}

}  // namespace rh
