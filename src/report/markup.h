// Escaping text for HTML and XML documents (the HTML report, JUnit XML). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hivesec::report {

// Appends `s` escaped for element text and quoted attribute values alike (& < > " ' as
// entities); invalid UTF-8, C0/C1 controls (but tab and newline) and DEL become U+FFFD, so the
// result is always well-formed UTF-8 that XML 1.0 accepts.
void escape_into(std::string& out, std::string_view s);

}  // namespace hivesec::report
