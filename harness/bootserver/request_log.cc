#include "harness/bootserver/request_log.h"

#include <cstdio>

#include "harness/core/error.h"

namespace rh {
namespace {

// Keeps a log line one line of space-separated fields whatever a client sent.
std::string escape_field(const std::string& text) {
  if (text.empty()) return "-";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '%') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string milliseconds_text(std::chrono::nanoseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(d.count()) / 1e6);
  return buf;
}

}  // namespace

std::string RequestRecord::log_line() const {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
  std::string line = std::to_string(ns) + " " + escape_field(method) + " " + escape_field(target) +
                     " " + std::to_string(status) + " " + std::to_string(bytes_sent) + " " +
                     milliseconds_text(duration);
  if (!fault.empty()) line += " fault=" + escape_field(fault);
  if (cut) line += " cut";
  if (!note.empty()) line += " # " + note;
  return line;
}

RequestLog::RequestLog(const std::filesystem::path& file, Observer observer)
    : observer_(std::move(observer)) {
  if (file.empty()) return;
  file_.open(file, std::ios::app);
  if (!file_) throw SetupError("cannot open request log '" + file.string() + "' for appending");
}

RequestLog::Ticket RequestLog::begin(RequestRecord head) {
  head.complete = false;
  Ticket ticket = 0;
  {
    std::lock_guard lock(mutex_);
    ticket = records_.size();
    records_.push_back(std::move(head));
  }
  changed_.notify_all();
  return ticket;
}

void RequestLog::finish(Ticket ticket, RequestRecord record) {
  record.complete = true;
  {
    std::lock_guard lock(mutex_);
    if (ticket >= records_.size()) return;
    records_[ticket] = record;
    write_finished_prefix();
  }
  changed_.notify_all();
  if (observer_) observer_(record);
}

void RequestLog::add(RequestRecord record) {
  const RequestRecord copy = record;
  finish(begin(std::move(record)), copy);
}

void RequestLog::write_finished_prefix() {
  for (; written_ < records_.size() && records_[written_].complete; ++written_) {
    if (file_.is_open()) file_ << records_[written_].log_line() << '\n';
  }
  if (file_.is_open()) file_.flush();
}

std::vector<RequestRecord> RequestLog::snapshot() const {
  std::lock_guard lock(mutex_);
  return records_;
}

std::optional<RequestRecord> RequestLog::wait_for(const Predicate& pred,
                                                  std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    // Every record again: one seen in flight may have finished since.
    for (const auto& record : records_) {
      if (pred(record)) return record;
    }
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (const auto& record : records_) {
        if (pred(record)) return record;
      }
      return std::nullopt;
    }
  }
}

std::optional<std::vector<RequestRecord>> RequestLog::wait_until(
    const AllPredicate& pred, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  if (changed_.wait_for(lock, timeout, [&] { return pred(records_); })) return records_;
  return std::nullopt;
}

}  // namespace rh
