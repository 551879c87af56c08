// Private to src/suppress: the VEX format readers behind parse_vex and the JSON accessors they
// share. Each reader fills a VexDocument from parsed JSON; errors are one line without the
// source name (parse_vex prefixes it).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "suppress/vex.h"

namespace hivesec::suppress::vexfmt {

struct Format {
  const char* name;
  bool (*detect)(const nlohmann::json& doc);
  Status (*parse)(const nlohmann::json& doc, VexDocument& out);
};

bool is_openvex(const nlohmann::json& doc);
Status parse_openvex(const nlohmann::json& doc, VexDocument& out);

bool is_cyclonedx(const nlohmann::json& doc);
Status parse_cyclonedx(const nlohmann::json& doc, VexDocument& out);

// obj[key] as a string; nullopt when absent or null; kInvalidArgument naming `where` and `key`
// when of another type. `obj` must be an object.
Result<std::optional<std::string>> opt_string(const nlohmann::json& obj, const char* key,
                                              std::string_view where);
// obj[key] when it is an array; nullptr when absent or null; an error for other types.
Result<const nlohmann::json*> opt_array(const nlohmann::json& obj, const char* key,
                                        std::string_view where);
// obj[key] when it is an object; nullptr when absent or null; an error for other types.
Result<const nlohmann::json*> opt_object(const nlohmann::json& obj, const char* key,
                                         std::string_view where);
// obj[key] as an RFC 3339 instant; nullopt when absent; an error when malformed.
Result<std::optional<Instant>> opt_time(const nlohmann::json& obj, const char* key,
                                        std::string_view where);

// A product named by `id`: a purl ("pkg:..."), an image digest ("sha256:<hex>"), or just an
// IRI. kInvalidArgument for a malformed purl.
Result<VexProduct> product_from_id(std::string_view id, std::string_view where);

// Adds hash values ({"sha-256": "<hex>"}) as "sha256:<hex>" digests.
void add_hashes(const nlohmann::json& hashes, VexProduct& p);

}  // namespace hivesec::suppress::vexfmt
