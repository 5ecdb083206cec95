// Naming why a boot failed, for people triaging a red run: infrastructure
// (the harness, the emulator, the host or lab), rom (not run, crashed, too
// large, wrong ids) or configuration (guestinfo, network, server, payload).
// Reads the boot's evidence: its console, the VM's events (emulator errors,
// a lost host, a reset) and what the runner knows besides.
//
//   Triage t = triage(evidence, {.timed_out = true});
//   t.failure.category;   // "configuration"
//   t.reason;             // "iPXE error 0x2d0c613b: ...; the boot server refused ..."
#pragma once

#include <optional>
#include <string>

#include "harness/core/result.h"
#include "harness/evidence/boot_evidence.h"

namespace rh {

// What the runner knows besides the evidence. Every field is optional.
struct FailureContext {
  std::string harness_error;     // a set-up or harness exception's text
  bool vm_exited_early = false;  // the VM went away before the verdict
  bool timed_out = false;
  std::optional<long long> rom_size_bytes;   // the ROM file as booted
  std::optional<long long> opromsize_bytes;  // rom.opromsize / ethernetN.opromsize
  std::optional<bool> rom_ids_match_nic;     // PCI vendor:device in the ROM vs the NIC
};

struct Triage {
  FailureInfo failure;  // category, ipxe_error ("0x3c092003"), ipxe_message
  std::string reason;   // one line for reports
};

Triage triage(const BootEvidence& evidence, const FailureContext& context = {});

}  // namespace rh
