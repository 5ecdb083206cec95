#include "harness/report/json_report.h"

#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/report/atomic_file.h"
#include "harness/report/phase_stats.h"

namespace rh {
namespace {

using nlohmann::json;

json optional_number(const std::optional<long long>& v) { return v ? json(*v) : json(nullptr); }
json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json stats_json(const Stats& s) {
  return {{"count", s.count}, {"min", s.min}, {"median", s.median}, {"p95", s.p95}, {"max", s.max}};
}

json rom_json(const RomInfo& r) {
  return {{"path", r.path},
          {"variant", r.variant},
          {"size_bytes", optional_number(r.size_bytes)},
          {"sha256", r.sha256},
          {"budget_bytes", optional_number(r.budget_bytes)},
          {"provenance", r.provenance}};
}

// Reads one field, checking its type, and names the whole key path on error.
class Reader {
 public:
  Reader(const json& j, std::string where, std::string path)
      : j_(j), where_(std::move(where)), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_.empty() ? "document" : path_, "an object", j_);
  }

  template <typename T>
  T get(const std::string& key, T fallback = T{}) const {
    if (!j_.contains(key) || j_.at(key).is_null()) return fallback;
    return convert<T>(key, j_.at(key));
  }
  template <typename T>
  std::optional<T> get_optional(const std::string& key) const {
    if (!j_.contains(key) || j_.at(key).is_null()) return std::nullopt;
    return convert<T>(key, j_.at(key));
  }
  const json& required(const std::string& key) const {
    if (!j_.contains(key)) {
      throw InputError(where_ + ": missing key '" + name(key) + "'");
    }
    return j_.at(key);
  }
  Reader child(const std::string& key) const {
    static const json kEmpty = json::object();
    return Reader(j_.contains(key) ? j_.at(key) : kEmpty, where_, name(key));
  }
  std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& where() const { return where_; }

  [[noreturn]] void fail(const std::string& key, const char* wanted, const json& got) const {
    throw InputError(where_ + ": key '" + key + "' must be " + wanted + ", got " + got.type_name() +
                     " " + dump_json(got, -1));
  }

 private:
  template <typename T>
  T convert(const std::string& key, const json& v) const {
    try {
      return v.get<T>();
    } catch (const json::exception&) {
      fail(name(key), wanted<T>(), v);
    }
  }
  template <typename T>
  static const char* wanted() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    if constexpr (std::is_arithmetic_v<T>) return "a number";
    return "a list or object of the documented shape";
  }

  const json& j_;
  std::string where_;
  std::string path_;
};

RomInfo rom_from(const Reader& r) {
  RomInfo rom;
  rom.path = r.get<std::string>("path");
  rom.variant = r.get<std::string>("variant");
  rom.size_bytes = r.get_optional<long long>("size_bytes");
  rom.sha256 = r.get<std::string>("sha256");
  rom.budget_bytes = r.get_optional<long long>("budget_bytes");
  rom.provenance = r.get<std::map<std::string, std::string>>("provenance");
  return rom;
}

std::vector<StageResult> stages_from(const Reader& r, const json& list) {
  std::vector<StageResult> out;
  if (!list.is_array()) r.fail(r.name("stages"), "a list", list);
  for (size_t i = 0; i < list.size(); ++i) {
    Reader s(list[i], r.where(), r.name("stages[" + std::to_string(i) + "]"));
    out.push_back({s.get<std::string>("name"), s.get<std::string>("expectation"),
                   s.get_optional<double>("at_ms")});
  }
  return out;
}

std::vector<Phase> phases_from(const Reader& r, const json& list) {
  std::vector<Phase> out;
  if (!list.is_array()) r.fail(r.name("phases"), "a list", list);
  for (size_t i = 0; i < list.size(); ++i) {
    Reader p(list[i], r.where(), r.name("phases[" + std::to_string(i) + "]"));
    out.push_back(
        {p.get<std::string>("name"), p.get<double>("at_ms"), p.get<std::string>("source")});
  }
  return out;
}

Verdict verdict_from(const Reader& r) {
  const json& v = r.required("verdict");
  if (!v.is_string()) r.fail(r.name("verdict"), "a string", v);
  auto verdict = verdict_from_string(v.get<std::string>());
  if (!verdict) {
    throw InputError(r.where() + ": key '" + r.name("verdict") + "' has unknown verdict '" +
                     v.get<std::string>() + "'");
  }
  return *verdict;
}

