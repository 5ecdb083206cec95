// Boot phases on one monotonic clock, extracted from every log a boot leaves:
// serial console lines, the boot server's request log, GuestRPC traffic and
// QMP events. The runner converts each source to milliseconds from VM start
// before calling; this code only recognises phases, it never guesses one
// that no source shows (those are listed in `missing`).
//
//   TimelineInputs in;
//   in.serial = {{135.0, "SeaBIOS (version 1.16.2)"}, {275.6, "iPXE initialising devices...ok"}};
//   in.http = {{5497.1, 5525.8, "GET", "/boot.ipxe", 200, 126}};
//   Timeline t = extract_timeline(in);
//   // t.phases: vm-start@0, firmware-first-output@135, rom-banner@275.6, ...
//   // t.missing: {"rom-start", "first-guestinfo-read", ...}
#pragma once

#include <string>
#include <vector>

#include "harness/core/result.h"

namespace rh {

struct SerialLine {
  double at_ms = 0;  // when the line arrived
  std::string text;  // raw, ANSI escapes and all
};

struct HttpRequest {
  double start_ms = 0;
  double end_ms = 0;
  std::string method;
  std::string path;
  int status = 0;
  long long bytes = 0;
};

struct GuestRpcEvent {
  double at_ms = 0;
  std::string kind;  // open, request, reply, close, error
  std::string text;  // e.g. "info-get guestinfo.ipxe.net0.ip"
};

struct QmpEvent {
  double at_ms = 0;
  std::string name;  // e.g. SHUTDOWN, RESET, STOP
};

struct TimelineInputs {
  std::vector<SerialLine> serial;
  std::vector<HttpRequest> http;
  std::vector<GuestRpcEvent> guestrpc;
  std::vector<QmpEvent> qmp;
};

struct Timeline {
  std::vector<Phase> phases;         // ordered by time
  std::vector<std::string> missing;  // expected phases no source showed, in boot order
};

// Phase names, in boot order. download-done is one phase per successful
// request, named "download-done:<path>"; it is missing when there was none.
namespace phase {
inline constexpr const char* kVmStart = "vm-start";
inline constexpr const char* kFirmwareFirstOutput = "firmware-first-output";
inline constexpr const char* kRomBanner = "rom-banner";
inline constexpr const char* kRomStart = "rom-start";
inline constexpr const char* kIpxeDevicesInitialised = "ipxe-devices-initialised";
inline constexpr const char* kFirstGuestinfoRead = "first-guestinfo-read";
inline constexpr const char* kNetworkConfigured = "network-configured";
inline constexpr const char* kFirstHttpRequest = "first-http-request";
inline constexpr const char* kDownloadDone = "download-done";
inline constexpr const char* kKernelStart = "kernel-start";
inline constexpr const char* kUserspaceMarker = "userspace-marker";
inline constexpr const char* kVmShutdown = "vm-shutdown";  // QMP SHUTDOWN; never "missing"
}  // namespace phase

// The expected phases in boot order (download-done without a path).
const std::vector<std::string>& expected_phase_names();

Timeline extract_timeline(const TimelineInputs& in);

}  // namespace rh
