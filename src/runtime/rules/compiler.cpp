// AST -> Filter. Macro references are expanded by compiling the macro's AST in place (with a
// stack of names to detect cycles); the node budget bounds exponential expansion.
#include "runtime/rules/compiler.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace hivesec::runtime::rules {
namespace {

constexpr size_t kSetThreshold = 24;  // `in` lists larger than this are hashed

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Falco substitutes list items into the condition text, so files quote items that would not
// parse bare: `items: ['"10.0.0.0/8"', '"(systemd)"']`. Such an item stands for its content.
std::string unquote(const std::string& item) {
  if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') &&
      item.back() == item.front()) {
    return item.substr(1, item.size() - 2);
  }
  return item;
}

bool parse_int(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  int base = 10;
  if (e - b > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) {
    b += 2;
    base = 16;
  }
  auto r = std::from_chars(b, e, out, base);
  return r.ec == std::errc() && r.ptr == e;
}

bool parse_bool(std::string_view s, int64_t& out) {
  std::string l = lower(s);
  if (l == "true" || l == "1") {
    out = 1;
    return true;
  }
  if (l == "false" || l == "0") {
    out = 0;
    return true;
  }
  return false;
}

class Compiler {
 public:
  Compiler(CompileEnv& env, CompileError& err) : env_(env), err_(err) {}

  bool compile(const AstNode& n, FilterNode& out) {
    // Nesting through macros multiplies: bound the depth of the compiled tree (the evaluator
    // recurses over it).
    if (++depth_ > kMaxCompiledDepth) {
      return fail("limit", fmt::format("condition nests deeper than {} levels after macro "
                                       "expansion",
                                       kMaxCompiledDepth));
    }
    bool ok = compile_node(n, out);
    --depth_;
    return ok;
  }

  bool compile_node(const AstNode& n, FilterNode& out) {
    switch (n.kind) {
      case AstNode::Kind::kAnd:
      case AstNode::Kind::kOr: {
        out.kind = n.kind == AstNode::Kind::kAnd ? FilterNode::Kind::kAnd : FilterNode::Kind::kOr;
        out.children.resize(n.children.size());
        for (size_t i = 0; i < n.children.size(); ++i) {
          if (!compile(*n.children[i], out.children[i])) return false;
        }
        return true;
      }
      case AstNode::Kind::kNot:
        out.kind = FilterNode::Kind::kNot;
        out.children.resize(1);
        return compile(*n.children[0], out.children[0]);
      case AstNode::Kind::kMacro:
        return compile_macro(n, out);
      case AstNode::Kind::kCheck:
        out.kind = FilterNode::Kind::kCheck;
        out.check = std::make_unique<Check>();
        return compile_check(n, *out.check);
    }
    return fail("internal", "unknown node");
  }

  bool expand(const std::string& name, std::vector<std::string>& out, int depth) {
    auto it = env_.lists.find(name);
    if (it == env_.lists.end())
      return fail("unknown-list", fmt::format("undefined list '{}'", name));
    env_.used_lists.insert(name);
    if (depth > kMaxMacroDepth ||
        std::find(list_stack_.begin(), list_stack_.end(), name) != list_stack_.end()) {
      std::string chain;
      for (const auto& l : list_stack_) chain += l + " -> ";
      return fail("list-cycle", fmt::format("list cycle: {}{}", chain, name));
    }
    list_stack_.push_back(name);
    for (const auto& item : *it->second) {
      if (env_.lists.count(item)) {
        if (!expand(item, out, depth + 1)) return false;
      } else {
        out.push_back(unquote(item));
      }
      if (out.size() > kMaxListItems) {
        return fail("limit",
                    fmt::format("list '{}' expands to more than {} items", name, kMaxListItems));
      }
    }
    list_stack_.pop_back();
    return true;
  }

 private:
  bool fail(std::string code, std::string message) {
    if (err_.code.empty()) {
      err_.code = std::move(code);
      err_.message = std::move(message);
    }
    return false;
  }

  bool compile_macro(const AstNode& n, FilterNode& out) {
    auto it = env_.macros.find(n.name);
    if (it == env_.macros.end()) {
      return fail("unknown-macro", fmt::format("undefined macro '{}'", n.name));
    }
    env_.used_macros.insert(n.name);
    if (std::find(macro_stack_.begin(), macro_stack_.end(), n.name) != macro_stack_.end()) {
      std::string chain;
      for (const auto& m : macro_stack_) chain += m + " -> ";
      return fail("macro-cycle", fmt::format("macro cycle: {}{}", chain, n.name));
    }
    if (static_cast<int>(macro_stack_.size()) >= kMaxMacroDepth) {
      return fail("limit", fmt::format("macros nest deeper than {} levels", kMaxMacroDepth));
    }
    if (!it->second) {
      return fail("unknown-macro", fmt::format("macro '{}' has an invalid condition", n.name));
    }
    macro_stack_.push_back(n.name);
    bool ok = compile(*it->second, out);
    macro_stack_.pop_back();
    return ok;
  }

