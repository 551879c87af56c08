// Private: OSV JSON -> Advisory, with the structural checks that decide whether a record is
// malformed (skipped at import) and size bounds against hostile input.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb::detail {

inline constexpr size_t kMaxRecordBytes = 8u << 20;  // one OSV record
inline constexpr size_t kMaxListItems = 20000;       // aliases, affected, events, versions...
inline constexpr size_t kMaxIdLength = 256;

// Parses one OSV record. kCorrupt (one line, naming the offending field) when it is not JSON or
// breaks the schema in a way the matcher cares about; kLimit when it exceeds a bound.
// Unknown fields are ignored.
Result<Advisory> parse_osv(std::string_view json);
Result<Advisory> parse_osv_json(const nlohmann::json& doc);

}  // namespace hivesec::vulndb::detail
