// Common-password checks with libxcrypt's crypt_rn, fair across accounts, bounded by a budget.
#include "analyze/password_check.h"

#include <crypt.h>

#include <algorithm>
#include <memory>
#include <queue>

namespace hivesec::analyze {

namespace {

// Per-thread scratch for crypt_rn (about 32 KiB; allocated once per thread).
crypt_data& scratch() {
  thread_local std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
  return *data;
}

}  // namespace

bool crypt_matches(std::string_view password, const std::string& hash) {
  if (password.size() >= CRYPT_MAX_PASSPHRASE_SIZE || hash.size() >= CRYPT_OUTPUT_SIZE) {
    return false;
  }
  std::string phrase(password);
  crypt_data& data = scratch();
  data.initialized = 0;
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), &data, sizeof data);
  if (!out || out[0] == '*') return false;  // failure tokens start with '*'
  std::string_view got(out);
  if (got.size() != hash.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < got.size(); ++i) diff |= static_cast<unsigned char>(got[i] ^ hash[i]);
  return diff == 0;
}

namespace {

// Name variants tried before the list (at most 3 short strings: no per-account copy of the list,
// so a file with many accounts costs little memory).
std::vector<std::string> name_variants(std::string_view account) {
  if (account.empty() || account.size() >= 64) return {};
  std::string name(account);
  return {name, name + "123", name + "1"};
}

// The candidate sequence of one account, walked without materializing it.
struct Cursor {
  std::vector<std::string> variants;
  size_t next_variant = 0;
  size_t next_common = 0;

  // The next candidate, or nullptr at the end; skips list entries equal to a variant.
  const std::string* next(const std::vector<std::string>& common) {
    if (next_variant < variants.size()) return &variants[next_variant++];
    while (next_common < common.size()) {
      const std::string& c = common[next_common++];
      if (std::find(variants.begin(), variants.end(), c) == variants.end()) return &c;
    }
    return nullptr;
  }
};

size_t count_candidates(const std::vector<std::string>& variants,
                        const std::vector<std::string>& common) {
  size_t dup = 0;
  for (const auto& v : variants) dup += std::count(common.begin(), common.end(), v);
  return variants.size() + common.size() - dup;
}

}  // namespace

std::vector<std::string> candidates_for(std::string_view account,
                                        const std::vector<std::string>& common) {
  Cursor c{name_variants(account)};
  std::vector<std::string> out;
  while (const std::string* s = c.next(common)) out.push_back(*s);
  return out;
}

std::vector<CrackResult> crack(const std::vector<CrackTarget>& targets,
                               const std::vector<std::string>& common, PasswordBudget& budget) {
  std::vector<CrackResult> results(targets.size());
  std::vector<Cursor> cursors(targets.size());
  // Least time spent first (ties: the earlier account).
  using Item = std::pair<int64_t, size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> next;
  for (size_t i = 0; i < targets.size(); ++i) {
    cursors[i].variants = name_variants(targets[i].account);
    results[i].total = count_candidates(cursors[i].variants, common);
    if (results[i].total > 0) next.emplace(0, i);
  }
  while (!next.empty() && !budget.exhausted()) {
    auto [spent, i] = next.top();
    next.pop();
    CrackResult& r = results[i];
    const std::string* candidate = cursors[i].next(common);
    if (!candidate) continue;
    auto t0 = std::chrono::steady_clock::now();
    bool hit = crypt_matches(*candidate, targets[i].hash);
    int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
    budget.charge(ns);
    r.spent_ns += ns;
    ++r.tried;
    if (hit) {
      r.password = *candidate;
    } else if (r.tried < r.total) {
      next.emplace(r.spent_ns, i);
    }
  }
  return results;
}

}  // namespace hivesec::analyze
