#include "harness/vm/vsphere/vmware_log.h"

namespace rh::vsphere {

std::vector<std::string> guest_log_lines(std::string_view log) {
  static constexpr std::string_view kMarker = " Guest: ";
  std::vector<std::string> out;
  while (!log.empty()) {
    std::size_t end = log.find('\n');
    std::string_view line = log.substr(0, end);
    log = end == std::string_view::npos ? std::string_view() : log.substr(end + 1);
    std::size_t at = line.find(kMarker);
    if (at == std::string_view::npos) continue;
    std::string_view text = line.substr(at + kMarker.size());
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.emplace_back(text);
  }
  return out;
}

}  // namespace rh::vsphere
