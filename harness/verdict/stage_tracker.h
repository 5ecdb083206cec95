// Follows one boot against its scenario: expected stages in order, failure
// patterns that end the boot at once, per-stage and total deadlines, and the
// VM going away. Pure logic fed with observations, so it is tested without
// booting anything.
//
// Each source (serial, HTTP) keeps its own order, but the two are not
// ordered against each other: a console read through libvirt can arrive
// seconds after the HTTP requests the same boot made meanwhile. So an
// observation that matches a later stage waits in a backlog and counts when
// its stage comes up, unless a later one of its own source was used first.
//
//   StageTracker t(scenario);
//   t.on_serial(12.5, "iPXE initialising devices...ok");
//   t.on_http(300.0, "GET", "/boot.ipxe");
//   t.on_time(now_ms);                 // deadlines
//   t.on_event(vm_event);              // an emulator failure ends the boot
//   if (t.finished()) use(t.outcome(), t.stages());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/result.h"
#include "harness/evidence/boot_evidence.h"
#include "harness/scenario/scenario.h"

namespace rh {

struct BootOutcome {
  enum class Kind {
    kRunning,
    kAllStagesSeen,
    kFailurePattern,  // a fail_on pattern matched
    kVmExited,        // before the last stage
    kStageTimeout,
    kTotalTimeout,
    kRejectedBeforeBoot,  // the ROM failed a check (size, image type) and never ran
    kEmulatorFailure,     // the emulator gave up (detail: why); not the ROM's doing
    kHostLost,            // the VM's host stopped answering
    kFlooded,             // the guest flooded its console; the transcript stopped growing
  };
  Kind kind = Kind::kRunning;
  std::string detail;       // matched line, exit status...
  std::string waiting_for;  // stage not reached, empty when all seen
  double at_ms = 0;
};

class StageTracker {
 public:
  explicit StageTracker(const Scenario& scenario);

  void on_serial(double at_ms, const std::string& line);
  void on_http(double at_ms, const std::string& method, const std::string& path);
  void on_time(double now_ms);
  void on_exit(double at_ms, const std::string& how);
  // Emulator errors of the "infrastructure" category and a lost host end the
  // boot at once; other events are evidence only.
  void on_event(const VmEvent& event);
  void on_flood(double at_ms, const std::string& why);

  bool finished() const { return outcome_.kind != BootOutcome::Kind::kRunning; }
  const BootOutcome& outcome() const { return outcome_; }
  const std::vector<StageResult>& stages() const { return results_; }
  std::string last_stage_seen() const;  // empty when none

 private:
  // One serial line or HTTP request, numbered in arrival order.
  struct Observation {
    StageSpec::Kind source = StageSpec::Kind::kSerial;
    double at_ms = 0;
    std::uint64_t seq = 0;
    std::string line;          // kSerial
    std::string method, path;  // kHttp
  };
  bool matches(std::size_t stage, const Observation& o) const;
  void observe(Observation o);
  void consume(Observation used);
  void advance(double at_ms);
  void finish(BootOutcome::Kind kind, double at_ms, std::string detail);
  const StageSpec* current() const;

  const Scenario& scenario_;
  std::vector<StageResult> results_;
  std::size_t next_ = 0;
  double last_seen_ms_ = 0;
  BootOutcome outcome_;
  std::vector<Observation> backlog_;  // matches a stage after the current one
  std::uint64_t next_seq_ = 0;
};

// Wording for reports: "stage 'userspace' (serial /MARKER/) not seen within 30s".
std::string describe_outcome(const BootOutcome& o, const Scenario& s);

}  // namespace rh
