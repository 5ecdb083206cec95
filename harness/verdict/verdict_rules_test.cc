#include "harness/verdict/verdict_rules.h"

#include <gtest/gtest.h>

#include "harness/console/console_decoder.h"

namespace rh {
namespace {

Pattern re(const std::string& text) { return {text, std::regex(text)}; }

Scenario scenario(bool expect_fail) {
  Scenario s;
  s.stages.push_back({.name = "firmware", .serial = re("SeaBIOS")});
  s.stages.push_back({.name = "ipxe", .serial = re("iPXE")});
  s.expect.fail = expect_fail;
  if (expect_fail) {
    s.expect.reached = "firmware";
    s.expect.serial = re("No bootable device");
  }
  return s;
}

BootOutcome failed_waiting_for_ipxe() {
  return {BootOutcome::Kind::kFailurePattern, "serial matched failure pattern", "ipxe", 100};
}

TEST(Verdict, PassAndExtraCheck) {
  const Scenario s = scenario(false);
  const BootOutcome all{BootOutcome::Kind::kAllStagesSeen, "", "", 10};
  EXPECT_EQ(judge(s, all, "ipxe", "", {}).verdict, Verdict::kPass);
  const Judgement j = judge(s, all, "ipxe", "guest sent 1 DHCP packet(s)", {});
  EXPECT_EQ(j.verdict, Verdict::kFail);
  EXPECT_EQ(j.reason, "guest sent 1 DHCP packet(s)");
}

TEST(Verdict, ExpectedFailureAsStatedIsXfail) {
  const Judgement j = judge(scenario(true), failed_waiting_for_ipxe(), "firmware", "",
                            {"SeaBIOS", "No bootable device."});
  EXPECT_EQ(j.verdict, Verdict::kXFail);
}

TEST(Verdict, ExpectedFailureOtherwiseIsFail) {
  const Judgement j = judge(scenario(true), failed_waiting_for_ipxe(), "firmware", "", {"SeaBIOS"});
  EXPECT_EQ(j.verdict, Verdict::kFail);
  EXPECT_EQ(j.reason,
            "expected to fail after stage 'firmware' with serial /No bootable device/, "
            "but serial never matched /No bootable device/ (FAIL: serial matched "
            "failure pattern before stage 'ipxe' (serial /iPXE/))");
}

TEST(Verdict, ExpectedFailureThatPassesIsXpass) {
  const BootOutcome all{BootOutcome::Kind::kAllStagesSeen, "", "", 10};
  EXPECT_EQ(judge(scenario(true), all, "ipxe", "", {}).verdict, Verdict::kXPass);
}

TEST(Verdict, IpxeErrorCodesFromRealLines) {
  // As the console decoder gives them: the last one was wrapped at 80
  // columns inside the URL and is joined again.
  EXPECT_EQ(ipxe_error_codes(console_lines(
                "Could not boot image: Exec format error (http://ipxe.org/2e022001)\n"
                "http://10.0.2.2:1/x... Operation not supported (https://ipxe.org/3c092003)\n"
                "Configuring... No configuration methods (http://ipxe.org/err/040ee119)\n"
                "http://10.0.0.1:38293/boot.ipxe.................. Connection timed out (https://\n"
                "ipxe.org/4c0a6035)\n",
                80)),
            (std::vector<std::string>{"2e022001", "3c092003", "040ee119", "4c0a6035"}));
}

}  // namespace
}  // namespace rh
