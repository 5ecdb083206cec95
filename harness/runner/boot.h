// One boot of one scenario through the VM seam: the boot server (and DNS
// responder) started where the backend says, the VM started from the plan,
// its evidence gathered as it comes (console, HTTP, GuestRPC, VM events) and
// fed to the stage tracker until the boot ends, then the VM and servers
// stopped and the evidence judged.
//
//   Boot(scenario, context, plan, rom, result).run();   // throws SetupError
#pragma once

#include <memory>
#include <optional>

#include "harness/bootserver/boot_server.h"
#include "harness/bootserver/dns_responder.h"
#include "harness/core/result.h"
#include "harness/evidence/boot_evidence.h"
#include "harness/runner/rom_preparation.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"
#include "harness/verdict/stage_tracker.h"
#include "harness/vm/vm_backend.h"

namespace rh {

class Boot {
 public:
  Boot(const Scenario& s, const RunContext& ctx, BootPlan plan, PreparedRom rom,
       ScenarioResult& result);
  ~Boot();
  Boot(const Boot&) = delete;
  Boot& operator=(const Boot&) = delete;

  void run();

 private:
  void start_servers();
  void start_vm();
  void watch();
  void take_evidence();
  void follow_link(double now_ms);
  void report_stage(std::string& last_reported);
  void stop_all();
  void collect();
  std::string post_boot_check(std::string& unsupported) const;
  void judge_boot(const std::string& extra_failure, const std::string& unsupported);
  void record_artifacts();

  const Scenario& s_;
  const RunContext& ctx_;
  BootPlan plan_;
  PreparedRom rom_;
  ScenarioResult& r_;
  StageTracker tracker_{s_};
  BootEvidence evidence_;
  BootEndpoints where_;
  std::optional<BootServer> server_;
  std::optional<DnsResponder> dns_;
  std::unique_ptr<VmSession> vm_;
  std::size_t http_seen_ = 0;
  bool link_raised_ = false;
  bool interrupted_ = false;
  bool out_of_run_time_ = false;
};

// The verdict of a ROM that never booted (too large, unreadable...).
void judge_rejected_rom(const Scenario& s, const PreparedRom& rom, ScenarioResult& r);

}  // namespace rh
