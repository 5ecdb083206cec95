// `romharness bisect`: the iPXE commit that broke a scenario's boot, or that
// made its ROM outgrow a size budget. Each step builds the variant at one
// commit through the ROM builder and its cache (a private export of that
// commit; the user's tree is only read, a commit is never built twice) and,
// unless it bisects on size, boots the scenario on it through the runner.
//
//   BisectOptions o{.scenario = "scenarios/guestinfo/static-scriptlet.yaml",
//                   .ipxe_src = "/src/ipxe", .good = "v1.21.1", .bad = "master",
//                   .output_dir = "reports/bisect-1"};
//   BisectResult r = run_bisect(o, std::cerr);   // InputError on bad input
//   write_bisect_json(r, o.output_dir);          // reports/bisect-1/bisect.json
//   return bisect_exit_code(r);                  // 0 found, 1 not found, 130 interrupted
//
// Verdicts per commit: good (PASS, XFAIL: as the scenario expects), bad
// (FAIL, TIMEOUT, XPASS), skip (the build failed, UNRESOLVED, UNSUPPORTED),
// like `git bisect skip`. With --repeat N a commit is bad when any boot is
// bad, good only when all N are good, else skipped.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/bisect/history.h"
#include "harness/bisect/search.h"
#include "harness/runner/run.h"
#include "harness/vm/registry.h"

namespace rh {

struct BisectOptions {
  std::filesystem::path scenario;  // scenario file; may be empty with budget_bytes
  std::string ipxe_src;            // git tree (top or src/) or git URL; empty: $ROMHARNESS_IPXE_SRC
  std::string good;                // a revision that boots (or fits the budget)
  std::string bad;                 // a later one that does not
  std::string variant;             // SET[/NIC[/PLATFORM]]; picks the scenario file's row too
  std::optional<std::size_t> budget_bytes;        // set: good iff the ROM fits, nothing booted
  std::filesystem::path output_dir;               // steps/<n>-<commit>/ artifacts; must be given
  std::filesystem::path variants = "rom-builds";  // variant file or directory
  std::filesystem::path cache_dir;                // ROM cache; empty: cache_root()
  int build_jobs = 2;                             // make -j
  RunSettings run;                    // .repeat: boots per commit; .retries: after infra failures
  std::string backend = "qemu";       // registry name
  BackendOptions backend_options;     // work_dir empty: output_dir/.setup
  std::filesystem::path payload_dir;  // empty: <cache root>/payload/current
  VmBackend* vm_backend = nullptr;    // already made (tests); else made from `backend`
  const std::atomic<bool>* interrupted = nullptr;
};

struct BisectStep {
  int number = 0;            // 1.. in the order tested
  std::size_t position = 0;  // 0 good revision, 1..range candidates (range: the bad one)
  CommitInfo commit;
  StepVerdict verdict = StepVerdict::kSkip;
  std::string detail;  // "PASS", "FAIL: reason", "build failed: ...", "74240 > 73728 bytes"
  std::optional<std::size_t> rom_size;
  bool built = false;  // a build ran for it (false: served from the cache)
  double seconds = 0;
  std::string artifacts;  // the step's boot artifacts, empty without a boot
};

struct BisectResult {
  std::string mode;      // "boot" or "size"
  std::string scenario;  // the row's name, empty when size only
  std::string variant;   // SET/NIC/PLATFORM
  std::optional<std::size_t> budget_bytes;
  std::string source;  // the repository read
  CommitInfo good, bad;
  std::size_t range = 0;  // candidates in good..bad (first-parent), the bad one included
  bool found = false;
  CommitInfo first_bad;
  // Not found: why. Found: empty, or why the answer rests on an untested endpoint.
  std::string reason;
  std::vector<CommitInfo> suspects;  // not found after skips: where the first bad one is
  std::vector<BisectStep> steps;
  int builds = 0;  // builds run (failed ones included); cache hits are not builds
  bool interrupted = false;
};

BisectResult run_bisect(const BisectOptions& options, std::ostream& progress);

int bisect_exit_code(const BisectResult& result);  // 0 found, 1 not found, 130 interrupted

}  // namespace rh
