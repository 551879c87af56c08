// Parsers for etc/passwd and etc/shadow, and the classification of their password fields.
// Field layouts (passwd(5), shadow(5)):
//   passwd: name:password:uid:gid:gecos:home:shell
//   shadow: name:password:lastchg:min:max:warn:inactive:expire:reserved
// Only the fields the password checks need are kept; trailing shadow fields may be missing
// (some tools write short lines), the uid of a passwd line must be a number.
#include "analyze/account_files.h"

#include <algorithm>
#include <charconv>

namespace hivesec::analyze {

namespace {

// Calls `line(text, number)` for each line, CR of CRLF endings removed, blank lines skipped.
template <typename F>
void for_each_line(std::string_view content, F&& line) {
  int number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view l = content.substr(pos, end - pos);
    ++number;
    pos = end + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty()) continue;
    line(l, number);
  }
}

// The fields of a line split on ':' (at most `max` + a rest).
std::vector<std::string_view> split_fields(std::string_view l, size_t max) {
  std::vector<std::string_view> f;
  size_t pos = 0;
  while (f.size() + 1 < max) {
    size_t c = l.find(':', pos);
    if (c == std::string_view::npos) break;
    f.push_back(l.substr(pos, c - pos));
    pos = c + 1;
  }
  f.push_back(l.substr(pos));
  return f;
}

// Reason a line cannot be an account entry, or "" when it can.
const char* line_problem(std::string_view l) {
  if (l.size() > kMaxAccountLine) return "line too long";
  if (l.find('\0') != std::string_view::npos) return "NUL byte";
  if (l.find(':') == std::string_view::npos) return "no ':' separator";
  if (l.front() == ':') return "empty account name";
  return "";
}

void bad(AccountFile& out, int number, const char* reason) {
  if (out.bad_lines++ == 0) {
    out.first_bad_line = number;
    out.first_bad_reason = reason;
  }
}

// NIS compatibility entries ("+", "+user", "-user") carry no local password.
bool is_nis_entry(std::string_view l) { return l.front() == '+' || l.front() == '-'; }

// itoa64 index of a crypt base-64 character, -1 for others.
int itoa64(char c) {
  if (c == '.') return 0;
  if (c == '/') return 1;
  if (c >= '0' && c <= '9') return c - '0' + 2;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 12;
  if (c >= 'a' && c <= 'z') return c - 'a' + 38;
  return -1;
}

HashMethod yescrypt_method(std::string_view hash) {
  HashMethod m{"yescrypt", false, ""};
  // $y$<flavor><N_log2><r>$salt$hash; each parameter one character when small (values below
  // 48). Longer parameter strings add p, t, g (more work) or large values: not checked.
  std::string_view rest = hash.substr(3);
  size_t d = rest.find('$');
  std::string_view params = rest.substr(0, d);
  if (d == std::string_view::npos || params.size() != 3) {
    m.reason = "unsupported yescrypt parameters";
    return m;
  }
  int flavor = itoa64(params[0]), n = itoa64(params[1]), r = itoa64(params[2]);
  if (flavor < 0 || n < 0 || r < 0 || flavor >= 48 || n >= 48 || r >= 48) {
    m.reason = "unsupported yescrypt parameters";
    return m;
  }
  int n_log2 = n + 1;
  uint64_t bytes = n_log2 >= 40 ? ~0ull : 128ull * static_cast<uint64_t>(r + 1) << n_log2;
  if (bytes > kMaxYescryptBytes) {
    m.reason = "yescrypt needs " + std::to_string(bytes >> 20) + " MiB per try";
    return m;
  }
  m.checkable = true;
  return m;
}

HashMethod sha_method(std::string_view hash, std::string name) {
  HashMethod m{std::move(name), true, ""};
  std::string_view rest = hash.substr(3);
  if (rest.starts_with("rounds=")) {
    rest.remove_prefix(7);
    long rounds = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), rounds);
    if (ec != std::errc() || p == rest.data() || rounds > kMaxShaRounds) {
      m.checkable = false;
      m.reason = m.name + " rounds exceed " + std::to_string(kMaxShaRounds);
    }
  }
  return m;
}

