// ROM variant definitions (rom-builds/*.yaml): named features (iPXE config
// defines to set or unset, per config header), feature sets that pick
// features, and NIC targets per platform with a size budget. A feature set on
// one platform becomes one BuildSpec: the config/local headers to generate and
// the make command line.
//
//   VariantCatalog catalog = VariantCatalog::load("rom-builds");
//   const FeatureSet& set = catalog.feature_set("vmware-min");
//   BuildSpec spec = build_spec(set, "bios");
//   generate_config_headers(spec);   // {"settings.h": "...#define VMWARE_SETTINGS\n", ...}
//   make_argv(spec, {"bin/15ad07b0.rom"}, 2, "0ab2277c");
//
// See rom-builds/vmware.yaml for the format. Errors are InputError with
// file:line:col.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rh {

// One line of a generated config header.
struct MacroSetting {
  std::string name;
  bool undef = false;                // #undef NAME
  std::optional<std::string> value;  // #define NAME value (none: #define NAME)
};

struct Feature {
  std::string name;
  std::string description;
  std::map<std::string, std::vector<MacroSetting>> headers;  // "general.h" -> settings in order
  std::string where;                                         // file:line:col of its definition
};

// One NIC's make target on one platform.
struct NicTarget {
  std::string nic;                    // vmxnet3, e1000, e1000-82545em, e1000e
  std::string platform;               // bios | efi
  std::string target;                 // e.g. bin/15ad07b0.rom
  std::optional<std::size_t> budget;  // bytes
};

struct FeatureSet {
  std::string name;
  std::string description;
  std::string base_config;            // iPXE named config (src/config/<name>/), empty: none
  std::vector<std::string> features;  // in order
  std::vector<std::string> nics;
  std::vector<std::string> platforms;
  std::filesystem::path script;  // embedded iPXE script, empty: none
  std::string where;             // file:line:col of its definition
  // Resolved from the same file: the features named above, and the targets of
  // each NIC on each platform.
  std::vector<Feature> feature_defs;
  std::map<std::string, std::map<std::string, NicTarget>> targets;  // nic -> platform

  const NicTarget& target(const std::string& nic, const std::string& platform) const;
  bool has_target(const std::string& nic, const std::string& platform) const;
};

// What one make invocation builds: a feature set (minus some features, for
// the feature-cost table) on one platform.
struct BuildSpec {
  std::string set_name;
  std::string platform;
  std::string base_config;
  std::vector<Feature> features;
  std::filesystem::path script;
  std::string without;        // feature left out, empty for the full set
  std::string label() const;  // "vmware-min/bios", "vmware-min-without-dns/bios"
};

inline const std::vector<std::string>& known_platforms() {
  static const std::vector<std::string> platforms = {"bios", "efi"};
  return platforms;
}
std::string bin_dir(const std::string& platform);  // bios -> bin, efi -> bin-x86_64-efi

class VariantCatalog {
 public:
  // A rom-builds YAML file, or a directory of them (*.yaml, sorted).
  static VariantCatalog load(const std::filesystem::path& path);
  static VariantCatalog parse(const std::string& text, const std::string& display_name,
                              const std::filesystem::path& base_dir);

  const std::vector<FeatureSet>& feature_sets() const { return sets_; }
  const FeatureSet& feature_set(const std::string& name) const;  // InputError naming the known

 private:
  void add(FeatureSet set);
  std::vector<FeatureSet> sets_;
};

// InputError when `without` is not a feature of the set.
BuildSpec build_spec(const FeatureSet& set, const std::string& platform,
                     const std::string& without = "");

// config/local/<header> contents for a spec, header name -> text.
std::map<std::string, std::string> generate_config_headers(const BuildSpec& spec);
// SHA-256 over the generated headers, base config and script: the variant's
// identity for provenance and cache keys.
std::string config_hash(const BuildSpec& spec);
// The commit a private copy came from, for make: the copy has no ../.git.
struct SourceStamp {
  std::string commit;       // empty for a plain (non-git) tree
  std::string commit_time;  // its committer time, Unix seconds; empty with it
};
// make's argv, run in the private copy's src/ directory.
std::vector<std::string> make_argv(const BuildSpec& spec, const std::vector<std::string>& targets,
                                   int jobs, const SourceStamp& stamp);
inline constexpr const char* kEmbeddedScriptName = "romharness-embedded.ipxe";

}  // namespace rh
