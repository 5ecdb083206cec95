#include "harness/core/cache_root.h"

#include <cstdlib>
#include <string>

#include "harness/core/error.h"

namespace rh {
namespace {

const char* non_empty_env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

std::filesystem::path cache_root() {
  if (const char* c = non_empty_env("ROMHARNESS_CACHE")) return c;
  if (const char* x = non_empty_env("XDG_CACHE_HOME"))
    return std::filesystem::path(x) / "romharness";
  if (const char* h = non_empty_env("HOME"))
    return std::filesystem::path(h) / ".cache" / "romharness";
  throw SetupError("cannot find a cache directory: set ROMHARNESS_CACHE, XDG_CACHE_HOME or HOME");
}

}  // namespace rh
