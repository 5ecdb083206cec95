// Progress of a run for people: one plain line per event when output is not
// a terminal (CI logs), and a live view redrawn in place on a terminal: each
// scenario queued, booting with its current stage and elapsed time, or done
// with its verdict.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/core/result.h"

namespace rh {

class Progress {
 public:
  Progress(std::FILE* out, bool live, std::vector<std::string> names);
  void started(const std::string& name);
  void phase(const std::string& name, const std::string& stage);
  void finished(const ScenarioResult& r);
  void note(const std::string& text);
  void tick();  // redraws the live view (elapsed times)

 private:
  struct Row {
    std::string state = "queued";
    std::string detail;
    std::chrono::steady_clock::time_point since;
  };
  void redraw_locked();
  std::string summary_locked() const;

  std::FILE* out_;
  bool live_;
  std::vector<std::string> order_;
  std::map<std::string, Row> rows_;
  std::size_t done_ = 0;
  std::size_t drawn_lines_ = 0;
  std::mutex mu_;
};

}  // namespace rh
