#include "harness/report/xml_text.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(XmlTextTest, EscapesMarkupCharacters) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST(XmlTextTest, StripsControlCharactersXmlForbidsButKeepsTabNewlineCr) {
  EXPECT_EQ(xml_safe_text("a\x01\x08\x1b[0mb\t\n\rc"), "a[0mb\t\n\rc");
  EXPECT_EQ(xml_safe_text(std::string("nul\0end", 7)), "nulend");
}

TEST(XmlTextTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(xml_safe_text("x\xffy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(xml_safe_text("\xc3\x28"), "\xEF\xBF\xBD(");             // bad continuation
  EXPECT_EQ(xml_safe_text("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(xml_safe_text("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(xml_safe_text("cut \xe2\x82"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(XmlTextTest, KeepsValidMultibyteAndDropsNonCharacters) {
  EXPECT_EQ(xml_safe_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(xml_safe_text("a\xef\xbf\xbf"
                          "b"),
            "ab");  // U+FFFF
}

TEST(XmlTextTest, CdataSplitsTheTerminator) {
  EXPECT_EQ(xml_cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
  EXPECT_EQ(xml_cdata("]]>]]>"), "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
  EXPECT_EQ(xml_cdata("plain"), "<![CDATA[plain]]>");
}

}  // namespace
}  // namespace rh
