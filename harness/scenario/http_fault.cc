#include "harness/scenario/http_fault.h"

#include <fnmatch.h>

#include "harness/core/error.h"

namespace rh {
namespace {

const std::set<std::string> kFaultKeys = {"name", "path",        "status",   "delay_first_byte",
                                          "rate", "reset_after", "truncate", "after",
                                          "times"};

std::uint64_t non_negative(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  const long long value = file.int_at(node, what);
  if (value < 0) file.fail(node, what + " must not be negative, got '" + node.Scalar() + "'");
  return static_cast<std::uint64_t>(value);
}

// "250" is milliseconds; "250ms", "1.5s" are durations.
std::chrono::milliseconds delay_at(const YamlFile& file, const YAML::Node& node) {
  const std::string what = "delay_first_byte";
  if (node.IsScalar() && !node.Scalar().empty() &&
      node.Scalar().find_first_not_of("0123456789") == std::string::npos) {
    return std::chrono::milliseconds(non_negative(file, node, what));
  }
  return file.duration_at(node, what);
}

void check_rule(const YamlFile& file, const YAML::Node& node, const HttpFault& f) {
  if (f.path.empty() || f.path.front() != '/') {
    file.fail(node["path"], "fault path must start with '/', got '" + f.path + "'");
  }
  if (f.status && (*f.status < 100 || *f.status > 599)) {
    file.fail(node["status"],
              "status must be between 100 and 599, got '" + node["status"].Scalar() + "'");
  }
  if (f.reset_after && f.truncate) {
    file.fail(node, "fault for '" + f.path + "' sets both reset_after and truncate; choose one");
  }
  if (f.status && (f.reset_after || f.truncate)) {
    file.fail(node, "fault for '" + f.path +
                        "' sets status with reset_after or truncate; a status fault replaces "
                        "the body, so they cannot apply");
  }
  if (node["rate"] && f.rate == 0) file.fail(node["rate"], "rate must be greater than zero");
  if (node["times"] && f.times == 0u) file.fail(node["times"], "times must be at least 1");
  if (!f.status && f.delay_first_byte.count() == 0 && f.rate == 0 && !f.reset_after &&
      !f.truncate) {
    file.fail(node, "fault for '" + f.path +
                        "' has no effect (give status, delay_first_byte, rate, reset_after or "
                        "truncate)");
  }
}

HttpFault parse_rule(const YamlFile& file, const YAML::Node& node) {
  file.check_keys(node, kFaultKeys, "http fault");
  HttpFault f;
  f.path = file.string_at(node, "path");
  f.name = file.string_or(node, "name", "");
  if (node["status"]) f.status = static_cast<int>(file.int_at(node["status"], "status"));
  if (node["delay_first_byte"]) f.delay_first_byte = delay_at(file, node["delay_first_byte"]);
  if (node["rate"]) f.rate = non_negative(file, node["rate"], "rate");
  if (node["reset_after"]) f.reset_after = non_negative(file, node["reset_after"], "reset_after");
  if (node["truncate"]) f.truncate = non_negative(file, node["truncate"], "truncate");
  if (node["after"]) f.after = non_negative(file, node["after"], "after");
  if (node["times"]) f.times = non_negative(file, node["times"], "times");
  check_rule(file, node, f);
  if (f.name.empty()) f.name = f.describe();
  return f;
}

}  // namespace

bool HttpFault::matches_path(const std::string& url_path) const {
  if (path == url_path) return true;
  if (path.find_first_of("*?[") == std::string::npos) return false;
  return ::fnmatch(path.c_str(), url_path.c_str(), 0) == 0;
}

std::string HttpFault::describe() const {
  std::string out;
  const auto add = [&out](const std::string& part) {
    if (!out.empty()) out += '+';
    out += part;
  };
  if (status) add("status=" + std::to_string(*status));
  if (delay_first_byte.count() > 0) add("delay=" + std::to_string(delay_first_byte.count()) + "ms");
  if (rate > 0) add("rate=" + std::to_string(rate));
  if (reset_after) add("reset_after=" + std::to_string(*reset_after));
  if (truncate) add("truncate=" + std::to_string(*truncate));
  return out;
}

std::vector<HttpFault> parse_http_faults(const YamlFile& file, const YAML::Node& list) {
  std::vector<HttpFault> rules;
  if (!list || list.IsNull()) return rules;
  if (!list.IsSequence()) file.fail(list, "http faults must be a list of maps");
  for (const auto& item : list) rules.push_back(parse_rule(file, item));
  return rules;
}

std::vector<HttpFault> load_http_fault_file(const std::string& path) {
  const YamlFile file = YamlFile::load(path);
  const YAML::Node& root = file.root();
  if (root.IsSequence()) return parse_http_faults(file, root);
  if (root.IsMap() && root["faults"]) {
    const YAML::Node faults = root["faults"];
    file.require_map(faults, "faults");
    return parse_http_faults(file, faults["http"]);
  }
  if (root.IsMap() && root["http"]) return parse_http_faults(file, root["http"]);
  file.fail(root,
            "fault file must be a list of http faults, a map with 'http', or a scenario "
            "with 'faults'");
}

}  // namespace rh
