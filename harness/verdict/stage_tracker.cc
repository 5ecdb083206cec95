#include "harness/verdict/stage_tracker.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>

namespace rh {
namespace {

constexpr std::size_t kMaxBacklog = 256;

std::string seconds(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", ms / 1000.0);
  return buffer;
}

}  // namespace

StageTracker::StageTracker(const Scenario& scenario) : scenario_(scenario) {
  for (const auto& st : scenario.stages) results_.push_back({st.name, st.describe(), {}});
}

const StageSpec* StageTracker::current() const {
  return next_ < scenario_.stages.size() ? &scenario_.stages[next_] : nullptr;
}

// The stage's time never goes back before the previous stage's, so phases
// stay in order on the timeline even when the console arrived late.
void StageTracker::advance(double at_ms) {
  last_seen_ms_ = std::max(last_seen_ms_, at_ms);
  results_[next_].at_ms = last_seen_ms_;
  ++next_;
  if (next_ == scenario_.stages.size())
    finish(BootOutcome::Kind::kAllStagesSeen, last_seen_ms_, "");
}

bool StageTracker::matches(std::size_t stage, const Observation& o) const {
  const StageSpec& st = scenario_.stages[stage];
  if (st.kind != o.source) return false;
  if (o.source == StageSpec::Kind::kSerial) return st.serial.search(o.line);
  return st.http_method == o.method && ::fnmatch(st.http_path.c_str(), o.path.c_str(), 0) == 0;
}

void StageTracker::observe(Observation o) {
  if (next_ >= scenario_.stages.size()) return;
  o.seq = next_seq_++;
  if (matches(next_, o)) {
    consume(std::move(o));
    return;
  }
  bool later = false;
  for (std::size_t i = next_ + 1; i < scenario_.stages.size() && !later; ++i) {
    later = matches(i, o);
  }
  // Bounded: a guest repeating one request cannot grow it without end.
  if (later && backlog_.size() < kMaxBacklog) backlog_.push_back(std::move(o));
}

// Advances past the current stage with `o`, then lets the backlog serve the
// stages that follow. What a source saw before the observation used is spent.
void StageTracker::consume(Observation used) {
  for (;;) {
    std::erase_if(backlog_, [&](const Observation& b) {
      return b.source == used.source && b.seq <= used.seq;
    });
    advance(used.at_ms);
    if (finished()) return;
    auto waiting = std::find_if(backlog_.begin(), backlog_.end(),
                                [&](const Observation& b) { return matches(next_, b); });
    if (waiting == backlog_.end()) return;
    used = *waiting;
  }
}

void StageTracker::finish(BootOutcome::Kind kind, double at_ms, std::string detail) {
  if (finished()) return;
  outcome_.kind = kind;
  outcome_.at_ms = at_ms;
  outcome_.detail = std::move(detail);
  if (const StageSpec* st = current()) outcome_.waiting_for = st->name;
}

void StageTracker::on_serial(double at_ms, const std::string& line) {
  if (finished()) return;
  for (const auto& p : scenario_.fail_on) {
    if (p.search(line)) {
      finish(BootOutcome::Kind::kFailurePattern, at_ms,
             "serial matched failure pattern /" + p.text + "/: " + line);
      return;
    }
  }
  observe({.source = StageSpec::Kind::kSerial, .at_ms = at_ms, .line = line});
}

void StageTracker::on_http(double at_ms, const std::string& method, const std::string& path) {
  if (finished()) return;
  observe({.source = StageSpec::Kind::kHttp, .at_ms = at_ms, .method = method, .path = path});
}

void StageTracker::on_time(double now_ms) {
  if (finished()) return;
  if (now_ms > static_cast<double>(scenario_.timeout.count())) {
    finish(BootOutcome::Kind::kTotalTimeout, now_ms,
           "whole boot ran past " + seconds(static_cast<double>(scenario_.timeout.count())));
    return;
  }
  const StageSpec* st = current();
  if (st != nullptr && st->timeout &&
      now_ms - last_seen_ms_ > static_cast<double>(st->timeout->count())) {
    finish(BootOutcome::Kind::kStageTimeout, now_ms,
           "not seen within " + seconds(static_cast<double>(st->timeout->count())));
  }
}

void StageTracker::on_exit(double at_ms, const std::string& how) {
  finish(BootOutcome::Kind::kVmExited, at_ms, "VM exited (" + how + ")");
}

void StageTracker::on_event(const VmEvent& event) {
  if (event.kind == VmEvent::Kind::kHostLost) {
    finish(BootOutcome::Kind::kHostLost, event.at_ms,
           "the VM's host stopped answering: " + event.text);
  } else if (event.kind == VmEvent::Kind::kEmulatorError && event.name == "infrastructure") {
    finish(BootOutcome::Kind::kEmulatorFailure, event.at_ms, event.text);
  }
}

void StageTracker::on_flood(double at_ms, const std::string& why) {
  finish(BootOutcome::Kind::kFlooded, at_ms, why);
}

std::string StageTracker::last_stage_seen() const {
  return next_ == 0 ? "" : results_[next_ - 1].name;
}

std::string describe_outcome(const BootOutcome& o, const Scenario& s) {
  std::string stage;
  for (const auto& st : s.stages) {
    if (st.name == o.waiting_for) stage = "stage '" + st.name + "' (" + st.describe() + ")";
  }
  switch (o.kind) {
    case BootOutcome::Kind::kAllStagesSeen:
      return "all " + std::to_string(s.stages.size()) + " stages seen";
    case BootOutcome::Kind::kFailurePattern:
      return o.detail + (stage.empty() ? "" : " before " + stage);
    case BootOutcome::Kind::kVmExited:
      return o.detail + " before " + stage;
    case BootOutcome::Kind::kStageTimeout:
      return stage + " " + o.detail;
    case BootOutcome::Kind::kTotalTimeout:
      return o.detail + " waiting for " + stage;
    case BootOutcome::Kind::kRejectedBeforeBoot:
    case BootOutcome::Kind::kEmulatorFailure:
    case BootOutcome::Kind::kHostLost:
      return o.detail + (stage.empty() ? "" : " (waiting for " + stage + ")");
    case BootOutcome::Kind::kFlooded:
      return o.detail + (stage.empty() ? "" : " before " + stage);
    case BootOutcome::Kind::kRunning:
      break;
  }
  return "still running";
}

}  // namespace rh
