#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

TEST(ServeOptions, ReadsEveryOption) {
  const auto p = parse({"serve", "root", "--port", "8080", "--var", "server=h:1", "--var=a=b",
                        "--file", "/vmlinuz=/c/vmlinuz", "--template", "/m.cfg", "--fault-file",
                        "f.yaml", "--log", "http.log"});
  const ServeOptions& o = p->options.serve;
  EXPECT_EQ(o.config.root, "root");
  EXPECT_EQ(o.config.port, 8080);
  EXPECT_EQ(o.config.variables.at("server"), "h:1");
  EXPECT_EQ(o.config.variables.at("a"), "b");
  EXPECT_EQ(o.config.files.at("/vmlinuz"), "/c/vmlinuz");
  EXPECT_TRUE(o.config.templates.contains("/m.cfg"));
  EXPECT_EQ(o.fault_file, "f.yaml");
  EXPECT_EQ(o.config.log_file, "http.log");
}

TEST(ServeOptions, ErrorsQuoteTheArgument) {
  auto r = cli({"serve"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness serve: dir is required"));
  r = cli({"serve", "a", "b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("unexpected argument 'b'"));
  r = cli({"serve", "a", "--port", "70000"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("70000"));
  r = cli({"serve", "a", "--port", "http"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("http"));
  r = cli({"serve", "a", "--var", "server"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "romharness: --var expects NAME=VALUE, got 'server'\n");
  r = cli({"serve", "a", "--fault-file"});
  EXPECT_EQ(r.code, 2);
  r = cli({"serve", "a", "--verbose"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness serve: unknown option '--verbose'"));
  r = cli({"serve", "/nonexistent/rh-root"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness: set-up: boot server root '/nonexistent/rh-root' is not a directory\n");
}

}  // namespace
}  // namespace rh
