// Recursive-descent parser for the grammar in parser.h. Depth is counted on every "(" and "not"
// so hostile input cannot exhaust the stack.
#include "runtime/rules/parser.h"

#include <array>

namespace hivesec::runtime::rules {

std::string_view op_name(Op op) {
  static constexpr std::array<std::string_view, 19> kNames = {
      "=",         "!=",        "<",          "<=",          ">",        ">=",   "contains",
      "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob",
      "regex",     "in",        "intersects", "pmatch",      "exists"};
  return kNames[static_cast<size_t>(op)];
}

AstPtr clone_ast(const AstNode& n) {
  auto c = std::make_unique<AstNode>();
  c->kind = n.kind;
  c->pos = n.pos;
  for (const auto& ch : n.children) c->children.push_back(clone_ast(*ch));
  c->field = n.field;
  c->field_arg = n.field_arg;
  c->transformers = n.transformers;
  c->op = n.op;
  c->values = n.values;
  c->bare_list_ref = n.bare_list_ref;
  c->name = n.name;
  return c;
}

namespace {

constexpr size_t kMaxValueBytes = 4096;
constexpr size_t kMaxListValues = 10000;

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct WordOp {
  std::string_view word;
  Op op;
};
constexpr std::array<WordOp, 13> kWordOps = {{{"exists", Op::kExists},
                                              {"contains", Op::kContains},
                                              {"icontains", Op::kIContains},
                                              {"bcontains", Op::kBContains},
                                              {"startswith", Op::kStartsWith},
                                              {"bstartswith", Op::kBStartsWith},
                                              {"endswith", Op::kEndsWith},
                                              {"glob", Op::kGlob},
                                              {"iglob", Op::kIGlob},
                                              {"regex", Op::kRegex},
                                              {"in", Op::kIn},
                                              {"intersects", Op::kIntersects},
                                              {"pmatch", Op::kPmatch}}};
constexpr std::array<std::string_view, 5> kTransformers = {"tolower", "toupper", "basename", "len",
                                                           "b64"};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<AstPtr> run() {
    auto r = parse_or();
    if (!r.ok()) return r;
    skip_ws();
    if (i_ < s_.size()) return err("unexpected '{}'", preview());
    return r;
  }

 private:
  template <typename... Args>
  Error err(fmt::format_string<Args...> f, Args&&... args) {
    return Error{
        Errc::kInvalidArgument,
        fmt::format("{} at column {}", fmt::format(f, std::forward<Args>(args)...), i_ + 1)};
  }

  std::string preview() const {
    std::string_view rest = s_.substr(i_, 20);
    size_t sp = 0;
    while (sp < rest.size() && !is_space(rest[sp])) ++sp;
    return std::string(rest.substr(0, sp == 0 ? 1 : sp));
  }

  void skip_ws() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }

  // True (and consumes) when the keyword is next and not followed by an identifier character.
  bool accept_word(std::string_view w) {
    skip_ws();
    if (s_.substr(i_, w.size()) != w) return false;
    size_t end = i_ + w.size();
    if (end < s_.size() && is_ident_char(s_[end])) return false;
    i_ = end;
    return true;
  }

  Result<AstPtr> parse_or() {
    HIVESEC_TRY(auto first, parse_and());
    if (!peek_word("or")) return first;
    auto node = std::make_unique<AstNode>();
    node->kind = AstNode::Kind::kOr;
    node->pos = first->pos;
    node->children.push_back(std::move(first));
    while (accept_word("or")) {
      HIVESEC_TRY(auto next, parse_and());
      node->children.push_back(std::move(next));
    }
    return node;
  }

  Result<AstPtr> parse_and() {
    HIVESEC_TRY(auto first, parse_not());
    if (!peek_word("and")) return first;
    auto node = std::make_unique<AstNode>();
    node->kind = AstNode::Kind::kAnd;
    node->pos = first->pos;
    node->children.push_back(std::move(first));
    while (accept_word("and")) {
      HIVESEC_TRY(auto next, parse_not());
      node->children.push_back(std::move(next));
    }
    return node;
  }

