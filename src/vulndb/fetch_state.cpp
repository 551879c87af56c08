#include "vulndb/fetch_state.h"

#include "vulndb/schema.h"
#include "vulndb/sqlite_util.h"

namespace hivesec::vulndb::detail {

Result<std::vector<FetchState>> read_fetch_states(sqlite3* db) {
  std::vector<FetchState> out;
  HIVESEC_TRY(int version, read_schema_version(db));
  if (version < 3) return out;
  HIVESEC_TRY(auto q, Stmt::prepare(db,
                                    "SELECT ecosystem, source, etag, last_modified, fetched, "
                                    "checked, records FROM fetch_state ORDER BY ecosystem"));
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    FetchState s;
    s.ecosystem = q.column_text(0);
    s.source = q.column_text(1);
    s.etag = q.column_text(2);
    s.last_modified = q.column_text(3);
    s.fetched = q.column_text(4);
    s.checked = q.column_text(5);
    s.records = q.column_int64(6);
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return sqlite_error(db, rc, "reading fetch_state");
  return out;
}

Status write_fetch_state(sqlite3* db, const FetchState& state) {
  HIVESEC_TRY(auto q, Stmt::prepare(db,
                                    "INSERT OR REPLACE INTO fetch_state(ecosystem, source, etag, "
                                    "last_modified, fetched, checked, records) "
                                    "VALUES(?1,?2,?3,?4,?5,?6,?7)"));
  q.text(1, state.ecosystem)
      .text(2, state.source)
      .text(3, state.etag)
      .text(4, state.last_modified)
      .text(5, state.fetched)
      .text(6, state.checked)
      .int64(7, state.records);
  return q.run("writing fetch_state");
}

Status mark_checked(sqlite3* db, std::string_view ecosystem, std::string_view when) {
  HIVESEC_TRY(auto q, Stmt::prepare(db, "UPDATE fetch_state SET checked=?2 WHERE ecosystem=?1"));
  q.text(1, ecosystem).text(2, when);
  return q.run("writing fetch_state");
}

}  // namespace hivesec::vulndb::detail
