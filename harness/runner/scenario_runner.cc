#include "harness/runner/scenario_runner.h"

#include "harness/runner/boot.h"
#include "harness/runner/boot_plan_for.h"
#include "harness/runner/requirements.h"
#include "harness/runner/rom_preparation.h"
#include "harness/verdict/triage.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

ScenarioResult base_result(const Scenario& s, const RunContext& ctx) {
  ScenarioResult r;
  r.name = s.name;
  r.file = s.file.string();
  r.nic = s.nic;
  r.firmware = std::string(to_string(s.firmware));
  r.backend = ctx.backend->name();
  r.accel = ctx.backend->accel();
  r.rom.path = s.rom.file.string();
  r.rom.variant = s.rom.variant;
  for (const auto& st : s.stages) r.stages.push_back({st.name, st.describe(), {}});
  return r;
}

void boot_scenario(const Scenario& s, const RunContext& ctx, ScenarioResult& r) {
  const fs::path dir = artifacts_dir_for(ctx.report_dir, s.name, ctx.attempt);
  BootPlan plan = plan_for(s, s.rom.file, dir);
  if (auto why = unsupported_reason(s, plan, ctx)) {
    r.verdict = Verdict::kUnsupported;
    r.reason = *why;
    return;
  }
  fs::create_directories(dir);
  PreparedRom rom = prepare_rom(s, ctx, dir);
  r.rom = rom.info;
  if (rom.rejected) return judge_rejected_rom(s, rom, r);
  plan.rom = rom.file;
  Boot(s, ctx, std::move(plan), std::move(rom), r).run();
}

}  // namespace

fs::path artifacts_dir_for(const fs::path& report_dir, const std::string& scenario_name,
                           int attempt) {
  const fs::path dir = report_dir / scenario_name;
  return attempt == 0 ? dir : dir / ("attempt-" + std::to_string(attempt));
}

Scenario with_rom_file(const Scenario& s, const RunContext& ctx) {
  if (s.rom.variant.empty()) return s;
  for (const std::string& key : {s.rom.variant + "/" + s.rom.variant_nic, s.rom.variant}) {
    if (auto it = ctx.rom_files.find(key); it != ctx.rom_files.end()) {
      Scenario copy = s;
      copy.rom.file = it->second;
      copy.rom.variant.clear();
      return copy;
    }
  }
  return s;
}

ScenarioResult run_scenario(const Scenario& original, const RunContext& ctx) {
  const Scenario s = with_rom_file(original, ctx);
  ScenarioResult r = base_result(s, ctx);
  r.rom.variant = original.rom.variant;
  const auto start = Clock::now();
  try {
    boot_scenario(s, ctx, r);
  } catch (const std::exception& e) {
    r.verdict = Verdict::kUnresolved;
    r.reason = e.what();
    r.failure = triage({}, FailureContext{.harness_error = e.what()}).failure;
  }
  r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return r;
}

}  // namespace rh
