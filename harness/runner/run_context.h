// What every scenario of a run shares: the backend, where reports go, the
// payload, ROM sources, and the interrupt flag the signal thread sets.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "harness/vm/vm_backend.h"

namespace rh {

struct RunContext {
  VmBackend* backend = nullptr;
  std::filesystem::path report_dir;   // reports/<run-id>
  std::filesystem::path payload_dir;  // holds vmlinuz, initrd.img; may be missing
  std::filesystem::path ipxe_src;     // for ROM variants; empty when not given
  // --rom VARIANT[/NIC]=FILE: a ROM file standing in for a variant build.
  std::map<std::string, std::filesystem::path> rom_files;
  const std::atomic<bool>* interrupted = nullptr;
  int attempt = 0;  // with --repeat or retries: 1..N, artifacts in <name>/attempt-N
  // Called with the scenario's name and its current stage while it boots.
  std::function<void(const std::string&, const std::string&)> on_phase;
  // --run-timeout: when the whole run must end (set by execute_run) and the
  // limit as given, for the verdict's reason. Unset: no limit.
  std::optional<std::chrono::steady_clock::time_point> run_deadline;
  std::chrono::milliseconds run_timeout{0};
  bool interrupted_now() const { return interrupted != nullptr && interrupted->load(); }
  bool out_of_run_time() const {
    return run_deadline && std::chrono::steady_clock::now() >= *run_deadline;
  }
};

}  // namespace rh
