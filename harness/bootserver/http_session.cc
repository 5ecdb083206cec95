#include "harness/bootserver/http_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "harness/bootserver/bind_address.h"
#include "harness/bootserver/path_guard.h"

namespace rh {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr auto kWriteTimeout = std::chrono::seconds(60);  // one chunk to a stuck client
constexpr std::size_t kChunk = 64UL * 1024;
constexpr std::size_t kReadChunk = 16UL * 1024;
// After the last response, input still arriving is read and dropped for a
// while (up to kMaxDrain bytes) before the close: closing with unread input
// sends RST, which can destroy the response before the client has read it
// (RFC 9112 9.6). Our FIN goes out at once either way.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kMaxDrain = 256UL * 1024;

std::string_view std_view(beast::string_view s) { return {s.data(), s.size()}; }

std::string describe_endpoint(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "?";
  return format_host_port(ep.address(), ep.port());
}

std::string build_head(const ResponsePlan& plan, bool keep_alive) {
  const auto reason = http::obsolete_reason(static_cast<http::status>(plan.status));
  std::string head = "HTTP/1.1 " + std::to_string(plan.status) + " " + std::string(reason) + "\r\n";
  head += "Server: romharness\r\n";
  head += "Content-Type: " + plan.content_type + "\r\n";
  head += "Content-Length: " + std::to_string(plan.length) + "\r\n";
  for (const auto& [name, value] : plan.headers)
    head.append(name).append(": ").append(value).append("\r\n");
  head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

// Bytes per write: small enough under a rate limit that pacing is smooth
// (about 20 writes per second), never more than kChunk.
std::size_t chunk_size(std::uint64_t rate) {
  if (rate == 0) return kChunk;
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(rate / 20, 1, kChunk));
}

std::string milliseconds_text(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      timer_(stream_.get_executor()),
      read_timer_(stream_.get_executor()),
      state_(std::move(state)),
      client_(describe_endpoint(stream_.socket())) {}

HttpSession::~HttpSession() {
  if (in_response_) {  // only when stop() had to abandon queued handlers
    record_.cut = true;
    record_.note = "server stopped mid-response";
    record();
  }
  std::lock_guard lock(state_->sessions_mutex);
  state_->sessions.erase(this);
  if (registered_) --state_->stats.open;
}

void HttpSession::start() {
  {
    std::lock_guard lock(state_->sessions_mutex);
    state_->sessions.emplace(this, weak_from_this());
    registered_ = true;
    ConnectionStats& stats = state_->stats;
    ++stats.accepted;
    stats.peak = std::max(stats.peak, ++stats.open);
  }
  if (state_->stopping) return close_now();
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void HttpSession::close_now() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->timer_.cancel();
    self->read_timer_.cancel();
    self->stream_.close();
  });
}

void HttpSession::read_request() {
  if (closing_) return;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(kMaxHead));
  parser_->body_limit(kMaxBody);
  head_bytes_ = 0;
  stream_.expires_never();   // reads are bounded by read_timer_, not the write timeout
  if (buffer_.size() > 0) {  // the client sent its next request early
    arm_deadline(ReadPhase::kRequest, state_->limits.request_timeout);
    return parse_buffered();
  }
  arm_deadline(ReadPhase::kIdle, state_->limits.idle_timeout);
  read_more();
}

void HttpSession::read_more() {
  stream_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_bytes(ec, n); });
}

void HttpSession::on_bytes(beast::error_code ec, std::size_t n) {
  buffer_.commit(n);
  if (closing_ || phase_ == ReadPhase::kDone) return close_gracefully();
  if (phase_ == ReadPhase::kTimedOut) {
    return refuse(408, "request not complete " + milliseconds_text(state_->limits.request_timeout) +
                           " after its first byte");
  }
  if (ec == net::error::eof) return on_end_of_input();
  if (ec) return close_gracefully();  // reset or aborted: nobody left to answer
  if (phase_ == ReadPhase::kIdle) {
    arm_deadline(ReadPhase::kRequest, state_->limits.request_timeout);
  }
  parse_buffered();
}