json retried_json(const std::vector<RetriedAttempt>& list) {
  json out = json::array();
  for (const auto& a : list) {
    out.push_back({{"attempt", a.attempt},
                   {"verdict", std::string(to_string(a.verdict))},
                   {"reason", a.reason},
                   {"host", a.host},
                   {"artifacts_dir", a.artifacts_dir},
                   {"duration_ms", a.duration_ms}});
  }
  return out;
}

std::vector<RetriedAttempt> retried_from(const Reader& r, const json& list) {
  std::vector<RetriedAttempt> out;
  if (!list.is_array()) r.fail(r.name("retried"), "a list", list);
  for (std::size_t i = 0; i < list.size(); ++i) {
    Reader a(list[i], r.where(), r.name("retried[" + std::to_string(i) + "]"));
    out.push_back({.attempt = a.get<int>("attempt", 1),
                   .verdict = verdict_from(a),
                   .reason = a.get<std::string>("reason"),
                   .host = a.get<std::string>("host"),
                   .artifacts_dir = a.get<std::string>("artifacts_dir"),
                   .duration_ms = a.get<double>("duration_ms")});
  }
  return out;
}

json usage_json(const ProcessUsage& u) {
  return {{"rss_kib", u.rss_kib},
          {"anon_kib", u.anon_kib},
          {"file_kib", u.file_kib},
          {"open_fds", u.open_fds}};
}

ProcessUsage usage_from(const Reader& r) {
  return {.rss_kib = r.get<long>("rss_kib", -1),
          .anon_kib = r.get<long>("anon_kib", -1),
          .file_kib = r.get<long>("file_kib", -1),
          .open_fds = r.get<int>("open_fds", -1)};
}

}  // namespace

