// Reports and history on a disk that fills up: a clear error naming the
// file, and a history database that is still whole afterwards (SQLite
// transactions; reports are written to a temp name and renamed). Runs on a
// small tmpfs of its own, so it needs root, as CI has.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/report/history.h"
#include "harness/report/json_report.h"
#include "harness/report/sample_run_for_test.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
    disk_ = tmp_.path() / "disk";
    fs::create_directories(disk_);
    ASSERT_EQ(::mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=1m"), 0) << std::strerror(errno);
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
  }
  // Takes every free byte of the disk, so the next write fails with ENOSPC.
  void fill_disk() {
    std::ofstream filler(disk_ / "filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  void free_disk() { fs::remove(disk_ / "filler"); }

  testing::TempDir tmp_;
  fs::path disk_;
  bool mounted_ = false;
};

std::string integrity(const fs::path& db) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return "cannot open";
  }
  std::string result;
  sqlite3_exec(
      handle, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] != nullptr ? values[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(handle);
  return result;
}

TEST_F(FullDiskTest, HistoryFailsClearlyAndStaysWhole) {
  const fs::path db = disk_ / "history.sqlite";
  RunResult run = testing::sample_run();
  {
    History history(db);
    history.begin_run(run);
    history.add_scenario(run.run_id, run.scenarios[0]);
  }
  fill_disk();
  std::string message;
  try {
    History history(db);
    for (int i = 0; i < 200; ++i) {  // enough rows to need a new page
      ScenarioResult s = run.scenarios[1];
      s.name = "filler/" + std::to_string(i);
      s.last_serial_lines.assign(20, std::string(200, 'y'));
      history.add_scenario(run.run_id, s);
    }
  } catch (const SetupError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("history database '" + db.string() + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("full"), std::string::npos) << message;
  free_disk();
  EXPECT_EQ(integrity(db), "ok");
  History again(db);
  const RunResult back = again.load_run(run.run_id);
  EXPECT_FALSE(back.scenarios.empty()) << "what was committed before the disk filled is kept";
}

TEST_F(FullDiskTest, AReportThatCannotBeWrittenNamesItAndKeepsTheOldOne) {
  const fs::path results = disk_ / "results.json";
  RunResult run = testing::sample_run();
  write_json(run, results);
  const auto before = fs::file_size(results);
  fill_disk();
  run.scenarios.resize(1);
  try {
    RunResult bigger = testing::sample_run();
    for (auto& s : bigger.scenarios) s.last_serial_lines.assign(500, std::string(500, 'z'));
    write_json(bigger, results);
    FAIL() << "a full disk took the report";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find(results.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  free_disk();
  EXPECT_EQ(fs::file_size(results), before);
  EXPECT_EQ(read_json(results).scenarios.size(), testing::sample_run().scenarios.size());
}

}  // namespace
}  // namespace rh
