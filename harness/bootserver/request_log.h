// What the boot server answered, kept in memory for the runner and appended
// to a file, one line per request:
//
//   <ns> <method> <target> <status> <bytes> <duration ms> [fault=<name>] [cut] [# <note>]
//   1234567890123 GET /boot.ipxe 200 231 0.412
//   1234567990123 GET /initrd.img 200 1048576 812.004 fault=truncate=1048576 cut
//   1234568990123 GET /../etc/passwd 403 0 0.051 # path has a '..' segment
//
// <ns> is std::chrono::steady_clock (CLOCK_MONOTONIC) at request start, in
// nanoseconds since that clock's epoch, so it lines up with QEMU-side logs.
// <bytes> counts body bytes sent.
//
// Records keep the order in which requests arrived, whatever order their
// responses finish in: a request takes its place when its head has been read
// (begin) and is completed in place (finish). The file gets each line once
// every earlier request has finished too, so it has the same order. The
// runner waits on it without polling:
//
//   auto r = log.wait_for_request([](const RequestRecord& r) { return r.path == "/boot.ipxe"; },
//                                 std::chrono::seconds(30));
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rh {

struct RequestRecord {
  std::chrono::steady_clock::time_point start;  // request head received
  std::chrono::steady_clock::time_point end;    // response finished (or cut)
  std::string method;                           // as sent, e.g. "GET"
  std::string target;                           // request target as sent (with query)
  std::string path;                             // normalised URL path; empty if refused
  int status = 0;
  std::uint64_t bytes_sent = 0;          // body bytes
  std::chrono::nanoseconds duration{0};  // end - start
  std::string client;                    // "127.0.0.1:40312"
  std::string fault;                     // name of the fault applied, empty if none
  bool cut = false;                      // connection ended mid-response (either side)
  std::string note;                      // why refused/cut, for people
  bool complete = true;                  // false while the response is in flight

  std::string log_line() const;  // the file format above, without newline
};

class RequestLog {
 public:
  using Predicate = std::function<bool(const RequestRecord&)>;
  using Observer = std::function<void(const RequestRecord&)>;

  // An empty path keeps records in memory only. Throws SetupError if the
  // file cannot be opened for appending.
  explicit RequestLog(const std::filesystem::path& file = {}, Observer observer = {});

  using Ticket = std::size_t;
  // A request whose head has arrived: its place in the log. `head.complete`
  // is cleared; the record is visible at once (the runner times stages by
  // arrival).
  Ticket begin(RequestRecord head);
  // The finished exchange replaces the record begun under `ticket`.
  void finish(Ticket ticket, RequestRecord record);
  void add(RequestRecord record);  // begin + finish, for callers with no head stage
  // Every record, in arrival order, in-flight ones included.
  std::vector<RequestRecord> snapshot() const;
  // The first record in arrival order (old or new) satisfying `pred`, or
  // nullopt after `timeout`. In-flight records are offered too; a predicate
  // that needs the outcome checks `complete`.
  std::optional<RequestRecord> wait_for(const Predicate& pred,
                                        std::chrono::milliseconds timeout) const;
  // The records once `pred` holds for all of them together (e.g. "three are
  // complete"), or nullopt after `timeout`. `pred` runs under the log's lock.
  using AllPredicate = std::function<bool(const std::vector<RequestRecord>&)>;
  std::optional<std::vector<RequestRecord>> wait_until(const AllPredicate& pred,
                                                       std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  void write_finished_prefix();  // under mutex_

  std::vector<RequestRecord> records_;
  std::size_t written_ = 0;  // records_[0, written_) are in the file
  std::ofstream file_;
  Observer observer_;
};

}  // namespace rh
