#include "harness/core/yaml_input.h"

#include <gtest/gtest.h>

#include "harness/core/duration.h"
#include "harness/core/error.h"

namespace rh {
namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(YamlInput, UnknownKeyNamesFileLineColumnAndKnownKeys) {
  const YamlFile f = YamlFile::parse("name: a\nnics: e1000\n", "s.yaml");
  EXPECT_EQ(
      error_of([&] {
        f.check_keys(f.root(), {"name", "nic"}, "scenario");
      }),
      "s.yaml:2:1: unknown key 'nics' in scenario (did you mean 'nic'? known keys: name, nic)");
}

TEST(YamlInput, MissingRequiredKey) {
  const YamlFile f = YamlFile::parse("name: a\n", "s.yaml");
  EXPECT_EQ(error_of([&] { f.string_at(f.root(), "nic"); }),
            "s.yaml:1:1: missing required key 'nic'");
}

TEST(YamlInput, WrongTypeQuotesValue) {
  const YamlFile f = YamlFile::parse("memory: lots\n", "s.yaml");
  EXPECT_EQ(error_of([&] { f.int_at(f.root()["memory"], "memory"); }),
            "s.yaml:1:9: memory must be an integer, got 'lots'");
}

TEST(YamlInput, InvalidYamlHasPosition) {
  EXPECT_EQ(error_of([] { YamlFile::parse("a: [1, 2\n", "s.yaml"); }).substr(0, 12),
            "s.yaml:2:1: ");
}

TEST(YamlInput, Durations) {
  EXPECT_EQ(parse_duration("500ms").count(), 500);
  EXPECT_EQ(parse_duration("30s").count(), 30000);
  EXPECT_EQ(parse_duration("1.5s").count(), 1500);
  EXPECT_EQ(parse_duration("2m").count(), 120000);
  EXPECT_THROW(parse_duration("30"), std::invalid_argument);
  EXPECT_THROW(parse_duration("s"), std::invalid_argument);
  EXPECT_THROW(parse_duration("0s"), std::invalid_argument);
  EXPECT_EQ(shown_duration(std::chrono::milliseconds(120000)), "120s");
  EXPECT_EQ(shown_duration(std::chrono::milliseconds(1500)), "1500ms");
  const YamlFile f = YamlFile::parse("timeout: 30 seconds\n", "s.yaml");
  EXPECT_EQ(error_of([&] { f.duration_at(f.root()["timeout"], "timeout"); }),
            "s.yaml:1:10: timeout: bad duration '30 seconds' (use a number with ms, s or m, "
            "e.g. 500ms, 30s, 2m)");
}

TEST(YamlInput, StringsAcceptScalarOrList) {
  const YamlFile f = YamlFile::parse("a: x\nb: [y, z]\nc: []\n", "s.yaml");
  EXPECT_EQ(f.strings_at(f.root()["a"], "a"), std::vector<std::string>{"x"});
  EXPECT_EQ(f.strings_at(f.root()["b"], "b"), (std::vector<std::string>{"y", "z"}));
  EXPECT_THROW(f.strings_at(f.root()["c"], "c"), InputError);
}

}  // namespace
}  // namespace rh
