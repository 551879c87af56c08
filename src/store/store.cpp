#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "image/image.h"
#include "vulndb/sqlite_util.h"

namespace hivesec::store {

namespace {

using nlohmann::json;
using vulndb::detail::DbPtr;
using vulndb::detail::exec;
using vulndb::detail::sqlite_error;
using vulndb::detail::Stmt;

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  scanned_at TEXT NOT NULL,
  matched_at TEXT NOT NULL,
  packages INTEGER NOT NULL,
  inventory TEXT NOT NULL,  -- JSON: asset, image name, os, packages, notes, layers
  findings TEXT NOT NULL    -- JSON array of findings
);
CREATE INDEX IF NOT EXISTS assets_by_name ON assets(name, scanned_at);
CREATE TABLE IF NOT EXISTS finding_ids (
  ident TEXT NOT NULL,      -- upper-cased id or alias
  asset_id TEXT NOT NULL,
  idx INTEGER NOT NULL      -- position in assets.findings
);
CREATE INDEX IF NOT EXISTS finding_ids_by_ident ON finding_ids(ident);
CREATE INDEX IF NOT EXISTS finding_ids_by_asset ON finding_ids(asset_id);
)";

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

json inventory_json(const model::ScanResult& r) {
  json j;
  j["asset"] = json{{"kind", model::asset_kind_name(r.asset.kind)},
                    {"id", r.asset.id},
                    {"name", r.asset.name},
                    {"labels", r.asset.labels}};
  j["os"] = r.os;
  j["packages"] = r.packages;
  j["notes"] = r.notes;
  j["scanned_at"] = r.scanned_at;
  json layers = json::array();
  for (const auto& l : r.layers) {
    layers.push_back({{"digest", l.digest}, {"diff_id", l.diff_id}, {"size", l.size},
                      {"created_by", l.created_by}});
  }
  j["layers"] = std::move(layers);
  return j;
}

model::AssetKind parse_kind(std::string_view s) {
  for (int k = 0; k <= static_cast<int>(model::AssetKind::kSbom); ++k) {
    if (s == model::asset_kind_name(static_cast<model::AssetKind>(k))) {
      return static_cast<model::AssetKind>(k);
    }
  }
  return model::AssetKind::kImage;
}

Result<model::ScanResult> result_from_json(std::string_view inventory, std::string_view findings) {
  try {
    json inv = json::parse(inventory);
    model::ScanResult r;
    const json& a = inv.at("asset");
    r.asset.kind = parse_kind(a.at("kind").get<std::string>());
    r.asset.id = a.at("id").get<std::string>();
    r.asset.name = a.at("name").get<std::string>();
    if (a.contains("labels") && a["labels"].is_object()) {
      r.asset.labels = a["labels"].get<std::map<std::string, std::string>>();
    }
    r.os = inv.at("os").get<model::OsInfo>();
    r.packages = inv.at("packages").get<std::vector<model::Package>>();
    r.notes = inv.at("notes").get<std::vector<std::string>>();
    r.scanned_at = inv.value("scanned_at", "");
    for (const json& l : inv.value("layers", json::array())) {
      model::LayerSummary s;
      s.digest = l.value("digest", "");
      s.diff_id = l.value("diff_id", "");
      s.size = l.value("size", int64_t{-1});
      s.created_by = l.value("created_by", "");
      r.layers.push_back(std::move(s));
    }
    r.findings = json::parse(findings).get<std::vector<model::Finding>>();
    return r;
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "store: unreadable stored inventory: {}", e.what());
  }
}

class SqliteStore final : public Store {
 public:
  SqliteStore(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Status put(const model::ScanResult& r) override {
    if (r.asset.id.empty()) return make_error(Errc::kInvalidArgument, "store: asset without id");
    HIVESEC_TRY_STATUS(exec(db_.get(), "BEGIN IMMEDIATE"));
    auto st = put_locked(r);
    HIVESEC_TRY_STATUS(exec(db_.get(), st.ok() ? "COMMIT" : "ROLLBACK"));
    return st;
  }

  Status put_findings(const std::string& asset_id, const std::vector<model::Finding>& findings,
                      const std::string& matched_at) override {
    HIVESEC_TRY_STATUS(exec(db_.get(), "BEGIN IMMEDIATE"));
    auto st = put_findings_locked(asset_id, findings, matched_at);
    HIVESEC_TRY_STATUS(exec(db_.get(), st.ok() ? "COMMIT" : "ROLLBACK"));
    return st;
  }

  Result<std::vector<AssetSummary>> list() override {
    HIVESEC_TRY(auto q, Stmt::prepare(db_.get(),
                                      "SELECT id, name, kind, scanned_at, matched_at, packages, "
                                      "(SELECT COUNT(DISTINCT idx) FROM finding_ids f WHERE "
                                      "f.asset_id = a.id) FROM assets a ORDER BY name, id"));
    std::vector<AssetSummary> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      out.push_back({std::string(q.column_text(0)), std::string(q.column_text(1)),
                     std::string(q.column_text(2)), std::string(q.column_text(3)),
                     std::string(q.column_text(4)), q.column_int64(5), q.column_int64(6)});
    }
    if (rc != SQLITE_DONE) return sqlite_error(db_.get(), rc, "store: list");
    return out;
  }

