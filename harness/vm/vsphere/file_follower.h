// Follows a growing datastore file (a VM's serial port file, its
// vmware.log) with HTTPS range requests from a thread of its own, handing
// each new piece to a sink in order. A file that is not there yet, or a
// failed read, is waited out (the failure is kept for the report); stop()
// makes one last read and joins.
//
//   FileFollower f(files, "rh-1/serial.log",
//                  [&](std::string_view bytes) { console.append(bytes, Clock::now()); });
//   ...
//   f.stop();
//   f.bytes();  // how much it saw
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "harness/vm/vsphere/datastore_files.h"

namespace rh::vsphere {

class FileFollower {
 public:
  using Sink = std::function<void(std::string_view)>;
  FileFollower(DatastoreFiles& files, std::string path, Sink sink,
               std::chrono::milliseconds poll = std::chrono::milliseconds(250));
  ~FileFollower();  // stop()
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  void stop();
  long long bytes() const;
  std::optional<std::string> last_error() const;  // the latest failed read, if any
  int reads() const;                              // range requests made

 private:
  void run();
  void read_once();

  DatastoreFiles& files_;
  std::string path_;
  Sink sink_;
  std::chrono::milliseconds poll_;
  HttpClient http_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  long long offset_ = 0;
  int reads_ = 0;
  std::optional<std::string> error_;
  std::thread thread_;
};

}  // namespace rh::vsphere
