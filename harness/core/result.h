// Finished results: what a run produced, independent of how it was produced.
// The runner fills these in; reporters (JUnit, JSON, HTML, history) only read
// them. Times are milliseconds from the VM's start on the monotonic clock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/self_usage.h"
#include "harness/core/verdict.h"

namespace rh {

// One expected stage of a scenario (serial pattern or HTTP request) and when
// it was seen, if ever.
struct StageResult {
  std::string name;
  std::string expectation;      // e.g. "serial /Linux version/" or "HTTP GET /vmlinuz"
  std::optional<double> at_ms;  // from VM start; empty when never seen
};

// A point on the boot timeline (issue: timeline). `source` says which log it
// came from: serial, http, qmp, guestrpc, harness.
struct Phase {
  std::string name;
  double at_ms = 0;
  std::string source;
};

// The ROM a scenario booted and where it came from.
struct RomInfo {
  std::string path;
  std::string variant;  // empty when the scenario gave a file
  std::optional<long long> size_bytes;
  std::string sha256;
  std::optional<long long> budget_bytes;
  std::map<std::string, std::string> provenance;  // ipxe_commit, config_hash, compiler, built_at
};

// Why a failing scenario failed, for triage: infrastructure (harness, QEMU,
// lab), rom (not run, crashed, too large, wrong ids) or configuration
// (guestinfo, network, server). Empty for passes.
struct FailureInfo {
  std::string category;      // "", "infrastructure", "rom", "configuration"
  std::string ipxe_error;    // e.g. "0x3c092003" when iPXE printed an error URL
  std::string ipxe_message;  // decoded text of ipxe_error
};

// An attempt that failed for an infrastructure reason and was run again
// (--retries, or a host that stopped answering). Test failures never are.
struct RetriedAttempt {
  int attempt = 1;  // 1 = the first boot
  Verdict verdict = Verdict::kUnresolved;
  std::string reason;
  std::string host;
  std::string artifacts_dir;  // relative to the report dir; the attempt's own artifacts
  double duration_ms = 0;
};

struct ScenarioResult {
  std::string name;  // matrix-expanded, e.g. "smoke/dhcp-linux/vmxnet3-bios"
  std::string file;  // scenario file it came from
  Verdict verdict = Verdict::kUnresolved;
  std::string reason;         // one line; why it is not a PASS (or which stage XFAIL stopped at)
  std::string stage_reached;  // last expected stage seen
  FailureInfo failure;
  std::string nic;
  std::string firmware;
  std::string accel;
  std::string backend;
  std::string host;  // where the VM ran when not this machine (a libvirt URI, a lab host)
  RomInfo rom;
  std::vector<StageResult> stages;
  std::vector<Phase> phases;
  std::vector<std::string> missing_phases;  // expected timeline phases never seen (not guessed)
  std::vector<std::string> last_serial_lines;
  std::map<std::string, std::string> artifacts;  // name -> path relative to the report dir
  double duration_ms = 0;                        // wall time the scenario took, set-up included
  int attempts = 1;                              // > 1 with --repeat
  std::vector<RetriedAttempt> retried;           // infrastructure failures run again
  bool host_lost = false;  // the VM's host stopped answering (retried once on another host)
  std::map<std::string, std::vector<double>> phase_samples;  // per phase, one per attempt
};

struct RunResult {
  int schema_version = 1;
  std::string run_id;      // e.g. "20261129-013624-4f2a"
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at;
  std::string host;
  std::vector<std::string> command_line;
  bool interrupted = false;
  std::vector<std::string> warnings;  // the run's own trouble (a report it could not write)
  // What the run did that a reader must know: a boot server bound beyond
  // loopback, TLS verification turned off (VmBackend::notices()).
  std::vector<std::string> notices;
  // romharness itself before the first boot and after the last: a leak over
  // many boots shows as growth (bench/soak).
  ProcessUsage usage_at_start;
  ProcessUsage usage_at_end;
  std::vector<ScenarioResult> scenarios;
};

}  // namespace rh
