#include "harness/vm/qemu/qemu_events.h"

namespace rh {
namespace {

VmEvent power(std::string name, std::string text, double at_ms) {
  return {.at_ms = at_ms,
          .kind = VmEvent::Kind::kPower,
          .name = std::move(name),
          .text = std::move(text)};
}

std::string member(const nlohmann::json& data, const char* key) {
  if (!data.is_object() || !data.contains(key) || !data[key].is_string()) return "";
  return data[key].get<std::string>();
}

}  // namespace

std::optional<VmEvent> vm_event_from_qmp(const std::string& name, const nlohmann::json& data,
                                         double at_ms) {
  if (name == "SHUTDOWN") {
    // Under -no-reboot a guest's reboot arrives as SHUTDOWN with reason
    // guest-reset: the text keeps the reason, triage reads it.
    return power("shutdown", member(data, "reason"), at_ms);
  }
  if (name == "RESET") return power("reset", member(data, "reason"), at_ms);
  if (name == "STOP") return power("paused", "", at_ms);
  if (name == "RESUME") return power("running", "", at_ms);
  if (name == "GUEST_PANICKED") return power("crashed", member(data, "action"), at_ms);
  return std::nullopt;
}

std::vector<VmEvent> vm_events_from_stderr(const std::string& line, double at_ms) {
  std::vector<VmEvent> out{{.at_ms = at_ms, .kind = VmEvent::Kind::kStderr, .text = line}};
  const auto error = [&](const char* category, std::string text) {
    out.push_back({.at_ms = at_ms,
                   .kind = VmEvent::Kind::kEmulatorError,
                   .name = category,
                   .text = std::move(text)});
  };
  if (line.find("KVM internal error") != std::string::npos) {
    error("infrastructure", "the accelerator failed (KVM internal error); try --accel tcg");
  } else if (line.find("is too large for ROM size") != std::string::npos) {
    error("rom", "the hypervisor refused the ROM: larger than the NIC's ROM size (opromsize)");
  } else if (line.find("emulation failure") != std::string::npos) {
    error("infrastructure", "the emulator failed: " + line);
  }
  return out;
}

std::optional<VmEvent> vm_event_from_status(const std::string& status, double at_ms) {
  if (status != "internal-error" && status != "io-error" && status != "shutdown-pending-error") {
    return std::nullopt;
  }
  return VmEvent{.at_ms = at_ms,
                 .kind = VmEvent::Kind::kEmulatorError,
                 .name = "infrastructure",
                 .text = "the emulator stopped the VM (QMP status " + status + ")"};
}

}  // namespace rh
