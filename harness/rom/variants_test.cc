#include "harness/rom/variants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace {

using ::testing::ElementsAre;

const std::filesystem::path kTestdata =
    std::filesystem::path(RH_SOURCE_DIR) / "harness/rom/testdata";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compares with a golden file; RH_UPDATE_GOLDEN=1 rewrites it instead.
void expect_golden(const std::string& name, const std::string& actual) {
  const auto path = kTestdata / name;
  if (std::getenv("RH_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
    return;
  }
  EXPECT_EQ(actual, read_file(path)) << "golden file " << path;
}

VariantCatalog vmware() {
  return VariantCatalog::load(std::filesystem::path(RH_SOURCE_DIR) / "rom-builds/vmware.yaml");
}

std::string parse_error(const std::string& yaml) {
  try {
    VariantCatalog::parse(yaml, "v.yaml", kTestdata);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr const char* kNics = R"(nics:
  vmxnet3:
    bios: {target: bin/15ad07b0.rom, budget: 65536}
)";

TEST(VariantsTest, ShippedVmwareSets) {
  const VariantCatalog catalog = vmware();
  const FeatureSet& min = catalog.feature_set("vmware-min");
  EXPECT_THAT(min.nics, ElementsAre("vmxnet3", "e1000-82545em", "e1000e"));
  EXPECT_THAT(min.platforms, ElementsAre("bios", "efi"));
  EXPECT_EQ(min.target("vmxnet3", "bios").target, "bin/15ad07b0.rom");
  EXPECT_EQ(min.target("vmxnet3", "bios").budget, 65536u);
  EXPECT_EQ(min.target("e1000-82545em", "bios").target, "bin/8086100f.mrom");
  EXPECT_EQ(min.target("e1000e", "efi").target, "bin-x86_64-efi/808610d3.efirom");
  const FeatureSet& full = catalog.feature_set("vmware-full");
  EXPECT_THAT(full.features, ::testing::Contains("vmware-console"));
}

TEST(VariantsTest, GeneratedHeadersForVmwareMinBios) {
  const BuildSpec spec = build_spec(vmware().feature_set("vmware-min"), "bios");
  const auto headers = generate_config_headers(spec);
  std::vector<std::string> names;
  for (const auto& [name, text] : headers) names.push_back(name);
  EXPECT_THAT(names, ElementsAre("console.h", "general.h", "settings.h"));
  for (const auto& [name, text] : headers) expect_golden("vmware-min-bios." + name, text);
}

TEST(VariantsTest, GeneratedHeadersWithoutAFeature) {
  const BuildSpec spec = build_spec(vmware().feature_set("vmware-full"), "efi", "ping");
  EXPECT_EQ(spec.label(), "vmware-full-without-ping/efi");
  const auto headers = generate_config_headers(spec);
  expect_golden("vmware-full-without-ping-efi.general.h", headers.at("general.h"));
}

TEST(VariantsTest, MakeArgv) {
  const VariantCatalog catalog = vmware();
  const FeatureSet& set = catalog.feature_set("vmware-min");
  const BuildSpec spec = build_spec(set, "bios");
  std::string argv;
  for (const auto& arg : make_argv(
           spec, {"bin/15ad07b0.rom", "bin/8086100f.mrom"}, 2,
           {.commit = "0ab2277c40f1de56c736b9e7db7ee23d52509ec5", .commit_time = "1764547200"})) {
    argv += arg + "\n";
  }
  expect_golden("vmware-min-bios.argv", argv);
}

TEST(VariantsTest, MakeArgvWithBaseConfigAndScript) {
  const VariantCatalog catalog = VariantCatalog::parse(std::string(R"(features:
  guestinfo:
    settings.h: {define: [VMWARE_SETTINGS]}
)") + kNics + R"(feature_sets:
  cloudy:
    base_config: cloud
    script: embed.ipxe
    features: [guestinfo]
    platforms: [bios]
)",
                                                       "v.yaml", kTestdata);
  const BuildSpec spec = build_spec(catalog.feature_set("cloudy"), "bios");
  EXPECT_EQ(spec.script, kTestdata / "embed.ipxe");
  EXPECT_THAT(make_argv(spec, {"bin/15ad07b0.rom"}, 1, {}),
              ElementsAre("make", "-j1", "bin/15ad07b0.rom", "GITVERSION=", "NO_WERROR=1",
                          "CONFIG=cloud", "EMBED=romharness-embedded.ipxe"));
}

TEST(VariantsTest, ConfigHashFollowsSettingsNotNames) {
  const VariantCatalog catalog = vmware();
  const FeatureSet& min = catalog.feature_set("vmware-min");
  const std::string full_hash = config_hash(build_spec(min, "bios"));
  EXPECT_EQ(full_hash.size(), 64u);
  EXPECT_EQ(full_hash, config_hash(build_spec(min, "efi")));  // same settings
  EXPECT_NE(full_hash, config_hash(build_spec(min, "bios", "guestinfo")));
}

TEST(VariantsTest, UnknownFeatureSet) {
  try {
    vmware().feature_set("vmware-max");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown ROM variant 'vmware-max' (defined: vmware-min, vmware-dns, "
                 "vmware-serial, vmware-full)");
  }
}

TEST(VariantsTest, UnknownTopLevelKey) {
  EXPECT_EQ(parse_error("features: {}\nnics: {}\nfeature_sets: {}\nvariants: {}\n"),
            "v.yaml:4:1: unknown key 'variants' in variant file (known keys: feature_sets, "
            "features, nics)");
}

TEST(VariantsTest, UnknownFeatureKey) {
  EXPECT_EQ(parse_error("features:\n  a:\n    Console.h: {define: [X]}\n"),
            "v.yaml:3:5: unknown key 'Console.h' in feature 'a' (known keys: description, and "
            "iPXE config headers such as general.h, console.h, settings.h)");
}

TEST(VariantsTest, BadMacroName) {
  EXPECT_EQ(parse_error("features:\n  a:\n    general.h: {undef: [PING-CMD]}\n"),
            "v.yaml:3:24: 'PING-CMD' is not a C macro name");
}

TEST(VariantsTest, EmptyDefineValue) {
  EXPECT_EQ(parse_error("features:\n  a:\n    general.h: {define: [BANNER_TIMEOUT=]}\n"),
            "v.yaml:3:25: 'BANNER_TIMEOUT=' has an empty value");
}

TEST(VariantsTest, UnknownNic) {
  EXPECT_EQ(parse_error("features: {}\nnics:\n  vmxnet2:\n    bios: {target: bin/x.rom}\n"),
            "v.yaml:3:3: unknown NIC model 'vmxnet2' (known: vmxnet3, e1000, e1000-82545em, "
            "e1000e)");
}

TEST(VariantsTest, TargetOutsideItsBinDirectory) {
  EXPECT_EQ(
      parse_error("features: {}\nnics:\n  vmxnet3:\n    efi: {target: bin/15ad07b0.efirom}\n"),
      "v.yaml:4:19: target 'bin/15ad07b0.efirom' of NIC 'vmxnet3' on efi must be a file "
      "directly under bin-x86_64-efi/");
}

TEST(VariantsTest, BadBudget) {
  EXPECT_EQ(
      parse_error("features: {}\nnics:\n  vmxnet3:\n    bios: {target: bin/a.rom, budget: 64k}\n"),
      "v.yaml:4:39: budget of NIC 'vmxnet3' on bios must be an integer, got '64k'");
}

TEST(VariantsTest, UnknownFeatureInSet) {
  EXPECT_EQ(parse_error(std::string("features:\n  a:\n    general.h: {define: [PING_CMD]}\n") +
                        kNics + "feature_sets:\n  s:\n    features: [a, b]\n"),
            "v.yaml:9:15: unknown feature 'b' (defined: a)");
}

TEST(VariantsTest, SetWantsMissingTarget) {
  EXPECT_EQ(parse_error(std::string("features:\n  a:\n    general.h: {define: [PING_CMD]}\n") +
                        kNics + "feature_sets:\n  s:\n    features: [a]\n"),
            "v.yaml:9:5: feature set 's' wants NIC 'vmxnet3' on efi but 'nics' has no efi target "
            "for it");
}

TEST(VariantsTest, ConflictingFeatures) {
  EXPECT_EQ(
      parse_error(std::string("features:\n  a:\n    general.h: {define: [PING_CMD]}\n"
                              "  b:\n    general.h: {undef: [PING_CMD]}\n") +
                  kNics + "feature_sets:\n  s:\n    features: [a, b]\n    platforms: [bios]\n"),
      "v.yaml:11:15: features 'a' and 'b' of feature set 's' both set PING_CMD in general.h");
}

TEST(VariantsTest, MissingScript) {
  EXPECT_EQ(
      parse_error(std::string("features:\n  a:\n    general.h: {define: [PING_CMD]}\n") + kNics +
                  "feature_sets:\n  s:\n    features: [a]\n    platforms: [bios]\n"
                  "    script: nope.ipxe\n"),
      "v.yaml:11:13: script 'nope.ipxe' not found (looked for '" +
          (kTestdata / "nope.ipxe").string() + "')");
}

TEST(VariantsTest, WithoutUnknownFeature) {
  try {
    build_spec(vmware().feature_set("vmware-min"), "bios", "ping");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "feature set 'vmware-min' has no feature 'ping' (features: guestinfo, "
                 "vmware-console, no-banner-wait, http-only, no-dns, no-sanboot)");
  }
}

}  // namespace
}  // namespace rh
