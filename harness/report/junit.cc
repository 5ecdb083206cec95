#include "harness/report/junit.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "harness/report/atomic_file.h"
#include "harness/report/xml_text.h"

namespace rh {
namespace {

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
};

enum class Outcome { kPassed, kFailure, kError, kSkipped };

Outcome outcome(Verdict v) {
  switch (v) {
    case Verdict::kFail:
    case Verdict::kTimeout:
    case Verdict::kXPass:
    case Verdict::kFlaky:
      return Outcome::kFailure;
    case Verdict::kUnresolved:
      return Outcome::kError;
    case Verdict::kUnsupported:
      return Outcome::kSkipped;
    default:
      return Outcome::kPassed;
  }
}

Counts count(const RunResult& run) {
  Counts c;
  for (const auto& s : run.scenarios) {
    ++c.tests;
    c.seconds += s.duration_ms / 1000.0;
    switch (outcome(s.verdict)) {
      case Outcome::kFailure:
        ++c.failures;
        break;
      case Outcome::kError:
        ++c.errors;
        break;
      case Outcome::kSkipped:
        ++c.skipped;
        break;
      case Outcome::kPassed:
        break;
    }
  }
  return c;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value) + "\"";
}

std::string count_attrs(const Counts& c) {
  return attr("tests", std::to_string(c.tests)) + attr("failures", std::to_string(c.failures)) +
         attr("errors", std::to_string(c.errors)) + attr("skipped", std::to_string(c.skipped)) +
         attr("time", seconds(c.seconds));
}

// Ant's schema wants a timestamp without zone or fraction: 2026-11-29T01:36:24.
std::string junit_timestamp(const std::string& iso) { return iso.substr(0, 19); }

std::vector<std::pair<std::string, std::string>> scenario_properties(const ScenarioResult& s) {
  std::vector<std::pair<std::string, std::string>> p = {{"rom.path", s.rom.path},
                                                        {"rom.variant", s.rom.variant},
                                                        {"rom.sha256", s.rom.sha256},
                                                        {"nic", s.nic},
                                                        {"firmware", s.firmware},
                                                        {"accel", s.accel},
                                                        {"backend", s.backend},
                                                        {"attempts", std::to_string(s.attempts)},
                                                        {"stage_reached", s.stage_reached}};
  if (s.rom.size_bytes) p.push_back({"rom.size_bytes", std::to_string(*s.rom.size_bytes)});
  if (s.rom.budget_bytes) p.push_back({"rom.budget_bytes", std::to_string(*s.rom.budget_bytes)});
  for (const auto& [k, v] : s.rom.provenance) p.push_back({"rom.provenance." + k, v});
  if (!s.failure.category.empty()) p.push_back({"failure.category", s.failure.category});
  if (!s.failure.ipxe_error.empty()) p.push_back({"failure.ipxe_error", s.failure.ipxe_error});
  std::erase_if(p, [](const auto& kv) { return kv.second.empty(); });
  return p;
}

std::string failure_body(const ScenarioResult& s) {
  std::ostringstream body;
  body << "verdict: " << to_string(s.verdict) << "\n";
  if (!s.stage_reached.empty()) body << "stage reached: " << s.stage_reached << "\n";
  if (!s.failure.category.empty()) body << "category: " << s.failure.category << "\n";
  if (!s.failure.ipxe_error.empty()) {
    body << "iPXE error: " << s.failure.ipxe_error << " " << s.failure.ipxe_message << "\n";
  }
  if (!s.last_serial_lines.empty()) body << "last serial lines:\n";
  for (const auto& line : s.last_serial_lines) body << line << "\n";
  return body.str();
}

std::string system_out(const ScenarioResult& s) {
  std::ostringstream out;
  if (s.verdict == Verdict::kXFail) out << "XFAIL: failed as expected: " << s.reason << "\n";
  for (const auto& [k, v] : scenario_properties(s)) out << k << ": " << v << "\n";
  for (const auto& [k, v] : s.artifacts) out << "artifact " << k << ": " << v << "\n";
  return out.str();
}

void write_testcase(std::ostream& x, const ScenarioResult& s) {
  auto [classname, name] = junit_names(s.name);
  x << "    <testcase" << attr("classname", classname) << attr("name", name)
    << attr("time", seconds(s.duration_ms / 1000.0)) << ">\n";
  x << "      <properties>\n";
  for (const auto& [k, v] : scenario_properties(s)) {
    x << "        <property" << attr("name", k) << attr("value", v) << "/>\n";
  }
  x << "      </properties>\n";
  std::string message = s.reason.empty() ? std::string(to_string(s.verdict)) : s.reason;
  std::string type = attr("type", std::string(to_string(s.verdict)));
  switch (outcome(s.verdict)) {
    case Outcome::kFailure:
      x << "      <failure" << attr("message", message) << type << ">" << xml_cdata(failure_body(s))
        << "</failure>\n";
      break;
    case Outcome::kError:
      x << "      <error" << attr("message", message) << type << ">" << xml_cdata(failure_body(s))
        << "</error>\n";
      break;
    case Outcome::kSkipped:
      x << "      <skipped" << attr("message", message) << "/>\n";
      break;
    case Outcome::kPassed:
      break;
  }
  x << "      <system-out>" << xml_cdata(system_out(s)) << "</system-out>\n";
  x << "    </testcase>\n";
}

}  // namespace

std::pair<std::string, std::string> junit_names(const std::string& scenario_name) {
  size_t slash = scenario_name.rfind('/');
  if (slash == std::string::npos) return {"romharness", scenario_name};
  std::string classname = scenario_name.substr(0, slash);
  std::replace(classname.begin(), classname.end(), '/', '.');
  return {classname, scenario_name.substr(slash + 1)};
}

std::string junit_xml(const RunResult& run) {
  Counts c = count(run);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites" << attr("name", "romharness") << count_attrs(c) << ">\n";
  x << "  <testsuite" << attr("name", "romharness") << count_attrs(c)
    << attr("timestamp", junit_timestamp(run.started_at)) << attr("hostname", run.host) << ">\n";
  x << "    <properties>\n";
  std::string command;
  for (const auto& arg : run.command_line) command += (command.empty() ? "" : " ") + arg;
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"run_id", run.run_id},
           {"started_at", run.started_at},
           {"finished_at", run.finished_at},
           {"command_line", command},
           {"interrupted", run.interrupted ? "true" : "false"}}) {
    x << "      <property" << attr("name", k) << attr("value", v) << "/>\n";
  }
  x << "    </properties>\n";
  for (const auto& s : run.scenarios) write_testcase(x, s);
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void write_junit(const RunResult& run, const std::filesystem::path& path) {
  write_file_atomically(path, junit_xml(run));
}

}  // namespace rh
