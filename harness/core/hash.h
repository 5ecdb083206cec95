// SHA-256 of files and strings, hex-encoded; used for ROM identity and cache keys.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rh {

std::string sha256_hex(std::string_view data);
std::string sha256_file_hex(const std::filesystem::path& path);  // throws SetupError on I/O error

}  // namespace rh
