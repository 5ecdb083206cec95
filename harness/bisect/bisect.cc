#include "harness/bisect/bisect.h"

#include <cmath>
#include <cstdlib>
#include <memory>

#include "harness/bisect/step.h"
#include "harness/bisect/target.h"
#include "harness/core/cache_root.h"
#include "harness/core/error.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

BisectOptions with_defaults(BisectOptions o) {
  if (o.output_dir.empty()) throw InputError("bisect needs an output directory");
  if (o.run.repeat < 1) {
    throw InputError("bisect --repeat must be at least 1, got " + std::to_string(o.run.repeat));
  }
  if (o.budget_bytes && *o.budget_bytes == 0)
    throw InputError("a size budget of 0 bytes fits nothing");
  if (o.ipxe_src.empty()) {
    if (const char* env = std::getenv("ROMHARNESS_IPXE_SRC")) o.ipxe_src = env;
  }
  if (o.cache_dir.empty()) o.cache_dir = cache_root();
  if (o.payload_dir.empty()) o.payload_dir = cache_root() / "payload" / "current";
  if (o.backend_options.work_dir.empty()) o.backend_options.work_dir = o.output_dir / ".setup";
  if (o.backend_options.run_id.empty()) o.backend_options.run_id = "bisect-" + new_run_id();
  return o;
}

int expected_steps(std::size_t candidates) {
  return static_cast<int>(std::ceil(std::log2(static_cast<double>(candidates))));
}

void print_step(const BisectStep& s, std::size_t range, std::ostream& out) {
  out << "bisect step " << s.number << ": [" << s.position << "/" << range << "] "
      << s.commit.short_hash() << " " << to_string(s.verdict) << "  " << s.detail;
  if (s.rom_size) out << " (" << *s.rom_size << " bytes, " << (s.built ? "built" : "cached") << ")";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", s.seconds);
  out << " " << seconds << " s  " << s.commit.subject << "\n" << std::flush;
}

void fill_outcome(const SearchOutcome& outcome, const std::vector<CommitInfo>& commits,
                  BisectResult& r) {
  const std::string good = r.good.short_hash();
  const std::string bad = r.bad.short_hash();
  switch (outcome.kind) {
    case SearchOutcome::Kind::kFound:
      r.found = true;
      r.first_bad = commits[outcome.first_bad];
      if (outcome.unverified) {
        r.reason = "an endpoint could not be tested (skip): the answer trusts that good " + good +
                   " is good and bad " + bad + " is bad";
      }
      return;
    case SearchOutcome::Kind::kAmbiguous:
      r.reason = "only skipped commits are left to test: the first bad commit is one of " +
                 std::to_string(outcome.range.size()) + " (suspects)";
      for (const std::size_t p : outcome.range) r.suspects.push_back(commits[p]);
      return;
    case SearchOutcome::Kind::kBadIsGood:
      r.reason = "bad revision " + bad + " tested good: nothing broke between " + good + " and " +
                 bad +
                 (r.mode == "boot" ? " for this scenario (a flaky failure? try a repeat)" : "");
      return;
    case SearchOutcome::Kind::kGoodIsBad:
      r.reason = "good revision " + good + " tested bad: it broke before " + good +
                 "; bisect from an older good revision";
      return;
  }
}

}  // namespace

int bisect_exit_code(const BisectResult& result) {
  if (result.interrupted) return 130;
  return result.found ? 0 : 1;
}

BisectResult run_bisect(const BisectOptions& given, std::ostream& progress) {
  const BisectOptions o = with_defaults(given);
  const BisectTarget target =
      pick_target(o.scenario, o.variant, o.budget_bytes.has_value(), o.variants);
  const BisectHistory history = open_history(o.ipxe_src, o.cache_dir, o.bad);
  const std::string good = history.resolve(o.good, "good");
  const std::string bad = history.resolve(o.bad, "bad");
  history.check_order(good, bad);
  std::vector<CommitInfo> commits = history.candidates(good, bad);
  commits.insert(commits.begin(), history.info(good));

  BisectResult r{.mode = o.budget_bytes ? "size" : "boot",
                 .scenario = target.scenario ? target.scenario->name : "",
                 .variant = target.label(),
                 .budget_bytes = o.budget_bytes,
                 .source = history.where(),
                 .good = commits.front(),
                 .bad = commits.back(),
                 .range = commits.size() - 1};
  fs::create_directories(o.output_dir);
  progress << "bisect: " << r.range << " commits in " << r.good.short_hash() << ".."
           << r.bad.short_hash() << " (first parent), about " << expected_steps(r.range)
           << " steps; " << r.variant << ", "
           << (o.budget_bytes ? "budget " + std::to_string(*o.budget_bytes) + " bytes"
                              : "scenario " + r.scenario)
           << "\n";

  std::unique_ptr<VmBackend> owned;
  VmBackend* backend = o.vm_backend;
  if (target.scenario && backend == nullptr) {
    owned = make_backend(o.backend, o.backend_options);
    backend = owned.get();
  }
  if (backend != nullptr) {
    progress << "bisect: " << backend->describe() << "\n";
    for (const auto& line : backend->sweep_leftovers()) progress << "bisect: " << line << "\n";
  }

  StepEvaluator evaluator(o, target, history, backend, progress);
  BisectSearch search(r.range);
  const auto interrupted = [&] { return o.interrupted != nullptr && o.interrupted->load(); };
  while (const auto at = search.next()) {
    if (interrupted()) break;
    BisectStep step = evaluator.evaluate(*at, commits[*at], static_cast<int>(r.steps.size()) + 1);
    r.builds += step.built ? 1 : 0;
    print_step(step, r.range, progress);
    r.steps.push_back(step);
    if (interrupted()) break;  // the step's verdict may be the interruption's
    search.mark(*at, step.verdict);
  }
  if (interrupted()) {
    r.interrupted = true;
    r.reason = "interrupted after " + std::to_string(r.steps.size()) + " steps";
    return r;
  }
  fill_outcome(search.outcome(), commits, r);
  return r;
}

}  // namespace rh
