// A minimal QMP client on a UNIX socket: greeting, capabilities negotiation,
// synchronous commands, and asynchronous events recorded with their arrival
// time (for the boot timeline).
//
//   auto qmp = QmpClient::connect(socket_path, std::chrono::seconds(5));
//   nlohmann::json status = qmp->execute("query-status");
//   qmp->execute("quit");
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace rh {

struct QmpNotice {
  std::chrono::steady_clock::time_point at;
  std::string name;
  nlohmann::json data;  // the event's "data" member; null when it has none
};

class QmpClient {
 public:
  // Throws SetupError when the socket does not answer as QMP within timeout.
  // `still_alive` stops the wait early when the QEMU process has died.
  static std::unique_ptr<QmpClient> connect(const std::filesystem::path& socket,
                                            std::chrono::milliseconds timeout,
                                            const std::function<bool()>& still_alive = {});
  ~QmpClient();
  QmpClient(const QmpClient&) = delete;
  QmpClient& operator=(const QmpClient&) = delete;

  // The "return" member; throws SetupError on an "error" reply, a timeout or
  // a closed connection.
  nlohmann::json execute(const std::string& command,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));
  nlohmann::json execute(const std::string& command, const nlohmann::json& arguments,
                         std::chrono::milliseconds timeout);
  // Events so far (at most kMaxEvents; a guest cannot grow this without end).
  std::vector<QmpNotice> events() const;
  static constexpr std::size_t kMaxEvents = 10000;

 private:
  explicit QmpClient(int fd);
  void read_loop();
  void handle_line(const std::string& line);

  int fd_;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<nlohmann::json> replies_;
  std::vector<QmpNotice> events_;
  bool closed_ = false;
};

}  // namespace rh
