// Builds ROM variants with iPXE's own make, never touching the user's tree:
// the source (src/ copied from a local tree, or exported from our own clone
// of a git URL) is synced into a private tree per configuration and
// platform, kept between builds so that a neighbouring commit rebuilds only
// what changed (build_tree.h), with the variant's settings in config/local/.
// ROMs land in a content-addressed cache keyed by the iPXE commit (or tree
// hash), the variant's settings, the make target and the compiler version,
// so a second run of a matrix is served from disk.
//
//   RomBuilder builder({.ipxe_src = "/src/ipxe", .jobs = 2});
//   BuiltRom rom = builder.find_or_build({.variant = "vmware-min", .nic = "vmxnet3",
//                                         .firmware = "bios"});
//   rom.path;                       // ~/.cache/romharness/roms/<key>/15ad07b0.rom
//   rom.provenance["ipxe_commit"];  // "0ab2277c40f1..."
//
// Cache: <cache root>/roms/<key>/{<rom>,build.log,
// provenance.json}, written to a temporary directory and renamed into place;
// <cache root>/rom-trees/<platform>-<settings hash>/ the build trees.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/rom/ipxe_source.h"
#include "harness/rom/variants.h"

namespace rh {

std::string compiler_version();  // first line of `gcc --version`

struct BuildContext {
  std::string ipxe_src;                           // empty: $ROMHARNESS_IPXE_SRC
  std::filesystem::path cache_dir;                // empty: cache_root() (core/cache_root.h)
  std::filesystem::path variants = "rom-builds";  // a variant file or a directory of them
  int jobs = 1;                      // make jobs in total, spread over concurrent builds
  std::ostream* progress = nullptr;  // one line per build started/finished
};

// A scenario's `rom: {variant: vmware-min, nic: vmxnet3}` on one firmware.
struct VariantRef {
  std::string variant;
  std::string nic;
  std::string firmware;  // bios | efi
};

struct BuiltRom {
  std::string label;  // "vmware-min/bios"
  std::string variant;
  std::string without;  // feature left out (feature-cost builds)
  std::string nic;
  std::string platform;
  std::string target;          // make target, e.g. bin/15ad07b0.rom
  std::filesystem::path path;  // in the cache
  std::size_t size = 0;
  std::string sha256;
  std::optional<std::size_t> budget;
  bool cache_hit = false;
  // ipxe_commit, ipxe_source, config_hash, compiler, built_at, cache_key, make_target
  std::map<std::string, std::string> provenance;
};

struct BuildFailure {
  std::string label;    // "vmware-min/efi"
  std::string message;  // make's status, its error: lines and last lines
  std::filesystem::path log;
};

struct BuildResult {
  std::vector<BuiltRom> roms;
  std::vector<BuildFailure> failures;
  bool ok() const { return failures.empty(); }
};

// One make invocation: a spec and the NIC targets wanted from it.
struct BuildRequest {
  BuildSpec spec;
  std::vector<NicTarget> targets;
};

// Bytes a feature adds to a ROM: size with the whole set minus size without it.
struct FeatureCost {
  std::string variant;
  std::string feature;
  std::string nic;
  std::string platform;
  std::size_t with_bytes = 0;
  std::size_t without_bytes = 0;
  long long cost() const {
    return static_cast<long long>(with_bytes) - static_cast<long long>(without_bytes);
  }
};

class RomBuilder {
 public:
  // Resolves the source, loads the variant files and asks for the compiler
  // version once. InputError/SetupError on a bad source or variant file.
  explicit RomBuilder(BuildContext context);

  const VariantCatalog& catalog() const { return catalog_; }
  const IpxeSource& source() const { return source_; }
  const std::filesystem::path& cache_dir() const { return context_.cache_dir; }

  // Requests for these sets (all when empty), filtered by NIC and platform
  // (no filter when empty); with `feature_cost`, also each set minus each feature.
  std::vector<BuildRequest> requests(const std::vector<std::string>& sets,
                                     const std::vector<std::string>& nics,
                                     const std::vector<std::string>& platforms,
                                     bool feature_cost) const;
  // Serves hits from the cache, builds the rest in parallel.
  BuildResult build(const std::vector<BuildRequest>& requests);
  // The ROM for one scenario; SetupError with make's errors if the build fails.
  BuiltRom find_or_build(const VariantRef& ref);

  // Cache key of one target of one spec.
  std::string cache_key(const BuildSpec& spec, const NicTarget& target) const;

 private:
  BuildContext context_;
  IpxeSource source_;
  VariantCatalog catalog_;
  std::string compiler_;
};

// Pairs full-set ROMs with the ROMs built without each feature.
std::vector<FeatureCost> feature_costs(const std::vector<BuiltRom>& roms);

BuiltRom find_or_build(const VariantRef& ref, const BuildContext& context);

// Compiler error lines from a build log: lines with "error:" (at most
// `max_lines`), for failure messages.
std::vector<std::string> error_lines(const std::string& log, std::size_t max_lines = 20);

}  // namespace rh
