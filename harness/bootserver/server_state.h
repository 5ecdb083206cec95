// Internal: what every connection of one BootServer shares. Sessions hold it
// by shared_ptr so it outlives any handler still queued during shutdown.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "harness/bootserver/boot_server.h"
#include "harness/bootserver/content_map.h"
#include "harness/bootserver/fault_table.h"
#include "harness/bootserver/request_log.h"

namespace rh {

class HttpSession;

// How much a client may take (see BootServerConfig).
struct SessionLimits {
  std::size_t max_connections = 128;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{10000};
};

struct ServerState {
  explicit ServerState(const BootServerConfig& config)
      : content(config.root, config.files, config.templates, config.variables),
        faults(config.faults),
        log(config.log_file, config.on_request),
        limits{.max_connections = config.max_connections,
               .idle_timeout = config.idle_timeout,
               .request_timeout = config.request_timeout} {}

  ContentMap content;
  FaultTable faults;
  RequestLog log;
  const SessionLimits limits;

  // Live sessions, so stop() can close them; guarded by sessions_mutex, as
  // is `stats`.
  std::mutex sessions_mutex;
  std::map<const HttpSession*, std::weak_ptr<HttpSession>> sessions;
  ConnectionStats stats;
  std::atomic<bool> stopping{false};

  std::size_t open_sessions() {
    std::lock_guard lock(sessions_mutex);
    return stats.open;
  }
  // Counts one event into `stats` (e.g. &ConnectionStats::refused).
  void count(std::uint64_t ConnectionStats::*counter) {
    std::lock_guard lock(sessions_mutex);
    ++(stats.*counter);
  }
};

}  // namespace rh
