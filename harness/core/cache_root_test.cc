// Every part that uses the cache agrees on where it is: the C++ code
// (cache_root()) and the scripts that fill the cache (ci/cache-root.sh,
// emulator/build-qemu, fixtures/payload/build-payload), under each of the
// three variables that decide it.
#include "harness/core/cache_root.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "harness/core/process.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Env {
  std::map<std::string, std::string> vars;  // "" unsets
};

class ScopedEnv {
 public:
  explicit ScopedEnv(const Env& env) {
    for (const auto& [name, value] : env.vars) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
      if (value.empty()) {
        ::unsetenv(name.c_str());
      } else {
        ::setenv(name.c_str(), value.c_str(), 1);
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

std::string script_output(const std::vector<std::string>& argv, const Env& env) {
  const auto r = run_command(argv, 30s, RH_SOURCE_DIR, env.vars);
  EXPECT_TRUE(r.status.ok()) << argv[0] << ": " << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void expect_all_agree(const Env& env, const fs::path& expected) {
  {
    ScopedEnv scoped(env);
    EXPECT_EQ(cache_root(), expected);
  }
  const std::string src = RH_SOURCE_DIR;
  EXPECT_EQ(
      script_output({"bash", "-c", "source ci/cache-root.sh && echo $ROMHARNESS_CACHE_ROOT"}, env),
      expected.string());
  EXPECT_EQ(script_output({src + "/emulator/build-qemu", "--print-cache"}, env),
            (expected / "qemu").string());
  EXPECT_EQ(script_output({src + "/fixtures/payload/build-payload", "--print-cache"}, env),
            (expected / "payload").string());
}

TEST(CacheRoot, RomharnessCacheWinsOverXdgAndHome) {
  expect_all_agree(
      {{{"ROMHARNESS_CACHE", "/tmp/rh-a"}, {"XDG_CACHE_HOME", "/tmp/xdg"}, {"HOME", "/tmp/h"}}},
      "/tmp/rh-a");
}

TEST(CacheRoot, XdgCacheHomeWinsOverHome) {
  expect_all_agree({{{"ROMHARNESS_CACHE", ""}, {"XDG_CACHE_HOME", "/tmp/xdg"}, {"HOME", "/tmp/h"}}},
                   "/tmp/xdg/romharness");
}

TEST(CacheRoot, HomeIsTheFallback) {
  expect_all_agree({{{"ROMHARNESS_CACHE", ""}, {"XDG_CACHE_HOME", ""}, {"HOME", "/tmp/h"}}},
                   "/tmp/h/.cache/romharness");
}

}  // namespace
}  // namespace rh
