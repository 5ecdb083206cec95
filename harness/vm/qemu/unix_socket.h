// Connecting to a UNIX socket that a child process is about to create.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>

namespace rh {

// Retries until the socket accepts or `timeout` passes; `still_alive`, when
// given, stops the wait early (the server process died). Throws SetupError.
int connect_unix_socket(const std::filesystem::path& path, std::chrono::milliseconds timeout,
                        const std::function<bool()>& still_alive = {});

}  // namespace rh
