#include "harness/rom/variants.h"

#include <algorithm>
#include <regex>
#include <set>

#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/core/yaml_input.h"
#include "harness/rom/budget.h"

namespace rh {
namespace {

const std::regex kHeaderName("[a-z0-9_]+\\.h");
const std::regex kMacroName("[A-Za-z_][A-Za-z0-9_]*");

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Parses one variant file; every reference is resolved within the file.
class VariantFileParser {
 public:
  VariantFileParser(const YamlFile& file, std::filesystem::path base_dir)
      : file_(file), base_dir_(std::move(base_dir)) {}

  std::vector<FeatureSet> parse() {
    const YAML::Node& root = file_.root();
    file_.check_keys(root, {"features", "nics", "feature_sets"}, "variant file");
    parse_features(require(root, "features"));
    parse_nics(require(root, "nics"));
    std::vector<FeatureSet> sets;
    const YAML::Node set_nodes = require(root, "feature_sets");
    file_.require_map(set_nodes, "'feature_sets'");
    for (const auto& entry : set_nodes) sets.push_back(parse_set(entry.first, entry.second));
    return sets;
  }

 private:
  YAML::Node require(const YAML::Node& map, const std::string& key) const {
    const YAML::Node node = map[key];
    if (!node) file_.fail(map, "missing required key '" + key + "'");
    return node;
  }

  void parse_features(const YAML::Node& node) {
    file_.require_map(node, "'features'");
    for (const auto& entry : node) {
      Feature feature{.name = entry.first.Scalar(), .where = file_.where(entry.first)};
      file_.require_map(entry.second, "feature '" + feature.name + "'");
      for (const auto& item : entry.second) parse_feature_key(feature, item.first, item.second);
      if (feature.headers.empty()) {
        file_.fail(entry.first, "feature '" + feature.name +
                                    "' sets nothing (give a config "
                                    "header such as general.h with define/undef)");
      }
      features_[feature.name] = std::move(feature);
    }
  }

  void parse_feature_key(Feature& feature, const YAML::Node& key, const YAML::Node& value) {
    const std::string& name = key.Scalar();
    if (name == "description") {
      if (!value.IsScalar()) file_.fail(value, "'description' must be a string");
      feature.description = value.Scalar();
      return;
    }
    if (!std::regex_match(name, kHeaderName)) {
      file_.fail(key, "unknown key '" + name + "' in feature '" + feature.name +
                          "' (known keys: description, and iPXE config headers such as "
                          "general.h, console.h, settings.h)");
    }
    file_.check_keys(value, {"define", "undef"},
                     "'" + name + "' of feature '" + feature.name + "'");
    auto& settings = feature.headers[name];
    if (value["undef"]) {
      for (const auto& macro : file_.strings_at(value["undef"], "'undef'")) {
        settings.push_back({.name = checked_macro(value["undef"], macro), .undef = true});
      }
    }
    if (value["define"]) parse_defines(value["define"], settings);
  }

  std::string checked_macro(const YAML::Node& node, const std::string& name) const {
    if (!std::regex_match(name, kMacroName)) {
      file_.fail(node, "'" + name + "' is not a C macro name");
    }
    return name;
  }

  // define: [NAME, NAME=value] or define: {NAME: value}
  void parse_defines(const YAML::Node& node, std::vector<MacroSetting>& settings) {
    if (node.IsMap()) {
      for (const auto& entry : node) {
        MacroSetting s{.name = checked_macro(entry.first, entry.first.Scalar())};
        if (!entry.second.IsNull()) s.value = checked_value(entry.second);
        settings.push_back(std::move(s));
      }
      return;
    }
    for (const auto& text : file_.strings_at(node, "'define'")) {
      const auto eq = text.find('=');
      MacroSetting s{.name = checked_macro(node, text.substr(0, eq))};
      if (eq != std::string::npos) s.value = text.substr(eq + 1);
      if (s.value && s.value->empty()) file_.fail(node, "'" + text + "' has an empty value");
      settings.push_back(std::move(s));
    }
  }

  std::string checked_value(const YAML::Node& node) const {
    if (!node.IsScalar() || node.Scalar().empty() ||
        node.Scalar().find('\n') != std::string::npos) {
      file_.fail(node, "a define's value must be a one-line scalar");
    }
    return node.Scalar();
  }

  void parse_nics(const YAML::Node& node) {
    file_.require_map(node, "'nics'");
    for (const auto& entry : node) {
      const std::string nic = entry.first.Scalar();
      try {
        nic_named(nic);
      } catch (const InputError& e) {
        file_.fail(entry.first, e.what());
      }
      file_.check_keys(entry.second, {"bios", "efi"}, "NIC '" + nic + "'");
      for (const auto& platform : entry.second) {
        targets_[nic][platform.first.Scalar()] =
            parse_target(nic, platform.first.Scalar(), platform.second);
      }
    }
  }

