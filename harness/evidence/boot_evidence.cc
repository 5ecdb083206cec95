#include "harness/evidence/boot_evidence.h"

namespace rh {

std::vector<std::string> BootEvidence::console_text() const {
  std::vector<std::string> out;
  out.reserve(console.size());
  for (const auto& line : console) out.push_back(line.text);
  return out;
}

const VmEvent* BootEvidence::last_event(VmEvent::Kind kind) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->kind == kind) return &*it;
  }
  return nullptr;
}

std::string BootEvidence::stderr_tail(std::size_t lines) const {
  std::vector<const std::string*> picked;
  for (auto it = events.rbegin(); it != events.rend() && picked.size() < lines; ++it) {
    if (it->kind == VmEvent::Kind::kStderr) picked.push_back(&it->text);
  }
  std::string out;
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
    out += (out.empty() ? "" : "\n") + **it;
  }
  return out;
}

}  // namespace rh
