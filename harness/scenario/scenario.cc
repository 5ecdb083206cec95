#include "harness/scenario/scenario.h"

namespace rh {

std::string_view payload_kernel_file(LinuxKernel k) {
  return k == LinuxKernel::kDebian ? "vmlinuz" : "vmlinuz-fast";
}

std::string StageSpec::describe() const {
  if (kind == Kind::kHttp) return "HTTP " + http_method + " " + http_path;
  return "serial /" + serial.text + "/";
}

std::string ExpectSpec::describe() const {
  if (!fail) return "pass";
  std::string out = "fail";
  if (!reached.empty()) out += " after stage '" + reached + "'";
  if (serial) out += " with serial /" + serial->text + "/";
  if (!ipxe_error.empty()) out += " with iPXE error " + ipxe_error;
  if (reason) out += " because /" + reason->text + "/";
  return out;
}

}  // namespace rh
