#include "harness/report/sqlite_db.h"

#include <sys/statvfs.h>

#include "harness/core/error.h"

namespace rh {
namespace {

// SQLite says "disk I/O error" or "database or disk is full" depending on
// which write hit ENOSPC; the user needs to hear the cause either way.
std::string disk_hint(const std::filesystem::path& db) {
  struct statvfs st {};
  const auto dir = db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
  constexpr unsigned long long kNearlyFull = 64ULL * 1024;
  if (::statvfs(dir.c_str(), &st) != 0) return "";
  const auto free_bytes = static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
  return free_bytes < kNearlyFull ? " (the disk holding it is full)" : "";
}

[[noreturn]] void fail(sqlite3* db, const std::string& path, const std::string& what) {
  throw SetupError("history database '" + path + "': " + what + ": " +
                   (db ? sqlite3_errmsg(db) : "out of memory") + disk_hint(path));
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql, const std::string& db_path)
    : db_(db), db_path_(db_path) {
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
    fail(db, db_path, "cannot prepare \"" + sql + "\"");
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), db_path_(std::move(other.db_path_)) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, const std::string& value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, long long value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<long long>& value) {
  if (value) return bind(index, *value);
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, db_path_, std::string("cannot run \"") + sqlite3_sql(stmt_) + "\"");
}

std::string SqliteStatement::text(int column) const {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, column))
           : std::string();
}

double SqliteStatement::real(int column) const { return sqlite3_column_double(stmt_, column); }
long long SqliteStatement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

SqliteDb::SqliteDb(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SetupError("history database '" + path.string() + "': cannot open: " + msg +
                     disk_hint(path));
  }
  sqlite3_busy_timeout(db_, 10000);  // parallel runs share one history
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw SetupError("history database '" + path_.string() + "': cannot run \"" + sql +
                     "\": " + msg + disk_hint(path_));
  }
}

SqliteStatement SqliteDb::prepare(const std::string& sql) const {
  return SqliteStatement(db_, sql, path_.string());
}

void SqliteDb::transaction(const std::function<void()>& body) {
  exec("BEGIN IMMEDIATE");
  try {
    body();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

long long SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace rh
