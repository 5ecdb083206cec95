// Everything one boot showed, on one clock (milliseconds from the VM's
// start): the console lines, the boot server's requests, the guest's GuestRPC
// calls, what the VM's host said (power state, emulator errors, its stderr),
// DNS queries and the packet capture's summary. The runner fills it as the
// boot goes; the stage tracker, the timeline, triage and the reports all read
// this one value, so they cannot disagree about what happened.
//
//   BootEvidence e;
//   e.console.push_back({12.5, "iPXE initialising devices...ok"});
//   e.http.push_back({.start_ms = 300, .method = "GET", .path = "/boot.ipxe", .status = 200});
//   Timeline t = extract_timeline(e);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/console/console_decoder.h"
#include "harness/evidence/pcap.h"

namespace rh {

struct HttpExchange {
  double start_ms = 0;  // request head arrived
  double end_ms = 0;    // response finished (or cut); = start_ms while in flight
  std::string method;
  std::string path;
  int status = 0;
  long long bytes = 0;
  bool complete = true;  // false while in flight
  bool cut = false;
  std::string fault;  // the injected fault, if any
};

struct GuestRpcCall {
  double at_ms = 0;
  std::string kind;  // open, request, reply, close, error
  std::string text;  // e.g. "info-get guestinfo.ipxe.net0.ip"
};

// Something the VM's host reported, typed so that nothing downstream has to
// know which hypervisor said it.
struct VmEvent {
  enum class Kind {
    kPower,          // name: running, paused, shutdown, reset, crashed
    kEmulatorError,  // the emulator failed (name: its category: infrastructure | rom)
    kHostLost,       // the connection to the VM's host failed mid-boot
    kStderr,         // a line the emulator printed
  };
  double at_ms = 0;
  Kind kind = Kind::kPower;
  std::string name;
  std::string text;  // e.g. a shutdown's reason, an error's message
};

struct BootEvidence {
  std::vector<ConsoleLine> console;
  std::optional<std::string> console_flooded;  // ConsoleLog::flooded()
  std::vector<HttpExchange> http;
  std::vector<GuestRpcCall> guestrpc;
  std::uint64_t guestrpc_dropped = 0;  // calls past the cap, counted only
  std::vector<VmEvent> events;
  std::vector<std::string> dns_queries;
  std::optional<CaptureSummary> capture;
  std::string capture_missing;   // why there is no capture, when there is none
  std::string guestrpc_missing;  // why there is no GuestRPC log, when there is none

  std::vector<std::string> console_text() const;  // the lines' text, in order
  // The last event of a kind, or nullptr.
  const VmEvent* last_event(VmEvent::Kind kind) const;
  // The emulator's last stderr lines, joined with newlines ("" when none).
  std::string stderr_tail(std::size_t lines = 20) const;
};

}  // namespace rh
