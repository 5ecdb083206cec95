#include "harness/core/testing/temp_dir.h"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace rh::testing {

TempDir::TempDir() {
  // Not "rh-*": that prefix is the runner's, swept when its owner is gone.
  std::string templ = (std::filesystem::temp_directory_path() / "rhtest-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& relative,
                                     const std::string& content) const {
  std::filesystem::path file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

std::string pattern_bytes(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return out;
}

}  // namespace rh::testing
