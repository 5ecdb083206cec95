// One step of a bisection: the variant built at one commit (through the ROM
// builder and its cache), then judged on its size or by booting the
// scenario on it through the runner, `repeat` times.
//
//   StepEvaluator eval(options, target, history, backend, progress);
//   BisectStep step = eval.evaluate(3, commits[3], /*number=*/1);
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include "harness/bisect/bisect.h"
#include "harness/bisect/target.h"

namespace rh {

// PASS/XFAIL good; FAIL/TIMEOUT/XPASS/FLAKY bad; UNRESOLVED/UNSUPPORTED skip.
StepVerdict step_verdict(Verdict v);
// Over repeated boots: bad if any is bad, good if all are good, else skip.
StepVerdict combine_verdicts(const std::vector<StepVerdict>& verdicts);

class StepEvaluator {
 public:
  // `backend` may be null when bisecting on size.
  StepEvaluator(const BisectOptions& options, const BisectTarget& target,
                const BisectHistory& history, VmBackend* backend, std::ostream& progress);
  BisectStep evaluate(std::size_t position, const CommitInfo& commit, int number);

 private:
  std::optional<BuiltRom> build(BisectStep& step);
  void judge_size(const BuiltRom& rom, BisectStep& step) const;
  void judge_boots(const BuiltRom& rom, BisectStep& step);
  std::filesystem::path step_dir(const BisectStep& step) const;

  const BisectOptions& options_;
  const BisectTarget& target_;
  const BisectHistory& history_;
  VmBackend* backend_;
  std::ostream& progress_;
};

}  // namespace rh