  bool compile_check(const AstNode& n, Check& c) {
    if (++checks_ > kMaxCompiledChecks) {
      return fail("limit",
                  fmt::format("condition expands to more than {} comparisons", kMaxCompiledChecks));
    }
    const std::string* arg = n.field_arg ? &*n.field_arg : nullptr;
    auto rf = resolve_field(n.field, arg);
    if (!rf.ok()) {
      return fail(rf.error().code == Errc::kNotFound ? "unknown-field" : "invalid-constant",
                  rf.error().message);
    }
    c.field = std::move(*rf);
    c.op = n.op;
    c.value_type = c.field.def->type;
    for (auto it = n.transformers.rbegin(); it != n.transformers.rend(); ++it) {
      if (c.value_type != FieldType::kString) {
        return fail("invalid-operator",
                    fmt::format("transformer {}() needs a string field, '{}' is a {}", *it, n.field,
                                field_type_name(c.value_type)));
      }
      if (*it == "tolower") {
        c.transforms.push_back(Transform::kToLower);
      } else if (*it == "toupper") {
        c.transforms.push_back(Transform::kToUpper);
      } else if (*it == "basename") {
        c.transforms.push_back(Transform::kBasename);
      } else if (*it == "len") {
        c.transforms.push_back(Transform::kLen);
        c.value_type = FieldType::kInt;
      } else {
        return fail("invalid-operator", fmt::format("transformer {}() is not supported", *it));
      }
    }
    if (c.op == Op::kExists) return true;

    // Values, with list references expanded for list operators.
    std::vector<std::string> vals;
    if (op_takes_list(c.op)) {
      for (const auto& v : n.values) {
        if (!v.quoted && env_.lists.count(v.text)) {
          if (!expand(v.text, vals, 0)) return false;
        } else if (n.bare_list_ref) {
          return fail("unknown-list", fmt::format("undefined list '{}'", v.text));
        } else {
          vals.push_back(v.text);
        }
      }
    } else {
      if (n.values.size() != 1) return fail("invalid-constant", "expected one value");
      vals.push_back(n.values[0].text);
    }
    return compile_constants(n, c, vals);
  }

  bool bad_op(const AstNode& n, const Check& c) {
    return fail("invalid-operator",
                fmt::format("operator '{}' cannot be used with {} field '{}'", op_name(c.op),
                            field_type_name(c.value_type), n.field));
  }

  bool compile_constants(const AstNode& n, Check& c, std::vector<std::string>& vals) {
    const bool is_list = op_takes_list(c.op);
    switch (c.value_type) {
      case FieldType::kInt:
      case FieldType::kBool: {
        switch (c.op) {
          case Op::kEq:
          case Op::kNe:
          case Op::kIn:
          case Op::kIntersects:
            break;
          case Op::kLt:
          case Op::kLe:
          case Op::kGt:
          case Op::kGe:
            if (c.value_type == FieldType::kInt) break;
            return bad_op(n, c);
          default:
            return bad_op(n, c);
        }
        for (const auto& v : vals) {
          int64_t x = 0;
          bool ok = c.value_type == FieldType::kInt ? parse_int(v, x) : parse_bool(v, x);
          if (!ok) {
            return fail("invalid-constant",
                        fmt::format("'{}' is not a valid {} for field '{}'", v,
                                    c.value_type == FieldType::kInt ? "number" : "bool", n.field));
          }
          c.nums.push_back(x);
        }
        return true;
      }
      case FieldType::kIp:
        if (c.op == Op::kEq || c.op == Op::kNe || c.op == Op::kIn || c.op == Op::kIntersects) {
          for (const auto& v : vals) {
            Cidr net;
            if (!parse_cidr(v, net)) {
              return fail(
                  "invalid-constant",
                  fmt::format("'{}' is not an IP address or network for field '{}'", v, n.field));
            }
            c.nets.push_back(net);
          }
          return true;
        }
        if (c.op == Op::kLt || c.op == Op::kLe || c.op == Op::kGt || c.op == Op::kGe) {
          return bad_op(n, c);
        }
        break;  // string operators on the address text
      case FieldType::kString:
        if (c.op == Op::kLt || c.op == Op::kLe || c.op == Op::kGt || c.op == Op::kGe) {
          return bad_op(n, c);
        }
        break;
    }
    // String constants.
    switch (c.op) {
      case Op::kIContains:
      case Op::kIGlob:
        for (auto& v : vals) c.strs.push_back(lower(v));
        break;
      case Op::kRegex:
        for (auto& v : vals) {
          RE2::Options opts;
          opts.set_log_errors(false);
          opts.set_max_mem(1 << 20);  // per regex; hostile rule files cannot exhaust memory
          auto re = std::make_shared<RE2>(v, opts);
          if (!re->ok()) {
            return fail("invalid-constant", fmt::format("invalid regex '{}': {}", v, re->error()));
          }
          c.regexes.push_back(std::move(re));
        }
        break;
      case Op::kBContains:
      case Op::kBStartsWith:
        for (auto& v : vals) {
          std::string bytes;
          if (v.size() % 2 != 0) return fail("invalid-constant", "bcontains needs hex bytes");
          for (size_t i = 0; i < v.size(); i += 2) {
            int hi = std::isxdigit(static_cast<unsigned char>(v[i])) ? 1 : 0;
            int lo = std::isxdigit(static_cast<unsigned char>(v[i + 1])) ? 1 : 0;
            if (!hi || !lo) return fail("invalid-constant", fmt::format("'{}' is not hex", v));
            bytes.push_back(static_cast<char>(std::stoi(v.substr(i, 2), nullptr, 16)));
          }
          c.strs.push_back(std::move(bytes));
        }
        break;
      case Op::kPmatch:
        for (auto& v : vals) {
          std::string p = v;
          while (p.size() > 1 && p.back() == '/') p.pop_back();
          c.strs_glob.push_back(p.find_first_of("*?[") != std::string::npos);
          c.strs.push_back(std::move(p));
        }
        break;
      default:
        if (is_list) {
          c.len_mask = 0;
          for (const auto& v : vals) c.len_mask |= uint64_t{1} << (v.size() & 63);
        }
        if (is_list && vals.size() > kSetThreshold) {
          for (auto& v : vals) c.str_set.insert(std::move(v));
        } else {
          c.strs = std::move(vals);
        }
    }
    // evt.type fast path.
    if (c.field.def->name == "evt.type" && c.transforms.empty() &&
        (c.op == Op::kEq || c.op == Op::kNe || c.op == Op::kIn || c.op == Op::kIntersects)) {
      TypeMask m = 0;
      bool all_known = true;
      auto add = [&](std::string_view name) {
        int id = event_type_id(name);
        if (id == kOtherTypeId) all_known = false;
        m |= TypeMask{1} << id;
      };
      for (const auto& s : c.strs) add(s);
      for (const auto& s : c.str_set) add(s);
      c.type_mask = m;
      c.type_fast = all_known;
    }
    return true;
  }

