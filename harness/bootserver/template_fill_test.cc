#include "harness/bootserver/template_fill.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(FillTemplate, ReplacesKnownNamesAndKeepsTheRest) {
  const std::map<std::string, std::string> vars = {{"server", "10.0.2.2:8080"}, {"n", "1"}};
  EXPECT_EQ(fill_template("chain http://{{server}}/x{{ n }}", vars),
            "chain http://10.0.2.2:8080/x1");
  EXPECT_EQ(fill_template("{{unknown}} ${net0/ip} {{server", vars),
            "{{unknown}} ${net0/ip} {{server");
  EXPECT_EQ(fill_template("", vars), "");
  EXPECT_EQ(fill_template("}}{{n}}{{", vars), "}}1{{");
}

}  // namespace
}  // namespace rh