std::string dump_json(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json to_json(const ScenarioResult& s) {
  json stages = json::array();
  for (const auto& st : s.stages) {
    stages.push_back(
        {{"name", st.name}, {"expectation", st.expectation}, {"at_ms", optional_number(st.at_ms)}});
  }
  json phases = json::array();
  for (const auto& p : s.phases)
    phases.push_back({{"name", p.name}, {"at_ms", p.at_ms}, {"source", p.source}});
  json stats = json::object();
  for (const auto& [name, st] : phase_stats(s)) stats[name] = stats_json(st);
  return {{"name", s.name},
          {"file", s.file},
          {"verdict", std::string(to_string(s.verdict))},
          {"reason", s.reason},
          {"stage_reached", s.stage_reached},
          {"failure",
           {{"category", s.failure.category},
            {"ipxe_error", s.failure.ipxe_error},
            {"ipxe_message", s.failure.ipxe_message}}},
          {"rom", rom_json(s.rom)},
          {"nic", s.nic},
          {"firmware", s.firmware},
          {"accel", s.accel},
          {"backend", s.backend},
          {"stages", stages},
          {"phases", phases},
          {"missing_phases", s.missing_phases},
          {"last_serial_lines", s.last_serial_lines},
          {"artifacts", s.artifacts},
          {"duration_ms", s.duration_ms},
          {"host", s.host},
          {"attempts", s.attempts},
          {"retried", retried_json(s.retried)},
          {"phase_samples", s.phase_samples},
          {"phase_stats", stats}};
}

namespace {

// Everything of a run's document but its scenarios' entries ("scenarios": []).
json run_head_json(const RunResult& run) {
  json summary = json::object();
  for (const auto& s : run.scenarios) {
    std::string v(to_string(s.verdict));
    summary[v] = summary.value(v, 0) + 1;
  }
  return {{"schema_version", kResultsSchemaVersion},
          {"run_id", run.run_id},
          {"started_at", run.started_at},
          {"finished_at", run.finished_at},
          {"host", run.host},
          {"command_line", run.command_line},
          {"interrupted", run.interrupted},
          {"warnings", run.warnings},
          {"notices", run.notices},
          {"harness_usage",
           {{"start", usage_json(run.usage_at_start)}, {"end", usage_json(run.usage_at_end)}}},
          {"summary", summary},
          {"scenarios", json::array()}};
}

std::string indented(const std::string& text, const std::string& by) {
  std::string out = by;
  for (const char c : text) {
    out += c;
    if (c == '\n') out += by;
  }
  return out;
}

}  // namespace

json to_json(const RunResult& run) {
  json j = run_head_json(run);
  for (const auto& s : run.scenarios) j["scenarios"].push_back(to_json(s));
  return j;
}

// The text of dump_json(to_json(run)), built one scenario's tree at a time:
// the whole run's tree is megabytes of small nodes for a few hundred
// scenarios, rebuilt after every one of them, and its holes kept the heap
// of a long run growing (bench/soak).
std::string run_json_text(const RunResult& run) {
  std::string text = dump_json(run_head_json(run));
  const std::string slot = "\n  \"scenarios\": []";  // the head's own key, at depth 1
  std::string list = "\n  \"scenarios\": [";
  for (std::size_t i = 0; i < run.scenarios.size(); ++i) {
    list += (i == 0 ? "\n" : ",\n") + indented(dump_json(to_json(run.scenarios[i])), "    ");
  }
  list += run.scenarios.empty() ? "]" : "\n  ]";
  return text.replace(text.find(slot), slot.size(), list);
}

ScenarioResult scenario_from_json(const json& j, const std::string& where) {
  return scenario_from_json_at(j, where, "");
}

ScenarioResult scenario_from_json_at(const json& j, const std::string& where,
                                     const std::string& path) {
  Reader r(j, where, path);
  ScenarioResult s;
  s.name = r.get<std::string>("name");
  s.file = r.get<std::string>("file");
  s.verdict = verdict_from(r);
  s.reason = r.get<std::string>("reason");
  s.stage_reached = r.get<std::string>("stage_reached");
  Reader f = r.child("failure");
  s.failure = {f.get<std::string>("category"), f.get<std::string>("ipxe_error"),
               f.get<std::string>("ipxe_message")};
  s.rom = rom_from(r.child("rom"));
  s.nic = r.get<std::string>("nic");
  s.firmware = r.get<std::string>("firmware");
  s.accel = r.get<std::string>("accel");
  s.backend = r.get<std::string>("backend");
  s.stages = stages_from(r, r.get<json>("stages", json::array()));
  s.phases = phases_from(r, r.get<json>("phases", json::array()));
  s.missing_phases = r.get<std::vector<std::string>>("missing_phases");
  s.last_serial_lines = r.get<std::vector<std::string>>("last_serial_lines");
  s.artifacts = r.get<std::map<std::string, std::string>>("artifacts");
  s.duration_ms = r.get<double>("duration_ms");
  s.host = r.get<std::string>("host");
  s.attempts = r.get<int>("attempts", 1);
  s.retried = retried_from(r, r.get<json>("retried", json::array()));
  s.phase_samples = r.get<std::map<std::string, std::vector<double>>>("phase_samples");
  return s;
}

RunResult run_from_json(const json& j, const std::string& where) {
  Reader r(j, where, "");
  const json& version = r.required("schema_version");
  if (!version.is_number_integer()) r.fail("schema_version", "an integer", version);
  if (version.get<int>() > kResultsSchemaVersion || version.get<int>() < 1) {
    throw InputError(where + ": schema_version " + std::to_string(version.get<int>()) +
                     " is not supported (this romharness reads 1 to " +
                     std::to_string(kResultsSchemaVersion) + ")");
  }
  RunResult run;
  run.schema_version = version.get<int>();
  run.run_id = r.get<std::string>("run_id");
  run.started_at = r.get<std::string>("started_at");
  run.finished_at = r.get<std::string>("finished_at");
  run.host = r.get<std::string>("host");
  run.command_line = r.get<std::vector<std::string>>("command_line");
  run.interrupted = r.get<bool>("interrupted");
  run.warnings = r.get<std::vector<std::string>>("warnings");
  run.notices = r.get<std::vector<std::string>>("notices");
  Reader usage = r.child("harness_usage");
  run.usage_at_start = usage_from(usage.child("start"));
  run.usage_at_end = usage_from(usage.child("end"));
  const json& list = r.required("scenarios");
  if (!list.is_array()) r.fail("scenarios", "a list", list);
  for (size_t i = 0; i < list.size(); ++i) {
    run.scenarios.push_back(
        scenario_from_json_at(list[i], where, "scenarios[" + std::to_string(i) + "]"));
  }
  return run;
}

void write_json(const RunResult& run, const std::filesystem::path& path) {
  write_file_atomically(path, run_json_text(run) + "\n");
}

RunResult read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read results file '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) {
    throw InputError(path.string() + ": not valid JSON (is the file complete?)");
  }
  return run_from_json(j, path.string());
}

}  // namespace rh
