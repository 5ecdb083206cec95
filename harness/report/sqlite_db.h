// A thin RAII layer over the SQLite C API for the history database: one
// connection, prepared statements with positional binding, and transactions
// that roll back when an exception leaves them.
//
//   SqliteDb db("reports/history.sqlite");
//   db.transaction([&] {
//     auto st = db.prepare("INSERT INTO runs(run_id) VALUES (?)");
//     st.bind(1, run_id);
//     st.step();
//   });
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace rh {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql, const std::string& db_path);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  SqliteStatement& bind(int index, const std::string& value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, long long value);
  SqliteStatement& bind(int index, int value) { return bind(index, static_cast<long long>(value)); }
  SqliteStatement& bind(int index, const std::optional<long long>& value);

  bool step();  // true while a row is available; throws SetupError on error
  std::string text(int column) const;
  double real(int column) const;
  long long integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string db_path_;
};

class SqliteDb {
 public:
  explicit SqliteDb(const std::filesystem::path& path);  // SetupError when it cannot be opened
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  void exec(const std::string& sql);
  SqliteStatement prepare(const std::string& sql) const;
  // BEGIN IMMEDIATE; body; COMMIT. Rolls back and rethrows if body throws.
  void transaction(const std::function<void()>& body);
  long long last_insert_id() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

}  // namespace rh
