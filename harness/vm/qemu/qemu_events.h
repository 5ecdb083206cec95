// What QEMU says, as the evidence's typed VM events: QMP events become power
// state changes, and stderr lines are kept and, when they name an emulation
// failure or a refused ROM, also become emulator errors, so nothing past the
// backend has to know QEMU's wording.
//
//   std::optional<VmEvent> e = vm_event_from_qmp("SHUTDOWN", {{"reason", "guest-reset"}}, 812.0);
//   // {kPower, "reset", "guest-reset", 812.0}
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/evidence/boot_evidence.h"

namespace rh {

std::optional<VmEvent> vm_event_from_qmp(const std::string& name, const nlohmann::json& data,
                                         double at_ms);
// The stderr line as a kStderr event, plus a kEmulatorError when it says one.
std::vector<VmEvent> vm_events_from_stderr(const std::string& line, double at_ms);
// A query-status "status" that means the emulator itself failed.
std::optional<VmEvent> vm_event_from_status(const std::string& status, double at_ms);

}  // namespace rh
