// Reading user YAML with errors that point at the offending text.
//
//   YamlFile f = YamlFile::load("scenarios/smoke/dhcp.yaml");
//   f.check_keys(f.root(), {"name", "rom", "nic"}, "scenario");
//   std::string nic = f.string_at(f.root(), "nic");
//   // on error: InputError("scenarios/smoke/dhcp.yaml:3:1: unknown key 'nics' in
//   //           scenario (known keys: name, rom, nic)")
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace rh {

class YamlFile {
 public:
  static YamlFile load(const std::string& path);  // throws InputError
  static YamlFile parse(const std::string& text, const std::string& display_name);

  const YAML::Node& root() const { return root_; }
  const std::string& path() const { return path_; }

  // "file:line:col" of a node (1-based), for messages.
  std::string where(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

  // Every key of `map` must be in `known`; names the first that is not.
  void check_keys(const YAML::Node& map, const std::set<std::string>& known,
                  const std::string& context) const;
  // The key's own node position (not its value's), for "unknown key" errors.
  std::string where_key(const YAML::Node& map, const std::string& key) const;

  void require_map(const YAML::Node& node, const std::string& what) const;
  std::string string_at(const YAML::Node& map, const std::string& key) const;  // required
  std::string string_or(const YAML::Node& map, const std::string& key,
                        const std::string& fallback) const;
  long long int_at(const YAML::Node& node, const std::string& what) const;
  bool bool_at(const YAML::Node& node, const std::string& what) const;
  std::chrono::milliseconds duration_at(const YAML::Node& node, const std::string& what) const;
  // A scalar or a list of scalars (a list is a matrix axis).
  std::vector<std::string> strings_at(const YAML::Node& node, const std::string& what) const;

 private:
  YamlFile(std::string path, const YAML::Node& root) : path_(std::move(path)), root_(root) {}
  std::string path_;
  YAML::Node root_;
};

}  // namespace rh
