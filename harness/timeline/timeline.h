// Boot phases on one monotonic clock, read from a boot's evidence: console
// lines, the boot server's requests, GuestRPC calls and the VM's power
// events, all already in milliseconds from VM start. This code only
// recognises phases; it never guesses one that no source shows (those are
// listed in `missing`).
//
//   BootEvidence e;
//   e.console = {{135.0, "SeaBIOS (version 1.16.2)"}, {275.6, "iPXE initialising devices...ok"}};
//   e.http = {{.start_ms = 5497.1, .end_ms = 5525.8, .method = "GET", .path = "/boot.ipxe",
//              .status = 200}};
//   Timeline t = extract_timeline(e);
//   // t.phases: vm-start@0, firmware-first-output@135, rom-banner@275.6, ...
//   // t.missing: {"rom-start", "first-guestinfo-read", ...}
#pragma once

#include <string>
#include <vector>

#include "harness/core/result.h"
#include "harness/evidence/boot_evidence.h"

namespace rh {

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
inline constexpr const char* kVmShutdown = "vm-shutdown";  // a power event; never "missing"
}  // namespace phase

// The expected phases in boot order (download-done without a path).
const std::vector<std::string>& expected_phase_names();

Timeline extract_timeline(const BootEvidence& evidence);

}  // namespace rh
