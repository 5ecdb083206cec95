#include "harness/bootserver/http_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "harness/bootserver/path_guard.h"

namespace rh {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr auto kIdleTimeout = std::chrono::seconds(60);   // keep-alive connection, no request
constexpr auto kWriteTimeout = std::chrono::seconds(60);  // one chunk to a stuck client
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kBodyLimit = 64 * 1024;

std::string_view std_view(beast::string_view s) { return {s.data(), s.size()}; }

std::string describe_endpoint(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string build_head(const ResponsePlan& plan, bool keep_alive) {
  const auto reason = http::obsolete_reason(static_cast<http::status>(plan.status));
  std::string head = "HTTP/1.1 " + std::to_string(plan.status) + " " + std::string(reason) + "\r\n";
  head += "Server: romharness\r\n";
  head += "Content-Type: " + plan.content_type + "\r\n";
  head += "Content-Length: " + std::to_string(plan.length) + "\r\n";
  for (const auto& [name, value] : plan.headers) head += name + ": " + value + "\r\n";
  head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

// Bytes per write: small enough under a rate limit that pacing is smooth
// (about 20 writes per second), never more than kChunk.
std::size_t chunk_size(std::uint64_t rate) {
  if (rate == 0) return kChunk;
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(rate / 20, 1, kChunk));
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      timer_(stream_.get_executor()),
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
}

void HttpSession::start() {
  {
    std::lock_guard lock(state_->sessions_mutex);
    state_->sessions.emplace(this, weak_from_this());
  }
  if (state_->stopping) return close_now();
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void HttpSession::close_now() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->timer_.cancel();
    self->stream_.close();
  });
}

void HttpSession::read_request() {
  if (closing_) return;
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  stream_.expires_after(kIdleTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (closing_ || ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset ||
      ec == net::error::eof) {
    return close_gracefully();
  }
  if (ec) {
    record_ = RequestRecord{.start = Clock::now(), .method = "-", .client = client_};
    fault_.reset();
    plan_ = text_response(400, "unreadable request: " + ec.message());
    ticket_ = state_->log.begin(record_);
    keep_alive_ = false;
    send_body_ = true;
    in_response_ = true;
    return write_head();
  }
  respond(parser_->get());
}

ResponsePlan HttpSession::plan_for(const Request& req) {
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
  close_gracefully();
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
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
}

// SO_LINGER with a zero timeout makes close() send RST instead of FIN: the
// client sees "connection reset by peer" mid-transfer.
void HttpSession::close_with_reset() {
  beast::error_code ec;
  stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
  stream_.close();
}

}  // namespace rh
