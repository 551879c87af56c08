// Maven versions: org.apache.maven.artifact.versioning.ComparableVersion as in Maven 3.8.7
// (including MNG-7644: a qualifier after '.' opens a sublist as after '-'; MNG-6964: a list
// compared with a missing item compares all its items; without 3.9's "combination" items). A version is split at '.', '-' and digit/letter transitions into a
// tree of integer, qualifier and list items; '-' and transitions open a nested list. Trailing
// "null" items (0, "", ga/final/release, empty lists) are dropped, so "1.0" = "1" = "1-ga".
// Qualifiers order alpha < beta < milestone < rc = cr < snapshot < "" (= ga = final = release)
// < sp < any other qualifier (lexically); "a1"/"b1"/"m1" mean alpha-1/beta-1/milestone-1.
// Any string is a valid Maven version (Maven accepts everything); we reject only empty text and
// input over 256 characters.
#include <memory>
#include <vector>

#include "versions/builtins.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 256;

struct Item {
  enum Kind { kInt, kString, kList } kind = kList;
  std::string value;  // digits without leading zeros (kInt) or canonical qualifier (kString)
  std::vector<std::unique_ptr<Item>> items;

  bool is_null() const {
    switch (kind) {
      case kInt:
        return value == "0";
      case kString:
        return value.empty();
      case kList:
        return items.empty();
    }
    return false;
  }
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::unique_ptr<Item> make_int(std::string_view digits) {
  auto it = std::make_unique<Item>();
  it->kind = Item::kInt;
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  it->value = std::string(digits);
  return it;
}

std::unique_ptr<Item> make_string(std::string_view s, bool followed_by_digit) {
  auto it = std::make_unique<Item>();
  it->kind = Item::kString;
  std::string v(s);
  if (followed_by_digit && v.size() == 1) {
    if (v == "a") v = "alpha";
    if (v == "b") v = "beta";
    if (v == "m") v = "milestone";
  }
  if (v == "ga" || v == "final" || v == "release") v.clear();
  if (v == "cr") v = "rc";
  it->value = std::move(v);
  return it;
}

std::unique_ptr<Item> parse_item(bool digit, std::string_view s) {
  return digit ? make_int(s) : make_string(s, false);
}

std::string comparable_qualifier(const std::string& q) {
  static const char* kQualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
  for (int i = 0; i < 7; ++i) {
    if (q == kQualifiers[i]) return std::to_string(i);
  }
  return "7-" + q;
}

int sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

int cmp_digits(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

// Item.compareTo(other), where `other` may be null (a missing item).
int compare_items(const Item* a, const Item* b) {
  if (b == nullptr) {
    switch (a->kind) {
      case Item::kInt:
        return a->value == "0" ? 0 : 1;
      case Item::kString:
        return sign(comparable_qualifier(a->value).compare("5"));
      case Item::kList:
        // Every item against the missing one, not only the first (MNG-6964).
        for (const auto& item : a->items) {
          if (int c = compare_items(item.get(), nullptr); c != 0) return c;
        }
        return 0;
    }
  }
  switch (a->kind) {
    case Item::kInt:
      return b->kind == Item::kInt ? cmp_digits(a->value, b->value) : 1;
    case Item::kString:
      if (b->kind == Item::kInt || b->kind == Item::kList) return -1;
      return sign(comparable_qualifier(a->value).compare(comparable_qualifier(b->value)));
    case Item::kList: {
      if (b->kind == Item::kInt) return -1;
      if (b->kind == Item::kString) return 1;
      std::size_t n = std::max(a->items.size(), b->items.size());
      for (std::size_t i = 0; i < n; ++i) {
        const Item* l = i < a->items.size() ? a->items[i].get() : nullptr;
        const Item* r = i < b->items.size() ? b->items[i].get() : nullptr;
        int c =
            l == nullptr ? (r == nullptr ? 0 : -compare_items(r, nullptr)) : compare_items(l, r);
        if (c != 0) return c;
      }
      return 0;
    }
  }
  return 0;
}

// Drops null items from the end, looking through non-null sublists: "1.0-snapshot" ->
// [1, [snapshot]].
void normalize(Item& list) {
  for (std::size_t i = list.items.size(); i-- > 0;) {
    Item& item = *list.items[i];
    if (item.is_null()) {
      list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (item.kind != Item::kList) {
      break;
    }
  }
}

std::unique_ptr<Item> parse_maven(std::string_view text) {
  std::string v;
  for (char c : text) v.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  auto root = std::make_unique<Item>();
  Item* list = root.get();
  std::vector<Item*> stack{list};
  bool digit = false;
  std::size_t start = 0;
  auto sub = [&](std::size_t from, std::size_t to) {
    return std::string_view(v).substr(from, to - from);
  };
  auto open_list = [&] {
    auto child = std::make_unique<Item>();
    Item* raw = child.get();
    list->items.push_back(std::move(child));
    list = raw;
    stack.push_back(list);
  };
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.') {
      list->items.push_back(i == start ? make_int("0") : parse_item(digit, sub(start, i)));
      start = i + 1;
    } else if (c == '-') {
      list->items.push_back(i == start ? make_int("0") : parse_item(digit, sub(start, i)));
      start = i + 1;
      open_list();
    } else if (is_digit(c)) {
      if (!digit && i > start) {
        // ".X1" is read as "-X1" (Maven 3.8.7+, MNG-7644): the qualifier opens a sublist
        // unless it starts one.
        if (!list->items.empty()) open_list();
        list->items.push_back(make_string(sub(start, i), true));
        start = i;
        open_list();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list->items.push_back(parse_item(true, sub(start, i)));
        start = i;
        open_list();
      }
      digit = false;
    }
  }
  if (v.size() > start) {
    // A trailing ".X" qualifier is read as "-X" too (MNG-7644): 1.0.0.X1 < 1.0.0-X2.
    if (!digit && !list->items.empty()) open_list();
    list->items.push_back(parse_item(digit, sub(start, v.size())));
  }
  while (!stack.empty()) {
    normalize(*stack.back());
    stack.pop_back();
  }
  return root;
}

class MavenScheme final : public Scheme {
 public:
  std::string_view name() const override { return "maven"; }
  Status validate(std::string_view v) const override {
    if (v.empty()) return make_error(Errc::kInvalidArgument, "empty version");
    if (v.size() > kMaxLength) {
      return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
    }
    return ok_status();
  }
  int compare(std::string_view a, std::string_view b) const override {
    a = a.substr(0, kMaxLength);
    b = b.substr(0, kMaxLength);
    auto x = parse_maven(a);
    auto y = parse_maven(b);
    return compare_items(x.get(), y.get());
  }
};

}  // namespace

std::unique_ptr<Scheme> make_maven_scheme() { return std::make_unique<MavenScheme>(); }

}  // namespace hivesec::versions
