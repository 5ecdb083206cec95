#include "harness/core/utf8.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(Utf8Test, AcceptsEveryLengthOfWellFormedSequence) {
  EXPECT_TRUE(valid_utf8("a"));
  EXPECT_TRUE(valid_utf8("\xC2\xA0"));          // U+00A0
  EXPECT_TRUE(valid_utf8("\xE2\x80\xA8"));      // U+2028
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  char32_t cp = 0;
  EXPECT_EQ(utf8_sequence_length("\xE2\x82\xAC", 0, &cp), 3U);
  EXPECT_EQ(cp, U'\u20AC');
}

// The vmx_fuzz crash: an overlong "\xC0\x8C" passed the old check, and
// yaml-cpp wrote something else for it.
TEST(Utf8Test, RejectsOverlongSurrogateAndOutOfRangeForms) {
  EXPECT_FALSE(valid_utf8("p\xC0\x8Cs"));
  EXPECT_FALSE(valid_utf8("\xE0\x80\x80"));
  EXPECT_FALSE(valid_utf8("\xF0\x80\x80\x80"));
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(valid_utf8("\xF8\x88\x80\x80\x80"));
}

TEST(Utf8Test, RejectsTruncatedAndStrayContinuationBytes) {
  EXPECT_FALSE(valid_utf8("\xE2\x82"));
  EXPECT_FALSE(valid_utf8("\x80"));
  EXPECT_EQ(utf8_sequence_length("a\xC2", 1), 0U);
}

}  // namespace
}  // namespace rh
