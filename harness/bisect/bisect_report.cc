#include "harness/bisect/bisect_report.h"

#include <cstdio>

#include "harness/report/atomic_file.h"
#include "harness/report/text_table.h"

namespace rh {
namespace {

using nlohmann::json;

json commit_json(const CommitInfo& c) {
  return {{"hash", c.hash}, {"subject", c.subject}, {"author_date", c.author_date}};
}

json step_json(const BisectStep& s) {
  return {{"number", s.number},
          {"position", s.position},
          {"commit", commit_json(s.commit)},
          {"verdict", to_string(s.verdict)},
          {"detail", s.detail},
          {"rom_size", s.rom_size ? json(*s.rom_size) : json(nullptr)},
          {"built", s.built},
          {"seconds", s.seconds},
          {"artifacts", s.artifacts}};
}

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", s);
  return text;
}

std::string commit_line(const CommitInfo& c) {
  return c.hash + " " + c.subject + " (" + c.author_date + ")";
}

}  // namespace

json bisect_json(const BisectResult& r) {
  json steps = json::array();
  for (const auto& s : r.steps) steps.push_back(step_json(s));
  json suspects = json::array();
  for (const auto& c : r.suspects) suspects.push_back(commit_json(c));
  return {{"schema_version", 1},
          {"mode", r.mode},
          {"scenario", r.scenario},
          {"variant", r.variant},
          {"budget_bytes", r.budget_bytes ? json(*r.budget_bytes) : json(nullptr)},
          {"source", r.source},
          {"good", commit_json(r.good)},
          {"bad", commit_json(r.bad)},
          {"range", r.range},
          {"found", r.found},
          {"first_bad", r.found ? commit_json(r.first_bad) : json(nullptr)},
          {"reason", r.reason},
          {"suspects", suspects},
          {"builds", r.builds},
          {"interrupted", r.interrupted},
          {"steps", steps}};
}

void write_bisect_json(const BisectResult& result, const std::filesystem::path& dir) {
  write_file_atomically(dir / "bisect.json", bisect_json(result).dump(2) + "\n");
}

void print_bisect_table(const BisectResult& r, std::ostream& out) {
  TextTable table({"STEP", "POS", "COMMIT", "VERDICT", "ROM BYTES", "BUILD", "SECONDS", "DETAIL"});
  for (const auto& s : r.steps) {
    table.add({std::to_string(s.number), std::to_string(s.position) + "/" + std::to_string(r.range),
               s.commit.short_hash(), to_string(s.verdict),
               s.rom_size ? std::to_string(*s.rom_size) : "-", s.built ? "built" : "cached",
               seconds_text(s.seconds), s.detail});
  }
  out << table.str();
  out << r.steps.size() << " steps, " << r.builds << " builds, " << r.range << " commits in "
      << r.good.short_hash() << ".." << r.bad.short_hash() << "\n";
  if (r.found) {
    out << "first bad commit: " << commit_line(r.first_bad) << "\n";
    if (!r.reason.empty()) out << "note: " << r.reason << "\n";
    return;
  }
  out << "first bad commit not found: " << r.reason << "\n";
  for (const auto& c : r.suspects) out << "  " << commit_line(c) << "\n";
}

}  // namespace rh
