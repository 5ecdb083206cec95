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
  EXPECT_GE(self_usage().rss_kib, before.rss_kib + 60L * 1024) << touched.back();
}

}  // namespace
}  // namespace rh