HashMethod bcrypt_method(std::string_view hash) {
  HashMethod m{"bcrypt", false, ""};
  // $2b$NN$ + 53 characters.
  if (hash.size() < 7 || hash[6] != '$' || !isdigit(static_cast<unsigned char>(hash[4])) ||
      !isdigit(static_cast<unsigned char>(hash[5]))) {
    m.reason = "malformed bcrypt hash";
    return m;
  }
  int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost > kMaxBcryptCost) {
    m.reason = "bcrypt cost " + std::to_string(cost) + " exceeds " + std::to_string(kMaxBcryptCost);
    return m;
  }
  m.checkable = true;
  return m;
}

}  // namespace

PasswordField classify_password(std::string_view field, bool in_passwd) {
  if (field.empty()) return PasswordField::kEmpty;
  if (in_passwd && field == "x") return PasswordField::kShadowed;
  if (field.front() == '!' || field.front() == '*') return PasswordField::kLocked;
  return PasswordField::kHash;
}

HashMethod hash_method(std::string_view hash) {
  if (hash.starts_with("$y$")) return yescrypt_method(hash);
  if (hash.starts_with("$6$")) return sha_method(hash, "sha512crypt");
  if (hash.starts_with("$5$")) return sha_method(hash, "sha256crypt");
  if (hash.starts_with("$1$")) return {"md5crypt", true, ""};
  if (hash.starts_with("$2b$") || hash.starts_with("$2a$") || hash.starts_with("$2y$")) {
    return bcrypt_method(hash);
  }
  if (hash.size() == 13 &&
      std::all_of(hash.begin(), hash.end(), [](char c) { return itoa64(c) >= 0; })) {
    return {"descrypt", true, ""};
  }
  if (hash.starts_with("$")) {
    size_t d = hash.find('$', 1);
    std::string prefix(hash.substr(0, d == std::string_view::npos ? std::min<size_t>(hash.size(), 8)
                                                                 : std::min<size_t>(d + 1, 8)));
    return {printable_name(prefix), false, "hash method not checked"};
  }
  return {"unknown", false, "not a crypt hash"};
}

std::string printable_name(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f) ? '?' : c;  // ASCII only: reports must stay valid UTF-8
  }
  if (s.size() > 64) out += "...";
  return out;
}

AccountFile parse_passwd(std::string_view content) {
  AccountFile out;
  for_each_line(content, [&](std::string_view l, int number) {
    ++out.lines;
    if (const char* p = line_problem(l); *p) return bad(out, number, p);
    if (is_nis_entry(l)) return;
    auto f = split_fields(l, 7);
    if (f.size() < 7) return bad(out, number, "fewer than 7 fields");
    uint32_t uid = 0;
    auto [end, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), uid);
    if (ec != std::errc() || end != f[2].data() + f[2].size() || f[2].empty()) {
      return bad(out, number, "uid is not a number");
    }
    AccountEntry e;
    e.name = std::string(f[0]);
    e.password = std::string(f[1]);
    e.field = classify_password(f[1], true);
    e.uid = uid;
    e.line = number;
    out.entries.push_back(std::move(e));
  });
  return out;
}

AccountFile parse_shadow(std::string_view content) {
  AccountFile out;
  for_each_line(content, [&](std::string_view l, int number) {
    ++out.lines;
    if (const char* p = line_problem(l); *p) return bad(out, number, p);
    if (is_nis_entry(l)) return;
    auto f = split_fields(l, 3);  // name, password, the rest (aging fields: not used)
    AccountEntry e;
    e.name = std::string(f[0]);
    e.password = std::string(f[1]);
    e.field = classify_password(f[1], false);
    e.line = number;
    out.entries.push_back(std::move(e));
  });
  return out;
}

}  // namespace hivesec::analyze