// Feeds what has arrived to the parser; Beast keeps the bytes of an
// incomplete line in buffer_, so its size bounds what the client has made
// us hold.
void HttpSession::parse_buffered() {
  beast::error_code ec;
  while (buffer_.size() > 0 && !parser_->is_done()) {
    const bool in_head = !parser_->is_header_done();
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (in_head) head_bytes_ += used;
    if (ec == http::error::need_more) break;
    if (ec) return refuse_unreadable(ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return respond(parser_->get());
  if (!parser_->is_header_done()) {
    if (parser_->get().target().empty() && buffer_.size() > kMaxRequestLine) {
      return refuse(414, "request line over " + std::to_string(kMaxRequestLine) + " bytes");
    }
    if (head_bytes_ + buffer_.size() > kMaxHead) {
      return refuse(431, "request head over " + std::to_string(kMaxHead) + " bytes");
    }
  }
  read_more();
}

// The client closed its sending side: between requests that is the end of
// the connection; within one, the request is answered 400 (the client may
// still read).
void HttpSession::on_end_of_input() {
  if (!parser_->got_some()) {
    disarm_deadline();
    return close_gracefully();
  }
  beast::error_code ec;
  parser_->put_eof(ec);
  if (!ec && parser_->is_done()) return respond(parser_->get());
  refuse_unreadable(ec ? ec : beast::error_code(http::error::partial_message));
}

void HttpSession::arm_deadline(ReadPhase phase, std::chrono::milliseconds after) {
  phase_ = phase;
  const std::uint64_t generation = ++read_generation_;
  read_timer_.expires_after(after);
  read_timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    if (!ec) self->on_deadline(generation);
  });
}

void HttpSession::disarm_deadline() {
  phase_ = ReadPhase::kDone;
  ++read_generation_;
  read_timer_.cancel();
}

void HttpSession::on_deadline(std::uint64_t generation) {
  if (generation != read_generation_ || closing_) return;
  if (phase_ == ReadPhase::kIdle) {
    state_->count(&ConnectionStats::idle_timeouts);
    phase_ = ReadPhase::kDone;
    return close_gracefully();
  }
  if (phase_ == ReadPhase::kLingering) {
    phase_ = ReadPhase::kDone;
    return close_gracefully();
  }
  if (phase_ == ReadPhase::kRequest) {
    state_->count(&ConnectionStats::request_timeouts);
    phase_ = ReadPhase::kTimedOut;  // on_bytes answers 408 once the read is cancelled
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
  }
}

void HttpSession::refuse_unreadable(beast::error_code ec) {
  if (ec == http::error::header_limit) {
    if (parser_->get().target().empty()) {  // no line end in kMaxHead bytes
      return refuse(414, "request line over " + std::to_string(kMaxRequestLine) + " bytes");
    }
    return refuse(431, "request head over " + std::to_string(kMaxHead) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return refuse(413, "request body over " + std::to_string(kMaxBody) + " bytes");
  }
  refuse(400, "unreadable request: " + ec.message());
}

// Answers a request that never became one (unparsable, too big, too slow)
// and closes the connection afterwards.
void HttpSession::refuse(int status, const std::string& detail) {
  disarm_deadline();
  const Request& partial = parser_->get();
  const bool has_line = !partial.target().empty();
  record_ = RequestRecord{.start = Clock::now(),
                          .method = has_line ? std::string(partial.method_string()) : "-",
                          .target = has_line ? std::string(partial.target()) : "",
                          .client = client_};
  fault_.reset();
  plan_ = text_response(status, detail);
  ticket_ = state_->log.begin(record_);
  keep_alive_ = false;
  send_body_ = true;
  in_response_ = true;
  write_head();
}

ResponsePlan HttpSession::plan_for(const Request& req) {
  // The line can arrive whole in one read, before parse_buffered could
  // measure it.
  if (req.method_string().size() + req.target().size() + 10 > kMaxRequestLine) {
    return text_response(414, "request line over " + std::to_string(kMaxRequestLine) + " bytes");
  }
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    ResponsePlan plan =
        text_response(405, "method '" + std::string(req.method_string()) + "' not allowed");
    plan.headers.emplace_back("Allow", "GET, HEAD");
    return plan;
  }
  const PathCheck check = normalize_target(std_view(req.target()));
  if (!check.ok()) return text_response(check.status, check.reason);
  record_.path = check.path;
  if (const HttpFault* f = state_->faults.match(check.path)) fault_ = *f;
  if (fault_ && fault_->status) return text_response(*fault_->status, "injected fault");
  return state_->content.plan(check.path, std_view(req[http::field::range]));
}

void HttpSession::respond(const Request& req) {
  disarm_deadline();
  in_response_ = true;
  record_ = RequestRecord{.start = Clock::now(),
                          .method = std::string(req.method_string()),
                          .target = std::string(req.target()),
                          .client = client_};
  fault_.reset();
  keep_alive_ = req.keep_alive();
  send_body_ = req.method() != http::verb::head;
  plan_ = plan_for(req);
  ticket_ = state_->log.begin(record_);  // its place in arrival order
  if (!fault_ || fault_->delay_first_byte.count() == 0) return write_head();
  timer_.expires_after(fault_->delay_first_byte);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->closing_) return self->fail(ec ? ec : net::error::operation_aborted);
    self->write_head();
  });
}

