// Small string helpers shared by the scenario loader and the runner.
#pragma once

#include <filesystem>
#include <string>

namespace rh {

// Every occurrence of `from` in `text` replaced by `to` (left to right, no
// rescanning of what was inserted).
std::string replace_all(std::string text, const std::string& from, const std::string& to);

// The whole file as bytes; empty when it cannot be read (callers that must
// tell "missing" from "empty" check the file first).
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace rh
