// libFuzzer target for the request-target normaliser: whatever it accepts
// must be a clean absolute path with no '..', '.' or empty segment and no
// control characters or backslashes, and normalising it again must give it
// back unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/bootserver/path_guard.h"

extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const rh::PathCheck check = rh::normalize_target(target);
  if (!check.ok()) return 0;
  const std::string& p = check.path;
  if (p.empty() || p.front() != '/') std::abort();
  if (p.find("/../") != std::string::npos || p.ends_with("/..")) std::abort();
  if (p.find("/./") != std::string::npos || p.ends_with("/.")) std::abort();
  if (p.size() > 1 && (p.find("//") != std::string::npos || p.back() == '/')) std::abort();
  for (const char c : p) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') std::abort();
  }
  // Idempotent once '%' is escaped (a decoded '%' must not be decoded again).
  std::string escaped;
  for (const char c : p) escaped += c == '%' ? std::string("%25") : std::string(1, c);
  if (escaped.find_first_of("?#") != std::string::npos) return 0;  // would be cut as a query
  const rh::PathCheck again = rh::normalize_target(escaped);
  if (!again.ok() || again.path != p) std::abort();
  return 0;
}
