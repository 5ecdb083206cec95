#include "harness/core/yaml_input.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/core/duration.h"
#include "harness/core/edit_distance.h"
#include "harness/core/error.h"

namespace rh {
namespace {

std::string type_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined value";
  }
}

std::string suggestion(const std::string& key, const std::set<std::string>& known) {
  std::string best;
  std::size_t best_distance = 3;  // more than two edits away is no longer a typo
  for (const auto& candidate : known) {
    const std::size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best.empty() ? "" : "did you mean '" + best + "'? ";
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

YamlFile YamlFile::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open '" + path + "': no such file or not readable");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path);
}

YamlFile YamlFile::parse(const std::string& text, const std::string& display_name) {
  try {
    return YamlFile(display_name, YAML::Load(text));
  } catch (const YAML::ParserException& e) {
    throw InputError(display_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
}

std::string YamlFile::where(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return path_;
  return path_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void YamlFile::fail(const YAML::Node& node, const std::string& message) const {
  throw InputError(where(node) + ": " + message);
}

std::string YamlFile::where_key(const YAML::Node& map, const std::string& key) const {
  for (const auto& entry : map) {
    if (entry.first.Scalar() == key) return where(entry.first);
  }
  return where(map);
}

void YamlFile::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, what + " must be a map, got " + type_name(node));
}

void YamlFile::check_keys(const YAML::Node& map, const std::set<std::string>& known,
                          const std::string& context) const {
  require_map(map, context);
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (!known.contains(key)) {
      fail(entry.first, "unknown key '" + key + "' in " + context + " (" + suggestion(key, known) +
                            "known keys: " + join(known) + ")");
    }
  }
}

std::string YamlFile::string_at(const YAML::Node& map, const std::string& key) const {
  const YAML::Node value = map[key];
  if (!value) fail(map, "missing required key '" + key + "'");
  if (!value.IsScalar()) fail(value, "'" + key + "' must be a string, got " + type_name(value));
  return value.Scalar();
}

std::string YamlFile::string_or(const YAML::Node& map, const std::string& key,
                                const std::string& fallback) const {
  if (!map[key]) return fallback;
  return string_at(map, key);
}

long long YamlFile::int_at(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be an integer, got " + type_name(node));
  const std::string& text = node.Scalar();
  long long value = 0;
  int base = 10;
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    fail(node, what + " must be an integer, got '" + text + "'");
  }
  return value;
}

bool YamlFile::bool_at(const YAML::Node& node, const std::string& what) const {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
  }
  fail(node, what + " must be true or false, got " + type_name(node));
}

std::chrono::milliseconds YamlFile::duration_at(const YAML::Node& node,
                                                const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a duration, got " + type_name(node));
  try {
    return parse_duration(node.Scalar());
  } catch (const std::invalid_argument& e) {
    fail(node, what + ": " + e.what());
  }
}

std::vector<std::string> YamlFile::strings_at(const YAML::Node& node,
                                              const std::string& what) const {
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence() || node.size() == 0) {
    fail(node, what + " must be a string or a non-empty list of strings, got " + type_name(node));
  }
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) fail(item, what + " entries must be strings, got " + type_name(item));
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace rh
