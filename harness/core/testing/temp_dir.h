// Test support shared by every folder's tests: a private temp directory and
// deterministic test bytes.
//
//   testing::TempDir tmp;
//   fs::path f = tmp.write("root/boot.ipxe", "#!ipxe\n");
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace rh::testing {

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating directories; returns the path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// `size` bytes of a repeating, position-dependent pattern.
std::string pattern_bytes(std::size_t size);

}  // namespace rh::testing
