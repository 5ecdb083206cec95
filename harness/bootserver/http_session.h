// Internal: one client connection of the boot server. Reads requests one by
// one (HTTP/1.1 keep-alive), answers each through ContentMap or a fault, and
// streams file bodies in chunks (never a whole file in memory), throttled,
// truncated or reset as the matching fault says. All of a session's work
// runs on its own strand.
//
// The client is untrusted. Bytes go through Beast's request parser as they
// arrive, so the session can bound them: a request line over
// kMaxRequestLine is answered 414, a head over kMaxHead 431, a body over
// kMaxBody 413, an unparsable request 400. A connection with nothing to say
// for idle_timeout is closed; a request not complete request_timeout after
// its first byte is answered 408 (slow clients cannot hold a connection).
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

inline constexpr std::size_t kMaxRequestLine = 8UL * 1024;  // method, target, version
inline constexpr std::size_t kMaxHead = 16UL * 1024;        // request line and header fields
inline constexpr std::size_t kMaxBody = 64UL * 1024;        // GET/HEAD need none; bounded anyway

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

  // Reading a request. kIdle: waiting for its first byte (idle_timeout);
  // kRequest: the rest must come before request_timeout; kTimedOut: it did
  // not, the read is being cancelled; kLingering: discarding input before
  // the close; kDone: not reading.
  enum class ReadPhase { kIdle, kRequest, kTimedOut, kLingering, kDone };

  void read_request();
  void read_more();
  void on_bytes(boost::beast::error_code ec, std::size_t n);
  void parse_buffered();
  void on_end_of_input();
  void arm_deadline(ReadPhase phase, std::chrono::milliseconds after);
  void disarm_deadline();
  void on_deadline(std::uint64_t generation);
  void refuse_unreadable(boost::beast::error_code ec);
  void refuse(int status, const std::string& detail);
  void respond(const Request& req);
  ResponsePlan plan_for(const Request& req);
  void write_head();
  void send_body();
  void send_chunk();
  void finish_body();
  void fail(boost::beast::error_code ec);
  void record();
  void close_gracefully();
  void linger_then_close();
  void drain();
  void close_with_reset();

  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer timer_;       // response pacing and delays
  boost::asio::steady_timer read_timer_;  // idle and request deadlines
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<ServerState> state_;
  std::string client_;
  bool closing_ = false;
  bool registered_ = false;  // counted in state_->stats.open

  ReadPhase phase_ = ReadPhase::kDone;
  std::uint64_t read_generation_ = 0;  // a deadline armed for an older phase is ignored
  std::size_t head_bytes_ = 0;         // head bytes the parser has consumed
  std::size_t drained_ = 0;            // input discarded while lingering

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
