// Helpers shared by the report writers (private to src/report). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/scan_result.h"
#include "report/writer.h"

namespace hivesec::report {

// The built-in writers (listed in builtins.cpp).
std::unique_ptr<Writer> make_json_writer();
std::unique_ptr<Writer> make_table_writer();
// spec_version: "1.6" or "1.5".
std::unique_ptr<Writer> make_cyclonedx_writer(std::string name, std::string spec_version);
std::unique_ptr<Writer> make_spdx_writer();
std::unique_ptr<Writer> make_sarif_writer();
std::unique_ptr<Writer> make_html_writer();

// A random (version 4) UUID, lowercase: "3e671687-395b-41f5-a30f-a58921a69b79".
std::string random_uuid_v4();

// The current UTC time as "YYYY-MM-DDThh:mm:ssZ".
std::string utc_now();

// `ts` when it is an RFC 3339 date-time, cut to whole seconds in UTC "Z" form when it already
// is UTC ("2024-01-02T03:04:05.123Z" -> "2024-01-02T03:04:05Z"); otherwise utc_now().
std::string document_timestamp(std::string_view ts);

// An image reference split for purls: "registry:5000/library/debian:12@sha256:..." ->
// repository "registry:5000/library/debian", name "debian", tag "12".
struct ImageRef {
  std::string repository;
  std::string name;  // last path segment of the repository, lower case
  std::string tag;
};
ImageRef split_image_ref(std::string_view ref);

// pkg:oci purl of the scanned image ("" when there is no image digest).
std::string image_purl(const image::ImageMeta& meta);

// "linux/arm64/v8"; empty parts are left out. (image::Platform::str lives in the image module.)
std::string platform_string(const image::Platform& p);

// The name shown for the scanned asset: its name, else its id, else "unknown".
std::string asset_display_name(const model::ScanResult& r);

}  // namespace hivesec::report
