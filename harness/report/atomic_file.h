// Writes a whole file or nothing: the text goes to a temporary file in the
// same directory, is flushed to disk, then renamed over the target, so a run
// interrupted mid-write never leaves half a report behind.
//
//   write_file_atomically(dir / "junit.xml", xml);
#pragma once

#include <filesystem>
#include <string_view>

namespace rh {

// Creates missing parent directories. Throws SetupError naming the path and
// the system error when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace rh
