#include "harness/runner/progress.h"

namespace rh {
namespace {

std::string seconds_since(std::chrono::steady_clock::time_point t) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%5.1fs",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
  return buffer;
}

}  // namespace

Progress::Progress(std::FILE* out, bool live, std::vector<std::string> names)
    : out_(out), live_(live), order_(std::move(names)) {
  for (const auto& n : order_) rows_[n].since = std::chrono::steady_clock::now();
}

void Progress::started(const std::string& name) {
  std::lock_guard lock(mu_);
  rows_[name] = {"booting", "", std::chrono::steady_clock::now()};
  if (live_) return redraw_locked();
  std::fprintf(out_, "[%zu/%zu] start %s\n", done_, order_.size(), name.c_str());
  std::fflush(out_);
}

void Progress::phase(const std::string& name, const std::string& stage) {
  std::lock_guard lock(mu_);
  rows_[name].detail = stage;
  if (live_) redraw_locked();
}

void Progress::finished(const ScenarioResult& r) {
  std::lock_guard lock(mu_);
  ++done_;
  Row& row = rows_[r.name];
  row.state = std::string(to_string(r.verdict));
  row.detail = r.reason;
  if (live_) return redraw_locked();
  std::fprintf(out_, "[%zu/%zu] %-11s %s (%.1fs): %s\n", done_, order_.size(),
               std::string(to_string(r.verdict)).c_str(), r.name.c_str(), r.duration_ms / 1000.0,
               r.reason.c_str());
  std::fflush(out_);
}

void Progress::note(const std::string& text) {
  std::lock_guard lock(mu_);
  std::fprintf(out_, "%s\n", text.c_str());
  drawn_lines_ = 0;  // the note scrolled the view away; draw it anew below
  std::fflush(out_);
}

void Progress::tick() {
  std::lock_guard lock(mu_);
  if (live_) redraw_locked();
}

void Progress::redraw_locked() {
  // Move the cursor up over the previous drawing and overwrite it.
  if (drawn_lines_ > 0) std::fprintf(out_, "\x1b[%zuA", drawn_lines_);
  for (const auto& name : order_) {
    const Row& row = rows_[name];
    std::string detail = row.state == "booting"
                             ? seconds_since(row.since) + "  " +
                                   (row.detail.empty() ? "starting" : "after " + row.detail)
                             : row.detail;
    if (detail.size() > 90) detail = detail.substr(0, 87) + "...";
    std::fprintf(out_, "\x1b[2K%-11s %-45s %s\n", row.state.c_str(), name.c_str(), detail.c_str());
  }
  std::fprintf(out_, "\x1b[2K%s\n", summary_locked().c_str());
  drawn_lines_ = order_.size() + 1;
  std::fflush(out_);
}

std::string Progress::summary_locked() const {
  return std::to_string(done_) + "/" + std::to_string(order_.size()) + " done";
}

}  // namespace rh
