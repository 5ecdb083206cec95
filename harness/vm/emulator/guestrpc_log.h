// The patched QEMU's guestrpc.log (the scenario's vmware.log), one call per
// line: `<CLOCK_MONOTONIC ns> ch=<n> <kind> "<C-escaped text>"`, read while
// the VM runs into the evidence's typed GuestRPC calls.
//
//   GuestRpcCall c;
//   parse_guestrpc_line("123 ch=0 request \"info-get guestinfo.ipxe.ip\"", origin, c);
#pragma once

#include <chrono>
#include <string>

#include "harness/evidence/boot_evidence.h"

namespace rh {

// False for a line that is not a call (a marker, garbage): guest input is untrusted.
bool parse_guestrpc_line(const std::string& line, std::chrono::steady_clock::time_point origin,
                         GuestRpcCall& out);

}  // namespace rh