  CompileEnv& env_;
  CompileError& err_;
  std::vector<std::string> macro_stack_, list_stack_;
  size_t checks_ = 0;
  int depth_ = 0;
};

struct TypeInfo {
  TypeMask mask = kAllTypes;
  bool exact = false;
};

TypeInfo type_info(const FilterNode& n) {
  switch (n.kind) {
    case FilterNode::Kind::kConst:
      return {n.const_value ? kAllTypes : 0, true};
    case FilterNode::Kind::kAnd: {
      TypeInfo r{kAllTypes, true};
      for (const auto& c : n.children) {
        TypeInfo t = type_info(c);
        r.mask &= t.mask;
        r.exact = r.exact && t.exact;
      }
      return r;
    }
    case FilterNode::Kind::kOr: {
      TypeInfo r{0, true};
      for (const auto& c : n.children) {
        TypeInfo t = type_info(c);
        r.mask |= t.mask;
        r.exact = r.exact && t.exact;
      }
      return r;
    }
    case FilterNode::Kind::kNot: {
      TypeInfo t = type_info(n.children[0]);
      if (!t.exact) return {kAllTypes, false};
      return {~t.mask, true};
    }
    case FilterNode::Kind::kCheck: {
      const Check& c = *n.check;
      if (c.field.def->name != "evt.type" || !c.transforms.empty()) return {kAllTypes, false};
      if (c.op != Op::kEq && c.op != Op::kNe && c.op != Op::kIn && c.op != Op::kIntersects) {
        return {kAllTypes, false};
      }
      TypeMask m = 0;
      for (const auto& s : c.strs) m |= TypeMask{1} << event_type_id(s);
      for (const auto& s : c.str_set) m |= TypeMask{1} << event_type_id(s);
      if (!c.type_fast) {
        // Unknown names land in the "other" bucket: matching is still exact per event, but a
        // complement would be wrong, so the set is not exact.
        return {c.op == Op::kNe ? kAllTypes : m, false};
      }
      return {c.op == Op::kNe ? ~m : m, true};
    }
  }
  return {};
}

}  // namespace

bool compile_condition(const AstNode& root, CompileEnv& env, std::unique_ptr<Filter>& out,
                       CompileError& err) {
  Compiler c(env, err);
  FilterNode node;
  if (!c.compile(root, node)) return false;
  TypeMask types = type_info(node).mask;
  out = std::make_unique<Filter>(std::move(node), types);
  return true;
}

bool expand_list(const std::string& name, CompileEnv& env, std::vector<std::string>& out,
                 CompileError& err) {
  Compiler c(env, err);
  return c.expand(name, out, 0);
}

}  // namespace hivesec::runtime::rules
