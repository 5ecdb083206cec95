#include "harness/vm/qemu/qmp_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "harness/core/error.h"
#include "harness/vm/qemu/unix_socket.h"

namespace rh {

std::unique_ptr<QmpClient> QmpClient::connect(const std::filesystem::path& socket,
                                              std::chrono::milliseconds timeout,
                                              const std::function<bool()>& still_alive) {
  const int fd = connect_unix_socket(socket, timeout, still_alive);
  std::unique_ptr<QmpClient> client(new QmpClient(fd));
  client->execute("qmp_capabilities", timeout);
  return client;
}

QmpClient::QmpClient(int fd) : fd_(fd), reader_([this] { read_loop(); }) {}

QmpClient::~QmpClient() {
  ::shutdown(fd_, SHUT_RDWR);
  reader_.join();
  ::close(fd_);
}

void QmpClient::read_loop() {
  std::string buffer;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
      handle_line(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
    }
  }
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

void QmpClient::handle_line(const std::string& line) {
  const auto msg = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (msg.is_discarded() || msg.contains("QMP")) return;  // greeting
  std::lock_guard lock(mu_);
  if (msg.contains("event") && msg["event"].is_string()) {
    if (events_.size() < kMaxEvents) {
      events_.push_back({std::chrono::steady_clock::now(), msg["event"].get<std::string>(),
                         msg.value("data", nlohmann::json())});
    }
  } else {
    replies_.push_back(msg);
    cv_.notify_all();
  }
}

nlohmann::json QmpClient::execute(const std::string& command, std::chrono::milliseconds timeout) {
  return execute(command, nlohmann::json(), timeout);
}

nlohmann::json QmpClient::execute(const std::string& command, const nlohmann::json& arguments,
                                  std::chrono::milliseconds timeout) {
  nlohmann::json message{{"execute", command}};
  if (!arguments.is_null()) message["arguments"] = arguments;
  const std::string request = message.dump() + "\n";
  std::unique_lock lock(mu_);
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    throw SetupError("QMP '" + command + "': cannot send: " + std::strerror(errno));
  }
  if (!cv_.wait_for(lock, timeout, [&] { return !replies_.empty() || closed_; })) {
    throw SetupError("QMP '" + command + "': no reply within " + std::to_string(timeout.count()) +
                     " ms");
  }
  if (replies_.empty()) throw SetupError("QMP '" + command + "': connection closed");
  nlohmann::json reply = std::move(replies_.front());
  replies_.pop_front();
  if (reply.contains("error")) {
    throw SetupError("QMP '" + command + "' failed: " + reply["error"].dump());
  }
  return reply.value("return", nlohmann::json::object());
}

std::vector<QmpNotice> QmpClient::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

}  // namespace rh
