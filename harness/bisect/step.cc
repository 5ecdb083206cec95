#include "harness/bisect/step.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include "harness/runner/retry.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// "make for vmware-min/bios failed (exit status 2): core/x.c:1: error: ...":
// the status and the first compiler error, for one line of the step table.
std::string build_failure_summary(const std::string& message) {
  std::string head = first_line(message);
  head = head.substr(0, head.find(';'));
  if (head.ends_with(":")) head.pop_back();
  const std::vector<std::string> errors = error_lines(message.substr(message.find('\n') + 1), 1);
  if (errors.empty() || message.find('\n') == std::string::npos) return head;
  std::string error = errors.front();
  error.erase(0, error.find_first_not_of(' '));
  return head + ": " + error;
}

std::string boot_detail(const ScenarioResult& r) {
  const std::string verdict(to_string(r.verdict));
  return r.reason.empty() ? verdict : verdict + ": " + first_line(r.reason);
}

}  // namespace

StepVerdict step_verdict(Verdict v) {
  switch (v) {
    case Verdict::kPass:
    case Verdict::kXFail:
      return StepVerdict::kGood;
    case Verdict::kFail:
    case Verdict::kTimeout:
    case Verdict::kXPass:
    case Verdict::kFlaky:
      return StepVerdict::kBad;
    case Verdict::kUnresolved:
    case Verdict::kUnsupported:
      return StepVerdict::kSkip;
  }
  return StepVerdict::kSkip;
}

StepVerdict combine_verdicts(const std::vector<StepVerdict>& verdicts) {
  const auto any = [&](StepVerdict v) {
    return std::find(verdicts.begin(), verdicts.end(), v) != verdicts.end();
  };
  if (any(StepVerdict::kBad)) return StepVerdict::kBad;
  if (verdicts.empty() || any(StepVerdict::kSkip)) return StepVerdict::kSkip;
  return StepVerdict::kGood;
}

StepEvaluator::StepEvaluator(const BisectOptions& options, const BisectTarget& target,
                             const BisectHistory& history, VmBackend* backend,
                             std::ostream& progress)
    : options_(options),
      target_(target),
      history_(history),
      backend_(backend),
      progress_(progress) {}

fs::path StepEvaluator::step_dir(const BisectStep& step) const {
  return options_.output_dir / "steps" /
         (std::to_string(step.number) + "-" + step.commit.short_hash());
}

BisectStep StepEvaluator::evaluate(std::size_t position, const CommitInfo& commit, int number) {
  const auto start = std::chrono::steady_clock::now();
  BisectStep step{.number = number, .position = position, .commit = commit};
  if (const auto rom = build(step)) {
    if (target_.scenario) {
      judge_boots(*rom, step);
    } else {
      judge_size(*rom, step);
    }
  }
  step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return step;
}

// A failed build is a skip, as `git bisect skip` for a commit that does not
// build; make's errors go to the step's directory (the builder's own log of
// the variant is overwritten by the next build).
std::optional<BuiltRom> StepEvaluator::build(BisectStep& step) {
  const BuildContext context{.ipxe_src = history_.source_at(step.commit.hash),
                             .cache_dir = options_.cache_dir,
                             .variants = options_.variants,
                             .jobs = options_.build_jobs,
                             .progress = &progress_};
  std::optional<RomBuilder> builder;
  try {
    builder.emplace(context);
    const BuiltRom rom = builder->find_or_build(target_.ref);
    step.built = !rom.cache_hit;
    step.rom_size = rom.size;
    return rom;
  } catch (const std::exception& e) {
    step.built = builder.has_value();  // make ran (and failed)
    step.verdict = StepVerdict::kSkip;
    step.detail = "build failed: " + build_failure_summary(e.what());
    const fs::path dir = step_dir(step);
    fs::create_directories(dir);
    std::ofstream(dir / "build-error.txt") << e.what() << "\n";
    progress_ << "  " << e.what() << "\n";
    return std::nullopt;
  }
}

void StepEvaluator::judge_size(const BuiltRom& rom, BisectStep& step) const {
  const std::size_t budget = *options_.budget_bytes;
  const bool fits = rom.size <= budget;
  step.verdict = fits ? StepVerdict::kGood : StepVerdict::kBad;
  step.detail = std::to_string(rom.size) + (fits ? " <= " : " > ") + std::to_string(budget) +
                " bytes" + (fits ? "" : " (+" + std::to_string(rom.size - budget) + ")");
}

// Boots the scenario with the commit's ROM in place of its own (as --rom
// does), stopping at the first bad boot: more cannot make it good.
void StepEvaluator::judge_boots(const BuiltRom& rom, BisectStep& step) {
  Scenario s = *target_.scenario;
  s.rom.file = rom.path;
  s.rom.variant.clear();
  RunContext context{.backend = backend_,
                     .report_dir = step_dir(step),
                     .payload_dir = options_.payload_dir,
                     .interrupted = options_.interrupted};
  step.artifacts = context.report_dir.string();
  const int repeat = std::max(1, options_.run.repeat);
  std::vector<StepVerdict> verdicts;
  for (int k = 1; k <= repeat; ++k) {
    context.attempt = repeat > 1 ? k : 0;
    const ScenarioResult r = run_with_retries(s, context, options_.run.retries);
    verdicts.push_back(step_verdict(r.verdict));
    step.detail += (step.detail.empty() ? "" : ", ") + boot_detail(r);
    if (verdicts.back() == StepVerdict::kBad || context.interrupted_now()) break;
  }
  step.verdict = combine_verdicts(verdicts);
  if (context.interrupted_now()) step.verdict = StepVerdict::kSkip;
}

}  // namespace rh
