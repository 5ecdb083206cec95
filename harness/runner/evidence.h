// Turning a finished boot's logs into timeline inputs: the serial lines, the
// boot server's requests and the emulator's guestrpc.log, all converted to
// milliseconds from the VM's start.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "harness/bootserver/request_log.h"
#include "harness/timeline/timeline.h"
#include "harness/vm/serial_log.h"

namespace rh {

double ms_since(std::chrono::steady_clock::time_point origin,
                std::chrono::steady_clock::time_point t);

// guestrpc.log lines: `<CLOCK_MONOTONIC ns> ch=<n> <kind> "<C-escaped text>"`.
std::vector<GuestRpcEvent> read_guestrpc_log(const std::filesystem::path& file,
                                             std::chrono::steady_clock::time_point origin);

TimelineInputs timeline_inputs(const std::vector<TimedLine>& serial,
                               const std::vector<RequestRecord>& http,
                               const std::vector<GuestRpcEvent>& guestrpc,
                               std::chrono::steady_clock::time_point origin);

}  // namespace rh