void HttpSession::write_head() {
  if (plan_.from_file()) {
    fd_ = ::open(plan_.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) plan_ = text_response(404, "cannot open '" + plan_.file.string() + "'");
  }
  to_send_ = send_body_ ? plan_.length : 0;
  if (fault_ && fault_->truncate) to_send_ = std::min(to_send_, *fault_->truncate);
  if (fault_ && fault_->reset_after) to_send_ = std::min(to_send_, *fault_->reset_after);
  sent_ = 0;
  const bool cut_short = send_body_ && to_send_ < plan_.length;
  head_ = build_head(plan_, keep_alive_ && !cut_short);
  stream_.expires_after(kWriteTimeout);
  net::async_write(stream_, net::buffer(head_),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) return self->fail(ec);
                     self->body_start_ = Clock::now();
                     self->send_body();
                   });
}

void HttpSession::send_body() {
  if (closing_) return fail(net::error::operation_aborted);
  if (sent_ == to_send_) return finish_body();
  const std::uint64_t rate = fault_ ? fault_->rate : 0;
  if (rate == 0) return send_chunk();
  // Pace so that `sent_` bytes never go out before sent_/rate seconds.
  const auto due = body_start_ + std::chrono::nanoseconds(sent_ * 1'000'000'000ULL / rate);
  if (Clock::now() >= due) return send_chunk();
  timer_.expires_at(due);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->closing_) return self->fail(ec ? ec : net::error::operation_aborted);
    self->send_chunk();
  });
}

void HttpSession::send_chunk() {
  const std::size_t n = static_cast<std::size_t>(
      std::min<std::uint64_t>(chunk_size(fault_ ? fault_->rate : 0), to_send_ - sent_));
  net::const_buffer out;
  if (fd_ >= 0) {
    chunk_.resize(n);
    const ssize_t got = ::pread(fd_, chunk_.data(), n, static_cast<off_t>(plan_.offset + sent_));
    if (got <= 0) return fail(beast::error_code(errno ? errno : EIO, beast::system_category()));
    out = net::buffer(chunk_.data(), static_cast<std::size_t>(got));
  } else {
    out = net::buffer(plan_.body.data() + sent_, n);
  }
  stream_.expires_after(kWriteTimeout);
  net::async_write(stream_, out, [self = shared_from_this()](beast::error_code ec, std::size_t k) {
    self->sent_ += k;
    if (ec) return self->fail(ec);
    self->send_body();
  });
}

void HttpSession::finish_body() {
  if (send_body_ && sent_ < plan_.length) {
    const bool reset = fault_->reset_after.has_value();
    record_.cut = true;
    record_.note = std::string(reset ? "reset" : "truncated") + " after " + std::to_string(sent_) +
                   " of " + std::to_string(plan_.length) + " bytes";
    record();
    return reset ? close_with_reset() : close_gracefully();
  }
  record();
  if (keep_alive_) return read_request();
  linger_then_close();
}

void HttpSession::fail(beast::error_code ec) {
  if (!in_response_) return close_gracefully();
  record_.cut = true;
  record_.note = closing_ ? "server stopped mid-response" : "connection lost: " + ec.message();
  record();
  close_gracefully();
}

void HttpSession::record() {
  record_.end = Clock::now();
  record_.duration = record_.end - record_.start;
  record_.status = plan_.status;
  record_.bytes_sent = sent_;
  if (fault_) record_.fault = fault_->name.empty() ? fault_->describe() : fault_->name;
  if (record_.note.empty()) record_.note = plan_.note;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_response_ = false;
  state_->log.finish(ticket_, record_);
}

void HttpSession::close_gracefully() {
  disarm_deadline();
  timer_.cancel();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
}

void HttpSession::linger_then_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec || closing_) return close_gracefully();
  drained_ = 0;
  arm_deadline(ReadPhase::kLingering, kLingerTime);
  drain();
}

void HttpSession::drain() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->closing_ || self->phase_ != ReadPhase::kLingering ||
                                self->drained_ > kMaxDrain) {
                              return self->close_gracefully();
                            }
                            self->drain();
                          });
}

// SO_LINGER with a zero timeout makes close() send RST instead of FIN: the
// client sees "connection reset by peer" mid-transfer.
void HttpSession::close_with_reset() {
  disarm_deadline();
  timer_.cancel();
  beast::error_code ec;
  stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
  stream_.close();
}

}  // namespace rh