  bool peek_word(std::string_view w) {
    size_t save = i_;
    bool ok = accept_word(w);
    i_ = save;
    return ok;
  }

  Result<AstPtr> parse_not() {
    skip_ws();
    size_t pos = i_;
    if (accept_word("not")) {
      if (++depth_ > kMaxParseDepth) {
        return Error{Errc::kLimit,
                     fmt::format("condition nests deeper than {} levels", kMaxParseDepth)};
      }
      HIVESEC_TRY(auto inner, parse_not());
      --depth_;
      auto node = std::make_unique<AstNode>();
      node->kind = AstNode::Kind::kNot;
      node->pos = pos;
      node->children.push_back(std::move(inner));
      return node;
    }
    return parse_primary();
  }

  Result<AstPtr> parse_primary() {
    skip_ws();
    if (i_ >= s_.size()) return err("unexpected end of condition");
    size_t pos = i_;
    if (s_[i_] == '(') {
      if (++depth_ > kMaxParseDepth) {
        return Error{Errc::kLimit,
                     fmt::format("condition nests deeper than {} levels", kMaxParseDepth)};
      }
      ++i_;
      HIVESEC_TRY(auto inner, parse_or());
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ')') return err("expected ')'");
      ++i_;
      --depth_;
      return inner;
    }
    if (!is_ident_start(s_[i_])) return err("expected a field or macro name, got '{}'", preview());
    auto node = std::make_unique<AstNode>();
    node->pos = pos;
    HIVESEC_TRY_STATUS(parse_field_expr(*node, 0));
    skip_ws();
    bool has_op = parse_operator(node->op);
    if (!has_op) {
      bool plain = node->transformers.empty() && !node->field_arg &&
                   node->field.find('.') == std::string::npos;
      if (!plain) {
        i_ = std::min(i_, s_.size());
        return err("expected an operator after '{}'", node->field);
      }
      if (node->field == "and" || node->field == "or") {
        i_ = pos;
        return err("unexpected '{}'", node->field);
      }
      node->kind = AstNode::Kind::kMacro;
      node->name = std::move(node->field);
      node->field.clear();
      return node;
    }
    node->kind = AstNode::Kind::kCheck;
    if (node->op == Op::kExists) return node;
    skip_ws();
    if (op_takes_list(node->op)) {
      if (i_ < s_.size() && s_[i_] == '(') {
        HIVESEC_TRY_STATUS(parse_list(node->values));
      } else if (i_ < s_.size() && is_ident_start(s_[i_])) {
        size_t start = i_;
        while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
        node->values.push_back(AstValue{std::string(s_.substr(start, i_ - start)), false});
        node->bare_list_ref = true;
      } else {
        return err("expected '(' or a list name after '{}'", op_name(node->op));
      }
      return node;
    }
    AstValue v;
    HIVESEC_TRY_STATUS(parse_value(v, false));
    node->values.push_back(std::move(v));
    return node;
  }

  // field_expr = transformer "(" field_expr ")" | field
  Status parse_field_expr(AstNode& node, int depth) {
    if (depth > 8) return err("too many nested transformers");
    size_t start = i_;
    while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
    std::string_view name = s_.substr(start, i_ - start);
    size_t save = i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '(') {
      bool is_tr = false;
      for (auto t : kTransformers) is_tr = is_tr || t == name;
      if (!is_tr) {
        i_ = start;
        return err("unknown transformer '{}'", name);
      }
      ++i_;
      node.transformers.emplace_back(name);
      skip_ws();
      if (i_ >= s_.size() || !is_ident_start(s_[i_])) return err("expected a field");
      HIVESEC_TRY_STATUS(parse_field_expr(node, depth + 1));
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ')') return err("expected ')' after transformer argument");
      ++i_;
      return ok_status();
    }
    i_ = save;
    node.field = std::string(name);
    if (i_ < s_.size() && s_[i_] == '[') {
      size_t close = s_.find(']', i_ + 1);
      if (close == std::string_view::npos) return err("missing ']'");
      if (close - i_ - 1 > kMaxValueBytes) return Error{Errc::kLimit, "field argument too long"};
      node.field_arg = std::string(s_.substr(i_ + 1, close - i_ - 1));
      i_ = close + 1;
    }
    return ok_status();
  }

  bool parse_operator(Op& op) {
    std::string_view rest = s_.substr(i_);
    struct Sym {
      std::string_view text;
      Op op;
    };
    static constexpr std::array<Sym, 7> kSyms = {{{"==", Op::kEq},
                                                  {"!=", Op::kNe},
                                                  {"<=", Op::kLe},
                                                  {">=", Op::kGe},
                                                  {"=", Op::kEq},
                                                  {"<", Op::kLt},
                                                  {">", Op::kGt}}};
    for (const auto& s : kSyms) {
      if (rest.starts_with(s.text)) {
        i_ += s.text.size();
        op = s.op;
        return true;
      }
    }
    for (const auto& w : kWordOps) {
      if (accept_word(w.word)) {
        op = w.op;
        return true;
      }
    }
    return false;
  }

  Status parse_list(std::vector<AstValue>& out) {
    ++i_;  // '('
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ')') {
      ++i_;
      return ok_status();
    }
    while (true) {
      AstValue v;
      HIVESEC_TRY_STATUS(parse_value(v, true));
      if (out.size() >= kMaxListValues) {
        return Error{Errc::kLimit, fmt::format("list has more than {} values", kMaxListValues)};
      }
      out.push_back(std::move(v));
      skip_ws();
      if (i_ >= s_.size()) return err("missing ')' at end of list");
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] == ')') {
        ++i_;
        return ok_status();
      }
      return err("expected ',' or ')' in list, got '{}'", preview());
    }
  }

  Status parse_value(AstValue& v, bool in_list) {
    skip_ws();
    if (i_ >= s_.size()) return err("expected a value");
    char q = s_[i_];
    if (q == '"' || q == '\'') {
      ++i_;
      v.quoted = true;
      while (true) {
        if (i_ >= s_.size()) return err("unterminated string");
        char c = s_[i_++];
        if (c == q) break;
        if (c == '\\' && i_ < s_.size() && (s_[i_] == q || s_[i_] == '\\')) c = s_[i_++];
        v.text.push_back(c);
        if (v.text.size() > kMaxValueBytes) return Error{Errc::kLimit, "value too long"};
      }
      return ok_status();
    }
    size_t start = i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_space(c) || c == '(' || c == ')' || c == '"' || c == '\'') break;
      if (in_list && c == ',') break;
      ++i_;
    }
    if (i_ == start) return err("expected a value, got '{}'", preview());
    if (i_ - start > kMaxValueBytes) return Error{Errc::kLimit, "value too long"};
    v.text = std::string(s_.substr(start, i_ - start));
    return ok_status();
  }

  std::string_view s_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

bool op_from_name(std::string_view text, Op& out) {
  if (text == "==") {
    out = Op::kEq;
    return true;
  }
  for (size_t i = 0; i <= static_cast<size_t>(Op::kExists); ++i) {
    if (op_name(static_cast<Op>(i)) == text) {
      out = static_cast<Op>(i);
      return true;
    }
  }
  return false;
}

Result<AstPtr> parse_condition(std::string_view text) {
  if (text.size() > kMaxConditionBytes) {
    return make_error(Errc::kLimit, "condition longer than {} bytes", kMaxConditionBytes);
  }
  Parser p(text);
  return p.run();
}

}  // namespace hivesec::runtime::rules
