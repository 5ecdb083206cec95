#include "harness/field/terraform.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string hcl_error(const std::string& text) {
  try {
    parse_hcl(text, "main.tf");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Hcl, ParsesAttributesBlocksAndLiterals) {
  HclBody b = parse_hcl(
      "# comment\n"
      "a = \"x\\ty\\u00e9\" // trailing\n"
      "/* block\n comment */ n = 42\n"
      "f = true\n"
      "l = [1, \"two\",\n 3]\n"
      "o = { k = \"v\", \"q.k\" : 2 }\n"
      "e = var.thing[0]\n"
      "resource \"t\" \"n\" {\n  inner { x = 1 }\n}\n",
      "main.tf");
  ASSERT_EQ(b.attributes.size(), 6u);
  EXPECT_EQ(b.attributes[0].value.text, "x\ty\xc3\xa9");
  EXPECT_EQ(b.attributes[1].name, "n");
  EXPECT_EQ(b.attributes[1].line, 4);
  EXPECT_EQ(b.attributes[1].value.kind, HclValue::Kind::kNumber);
  EXPECT_EQ(b.attributes[2].value.kind, HclValue::Kind::kBool);
  EXPECT_EQ(b.attributes[3].value.items.size(), 3u);
  EXPECT_EQ(b.attributes[4].value.keys, (std::vector<std::string>{"k", "q.k"}));
  EXPECT_EQ(b.attributes[5].value.kind, HclValue::Kind::kExpression);
  EXPECT_EQ(b.attributes[5].value.text, "var.thing[0]");
  ASSERT_EQ(b.blocks.size(), 1u);
  EXPECT_EQ(b.blocks[0].labels, (std::vector<std::string>{"t", "n"}));
  EXPECT_EQ(b.blocks[0].body.blocks[0].body.attributes[0].value.text, "1");
}

TEST(Hcl, LiteralInsideAnExpressionIsKeptAsText) {
  HclBody b = parse_hcl("a = \"x\" + \"y\"\nb = \"pre-${var.x}-post\"\n", "main.tf");
  EXPECT_EQ(b.attributes[0].value.kind, HclValue::Kind::kExpression);
  EXPECT_EQ(b.attributes[0].value.text, "\"x\" + \"y\"");
  EXPECT_EQ(b.attributes[1].value.kind, HclValue::Kind::kExpression);
  EXPECT_EQ(b.attributes[1].value.text, "\"pre-${var.x}-post\"");
}

TEST(Hcl, ErrorsNameFileLineColumn) {
  EXPECT_EQ(hcl_error("a = \"open\n"), "main.tf:1:5: unterminated string");
  EXPECT_EQ(hcl_error("a = \"bad \\q\"\n"), "main.tf:1:10: unknown escape '\\q' in string");
  EXPECT_EQ(hcl_error("resource \"x\" {\n  a = 1\n"),
            "main.tf:3:1: expected an attribute, a block or '}', found 'end of file'");
  EXPECT_EQ(hcl_error("a = \n"), "main.tf:1:5: expected a value, found 'end of line'");
  EXPECT_EQ(hcl_error("x \"y\" = 1\n"), "main.tf:1:7: expected '=' or '{' after 'x', found '='");
  EXPECT_EQ(hcl_error("a = 1 }\n"),
            "main.tf:1:7: expected end of line after the value of 'a', found '}'");
  EXPECT_EQ(hcl_error("/* never closed\n"), "main.tf:1:1: unterminated /* comment");
  EXPECT_EQ(hcl_error("a = @\n"), "main.tf:1:5: unexpected character '@'");
  EXPECT_EQ(hcl_error("o = { 1 = 2 }\n"),
            "main.tf:1:7: expected a key (\"name\" or name) or '}', found '1'");
}

TEST(TfVirtualMachine, NoResourceIsAnError) {
  try {
    tf_virtual_machine("variable \"x\" {}\n", "main.tf", "");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "main.tf: no resource \"vsphere_virtual_machine\" found");
  }
}

TEST(TfVirtualMachine, NonLiteralScalarsAreWarnedAndCommented) {
  TfVirtualMachine vm = tf_virtual_machine(
      "resource \"vsphere_virtual_machine\" \"v\" {\n  memory = var.mem\n"
      "  network_interface { adapter_type = \"e1000e\" }\n}\n",
      "main.tf", "");
  ASSERT_EQ(vm.warnings.size(), 1u);
  EXPECT_EQ(vm.warnings[0],
            "main.tf:2: memory = var.mem is not a literal; romharness cannot evaluate it");
  ASSERT_EQ(vm.settings.size(), 2u);
  EXPECT_EQ(vm.settings[0].shown, "memory = var.mem (main.tf:2)");
  EXPECT_EQ(vm.settings[1].key, "ethernet0.virtualDev");
  EXPECT_EQ(vm.settings[1].value, "e1000e");
}

}  // namespace
}  // namespace rh

namespace rh {
namespace {

// Found by hcl_fuzz: a backslash as the last byte inside ${ "..." } read past
// the end of the input.
TEST(HclRegression, BackslashAtEndOfInterpolatedString) {
  EXPECT_THROW(parse_hcl("z = \"${\"\\", "fuzz.tf"), InputError);
}

}  // namespace
}  // namespace rh
