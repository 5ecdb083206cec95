#include "harness/field/vmx.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string parse_error(const std::string& text) {
  try {
    VmxFile::parse(text, "vm.vmx");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(VmxUnescape, DecodesPipeHexAndKeepsOtherPipes) {
  EXPECT_EQ(vmx_unescape("say |22hi|22"), "say \"hi\"");
  EXPECT_EQ(vmx_unescape("a|7Cb|7cc"), "a|b|c");
  EXPECT_EQ(vmx_unescape("line1|0Aline2|0d"), "line1\nline2\r");
  EXPECT_EQ(vmx_unescape("pipe|xy and |4 and end|"), "pipe|xy and |4 and end|");
  EXPECT_EQ(vmx_unescape("|"), "|");
}

TEST(VmxEscape, RoundTripsEverythingVmwareEscapes) {
  std::string nasty = "q\"p|t\tnl\ncr\rdel\x7f utf8 \xc3\xa9";
  EXPECT_EQ(vmx_escape(nasty), "q|22p|7Ct\tnl|0Acr|0Ddel|7F utf8 \xc3\xa9");
  EXPECT_EQ(vmx_unescape(vmx_escape(nasty)), nasty);
}

TEST(VmxParse, ReadsVmwareLineForms) {
  VmxFile f = VmxFile::parse(
      "\xEF\xBB\xBF.encoding = \"UTF-8\"\n"
      "# comment\n"
      "\n"
      "  memsize=512   # trailing\r\n"
      "displayName = \"a # b |22c|22\"\n"
      "empty =\n"
      "\tguestinfo.x\t=\t\"1\"\n",
      "vm.vmx");
  ASSERT_EQ(f.entries().size(), 5u);
  EXPECT_EQ(f.entries()[0].key, ".encoding");
  EXPECT_EQ(f.entries()[1].key, "memsize");
  EXPECT_EQ(f.entries()[1].value, "512");
  EXPECT_EQ(f.entries()[1].line, 4);
  EXPECT_EQ(f.entries()[2].value, "a # b \"c\"");
  EXPECT_EQ(f.entries()[2].raw_value, "a # b |22c|22");
  EXPECT_EQ(f.entries()[3].value, "");
  EXPECT_EQ(f.entries()[4].value, "1");
  EXPECT_TRUE(f.warnings().empty());
}

TEST(VmxParse, KeysAreCaseInsensitive) {
  VmxFile f = VmxFile::parse("Ethernet0.VirtualDev = \"vmxnet3\"\n", "vm.vmx");
  ASSERT_NE(f.find("ethernet0.virtualdev"), nullptr);
  EXPECT_EQ(f.find("ETHERNET0.VIRTUALDEV")->value, "vmxnet3");
  EXPECT_EQ(f.find("ethernet1.virtualDev"), nullptr);
  EXPECT_EQ(f.where(*f.find("ethernet0.virtualDev")), "vm.vmx:1");
}

TEST(VmxParse, DuplicateKeyLastWinsWithWarning) {
  VmxFile f = VmxFile::parse("memsize = \"512\"\nnumvcpus = \"1\"\nMEMSIZE = \"1024\"\n", "vm.vmx");
  ASSERT_EQ(f.entries().size(), 2u);
  EXPECT_EQ(f.entries()[0].key, "numvcpus");
  EXPECT_EQ(f.entries()[1].key, "MEMSIZE");
  EXPECT_EQ(f.find("memsize")->value, "1024");
  ASSERT_EQ(f.warnings().size(), 1u);
  EXPECT_EQ(f.warnings()[0],
            "vm.vmx:3: duplicate key 'MEMSIZE' (first set at line 1); the value at line 3 wins");
}

TEST(VmxParse, WarnsAboutNonUtf8Encoding) {
  VmxFile f = VmxFile::parse(".encoding = \"windows-1252\"\n", "vm.vmx");
  ASSERT_EQ(f.warnings().size(), 1u);
  EXPECT_EQ(f.warnings()[0],
            "vm.vmx:1: .encoding is 'windows-1252'; values are read as UTF-8 bytes without "
            "conversion");
}

TEST(VmxParse, MalformedLinesNameFileLineAndText) {
  EXPECT_EQ(parse_error("memsize = \"1\"\nmemsize 512\n"),
            "vm.vmx:2: cannot parse line 'memsize 512' (expected: key = \"value\")");
  EXPECT_EQ(parse_error("= \"x\""),
            "vm.vmx:1: cannot parse line '= \"x\"' (expected: key = \"value\")");
  EXPECT_EQ(parse_error("a = \"open"),
            "vm.vmx:1: cannot parse line 'a = \"open' (no closing quote; write a quote as |22)");
  EXPECT_EQ(parse_error("a = \"say \"hi\"\""),
            "vm.vmx:1: cannot parse line 'a = \"say \"hi\"\"' (unexpected text after the value: "
            "'hi\"\"')");
  EXPECT_EQ(parse_error("a = one two"),
            "vm.vmx:1: cannot parse line 'a = one two' (unexpected text after the value: 'two')");
}

TEST(VmxLoad, MissingFileIsAnInputError) {
  EXPECT_THROW(
      {
        try {
          VmxFile::load("/nonexistent/vm.vmx");
        } catch (const InputError& e) {
          EXPECT_STREQ(e.what(), "cannot open .vmx file '/nonexistent/vm.vmx'");
          throw;
        }
      },
      InputError);
}

TEST(VmxLoad, ReadsTheOddQuotingSample) {
  VmxFile f = VmxFile::load(RH_SOURCE_DIR "/fixtures/vmx/odd-quoting.vmx");
  EXPECT_EQ(f.find("displayName")->value, "odd \"quoting\" | test");
  EXPECT_EQ(f.find("numvcpus")->value, "1");
  EXPECT_EQ(f.find("guestinfo.ipxe.scriptlet")->value,
            "echo \"hello: world\" #not-a-comment\nchain http://{{server}}/boot.ipxe?a=1|b=2\n");
  EXPECT_EQ(f.find("guestinfo.ipxe.dns")->value, "10.0.0.53");
  EXPECT_EQ(f.find("guestinfo.ipxe.dns")->line, 16);
  ASSERT_EQ(f.warnings().size(), 1u);
  EXPECT_NE(f.warnings()[0].find("odd-quoting.vmx:16: duplicate key 'guestinfo.ipxe.dns'"),
            std::string::npos);
}

}  // namespace
}  // namespace rh
