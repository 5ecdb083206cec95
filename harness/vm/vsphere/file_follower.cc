#include "harness/vm/vsphere/file_follower.h"

#include "harness/core/error.h"

namespace rh::vsphere {

FileFollower::FileFollower(DatastoreFiles& files, std::string path, Sink sink,
                           std::chrono::milliseconds poll)
    : files_(files),
      path_(std::move(path)),
      sink_(std::move(sink)),
      poll_(poll),
      http_(files.vim().tls()),
      thread_([this] { run(); }) {}

FileFollower::~FileFollower() { stop(); }

void FileFollower::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

long long FileFollower::bytes() const {
  std::lock_guard lock(mu_);
  return offset_;
}

std::optional<std::string> FileFollower::last_error() const {
  std::lock_guard lock(mu_);
  return error_;
}

int FileFollower::reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}

void FileFollower::read_once() {
  long long offset = bytes();
  try {
    RangeRead r = files_.read_from(http_, path_, offset);
    std::lock_guard lock(mu_);
    ++reads_;
    if (r.kind != RangeRead::Kind::kData) return;
    offset_ += static_cast<long long>(r.data.size());
    sink_(r.data);
  } catch (const SetupError& e) {
    std::lock_guard lock(mu_);
    ++reads_;
    error_ = e.what();
  }
}

void FileFollower::run() {
  for (;;) {
    read_once();
    std::unique_lock lock(mu_);
    if (stopping_) break;
    cv_.wait_for(lock, poll_, [this] { return stopping_; });
    if (stopping_) {
      lock.unlock();
      read_once();  // what was written just before the stop
      break;
    }
  }
}

}  // namespace rh::vsphere
