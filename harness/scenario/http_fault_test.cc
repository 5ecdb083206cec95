#include "harness/scenario/http_fault.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

std::vector<HttpFault> parse(const std::string& yaml) {
  const YamlFile f = YamlFile::parse(yaml, "s.yaml");
  return parse_http_faults(f, f.root()["http"]);
}

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ParseHttpFaults, ReadsEveryField) {
  const auto rules = parse(
      "http:\n"
      "  - {path: /vmlinuz, status: 404}\n"
      "  - {path: /initrd.img, truncate: 1048576, times: 1}\n"
      "  - {path: '/*.img', delay_first_byte: 200ms, rate: 2000000, after: 1}\n"
      "  - {path: /boot.ipxe, reset_after: 10, delay_first_byte: 50, name: cut-script}\n");
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].status, 404);
  EXPECT_EQ(rules[0].name, "status=404");
  EXPECT_EQ(rules[1].truncate, 1048576u);
  EXPECT_EQ(rules[1].times, 1u);
  EXPECT_EQ(rules[2].delay_first_byte, std::chrono::milliseconds(200));
  EXPECT_EQ(rules[2].rate, 2000000u);
  EXPECT_EQ(rules[2].after, 1u);
  EXPECT_EQ(rules[2].name, "delay=200ms+rate=2000000");
  EXPECT_EQ(rules[3].reset_after, 10u);
  EXPECT_EQ(rules[3].delay_first_byte, std::chrono::milliseconds(50));
  EXPECT_EQ(rules[3].name, "cut-script");
  EXPECT_TRUE(parse("other: 1\n").empty());
}

TEST(ParseHttpFaults, ErrorsNamePositionKeyAndValue) {
  EXPECT_EQ(
      error_of("http:\n  - {path: /a, stauts: 404}\n"),
      "s.yaml:2:16: unknown key 'stauts' in http fault (did you mean 'status'? known keys: after, "
      "delay_first_byte, name, path, rate, reset_after, status, times, truncate)");
  EXPECT_EQ(error_of("http:\n  - {status: 404}\n"), "s.yaml:2:5: missing required key 'path'");
  EXPECT_EQ(error_of("http:\n  - {path: vmlinuz, status: 404}\n"),
            "s.yaml:2:12: fault path must start with '/', got 'vmlinuz'");
  EXPECT_EQ(error_of("http:\n  - {path: /a, status: 700}\n"),
            "s.yaml:2:24: status must be between 100 and 599, got '700'");
  EXPECT_EQ(error_of("http:\n  - {path: /a, rate: fast}\n"),
            "s.yaml:2:22: rate must be an integer, got 'fast'");
  EXPECT_EQ(error_of("http:\n  - {path: /a, truncate: -1}\n"),
            "s.yaml:2:26: truncate must not be negative, got '-1'");
  EXPECT_EQ(error_of("http:\n  - {path: /a, delay_first_byte: soon}\n"),
            "s.yaml:2:34: delay_first_byte: bad duration 'soon' (use a number with ms, s or m, "
            "e.g. 500ms, 30s, 2m)");
  EXPECT_EQ(error_of("http:\n  - {path: /a}\n"),
            "s.yaml:2:5: fault for '/a' has no effect (give status, delay_first_byte, rate, "
            "reset_after or truncate)");
  EXPECT_EQ(error_of("http:\n  - {path: /a, truncate: 1, reset_after: 2}\n"),
            "s.yaml:2:5: fault for '/a' sets both reset_after and truncate; choose one");
  EXPECT_EQ(error_of("http:\n  - {path: /a, times: 0, status: 500}\n"),
            "s.yaml:2:23: times must be at least 1");
  EXPECT_EQ(error_of("http: {path: /a}\n"), "s.yaml:1:7: http faults must be a list of maps");
}

TEST(HttpFault, MatchesExactOrGlob) {
  HttpFault exact{.path = "/vmlinuz"};
  EXPECT_TRUE(exact.matches_path("/vmlinuz"));
  EXPECT_FALSE(exact.matches_path("/vmlinuz2"));
  HttpFault glob{.path = "/*.img"};
  EXPECT_TRUE(glob.matches_path("/initrd.img"));
  EXPECT_TRUE(glob.matches_path("/deep/dir/initrd.img"));  // '*' crosses '/'
  EXPECT_FALSE(glob.matches_path("/initrd.img.sig"));
}

TEST(LoadHttpFaultFile, AcceptsListMapOrScenario) {
  testing::TempDir tmp;
  EXPECT_EQ(
      load_http_fault_file(tmp.write("a.yaml", "- {path: /a, status: 404}\n").string()).size(), 1u);
  EXPECT_EQ(load_http_fault_file(tmp.write("b.yaml", "http: [{path: /a, status: 404}]\n").string())
                .size(),
            1u);
  EXPECT_EQ(load_http_fault_file(
                tmp.write("c.yaml", "name: x\nfaults:\n  http: [{path: /a, rate: 5}]\n").string())
                .front()
                .rate,
            5u);
  const std::string bad = tmp.write("d.yaml", "status: 404\n").string();
  try {
    load_http_fault_file(bad);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), bad +
                                         ":1:1: fault file must be a list of http faults, a "
                                         "map with 'http', or a scenario with 'faults'");
  }
}

}  // namespace
}  // namespace rh