  NicTarget parse_target(const std::string& nic, const std::string& platform,
                         const YAML::Node& node) {
    const std::string context = "NIC '" + nic + "' on " + platform;
    file_.check_keys(node, {"target", "budget"}, context);
    NicTarget t{.nic = nic, .platform = platform, .target = file_.string_at(node, "target")};
    const std::string dir = bin_dir(platform) + "/";
    if (!t.target.starts_with(dir) || t.target.size() == dir.size() ||
        t.target.find('/', dir.size()) != std::string::npos) {
      file_.fail(node["target"], "target '" + t.target + "' of " + context +
                                     " must be a file directly under " + dir);
    }
    if (node["budget"]) {
      const long long budget = file_.int_at(node["budget"], "budget of " + context);
      if (budget <= 0) file_.fail(node["budget"], "budget of " + context + " must be positive");
      t.budget = static_cast<std::size_t>(budget);
    }
    return t;
  }

  FeatureSet parse_set(const YAML::Node& key, const YAML::Node& node) {
    FeatureSet set{.name = key.Scalar(), .where = file_.where(key)};
    const std::string context = "feature set '" + set.name + "'";
    file_.check_keys(
        node, {"description", "base_config", "features", "nics", "platforms", "script"}, context);
    set.description = file_.string_or(node, "description", "");
    set.base_config = file_.string_or(node, "base_config", "");
    set.features = file_.strings_at(require(node, "features"), "'features'");
    for (const auto& name : set.features) set.feature_defs.push_back(feature_of(node, name));
    set.nics = node["nics"] ? file_.strings_at(node["nics"], "'nics'") : all_nics();
    set.platforms =
        node["platforms"] ? file_.strings_at(node["platforms"], "'platforms'") : known_platforms();
    resolve_targets(node, set);
    if (node["script"]) set.script = script_path(node["script"]);
    check_conflicts(node, set);
    return set;
  }

  const Feature& feature_of(const YAML::Node& node, const std::string& name) const {
    const auto it = features_.find(name);
    if (it == features_.end()) {
      std::vector<std::string> known;
      for (const auto& [n, f] : features_) known.push_back(n);
      file_.fail(node["features"], "unknown feature '" + name + "' (defined: " + join(known) + ")");
    }
    return it->second;
  }

  std::vector<std::string> all_nics() const {
    std::vector<std::string> nics;
    for (const auto& [nic, platforms] : targets_) nics.push_back(nic);
    return nics;
  }

  void resolve_targets(const YAML::Node& node, FeatureSet& set) const {
    for (const auto& platform : set.platforms) {
      if (!contains(known_platforms(), platform)) {
        file_.fail(node["platforms"], "unknown platform '" + platform + "' (known: bios, efi)");
      }
    }
    for (const auto& nic : set.nics) {
      for (const auto& platform : set.platforms) {
        const auto it = targets_.find(nic);
        if (it == targets_.end() || !it->second.contains(platform)) {
          file_.fail(node["nics"] ? node["nics"] : node,
                     "feature set '" + set.name + "' wants NIC '" + nic + "' on " + platform +
                         " but 'nics' has no " + platform + " target for it");
        }
        set.targets[nic][platform] = it->second.at(platform);
      }
    }
  }

  std::filesystem::path script_path(const YAML::Node& node) const {
    if (!node.IsScalar()) file_.fail(node, "'script' must be a file path");
    std::filesystem::path path = node.Scalar();
    if (path.is_relative()) path = base_dir_ / path;
    if (!std::filesystem::is_regular_file(path)) {
      file_.fail(node,
                 "script '" + node.Scalar() + "' not found (looked for '" + path.string() + "')");
    }
    return path;
  }

  // Two features of one set must not set the same macro of the same header.
  void check_conflicts(const YAML::Node& node, const FeatureSet& set) const {
    std::map<std::string, std::string> owner;  // "general.h DNS_RESOLVER" -> feature
    for (const auto& feature : set.feature_defs) {
      for (const auto& [header, settings] : feature.headers) {
        for (const auto& s : settings) {
          const std::string key = header + " " + s.name;
          const auto [it, inserted] = owner.emplace(key, feature.name);
          if (!inserted && it->second != feature.name) {
            file_.fail(node["features"], "features '" + it->second + "' and '" + feature.name +
                                             "' of feature set '" + set.name + "' both set " +
                                             s.name + " in " + header);
          }
        }
      }
    }
  }

