#include "harness/core/self_usage.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace rh {
namespace {

TEST(SelfUsage, CountsADescriptorOpenedAndClosed) {
  const ProcessUsage before = self_usage();
  ASSERT_GT(before.open_fds, 2);  // at least stdin, stdout, stderr
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(self_usage().open_fds, before.open_fds + 1);
  ::close(fd);
  EXPECT_EQ(self_usage().open_fds, before.open_fds);
}

TEST(SelfUsage, ResidentMemoryGrowsWithTouchedPages) {
  const ProcessUsage before = self_usage();
  ASSERT_GT(before.rss_kib, 0);
  std::string touched(std::size_t{64} << 20, 'x');  // written, so resident
  const ProcessUsage after = self_usage();
  EXPECT_GE(after.rss_kib, before.rss_kib + 60L * 1024) << touched.back();
  // Heap pages are anonymous: a leak shows there, not in the file-backed part.
  EXPECT_GE(after.anon_kib, before.anon_kib + 60L * 1024);
  EXPECT_LT(after.file_kib, before.file_kib + 60L * 1024);
}

TEST(SelfUsage, ResidentMemoryIsItsAnonymousAndFileBackedParts) {
  const ProcessUsage u = self_usage();
  ASSERT_GT(u.anon_kib, 0);
  ASSERT_GT(u.file_kib, 0);  // this test's own code, at least
  EXPECT_EQ(u.anon_kib + u.file_kib, u.rss_kib);
}

}  // namespace
}  // namespace rh
