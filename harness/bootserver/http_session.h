// Internal: one client connection of the boot server. Reads requests one by
// one (HTTP/1.1 keep-alive), answers each through ContentMap or a fault, and
// streams file bodies in chunks (never a whole file in memory), throttled,
// truncated or reset as the matching fault says. All of a session's work
// runs on its own strand.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "harness/bootserver/content_map.h"
#include "harness/bootserver/fault_table.h"
#include "harness/bootserver/request_log.h"
#include "harness/bootserver/server_state.h"

namespace rh {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();
  void close_now();  // any thread: abort whatever is in flight

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void read_request();
  void on_read(boost::beast::error_code ec);
  void respond(const Request& req);
  ResponsePlan plan_for(const Request& req);
  void write_head();
  void send_body();
  void send_chunk();
  void finish_body();
  void fail(boost::beast::error_code ec);
  void record();
  void close_gracefully();
  void close_with_reset();

  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<ServerState> state_;
  std::string client_;
  bool closing_ = false;

  // The exchange in progress.
  bool in_response_ = false;
  RequestRecord record_;
  RequestLog::Ticket ticket_ = 0;
  ResponsePlan plan_;
  std::optional<HttpFault> fault_;
  bool keep_alive_ = false;
  bool send_body_ = true;
  int fd_ = -1;
  std::string head_;
  std::vector<char> chunk_;
  std::uint64_t to_send_ = 0;
  std::uint64_t sent_ = 0;
  std::chrono::steady_clock::time_point body_start_;
};

}  // namespace rh
