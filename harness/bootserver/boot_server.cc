#include "harness/bootserver/boot_server.h"

#include <boost/asio/io_context.hpp>

#include "harness/bootserver/bind_address.h"
#include "harness/bootserver/http_session.h"
#include "harness/bootserver/listener.h"
#include "harness/bootserver/server_state.h"

namespace rh {
namespace {

// How long stop() lets connections finish their close handlers before it
// abandons them (they are then destroyed with the io_context).
constexpr auto kStopGrace = std::chrono::seconds(2);

}  // namespace

BootServer::BootServer(const BootServerConfig& config)
    : state_(std::make_shared<ServerState>(config)),
      ioc_(std::make_unique<boost::asio::io_context>(std::max(1, config.threads))) {
  const auto address = parse_bind_address(config.bind_address, "boot server");
  listener_ = std::make_shared<Listener>(*ioc_, state_, address, config.port);
  port_ = listener_->port();
  host_port_ = format_host_port(address, port_);
  if (!state_->content.has_variable("server")) state_->content.set_variable("server", host_port_);
  listener_->start();
  for (int i = 0; i < std::max(1, config.threads); ++i) {
    threads_.emplace_back([ioc = ioc_.get()] { ioc->run(); });
  }
}

BootServer::~BootServer() { stop(); }

std::string BootServer::url() const { return "http://" + host_port_ + "/"; }

void BootServer::set_variable(const std::string& name, std::string value) {
  state_->content.set_variable(name, std::move(value));
}

std::vector<RequestRecord> BootServer::requests() const { return state_->log.snapshot(); }

std::optional<RequestRecord> BootServer::wait_for_request(const RequestLog::Predicate& pred,
                                                          std::chrono::milliseconds timeout) const {
  return state_->log.wait_for(pred, timeout);
}

std::optional<std::vector<RequestRecord>> BootServer::wait_until(
    const RequestLog::AllPredicate& pred, std::chrono::milliseconds timeout) const {
  return state_->log.wait_until(pred, timeout);
}

ConnectionStats BootServer::connection_stats() const {
  std::lock_guard lock(state_->sessions_mutex);
  return state_->stats;
}

void BootServer::stop() {
  if (!ioc_) return;
  state_->stopping = true;
  listener_->close();
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(state_->sessions_mutex);
    for (const auto& [ptr, weak] : state_->sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (const auto& session : live) session->close_now();
  live.clear();  // the queued close handlers keep each session alive
  // The threads return once no work is left; force it if a handler lingers.
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (!ioc_->stopped() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ioc_->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  listener_.reset();
  ioc_.reset();
}

}  // namespace rh