  const YamlFile& file_;
  std::filesystem::path base_dir_;
  std::map<std::string, Feature> features_;
  std::map<std::string, std::map<std::string, NicTarget>> targets_;
};

std::string header_line(const MacroSetting& s) {
  if (s.undef) return "#undef " + s.name + "\n";
  // #undef first: iPXE builds with -Werror and the defaults may define it.
  return "#undef " + s.name + "\n#define " + s.name + (s.value ? " " + *s.value : "") + "\n";
}

}  // namespace

std::string BuildSpec::label() const {
  return set_name + (without.empty() ? "" : "-without-" + without) + "/" + platform;
}

std::string bin_dir(const std::string& platform) {
  if (platform == "bios") return "bin";
  if (platform == "efi") return "bin-x86_64-efi";
  throw InputError("unknown platform '" + platform + "' (known: bios, efi)");
}

const NicTarget& FeatureSet::target(const std::string& nic, const std::string& platform) const {
  if (!has_target(nic, platform)) {
    throw InputError("feature set '" + name + "' (" + where + ") has no target for NIC '" + nic +
                     "' on " + platform + " (NICs: " + join(nics) +
                     "; platforms: " + join(platforms) + ")");
  }
  return targets.at(nic).at(platform);
}

bool FeatureSet::has_target(const std::string& nic, const std::string& platform) const {
  const auto it = targets.find(nic);
  return it != targets.end() && it->second.contains(platform);
}

VariantCatalog VariantCatalog::parse(const std::string& text, const std::string& display_name,
                                     const std::filesystem::path& base_dir) {
  const YamlFile file = YamlFile::parse(text, display_name);
  VariantCatalog catalog;
  for (auto& set : VariantFileParser(file, base_dir).parse()) catalog.add(std::move(set));
  return catalog;
}

VariantCatalog VariantCatalog::load(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw InputError("no variant files (*.yaml) in '" + path.string() + "'");
  } else {
    files.push_back(path);
  }
  VariantCatalog catalog;
  for (const auto& file : files) {
    const YamlFile yaml = YamlFile::load(file.string());
    for (auto& set : VariantFileParser(yaml, file.parent_path()).parse()) {
      catalog.add(std::move(set));
    }
  }
  return catalog;
}

void VariantCatalog::add(FeatureSet set) {
  for (const auto& existing : sets_) {
    if (existing.name == set.name) {
      throw InputError(set.where + ": feature set '" + set.name + "' is already defined at " +
                       existing.where);
    }
  }
  sets_.push_back(std::move(set));
}

const FeatureSet& VariantCatalog::feature_set(const std::string& name) const {
  std::vector<std::string> known;
  for (const auto& set : sets_) {
    if (set.name == name) return set;
    known.push_back(set.name);
  }
  throw InputError("unknown ROM variant '" + name + "' (defined: " + join(known) + ")");
}

BuildSpec build_spec(const FeatureSet& set, const std::string& platform,
                     const std::string& without) {
  if (!contains(set.platforms, platform)) {
    throw InputError("feature set '" + set.name + "' is not built for " + platform +
                     " (platforms: " + join(set.platforms) + ")");
  }
  if (!without.empty() && !contains(set.features, without)) {
    throw InputError("feature set '" + set.name + "' has no feature '" + without +
                     "' (features: " + join(set.features) + ")");
  }
  BuildSpec spec{.set_name = set.name,
                 .platform = platform,
                 .base_config = set.base_config,
                 .script = set.script,
                 .without = without};
  for (const auto& feature : set.feature_defs) {
    if (feature.name != without) spec.features.push_back(feature);
  }
  return spec;
}

std::map<std::string, std::string> generate_config_headers(const BuildSpec& spec) {
  std::map<std::string, std::string> headers;
  for (const auto& feature : spec.features) {
    for (const auto& [header, settings] : feature.headers) {
      std::string& text = headers[header];
      if (text.empty()) {
        text = "/* config/local/" + header + " generated by romharness for " + spec.label() +
               "; do not edit */\n";
      }
      text += "\n/* " + feature.name +
              (feature.description.empty() ? "" : ": " + feature.description) + " */\n";
      for (const auto& s : settings) text += header_line(s);
    }
  }
  return headers;
}

std::string config_hash(const BuildSpec& spec) {
  std::string canonical = "base_config=" + spec.base_config + "\n";
  // The label is in the header comments; hash the settings only, so a
  // renamed set or platform with identical settings shares its identity.
  for (const auto& feature : spec.features) {
    for (const auto& [header, settings] : feature.headers) {
      for (const auto& s : settings) canonical += header + ":" + header_line(s);
    }
  }
  canonical += "script=" + (spec.script.empty() ? "" : sha256_file_hex(spec.script)) + "\n";
  return sha256_hex(canonical);
}

std::vector<std::string> make_argv(const BuildSpec& spec, const std::vector<std::string>& targets,
                                   int jobs, const SourceStamp& stamp) {
  std::vector<std::string> argv = {"make", "-j" + std::to_string(std::max(1, jobs))};
  argv.insert(argv.end(), targets.begin(), targets.end());
  // The private copy has no ../.git; name the commit the tree came from.
  argv.push_back("GITVERSION=" + stamp.commit);
  // With GITVERSION set, iPXE before 2025 asks `git log` for the build
  // timestamp, gets nothing in the copy and fails at link time
  // ("--defsym:0: syntax error"). The commit's own time is the
  // reproducible-builds answer, and the ROM's bytes then follow the commit.
  if (!stamp.commit_time.empty()) argv.push_back("SOURCE_DATE_EPOCH=" + stamp.commit_time);
  // Older iPXE commits meet warnings today's gcc added (v1.21.1 stops on
  // -Werror=array-bounds with gcc 12): a bisect over history must build
  // them. The warnings stay in the build log.
  argv.push_back("NO_WERROR=1");
  if (!spec.base_config.empty()) argv.push_back("CONFIG=" + spec.base_config);
  if (!spec.script.empty()) argv.push_back(std::string("EMBED=") + kEmbeddedScriptName);
  return argv;
}

}  // namespace rh
