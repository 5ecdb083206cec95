// From what a boot did to a verdict, honouring `expect: fail`.
//
//   PASS      all stages seen and the scenario expected to pass
//   FAIL      a failure pattern, the VM exiting early, or a failed extra check
//   TIMEOUT   a stage or the whole boot ran out of time
//   UNRESOLVED the emulator failed or the VM's host was lost (never XFAIL)
//   XFAIL     expected to fail, and failed the way the scenario states
//   XPASS     expected to fail, but every stage was seen
//   FAIL      expected to fail, failed, but not the way stated (reason says how)
#pragma once

#include <string>
#include <vector>

#include "harness/core/verdict.h"
#include "harness/verdict/stage_tracker.h"

namespace rh {

struct Judgement {
  Verdict verdict = Verdict::kUnresolved;
  std::string reason;
};

// `extra_failure`: a check after the boot failed (e.g. DHCP seen on a static
// network); empty when none. `serial` is the whole cleaned transcript.
Judgement judge(const Scenario& s, const BootOutcome& outcome, const std::string& last_stage,
                const std::string& extra_failure, const std::vector<std::string>& serial);

// iPXE error codes ("https://ipxe.org/2e022001" or "http://ipxe.org/err/...")
// printed in the transcript, in order.
std::vector<std::string> ipxe_error_codes(const std::vector<std::string>& serial);

}  // namespace rh
