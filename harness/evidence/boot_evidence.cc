#include "harness/evidence/boot_evidence.h"

#include <algorithm>

namespace rh {

std::vector<std::string> BootEvidence::console_text() const {
  std::vector<std::string> out;
  out.reserve(console.size());
  for (const auto& line : console) out.push_back(line.text);
  return out;
}

const VmEvent* BootEvidence::last_event(VmEvent::Kind kind) const {
  const auto it = std::find_if(events.rbegin(), events.rend(),
                               [kind](const VmEvent& e) { return e.kind == kind; });
  return it == events.rend() ? nullptr : &*it;
}

std::string BootEvidence::stderr_tail(std::size_t lines) const {
  std::vector<const std::string*> picked;
  for (auto it = events.rbegin(); it != events.rend() && picked.size() < lines; ++it) {
    if (it->kind == VmEvent::Kind::kStderr) picked.push_back(&it->text);
  }
  std::string out;
  std::for_each(picked.rbegin(), picked.rend(), [&out](const std::string* line) {
    if (!out.empty()) out += '\n';
    out += *line;
  });
  return out;
}

}  // namespace rh
