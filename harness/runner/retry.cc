#include "harness/runner/retry.h"

#include "harness/runner/scenario_runner.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// Moves the attempt's artifacts aside; returns where they went (relative to
// the report dir), or "" when there were none.
std::string keep_attempt_artifacts(const ScenarioResult& r, const RunContext& ctx, int attempt) {
  const fs::path dir = artifacts_dir_for(ctx.report_dir, r.name, ctx.attempt);
  if (!fs::exists(dir)) return "";
  const fs::path kept = dir.string() + ".attempt-" + std::to_string(attempt);
  std::error_code ec;
  fs::remove_all(kept, ec);
  fs::rename(dir, kept, ec);
  if (ec) return "";
  return fs::relative(kept, ctx.report_dir).string();
}

}  // namespace

bool is_retryable(const ScenarioResult& r) {
  return r.verdict == Verdict::kUnresolved && r.failure.category == "infrastructure" &&
         r.reason != "interrupted before the boot finished";
}

ScenarioResult run_with_retries(const Scenario& s, const RunContext& ctx, int retries) {
  std::vector<RetriedAttempt> failed;
  bool lost_host_retried = false;
  for (int attempt = 1;; ++attempt) {
    ScenarioResult r = run_scenario(s, ctx);
    const bool host_retry = r.host_lost && !lost_host_retried;
    const bool budget_left = static_cast<int>(failed.size()) < retries || host_retry;
    if (!is_retryable(r) || !budget_left || ctx.interrupted_now()) {
      r.retried = std::move(failed);
      return r;
    }
    if (r.host_lost) lost_host_retried = true;
    failed.push_back({.attempt = attempt,
                      .verdict = r.verdict,
                      .reason = r.reason,
                      .host = r.host,
                      .artifacts_dir = keep_attempt_artifacts(r, ctx, attempt),
                      .duration_ms = r.duration_ms});
  }
}

}  // namespace rh
