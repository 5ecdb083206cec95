// Internal: what every connection of one BootServer shares. Sessions hold it
// by shared_ptr so it outlives any handler still queued during shutdown.
#pragma once

#include <atomic>
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

struct ServerState {
  explicit ServerState(const BootServerConfig& config)
      : content(config.root, config.files, config.templates, config.variables),
        faults(config.faults),
        log(config.log_file, config.on_request) {}

  ContentMap content;
  FaultTable faults;
  RequestLog log;

  // Live sessions, so stop() can close them; guarded by sessions_mutex.
  std::mutex sessions_mutex;
  std::map<const HttpSession*, std::weak_ptr<HttpSession>> sessions;
  std::atomic<bool> stopping{false};
};

}  // namespace rh