  Result<model::ScanResult> get(const std::string& key) override {
    for (const char* sql :
         {"SELECT inventory, findings FROM assets WHERE id = ?1",
          "SELECT inventory, findings FROM assets WHERE name = ?1 ORDER BY scanned_at DESC "
          "LIMIT 1"}) {
      HIVESEC_TRY(auto q, Stmt::prepare(db_.get(), sql));
      q.text(1, key);
      int rc = q.step();
      if (rc == SQLITE_ROW) return result_from_json(q.column_text(0), q.column_text(1));
      if (rc != SQLITE_DONE) return sqlite_error(db_.get(), rc, "store: get");
    }
    return make_error(Errc::kNotFound, "no stored scan of '{}' in {} (scan it first)", key, path_);
  }

  Result<std::vector<WhereHit>> where(const std::string& identifier) override {
    HIVESEC_TRY(auto q, Stmt::prepare(db_.get(),
                                      "SELECT a.id, a.name, a.findings, f.idx FROM finding_ids f "
                                      "JOIN assets a ON a.id = f.asset_id WHERE f.ident = ?1 "
                                      "ORDER BY a.name, a.id, f.idx"));
    q.text(1, upper(identifier));
    std::vector<WhereHit> out;
    std::string cached_id;
    json cached;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      std::string id(q.column_text(0));
      try {
        if (id != cached_id) {
          cached = json::parse(q.column_text(2));
          cached_id = id;
        }
        out.push_back({id, std::string(q.column_text(1)),
                       cached.at(static_cast<size_t>(q.column_int64(3))).get<model::Finding>()});
      } catch (const json::exception& e) {
        return make_error(Errc::kCorrupt, "store: unreadable findings of {}: {}", id, e.what());
      }
    }
    if (rc != SQLITE_DONE) return sqlite_error(db_.get(), rc, "store: where");
    return out;
  }

 private:
  Status put_locked(const model::ScanResult& r) {
    HIVESEC_TRY(auto q, Stmt::prepare(db_.get(),
                                      "INSERT OR REPLACE INTO assets (id, name, kind, scanned_at, "
                                      "matched_at, packages, inventory, findings) VALUES "
                                      "(?1, ?2, ?3, ?4, ?4, ?5, ?6, '[]')"));
    q.text(1, r.asset.id)
        .text(2, r.asset.name)
        .text(3, model::asset_kind_name(r.asset.kind))
        .text(4, r.scanned_at)
        .int64(5, static_cast<int64_t>(r.packages.size()))
        .text(6, inventory_json(r).dump());
    HIVESEC_TRY_STATUS(q.run("store: save inventory"));
    return put_findings_locked(r.asset.id, r.findings, r.scanned_at);
  }

  Status put_findings_locked(const std::string& asset_id,
                             const std::vector<model::Finding>& findings,
                             const std::string& matched_at) {
    HIVESEC_TRY(auto upd, Stmt::prepare(db_.get(),
                                        "UPDATE assets SET findings = ?2, matched_at = ?3 "
                                        "WHERE id = ?1"));
    upd.text(1, asset_id).text(2, json(findings).dump()).text(3, matched_at);
    HIVESEC_TRY_STATUS(upd.run("store: save findings"));
    if (sqlite3_changes(db_.get()) == 0) {
      return make_error(Errc::kNotFound, "store: no stored asset {}", asset_id);
    }
    HIVESEC_TRY(auto del, Stmt::prepare(db_.get(), "DELETE FROM finding_ids WHERE asset_id = ?1"));
    del.text(1, asset_id);
    HIVESEC_TRY_STATUS(del.run("store: index findings"));
    HIVESEC_TRY(auto ins, Stmt::prepare(db_.get(),
                                        "INSERT INTO finding_ids (ident, asset_id, idx) "
                                        "VALUES (?1, ?2, ?3)"));
    for (size_t i = 0; i < findings.size(); ++i) {
      const model::Finding& f = findings[i];
      std::vector<std::string> ids = {upper(f.rule_id)};
      for (const auto& a : f.aliases) ids.push_back(upper(a));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (const auto& ident : ids) {
        ins.text(1, ident).text(2, asset_id).int64(3, static_cast<int64_t>(i));
        HIVESEC_TRY_STATUS(ins.run("store: index findings"));
      }
    }
    return ok_status();
  }

  DbPtr db_;
  std::string path_;
};

}  // namespace

std::string default_store_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/hivesec/store.db";
  const char* home = std::getenv("HOME");
  if (home && *home == '/') return std::string(home) + "/.local/share/hivesec/store.db";
  return "store.db";
}

Result<std::unique_ptr<Store>> open_store(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return sqlite_error(db.get(), rc, "store: open " + path);
  sqlite3_busy_timeout(db.get(), 10000);
  auto hint = [&](const Error& e) {
    return make_error(e.code == Errc::kCorrupt ? Errc::kCorrupt : e.code,
                      "inventory store {} is unusable ({}); move it away or pass --store", path,
                      e.message);
  };
  if (auto st = exec(db.get(), kSchema); !st.ok()) return hint(st.error());
  HIVESEC_TRY(auto ver, Stmt::prepare(db.get(), "SELECT value FROM meta WHERE key = 'schema'"));
  int vrc = ver.step();
  if (vrc == SQLITE_ROW) {
    if (std::atoi(std::string(ver.column_text(0)).c_str()) > kSchemaVersion) {
      return make_error(Errc::kUnsupported, "inventory store {} is from a newer hivesec", path);
    }
  } else if (vrc == SQLITE_DONE) {
    auto st = exec(db.get(), "INSERT INTO meta (key, value) VALUES ('schema', '1')");
    if (!st.ok()) return hint(st.error());
  } else {
    return hint(sqlite_error(db.get(), vrc, "store: schema"));
  }
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db), path));
}

}  // namespace hivesec::store
