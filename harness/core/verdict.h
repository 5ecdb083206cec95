// Outcome of one scenario, in the manner of LLVM lit's result codes: each
// verdict knows whether it counts as a failure of the run.
//
//   Verdict v = Verdict::kXFail;
//   is_failure(v);          // false: the scenario failed the way it said it would
//   to_string(v);           // "XFAIL"
#pragma once

#include <optional>
#include <string_view>

namespace rh {

enum class Verdict {
  kPass,         // every expected stage seen
  kFail,         // a failure pattern matched, or the VM stopped before the last stage
  kTimeout,      // a stage or the whole boot ran past its deadline
  kUnresolved,   // the harness itself failed (QEMU would not start, server error...)
  kUnsupported,  // the scenario needs something this run cannot provide; carries a reason
  kXFail,        // `expect: fail` and it failed as stated
  kXPass,        // `expect: fail` but it passed (or failed in another way)
  kFlaky,        // --repeat runs disagreed
};

std::string_view to_string(Verdict v);
std::optional<Verdict> verdict_from_string(std::string_view s);

// True when the verdict makes `romharness run` exit 1.
bool is_failure(Verdict v, bool allow_flaky = false);

}  // namespace rh
