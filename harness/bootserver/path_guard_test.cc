#include "harness/bootserver/path_guard.h"

#include <gtest/gtest.h>

#include "harness/bootserver/test_client.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

TEST(NormalizeTarget, CleansSegmentsAndDropsQuery) {
  EXPECT_EQ(normalize_target("/boot.ipxe").path, "/boot.ipxe");
  EXPECT_EQ(normalize_target("/a//b/./c/?mac=52:54#frag").path, "/a/b/c");
  EXPECT_EQ(normalize_target("/").path, "/");
  EXPECT_EQ(normalize_target("/my%20file").path, "/my file");
  EXPECT_EQ(normalize_target("/%252e%252e/x").path, "/%2e%2e/x");  // decoded once only
}

TEST(NormalizeTarget, RefusesDotDotInEveryEncoding) {
  for (const char* target : {"/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd",
                             "/%2E%2E/x", "/a/..%2f..%2fetc/passwd", "/a/%2e%2e", "/.%2e/x"}) {
    const PathCheck c = normalize_target(target);
    EXPECT_EQ(c.status, 403) << target;
    EXPECT_EQ(c.reason, "path has a '..' segment") << target;
  }
}

TEST(NormalizeTarget, RefusesBadInput) {
  EXPECT_EQ(normalize_target("etc/passwd").reason, "request target does not start with '/'");
  EXPECT_EQ(normalize_target("*").status, 400);
  EXPECT_EQ(normalize_target("evil:80").status, 400);  // authority-form (CONNECT)
  EXPECT_EQ(normalize_target("ftp://evil/x").status, 400);
  EXPECT_EQ(normalize_target("").status, 400);
  EXPECT_EQ(normalize_target("/a%00b").reason, "path contains a NUL byte");
  EXPECT_EQ(normalize_target(std::string_view("/a\0b", 4)).reason, "path contains a NUL byte");
  EXPECT_EQ(normalize_target("/a%0ab").reason, "path contains a control character");
  EXPECT_EQ(normalize_target("/a%2").reason, "malformed percent escape");
  EXPECT_EQ(normalize_target("/a%zz").reason, "malformed percent escape");
  EXPECT_EQ(normalize_target("/..\\..\\etc\\passwd").reason, "path contains a backslash");
  EXPECT_EQ(normalize_target("/a%5c..%5cb").reason, "path contains a backslash");
}

// RFC 9112 3.2.2: a server must accept absolute-form (iPXE sends it through
// a proxy). The authority is ignored; the path gets every check above.
TEST(NormalizeTarget, AbsoluteFormKeepsOnlyThePath) {
  EXPECT_EQ(normalize_target("http://10.0.2.2:8080/boot.ipxe?mac=52").path, "/boot.ipxe");
  EXPECT_EQ(normalize_target("HTTP://evil.test").path, "/");
  EXPECT_EQ(normalize_target("http://evil.test?x=1").path, "/");
  EXPECT_EQ(normalize_target("https://h//a/./b").path, "/a/b");
  EXPECT_EQ(normalize_target("http://h/../etc/passwd").status, 403);
  EXPECT_EQ(normalize_target("http://h/%2E%2e%2fetc/passwd").status, 403);
  EXPECT_EQ(normalize_target("http://h/..").status, 403);
  EXPECT_EQ(normalize_target("http://../etc/passwd").path, "/etc/passwd");  // ".." is the host
}

TEST(PathIsWithin, ComparesWholeComponents) {
  EXPECT_TRUE(path_is_within("/srv/root/a", "/srv/root"));
  EXPECT_TRUE(path_is_within("/srv/root", "/srv/root"));
  EXPECT_FALSE(path_is_within("/srv/rootx/a", "/srv/root"));
  EXPECT_FALSE(path_is_within("/srv", "/srv/root"));
}

class ResolveInRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::canonical(tmp_.path()) / "root";
    fs::create_directories(root_ / "sub");
    tmp_.write("root/sub/file.bin", "x");
    tmp_.write("secret", "s");
    fs::create_symlink(tmp_.path() / "secret", root_ / "escape");
    fs::create_symlink(root_ / "sub/file.bin", root_ / "inside");
  }
  testing::TempDir tmp_;
  fs::path root_;
};

TEST_F(ResolveInRoot, FindsRegularFiles) {
  const FileCheck c = resolve_in_root(root_, "/sub/file.bin");
  ASSERT_TRUE(c.ok()) << c.reason;
  EXPECT_EQ(c.file, root_ / "sub/file.bin");
  EXPECT_TRUE(resolve_in_root(root_, "/inside").ok());
}

TEST_F(ResolveInRoot, RefusesSymlinkOutOfRoot) {
  const FileCheck c = resolve_in_root(root_, "/escape");
  EXPECT_EQ(c.status, 403);
  EXPECT_EQ(c.reason, "resolves outside the root to '" +
                          fs::canonical(tmp_.path() / "secret").string() + "'");
}

TEST_F(ResolveInRoot, MissingAndDirectoriesAre404) {
  EXPECT_EQ(resolve_in_root(root_, "/nope").reason, "no such file");
  EXPECT_EQ(resolve_in_root(root_, "/sub").reason, "not a regular file");
  EXPECT_EQ(resolve_in_root(root_, "/").status, 404);
}

}  // namespace
}  // namespace rh
