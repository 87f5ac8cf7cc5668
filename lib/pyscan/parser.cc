// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Recursive-descent parser for Python 3 statements and expressions. It builds
// the small tree in syntax.h, decodes string literals (f-string replacement
// fields are parsed as expressions) and records every call site.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "lib/pyscan/syntax.h"

namespace leastpriv::pyscan {
namespace {

// Equality with a literal, byte by byte: once inlined at a call site the
// loop unrolls into a few compares, where std::string_view's operator==
// calls memcmp. The parser tests token text against literals constantly.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool TextIs(std::string_view text,
                                                std::string_view literal) {
  if (text.size() != literal.size()) return false;
  for (size_t i = 0; i < literal.size(); ++i) {
    if (text[i] != literal[i]) return false;
  }
  return true;
}

// Called for nearly every name token: dispatches on the first byte so that
// most names are rejected without any comparison.
bool IsKeyword(std::string_view s) {
  if (s.size() < 2 || s.size() > 8) return false;
  switch (s[0]) {
    case 'F':
      return TextIs(s, "False");
    case 'N':
      return TextIs(s, "None");
    case 'T':
      return TextIs(s, "True");
    case 'a':
      return TextIs(s, "and") || TextIs(s, "as") || TextIs(s, "assert") ||
             TextIs(s, "async") || TextIs(s, "await");
    case 'b':
      return TextIs(s, "break");
    case 'c':
      return TextIs(s, "class") || TextIs(s, "continue");
    case 'd':
      return TextIs(s, "def") || TextIs(s, "del");
    case 'e':
      return TextIs(s, "elif") || TextIs(s, "else") || TextIs(s, "except");
    case 'f':
      return TextIs(s, "finally") || TextIs(s, "for") || TextIs(s, "from");
    case 'g':
      return TextIs(s, "global");
    case 'i':
      return TextIs(s, "if") || TextIs(s, "import") || TextIs(s, "in") ||
             TextIs(s, "is");
    case 'l':
      return TextIs(s, "lambda");
    case 'n':
      return TextIs(s, "nonlocal") || TextIs(s, "not");
    case 'o':
      return TextIs(s, "or");
    case 'p':
      return TextIs(s, "pass");
    case 'r':
      return TextIs(s, "raise") || TextIs(s, "return");
    case 't':
      return TextIs(s, "try");
    case 'w':
      return TextIs(s, "while") || TextIs(s, "with");
    case 'y':
      return TextIs(s, "yield");
    default:
      return false;
  }
}

// Appends the UTF-8 encoding of code point `cp`.
void AppendUtf8(unsigned cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes backslash escapes of a non-raw literal body. Text between
// backslashes is appended a run at a time (docstrings are long and most
// have no escape at all).
std::string DecodeEscapes(std::string_view body) {
  size_t i = body.find('\\');
  if (i == std::string_view::npos) return std::string(body);
  std::string out;
  out.reserve(body.size());
  out.append(body.data(), i);
  for (; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      size_t next = body.find('\\', i);
      if (next == std::string_view::npos) next = body.size();
      out.append(body.data() + i, next - i);
      i = next - 1;
      continue;
    }
    if (i + 1 >= body.size()) {
      out.push_back(c);
      continue;
    }
    char n = body[++i];
    switch (n) {
      case '\n':
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case '\\':
      case '\'':
      case '"':
        out.push_back(n);
        break;
      case 'x':
      case 'u':
      case 'U': {
        int len = n == 'x' ? 2 : n == 'u' ? 4 : 8;
        unsigned cp = 0;
        int got = 0;
        while (got < len && i + 1 < body.size() && isxdigit(body[i + 1])) {
          char h = body[++i];
          cp = cp * 16 + (isdigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
          ++got;
        }
        AppendUtf8(cp, &out);
        break;
      }
      default:
        out.push_back('\\');
        out.push_back(n);
    }
  }
  return out;
}

int InvalidUtf8Line(std::string_view s, int* col);

class Parser {
 public:
  Parser(Module* module, const ParseLimits& limits)
      : module_(module),
        limits_(limits),
        names_(limits.names),
        tokens_(std::move(SpareTokens())) {
    tokens_.clear();
    if (names_ == nullptr) {
      if (module->own_names == nullptr) {
        // The module's own, used by the thread parsing it alone.
        module->own_names = std::make_unique<NameTable>(/*one_thread=*/true);
      }
      names_ = module->own_names.get();
    }
  }

  // Parses the module; statements that fail are skipped (see Recover) and
  // the rest of the module is still parsed. Returns false when anything
  // failed, with *error the first tokenizer error if any, else the first
  // statement that failed.
  // With `check_utf8`, a name or string holding invalid UTF-8 is an error
  // token (the statement holding it fails).
  bool ParseFile(std::string_view source, bool check_utf8, SyntaxError* error) {
    SyntaxError token_error;
    bool tokenized =
        Tokenize(source, limits_.tokenizer, &tokens_, &token_error);
    if (check_utf8) {
      for (Token& t : tokens_) {
        int col = 0;
        if ((t.kind == TokenKind::kName || t.kind == TokenKind::kString) &&
            InvalidUtf8Line(t.text, &col) != 0) {
          t.kind = TokenKind::kError;
        }
      }
    }
    while (Cur().kind != TokenKind::kEnd) {
      if (Cur().kind == TokenKind::kNewline) {
        ++pos_;
        continue;
      }
      size_t start = pos_;
      if (!ParseStatementOrRecover(&module_->body) && pos_ == start &&
          Cur().kind != TokenKind::kEnd) {
        ++pos_;  // a stray unindent at module level
      }
    }
    if (!tokenized) {
      *error = token_error;
      return false;
    }
    if (failed_) {
      *error = first_error_;
      return false;
    }
    return true;
  }

  // Parses one f-string replacement field expression; nullptr on failure.
  Expr* ParseFieldExpr(std::string_view text, int line, int col) {
    // The field's tokens go to a list of their own, the one the last field
    // used (a field within a field, to a new one).
    std::vector<Token> saved = std::move(tokens_);
    const bool outermost = !in_field_;
    tokens_ = outermost ? std::move(field_tokens_) : std::vector<Token>();
    tokens_.clear();
    in_field_ = true;
    size_t saved_pos = pos_;
    pos_ = 0;
    SyntaxError err;
    Expr* e = nullptr;
    if (!Tokenize(text, limits_.tokenizer, &tokens_, &err, line, col, true)) {
      error_ = err;
    } else {
      e = IsOp("yield") ? ParseYield() : ParseStarOrTestList();
      if (e != nullptr) {
        if (IsOp("=")) ++pos_;  // f"{x=}"
        if (Cur().kind != TokenKind::kEnd) {
          SetError(Cur(), "f-string: expecting '}'");
          e = nullptr;
        }
      }
    }
    if (outermost) {
      in_field_ = false;
      field_tokens_ = std::move(tokens_);
    }
    tokens_ = std::move(saved);
    pos_ = saved_pos;
    return e;
  }

 private:
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Peek(size_t n = 1) const {
    size_t p = pos_ + n;
    return p < tokens_.size() ? tokens_[p] : tokens_.back();
  }
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool IsOp(std::string_view s) const {
    const Token& t = Cur();
    return (t.kind == TokenKind::kOp || t.kind == TokenKind::kName) &&
           !s.empty() && TextIs(t.text, s);
  }
  bool IsName() const {
    return Cur().kind == TokenKind::kName && !IsKeyword(Cur().text);
  }

  // Records the failure of the construct being parsed; callers return
  // false or nullptr up to the statement list, which records the first
  // failure and recovers (see Recover).
  void SetError(const Token& t, std::string message) {
    error_.line = t.line;
    error_.col = t.col;
    error_.message = std::move(message);
  }
  bool Fail(const Token& t, std::string message) {
    SetError(t, std::move(message));
    return false;
  }
  bool Expect(std::string_view s) {
    if (!IsOp(s)) {
      if (Cur().kind == TokenKind::kNewline || Cur().kind == TokenKind::kEnd) {
        return Fail(Cur(), absl::StrCat("expected '", std::string(s), "'"));
      }
      return Fail(Cur(),
                  absl::StrCat("invalid syntax: expected '", std::string(s),
                               "' before '", std::string(Cur().text), "'"));
    }
    ++pos_;
    return true;
  }
  bool ExpectName(std::string* name) {
    if (!IsName()) return Fail(Cur(), "invalid syntax: expected a name");
    *name = std::string(tokens_[pos_++].text);
    return true;
  }
  bool ExpectName(Name* name) {
    if (!IsName()) return Fail(Cur(), "invalid syntax: expected a name");
    *name = Intern(tokens_[pos_++].text);
    return true;
  }
  Name Intern(std::string_view text) { return names_->Intern(text); }
  const ImportName* InternImport(const ImportName& n) {
    return names_->InternImport(n);
  }
  // Skips a name where one is required and its text is not needed.
  bool ExpectName() {
    if (!IsName()) return Fail(Cur(), "invalid syntax: expected a name");
    ++pos_;
    return true;
  }

  // Counts one level of nesting for its lifetime; ok() is false (and the
  // error set) past ParseLimits::max_nesting.
  class DepthGuard {
   public:
    DepthGuard(Parser* p, const Token& t) : p_(p) {
      ok_ = ++p->depth_ <= p->limits_.max_nesting;
      if (!ok_) p->SetError(t, "too many nested expressions or statements");
    }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    ~DepthGuard() { --p_->depth_; }
    bool ok() const { return ok_; }

   private:
    Parser* p_;
    bool ok_;
  };

  // Parses a statement into *out; when it fails, its call sites are
  // dropped (unless part of it was kept, see the `try` statement) and the
  // parser recovers. Returns whether it parsed.
  bool ParseStatementOrRecover(StmtList* out) {
    size_t calls = module_->calls.size();
    size_t kept = out->size();
    if (ParseStatement(out)) return true;
    if (out->size() == kept) module_->calls.resize(calls);
    Recover();
    return false;
  }

  // After a statement failed at pos_: keeps its error if it is the first,
  // then skips to the start of the next statement at the same indentation
  // (past the end of the logical line and any block that follows it),
  // stopping before the unindent that ends the enclosing block.
  void Recover() {
    if (!failed_) {
      failed_ = true;
      first_error_ = error_;
    }
    int depth = 0;
    while (true) {
      TokenKind kind = Cur().kind;
      if (kind == TokenKind::kEnd) return;
      if (kind == TokenKind::kDedent) {
        if (depth == 0) return;
        --depth;
        ++pos_;
        if (depth == 0) return;
        continue;
      }
      if (kind == TokenKind::kIndent) ++depth;
      ++pos_;
      if (kind == TokenKind::kNewline && depth == 0 &&
          Cur().kind != TokenKind::kIndent) {
        return;
      }
    }
  }

  Expr* NewExpr(Expr::Kind kind, int line) {
    // A name, a number, a constant or a string has no sub-expressions.
    const bool leaf = kind == Expr::Kind::kName ||
                      kind == Expr::Kind::kNumber ||
                      kind == Expr::Kind::kConst || kind == Expr::Kind::kString;
    Expr* e = leaf ? module_->leaf_arena.New()
                   : static_cast<Expr*>(module_->expr_arena.New());
    e->kind = kind;
    e->line = line;
    return e;
  }
  Stmt* NewStmt(Stmt::Kind kind, int line) {
    // An expression statement, an assignment or a return has only targets
    // and a value (see Stmt::is_simple).
    const bool simple =
        kind == Stmt::Kind::kExpr || kind == Stmt::Kind::kAssign ||
        kind == Stmt::Kind::kAugAssign || kind == Stmt::Kind::kReturn;
    Stmt* s = simple ? module_->simple_stmt_arena.New()
                     : static_cast<Stmt*>(module_->stmt_arena.New());
    s->kind = kind;
    s->line = line;
    return s;
  }

  bool CanStartExpr() const {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kName:
        return !IsKeyword(t.text) || TextIs(t.text, "not") ||
               TextIs(t.text, "lambda") || TextIs(t.text, "await") ||
               TextIs(t.text, "None") || TextIs(t.text, "True") ||
               TextIs(t.text, "False") || TextIs(t.text, "yield");
      case TokenKind::kNumber:
      case TokenKind::kString:
        return true;
      case TokenKind::kOp:
        return TextIs(t.text, "(") || TextIs(t.text, "[") ||
               TextIs(t.text, "{") || TextIs(t.text, "-") ||
               TextIs(t.text, "+") || TextIs(t.text, "~") ||
               TextIs(t.text, "*") || TextIs(t.text, "...") ||
               TextIs(t.text, "**");
      default:
        return false;
    }
  }

  // ---------------------------------------------------------------- statements

  // Each Parse* below returns false (statements) or nullptr (expressions)
  // when it fails, with error_ set.
  bool ParseStatement(StmtList* out) {
    DepthGuard guard(this, Cur());
    if (!guard.ok()) return false;
    const Token& t = Cur();
    if (t.kind == TokenKind::kIndent) return Fail(t, "unexpected indent");
    if (t.kind == TokenKind::kDedent) return Fail(t, "unexpected unindent");
    if (t.kind == TokenKind::kName) {
      std::string_view w = t.text;
      if (TextIs(w, "def") || TextIs(w, "class") || TextIs(w, "if") ||
          TextIs(w, "while") || TextIs(w, "for") || TextIs(w, "try") ||
          TextIs(w, "with") || TextIs(w, "async")) {
        return ParseCompound(out, {});
      }
      if (TextIs(w, "match")) {
        bool is_match = false;
        bool ok = TryParseMatch(out, &is_match);
        if (is_match) return ok;
      }
    }
    if (IsOp("@")) {
      std::vector<Expr*> decorators;
      while (IsOp("@")) {
        ++pos_;
        Expr* d = ParseNamedExpr();
        if (d == nullptr || !ExpectNewline()) return false;
        decorators.push_back(d);
      }
      if (!IsOp("def") && !IsOp("class") && !IsOp("async")) {
        return Fail(Cur(),
                    "invalid syntax: expected 'def' or 'class' after a "
                    "decorator");
      }
      return ParseCompound(out, decorators);
    }
    return ParseSimpleStatements(out);
  }

  bool ExpectNewline() {
    if (Cur().kind == TokenKind::kNewline) {
      ++pos_;
      return true;
    }
    if (Cur().kind == TokenKind::kEnd) return true;
    return Fail(Cur(), absl::StrCat("invalid syntax near '",
                                    std::string(Cur().text), "'"));
  }

  bool ParseSimpleStatements(StmtList* out) {
    const Token& first = Cur();
    if (first.kind == TokenKind::kName &&
        (TextIs(first.text, "print") || TextIs(first.text, "exec")) &&
        (Peek().kind == TokenKind::kString || Peek().kind == TokenKind::kName ||
         Peek().kind == TokenKind::kNumber)) {
      return Fail(Peek(), absl::StrCat("missing parentheses in call to '",
                                       std::string(first.text),
                                       "' (a Python 2 statement)"));
    }
    while (true) {
      if (!ParseSmallStatement(out)) return false;
      if (IsOp(";")) {
        ++pos_;
        if (Cur().kind == TokenKind::kNewline || Cur().kind == TokenKind::kEnd)
          break;
        continue;
      }
      break;
    }
    return ExpectNewline();
  }

  // A type parameter list (`def f[T: int](...)`, `class C[T]`, Python
  // 3.12): names and bounds the analysis has no use for.
  bool SkipTypeParams() {
    if (!IsOp("[")) return true;
    int depth = 0;
    do {
      if (Cur().kind == TokenKind::kEnd) return Fail(Cur(), "unclosed '['");
      if (IsOp("[")) ++depth;
      if (IsOp("]")) --depth;
      ++pos_;
    } while (depth > 0);
    return true;
  }

  // The right-hand side of an assignment: a yield or an expression list.
  Expr* ParseAssignedValue() {
    return IsOp("yield") ? ParseYield() : ParseStarOrTestList();
  }

  bool ParseSmallStatement(StmtList* out) {
    const Token& t = Cur();
    int line = t.line;
    if (t.kind == TokenKind::kName) {
      std::string_view w = t.text;
      // `type Name[params] = value` (Python 3.12): an assignment to Name.
      if (TextIs(w, "type") && Peek().kind == TokenKind::kName &&
          (TextIs(Peek(2).text, "=") || TextIs(Peek(2).text, "["))) {
        ++pos_;
        Expr* target = NewExpr(Expr::Kind::kName, Cur().line);
        if (!ExpectName(&target->mutable_name()) || !SkipTypeParams() ||
            !Expect("=")) {
          return false;
        }
        Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
        s->targets.push_back(target);
        s->value = ParseTest();
        if (s->value == nullptr) return false;
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "pass") || TextIs(w, "break") || TextIs(w, "continue")) {
        ++pos_;
        return true;
      }
      if (TextIs(w, "return")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kReturn, line);
        if (CanStartExpr()) {
          s->value = ParseStarOrTestList();
          if (s->value == nullptr) return false;
        }
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "raise")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        if (CanStartExpr()) {
          if (!PushTest(&s->targets)) return false;
          if (IsOp("from")) {
            ++pos_;
            if (!PushTest(&s->targets)) return false;
          }
        }
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "global") || TextIs(w, "nonlocal")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kGlobal, line);
        s->mutable_name() = Intern(w);
        while (true) {
          Expr* n = NewExpr(Expr::Kind::kName, Cur().line);
          if (!ExpectName(&n->mutable_name())) return false;
          s->targets.push_back(n);
          if (!IsOp(",")) break;
          ++pos_;
        }
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "del")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        Expr* e = ParseExprList(5);
        if (e == nullptr) return false;
        s->targets.push_back(e);
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "assert")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        if (!PushTest(&s->targets)) return false;
        if (IsOp(",")) {
          ++pos_;
          if (!PushTest(&s->targets)) return false;
        }
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "import")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kImport, line);
        while (true) {
          ImportName n;
          std::string module;
          if (!ParseDotted(&module)) return false;
          n.module = Intern(module);
          if (IsOp("as")) {
            ++pos_;
            if (!ExpectName(&n.asname)) return false;
          }
          s->mutable_imports().push_back(InternImport(n));
          if (!IsOp(",")) break;
          ++pos_;
        }
        out->push_back(s);
        return true;
      }
      if (TextIs(w, "from")) {
        ++pos_;
        int level = 0;
        while (IsOp(".") || IsOp("...")) {
          level += Cur().text.size();
          ++pos_;
        }
        std::string mod;
        if (!IsOp("import") && !ParseDotted(&mod)) return false;
        if (!Expect("import")) return false;
        Stmt* s = NewStmt(Stmt::Kind::kImport, line);
        if (IsOp("*")) {
          ++pos_;
          ImportName n{Intern(mod), Intern("*"), Name(), level};
          s->mutable_imports().push_back(InternImport(n));
        } else {
          bool paren = IsOp("(");
          if (paren) ++pos_;
          while (true) {
            ImportName n{Intern(mod), Name(), Name(), level};
            if (!ExpectName(&n.name)) return false;
            if (IsOp("as")) {
              ++pos_;
              if (!ExpectName(&n.asname)) return false;
            }
            s->mutable_imports().push_back(InternImport(n));
            if (!IsOp(",")) break;
            ++pos_;
            if (paren && IsOp(")")) break;
          }
          if (paren && !Expect(")")) return false;
        }
        out->push_back(s);
        return true;
      }
    }
    // Expression, assignment, augmented or annotated assignment.
    Expr* first = ParseAssignedValue();
    if (first == nullptr) return false;
    if (IsOp("=")) {
      Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
      s->targets.push_back(first);
      while (IsOp("=")) {
        ++pos_;
        Expr* v = ParseAssignedValue();
        if (v == nullptr) return false;
        if (IsOp("=")) {
          s->targets.push_back(v);
        } else {
          s->value = v;
        }
      }
      out->push_back(s);
      return true;
    }
    if (Cur().kind == TokenKind::kOp && Cur().text.size() >= 2 &&
        Cur().text.back() == '=' && !TextIs(Cur().text, "==") &&
        !TextIs(Cur().text, "<=") && !TextIs(Cur().text, ">=") &&
        !TextIs(Cur().text, "!=")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kAugAssign, line);
      s->targets.push_back(first);
      s->value = ParseAssignedValue();
      if (s->value == nullptr) return false;
      out->push_back(s);
      return true;
    }
    if (IsOp(":")) {
      ++pos_;
      if (ParseTest() == nullptr) return false;  // the annotation
      Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
      s->targets.push_back(first);
      if (IsOp("=")) {
        ++pos_;
        s->value = ParseAssignedValue();
        if (s->value == nullptr) return false;
      }
      out->push_back(s);
      return true;
    }
    Stmt* s = NewStmt(Stmt::Kind::kExpr, line);
    s->value = first;
    out->push_back(s);
    return true;
  }

  // Parses a test and appends it to *list.
  template <typename List>
  bool PushTest(List* list) {
    Expr* e = ParseTest();
    if (e == nullptr) return false;
    list->push_back(e);
    return true;
  }

  bool ParseDotted(std::string* name) {
    if (!ExpectName(name)) return false;
    while (IsOp(".")) {
      ++pos_;
      std::string part;
      if (!ExpectName(&part)) return false;
      *name += ".";
      *name += part;
    }
    return true;
  }

  // A block's statements that fail are skipped (Recover): the block holds
  // the others. False only when the block itself is malformed.
  bool ParseBlock(StmtList* body) {
    if (!Expect(":")) return false;
    if (Cur().kind == TokenKind::kNewline) {
      ++pos_;
      if (Cur().kind != TokenKind::kIndent) {
        return Fail(Cur(), "expected an indented block");
      }
      ++pos_;
      while (Cur().kind != TokenKind::kDedent &&
             Cur().kind != TokenKind::kEnd) {
        ParseStatementOrRecover(body);
      }
      if (Cur().kind == TokenKind::kDedent) ++pos_;
      return true;
    }
    return ParseSimpleStatements(body);
  }

  bool ParseCompound(StmtList* out, const std::vector<Expr*>& decorators) {
    const Token& t = Cur();
    int line = t.line;
    std::string_view w = t.text;
    if (TextIs(w, "async")) {
      ++pos_;
      if (!IsOp("def") && !IsOp("for") && !IsOp("with")) {
        return Fail(Cur(), "invalid syntax after 'async'");
      }
      return ParseCompound(out, decorators);
    }
    if (TextIs(w, "def")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kDef, line);
      s->targets.assign(decorators.begin(), decorators.end());
      if (!ExpectName(&s->mutable_name()) || !SkipTypeParams() ||
          !Expect("(") || !ParseParams(&s->mutable_params(), ")", true) ||
          !Expect(")")) {
        return false;
      }
      if (IsOp("->")) {
        ++pos_;
        if (ParseTest() == nullptr) return false;
      }
      if (!ParseBlock(&s->mutable_body())) return false;
      out->push_back(s);
      return true;
    }
    if (TextIs(w, "class")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kClass, line);
      s->targets.assign(decorators.begin(), decorators.end());
      if (!ExpectName(&s->mutable_name()) || !SkipTypeParams()) return false;
      if (IsOp("(")) {
        ++pos_;
        std::vector<Keyword> keywords;
        if (!ParseArguments(&s->mutable_bases(), &keywords) || !Expect(")")) {
          return false;
        }
      }
      if (!ParseBlock(&s->mutable_body())) return false;
      out->push_back(s);
      return true;
    }
    if (TextIs(w, "if") || TextIs(w, "while")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kBlock, line);
      if (!PushNamedExpr(&s->targets) || !ParseBlock(&s->mutable_body()))
        return false;
      while (TextIs(w, "if") && IsOp("elif")) {
        ++pos_;
        if (!PushNamedExpr(&s->targets) || !ParseBlock(&s->mutable_orelse())) {
          return false;
        }
      }
      if (IsOp("else")) {
        ++pos_;
        if (!ParseBlock(&s->mutable_orelse())) return false;
      }
      out->push_back(s);
      return true;
    }
    if (TextIs(w, "for")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kFor, line);
      Expr* target = ParseExprList(5);
      if (target == nullptr || !Expect("in")) return false;
      s->targets.push_back(target);
      s->value = ParseStarOrTestList();
      if (s->value == nullptr || !ParseBlock(&s->mutable_body())) return false;
      if (IsOp("else")) {
        ++pos_;
        if (!ParseBlock(&s->mutable_orelse())) return false;
      }
      out->push_back(s);
      return true;
    }
    if (TextIs(w, "try")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kBlock, line);
      if (!ParseBlock(&s->mutable_body())) return false;
      // Kept from here on: when a clause fails (a Python 2 `except A, e:`),
      // the body and the clauses before it still count.
      out->push_back(s);
      bool any = false;
      while (IsOp("except")) {
        any = true;
        ++pos_;
        if (IsOp("*")) ++pos_;
        if (!IsOp(":")) {
          if (!PushTest(&s->targets)) return false;
          if (IsOp(",")) {
            return Fail(Cur(),
                        "multiple exception types must be parenthesized");
          }
          if (IsOp("as")) {
            ++pos_;
            if (!ExpectName()) return false;
          }
        }
        if (!ParseBlock(&s->mutable_orelse())) return false;
      }
      if (IsOp("else")) {
        ++pos_;
        if (!ParseBlock(&s->mutable_orelse())) return false;
      }
      if (IsOp("finally")) {
        any = true;
        ++pos_;
        if (!ParseBlock(&s->mutable_orelse())) return false;
      }
      if (!any) return Fail(Cur(), "expected 'except' or 'finally' block");
      return true;
    }
    if (TextIs(w, "with")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kWith, line);
      if (!(IsOp("(") && TryParenthesizedWithItems(s)) &&
          !ParseWithItems(s, false)) {
        return false;
      }
      if (!ParseBlock(&s->mutable_body())) return false;
      out->push_back(s);
      return true;
    }
    return Fail(t, "invalid syntax");
  }

  bool PushNamedExpr(CompactList<Expr*>* list) {
    Expr* e = ParseNamedExpr();
    if (e == nullptr) return false;
    list->push_back(e);
    return true;
  }

  bool ParseWithItems(Stmt* s, bool parenthesized) {
    while (true) {
      Expr* ctx = ParseTest();
      if (ctx == nullptr) return false;
      s->mutable_with_ctx().push_back(ctx);
      Expr* target = nullptr;
      if (IsOp("as")) {
        ++pos_;
        target = ParseExpr(5);
        if (target == nullptr) return false;
      }
      s->mutable_with_targets().push_back(target);
      if (!IsOp(",")) break;
      ++pos_;
      if (parenthesized && IsOp(")")) break;
    }
    return true;
  }

  // `with (a as x, b as y):`; false (nothing consumed) when the parenthesis
  // opens an expression instead.
  bool TryParenthesizedWithItems(Stmt* s) {
    size_t saved_pos = pos_;
    size_t saved_calls = module_->calls.size();
    size_t saved_ctx = s->mutable_with_ctx().size();
    ++pos_;
    if (ParseWithItems(s, true) && Expect(")") && IsOp(":")) return true;
    pos_ = saved_pos;
    module_->calls.resize(saved_calls);
    s->mutable_with_ctx().resize(saved_ctx);
    s->mutable_with_targets().resize(saved_ctx);
    return false;
  }

  // At a `match` name: *is_match is false (nothing consumed) when it starts
  // no match statement (`match = ...`); otherwise parses the statement.
  bool TryParseMatch(StmtList* out, bool* is_match) {
    size_t saved_pos = pos_;
    size_t saved_calls = module_->calls.size();
    int line = Cur().line;
    ++pos_;
    Expr* subject = nullptr;
    if (CanStartExpr()) subject = ParseStarOrTestList();
    if (subject == nullptr || !IsOp(":") ||
        Peek().kind != TokenKind::kNewline ||
        Peek(2).kind != TokenKind::kIndent ||
        Peek(3).kind != TokenKind::kName || !TextIs(Peek(3).text, "case")) {
      pos_ = saved_pos;
      module_->calls.resize(saved_calls);
      *is_match = false;
      return false;
    }
    *is_match = true;
    pos_ += 3;
    Stmt* s = NewStmt(Stmt::Kind::kBlock, line);
    s->targets.push_back(subject);
    while (IsOp("case")) {
      ++pos_;
      // Patterns hold no calls (Cls(...) is a class pattern): skip them.
      int depth = 0;
      while (true) {
        const Token& t = Cur();
        if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kNewline) {
          return Fail(t, "expected ':'");
        }
        if (t.kind == TokenKind::kOp) {
          if (TextIs(t.text, "(") || TextIs(t.text, "[") || TextIs(t.text, "{"))
            ++depth;
          if (TextIs(t.text, ")") || TextIs(t.text, "]") || TextIs(t.text, "}"))
            --depth;
          if (depth == 0 && TextIs(t.text, ":")) break;
        }
        if (depth == 0 && t.kind == TokenKind::kName && TextIs(t.text, "if"))
          break;
        ++pos_;
      }
      if (IsOp("if")) {
        ++pos_;
        if (!PushNamedExpr(&s->targets)) return false;
      }
      if (!ParseBlock(&s->mutable_orelse())) return false;
    }
    if (Cur().kind != TokenKind::kDedent) {
      return Fail(Cur(), "expected 'case' in match statement");
    }
    ++pos_;
    out->push_back(s);
    return true;
  }

  // Parameters of def (annotations allowed) or lambda.
  template <typename ParamList>
  bool ParseParams(ParamList* params, std::string_view end, bool annotations) {
    while (!IsOp(end)) {
      Param p;
      if (IsOp("/")) {
        ++pos_;
      } else {
        if (IsOp("*")) {
          ++pos_;
          p.star = 1;
        } else if (IsOp("**")) {
          ++pos_;
          p.star = 2;
        }
        if (IsName()) {
          p.name = Intern(tokens_[pos_++].text);
          if (annotations && IsOp(":")) {
            ++pos_;
            if (IsOp("*")) ++pos_;
            if (ParseTest() == nullptr) return false;
          }
          if (IsOp("=")) {
            ++pos_;
            p.default_value = ParseTest();
            if (p.default_value == nullptr) return false;
          }
        } else if (p.star != 1) {
          return Fail(Cur(), "invalid syntax in parameter list");
        }
        params->push_back(p);
      }
      if (!IsOp(",")) break;
      ++pos_;
    }
    return true;
  }

  // ----------------------------------------------------------------
  // expressions

  Expr* ParseYield() {
    int line = Cur().line;
    ++pos_;
    Expr* e = NewExpr(Expr::Kind::kOther, line);
    e->mutable_name() = Intern("yield");  // children: the yielded value, if any
    Expr* value = nullptr;
    if (IsOp("from")) {
      ++pos_;
      if ((value = ParseTest()) == nullptr) return nullptr;
    } else if (CanStartExpr()) {
      if ((value = ParseStarOrTestList()) == nullptr) return nullptr;
    }
    if (value != nullptr) e->mutable_children().push_back(value);
    return e;
  }

  // test (',' test)* with optional starred items; a tuple if a comma.
  Expr* ParseStarOrTestList() {
    int line = Cur().line;
    Expr* first = ParseStarOrNamed();
    if (first == nullptr || !IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->mutable_children().push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (!CanStartExpr()) break;
      Expr* e = ParseStarOrNamed();
      if (e == nullptr) return nullptr;
      t->mutable_children().push_back(e);
    }
    return t;
  }

  Expr* ParseStarOrNamed() {
    if (IsOp("*")) {
      int line = Cur().line;
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kStarred, line);
      Expr* value = ParseExpr(5);
      if (value == nullptr) return nullptr;
      e->mutable_children().push_back(value);
      return e;
    }
    return ParseNamedExpr();
  }

  // Targets of for / comprehension: stops before 'in'.
  Expr* ParseExprList(int min_prec) {
    int line = Cur().line;
    auto item = [&]() -> Expr* {
      if (IsOp("*")) {
        int l = Cur().line;
        ++pos_;
        Expr* e = NewExpr(Expr::Kind::kStarred, l);
        Expr* value = ParseExpr(min_prec);
        if (value == nullptr) return nullptr;
        e->mutable_children().push_back(value);
        return e;
      }
      return ParseExpr(min_prec);
    };
    Expr* first = item();
    if (first == nullptr || !IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->mutable_children().push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (!CanStartExpr() || IsOp("in")) break;
      Expr* e = item();
      if (e == nullptr) return nullptr;
      t->mutable_children().push_back(e);
    }
    return t;
  }

  Expr* ParseNamedExpr() {
    Expr* e = ParseTest();
    if (e != nullptr && IsOp(":=")) {
      int line = e->line;
      ++pos_;
      Expr* n = NewExpr(Expr::Kind::kOther, line);
      n->mutable_children().push_back(e);
      if (!PushTest(&n->mutable_children())) return nullptr;
      return n;
    }
    return e;
  }

  Expr* ParseTest() {
    DepthGuard guard(this, Cur());
    if (!guard.ok()) return nullptr;
    if (IsOp("lambda")) return ParseLambda();
    Expr* e = ParseExpr(1);
    if (e != nullptr && IsOp("if")) {
      ++pos_;
      Expr* n = NewExpr(Expr::Kind::kOther, e->line);
      n->mutable_name() = Intern("if");  // children: value, test, alternative
      n->mutable_children().push_back(e);
      Expr* test = ParseExpr(1);
      if (test == nullptr) return nullptr;
      n->mutable_children().push_back(test);
      if (!Expect("else") || !PushTest(&n->mutable_children())) return nullptr;
      return n;
    }
    return e;
  }

  Expr* ParseLambda() {
    int line = Cur().line;
    ++pos_;
    Expr* e = NewExpr(Expr::Kind::kOther, line);
    e->mutable_name() =
        Intern("lambda");  // children: parameter defaults, then the body
    std::vector<Param> params;
    if (!ParseParams(&params, ":", false)) return nullptr;
    for (const Param& p : params) {
      if (p.default_value != nullptr)
        e->mutable_children().push_back(p.default_value);
    }
    if (!Expect(":") || !PushTest(&e->mutable_children())) return nullptr;
    return e;
  }

  // Binary operator precedence; 0 when the current token is not one.
  int BinaryPrec(int* width) const {
    *width = 1;
    const Token& t = Cur();
    if (t.kind == TokenKind::kName) {
      if (TextIs(t.text, "or")) return 1;
      if (TextIs(t.text, "and")) return 2;
      if (TextIs(t.text, "in") || TextIs(t.text, "is")) {
        if (TextIs(t.text, "is") && Peek().kind == TokenKind::kName &&
            TextIs(Peek().text, "not"))
          *width = 2;
        return 4;
      }
      if (TextIs(t.text, "not") && Peek().kind == TokenKind::kName &&
          TextIs(Peek().text, "in")) {
        *width = 2;
        return 4;
      }
      return 0;
    }
    if (t.kind != TokenKind::kOp) return 0;
    std::string_view s = t.text;
    if (TextIs(s, "<") || TextIs(s, ">") || TextIs(s, "==") ||
        TextIs(s, ">=") || TextIs(s, "<=") || TextIs(s, "!="))
      return 4;
    if (TextIs(s, "|")) return 5;
    if (TextIs(s, "^")) return 6;
    if (TextIs(s, "&")) return 7;
    if (TextIs(s, "<<") || TextIs(s, ">>")) return 8;
    if (TextIs(s, "+") || TextIs(s, "-")) return 9;
    if (TextIs(s, "*") || TextIs(s, "/") || TextIs(s, "//") || TextIs(s, "%") ||
        TextIs(s, "@"))
      return 10;
    if (TextIs(s, "**")) return 12;
    return 0;
  }

  Expr* ParseExpr(int min_prec) {
    DepthGuard guard(this, Cur());
    if (!guard.ok()) return nullptr;
    Expr* left = ParseUnary(min_prec);
    if (left == nullptr) return nullptr;
    while (true) {
      int width;
      int prec = BinaryPrec(&width);
      if (prec == 0 || prec < min_prec) break;
      std::string op(Cur().text);
      pos_ += width;
      Expr* right = prec == 12 ? ParseExpr(11) : ParseExpr(prec + 1);
      if (right == nullptr) return nullptr;
      Expr* b = NewExpr(Expr::Kind::kBinOp, left->line);
      b->mutable_name() = Intern(op);
      b->mutable_children().push_back(left);
      b->mutable_children().push_back(right);
      left = b;
    }
    return left;
  }

  Expr* ParseUnary(int min_prec) {
    DepthGuard guard(this, Cur());
    if (!guard.ok()) return nullptr;
    const Token& t = Cur();
    Expr* operand = nullptr;
    if (t.kind == TokenKind::kName && TextIs(t.text, "not")) {
      ++pos_;
      operand = ParseExpr(3);
    } else if (t.kind == TokenKind::kOp &&
               (TextIs(t.text, "-") || TextIs(t.text, "+") ||
                TextIs(t.text, "~"))) {
      ++pos_;
      operand = ParseExpr(11);
    } else if (t.kind == TokenKind::kName && TextIs(t.text, "await")) {
      ++pos_;
      operand = ParsePrimary();
    } else {
      return ParsePrimary();
    }
    if (operand == nullptr) return nullptr;
    Expr* e = NewExpr(Expr::Kind::kOther, t.line);
    e->mutable_children().push_back(operand);
    return e;
  }

  Expr* ParsePrimary() {
    // A call's line is where its primary starts, parentheses included.
    int line = Cur().line;
    Expr* e = ParseAtom();
    if (e == nullptr) return nullptr;
    while (true) {
      if (IsOp(".")) {
        ++pos_;
        // An attribute's line is its name's: a method call split over
        // lines is reported where the method is named.
        Expr* a = NewExpr(Expr::Kind::kAttribute, Cur().line);
        if (!ExpectName(&a->mutable_name())) return nullptr;
        a->mutable_children().push_back(e);
        e = a;
      } else if (IsOp("(")) {
        DepthGuard guard(this, Cur());
        if (!guard.ok()) return nullptr;
        ++pos_;
        Expr* c = NewExpr(Expr::Kind::kCall, line);
        c->mutable_children().push_back(e);
        if (!ParseArguments(&c->mutable_children(), &c->mutable_keywords()) ||
            !Expect(")")) {
          return nullptr;
        }
        if (limits_.record_calls) {
          module_->calls.push_back({RenderCallee(e), c->line});
        }
        e = c;
      } else if (IsOp("[")) {
        DepthGuard guard(this, Cur());
        if (!guard.ok()) return nullptr;
        ++pos_;
        Expr* s = NewExpr(Expr::Kind::kSubscript, line);
        s->mutable_children().push_back(e);
        Expr* index = ParseSubscript();
        if (index == nullptr || !Expect("]")) return nullptr;
        s->mutable_children().push_back(index);
        e = s;
      } else {
        break;
      }
    }
    return e;
  }

  // ExprList / KeywordList: std::vector or CompactList (call arguments
  // live in the expression, class bases in the statement).
  template <typename ExprList, typename KeywordList>
  bool ParseArguments(ExprList* positional, KeywordList* keywords) {
    while (!IsOp(")")) {
      if (IsOp("*")) {
        int line = Cur().line;
        ++pos_;
        Expr* s = NewExpr(Expr::Kind::kStarred, line);
        if (!PushTest(&s->mutable_children())) return false;
        positional->push_back(s);
      } else if (IsOp("**")) {
        ++pos_;
        Expr* value = ParseTest();
        if (value == nullptr) return false;
        keywords->push_back({Name(), value});
      } else if (IsName() && Peek().kind == TokenKind::kOp &&
                 TextIs(Peek().text, "=")) {
        std::string name(Cur().text);
        pos_ += 2;
        Expr* value = ParseTest();
        if (value == nullptr) return false;
        keywords->push_back({Intern(name), value});
      } else {
        Expr* a = ParseNamedExpr();
        if (a != nullptr && (IsOp("for") || IsOp("async"))) {
          a = ParseComprehension(a, "gen");
        }
        if (a == nullptr) return false;
        positional->push_back(a);
      }
      if (!IsOp(",")) break;
      ++pos_;
    }
    return true;
  }

  Expr* ParseComprehension(Expr* element, const char* kind) {
    Expr* c = NewExpr(Expr::Kind::kComprehension, element->line);
    c->mutable_name() = Intern(kind);
    c->mutable_children().push_back(element);
    while (IsOp("for") || IsOp("async")) {
      if (IsOp("async")) ++pos_;
      if (!Expect("for")) return nullptr;
      Expr* target = ParseExprList(5);
      if (target == nullptr || !Expect("in")) return nullptr;
      c->mutable_children().push_back(target);
      Expr* iter = ParseExpr(1);
      if (iter == nullptr) return nullptr;
      c->mutable_children().push_back(iter);
      while (IsOp("if")) {
        ++pos_;
        Expr* cond = ParseExpr(1);
        if (cond == nullptr) return nullptr;
        c->mutable_children().push_back(cond);
      }
    }
    return c;
  }

  Expr* ParseSubscript() {
    int line = Cur().line;
    auto slice_item = [&]() -> Expr* {
      Expr* e = nullptr;
      if (IsOp("*")) return ParseStarOrNamed();
      if (!IsOp(":") && (e = ParseNamedExpr()) == nullptr) return nullptr;
      if (IsOp(":")) {
        Expr* s = NewExpr(Expr::Kind::kOther, line);
        if (e != nullptr) s->mutable_children().push_back(e);
        ++pos_;
        if (!IsOp(":") && !IsOp("]") && !IsOp(",")) {
          if (!PushTest(&s->mutable_children())) return nullptr;
        }
        if (IsOp(":")) {
          ++pos_;
          if (!IsOp("]") && !IsOp(",") && !PushTest(&s->mutable_children())) {
            return nullptr;
          }
        }
        return s;
      }
      return e;
    };
    Expr* first = slice_item();
    if (first == nullptr || !IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->mutable_children().push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (IsOp("]")) break;
      Expr* item = slice_item();
      if (item == nullptr) return nullptr;
      t->mutable_children().push_back(item);
    }
    return t;
  }

  // After the first item `first` of a bracketed display, up to `close`: a
  // comprehension of `kind` when `for` follows, else the items of `list`.
  // Returns the comprehension, `list`, or nullptr.
  Expr* ParseItemsOrComprehension(Expr* first, const char* kind, Expr* list,
                                  std::string_view close) {
    if (IsOp("for") || IsOp("async")) {
      Expr* g = ParseComprehension(first, kind);
      if (g == nullptr || !Expect(close)) return nullptr;
      return g;
    }
    list->mutable_children().push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (IsOp(close)) break;
      Expr* e = ParseStarOrNamed();
      if (e == nullptr) return nullptr;
      list->mutable_children().push_back(e);
    }
    if (!Expect(close)) return nullptr;
    return list;
  }

  Expr* ParseAtom() {
    const Token& t = Cur();
    int line = t.line;
    switch (t.kind) {
      case TokenKind::kName: {
        if (TextIs(t.text, "None") || TextIs(t.text, "True") ||
            TextIs(t.text, "False")) {
          ++pos_;
          Expr* e = NewExpr(Expr::Kind::kConst, line);
          e->mutable_name() = Intern(t.text);
          return e;
        }
        if (IsKeyword(t.text)) {
          SetError(t, absl::StrCat("invalid syntax near '", std::string(t.text),
                                   "'"));
          return nullptr;
        }
        ++pos_;
        Expr* e = NewExpr(Expr::Kind::kName, line);
        e->mutable_name() = Intern(t.text);
        return e;
      }
      case TokenKind::kNumber: {
        ++pos_;
        Expr* e = NewExpr(Expr::Kind::kNumber, line);
        e->mutable_name() = Intern(t.text);
        return e;
      }
      case TokenKind::kString:
        return ParseStrings();
      case TokenKind::kOp:
        break;
      case TokenKind::kError:
        SetError(t, "invalid token");
        return nullptr;
      default:
        if (t.kind == TokenKind::kNewline || t.kind == TokenKind::kEnd) {
          SetError(t, "invalid syntax: unexpected end of line");
        } else {
          SetError(t, "invalid syntax: unexpected indentation");
        }
        return nullptr;
    }
    DepthGuard guard(this, t);
    if (!guard.ok()) return nullptr;
    if (TextIs(t.text, "...")) {
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kConst, line);
      e->mutable_name() = Intern("...");
      return e;
    }
    if (TextIs(t.text, "(")) {
      ++pos_;
      if (IsOp(")")) {
        ++pos_;
        return NewExpr(Expr::Kind::kTuple, line);
      }
      if (IsOp("yield")) {
        Expr* y = ParseYield();
        if (y == nullptr || !Expect(")")) return nullptr;
        return y;
      }
      Expr* first = ParseStarOrNamed();
      if (first == nullptr) return nullptr;
      if (!IsOp(",") && !IsOp("for") && !IsOp("async")) {
        if (!Expect(")")) return nullptr;
        return first;
      }
      return ParseItemsOrComprehension(first, "gen",
                                       NewExpr(Expr::Kind::kTuple, line), ")");
    }
    if (TextIs(t.text, "[")) {
      ++pos_;
      Expr* list = NewExpr(Expr::Kind::kList, line);
      if (IsOp("]")) {
        ++pos_;
        return list;
      }
      Expr* first = ParseStarOrNamed();
      if (first == nullptr) return nullptr;
      return ParseItemsOrComprehension(first, "list", list, "]");
    }
    if (TextIs(t.text, "{")) {
      ++pos_;
      return ParseDictOrSet(line);
    }
    SetError(t,
             absl::StrCat("invalid syntax near '", std::string(t.text), "'"));
    return nullptr;
  }

  // After '{': a dict, a set or a comprehension of either.
  Expr* ParseDictOrSet(int line) {
    Expr* dict = NewExpr(Expr::Kind::kDict, line);
    if (IsOp("}")) {
      ++pos_;
      return dict;
    }
    bool is_dict = false;
    bool first = true;
    while (!IsOp("}")) {
      if (IsOp("**")) {
        ++pos_;
        is_dict = true;
        Expr* value = ParseExpr(5);
        if (value == nullptr) return nullptr;
        dict->mutable_children().push_back(nullptr);
        dict->mutable_children().push_back(value);
      } else {
        Expr* k = ParseStarOrNamed();
        if (k == nullptr) return nullptr;
        if (IsOp(":")) {
          is_dict = true;
          ++pos_;
          Expr* v = ParseTest();
          if (v == nullptr) return nullptr;
          if (first && (IsOp("for") || IsOp("async"))) {
            Expr* kv = NewExpr(Expr::Kind::kOther, k->line);
            kv->mutable_children().push_back(k);
            kv->mutable_children().push_back(v);
            Expr* g = ParseComprehension(kv, "dict");
            if (g == nullptr || !Expect("}")) return nullptr;
            return g;
          }
          dict->mutable_children().push_back(k);
          dict->mutable_children().push_back(v);
        } else {
          if (first && (IsOp("for") || IsOp("async"))) {
            Expr* g = ParseComprehension(k, "set");
            if (g == nullptr || !Expect("}")) return nullptr;
            return g;
          }
          dict->mutable_children().push_back(k);
        }
      }
      first = false;
      if (!IsOp(",")) break;
      ++pos_;
    }
    if (!Expect("}")) return nullptr;
    if (!is_dict) dict->kind = Expr::Kind::kSet;
    return dict;
  }

  // Adjacent string literals, concatenated; f-string fields are parsed.
  Expr* ParseStrings() {
    Expr* e = NewExpr(Expr::Kind::kString, Cur().line);
    std::string pending;  // the text since the last field (see AddText)
    while (Cur().kind == TokenKind::kString) {
      const Token& t = Cur();
      ++pos_;
      size_t q = 0;
      bool raw = false, fstr = false, bytes = false;
      while (t.text[q] != '"' && t.text[q] != '\'') {
        char c = t.text[q] | 0x20;
        if (c == 'r') raw = true;
        if (c == 'f') fstr = true;
        if (c == 'b') bytes = true;
        ++q;
      }
      char quote = t.text[q];
      bool triple = t.text.size() >= q + 6 && t.text[q + 1] == quote &&
                    t.text[q + 2] == quote;
      size_t qlen = triple ? 3 : 1;
      std::string_view body =
          t.text.substr(q + qlen, t.text.size() - q - 2 * qlen);
      if (bytes) e->is_bytes = true;
      if (!fstr) {
        std::string text = raw ? std::string(body) : DecodeEscapes(body);
        pending += text;
        module_->strings.emplace_back(std::move(text), t.line);
        continue;
      }
      e->is_fstring = true;
      // Position of the body start for field line numbers.
      int line = t.line;
      int col = t.col + static_cast<int>(q + qlen);
      if (!ParseFStringBody(e, &pending, body, raw, line, col)) return nullptr;
    }
    AddText(e, &pending);
    return e;
  }

  // The text between two fields of `e` (or before the first, after the
  // last) is gathered in `*pending`, from every piece of an implicit
  // concatenation, and kept as one part when a field or the end follows:
  // interning each growing prefix instead kept all of them, 200 MB of the
  // standard library's long concatenated literals.
  void AddText(Expr* e, std::string* pending) {
    if (pending->empty()) return;
    e->mutable_parts().push_back({Intern(*pending), nullptr});
    pending->clear();
  }

  bool ParseFStringBody(Expr* e, std::string* pending, std::string_view body,
                        bool raw, int line, int col) {
    DepthGuard guard(this, Cur());
    if (!guard.ok()) return false;
    std::string literal;
    size_t i = 0;
    auto advance_pos = [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k) {
        if (body[k] == '\n') {
          ++line;
          col = 1;
        } else {
          ++col;
        }
      }
    };
    size_t last = 0;
    while (i < body.size()) {
      char c = body[i];
      if (c == '\\' && i + 1 < body.size()) {
        // A backslash never escapes a brace; "\N{NAME}" is one escape.
        char n = body[i + 1];
        if (!raw && n == 'N' && i + 2 < body.size() && body[i + 2] == '{') {
          size_t close = body.find('}', i + 3);
          i = close == std::string_view::npos ? body.size() : close + 1;
        } else if (!raw && n != '{' && n != '}') {
          i += 2;
        } else {
          i += 1;
        }
        continue;
      }
      if (c == '}' && i + 1 < body.size() && body[i + 1] == '}') {
        literal += std::string(body.substr(last, i + 1 - last));
        i += 2;
        last = i;
        continue;
      }
      if (c != '{') {
        ++i;
        continue;
      }
      if (i + 1 < body.size() && body[i + 1] == '{') {
        literal += std::string(body.substr(last, i + 1 - last));
        i += 2;
        last = i;
        continue;
      }
      literal += std::string(body.substr(last, i - last));
      if (!literal.empty()) {
        *pending += raw ? literal : DecodeEscapes(literal);
        literal.clear();
      }
      AddText(e, pending);
      // Find the end of the expression: depth-0 '}', '!' (not '!='), or ':'.
      size_t start = i + 1;
      size_t j = start;
      int depth = 0;
      char in_quote = 0;
      size_t expr_end = std::string_view::npos;
      while (j < body.size()) {
        char d = body[j];
        if (in_quote) {
          if (d == in_quote) in_quote = 0;
          ++j;
          continue;
        }
        if (d == '\'' || d == '"') {
          in_quote = d;
        } else if (d == '(' || d == '[' || d == '{') {
          ++depth;
        } else if (d == ')' || d == ']' || d == '}') {
          if (depth == 0) {
            if (d != '}') break;
            if (expr_end == std::string_view::npos) expr_end = j;
            break;
          }
          --depth;
        } else if (depth == 0 && expr_end == std::string_view::npos &&
                   ((d == '!' && j + 1 < body.size() && body[j + 1] != '=') ||
                    d == ':')) {
          expr_end = j;
          if (d == ':') {
            // Format spec: may hold nested fields; scan to matching '}'.
            int spec_depth = 0;
            ++j;
            while (j < body.size()) {
              if (body[j] == '{') ++spec_depth;
              if (body[j] == '}') {
                if (spec_depth == 0) break;
                --spec_depth;
              }
              ++j;
            }
            break;
          }
        }
        ++j;
      }
      if (j >= body.size() || expr_end == std::string_view::npos) {
        return Fail(Cur(), "f-string: expecting '}'");
      }
      advance_pos(last, start);
      Expr* field =
          ParseFieldExpr(body.substr(start, expr_end - start), line, col);
      if (field == nullptr) return false;
      // Nested fields in the format spec.
      size_t spec_colon = expr_end;
      if (expr_end < j && body[expr_end] == '!') {
        spec_colon = body.find(':', expr_end);
        if (spec_colon > j) spec_colon = j;
      }
      if (spec_colon < j && body[spec_colon] == ':') {
        size_t colon = spec_colon;
        std::string_view spec = body.substr(colon + 1, j - colon - 1);
        if (spec.find('{') != std::string_view::npos) {
          int sline = line, scol = col;
          size_t k0 = start;
          for (size_t k = k0; k < colon + 1; ++k) {
            if (body[k] == '\n') {
              ++sline;
              scol = 1;
            } else {
              ++scol;
            }
          }
          Expr* spec_expr = NewExpr(Expr::Kind::kString, sline);
          std::string spec_text;
          if (!ParseFStringBody(spec_expr, &spec_text, spec, raw, sline,
                                scol)) {
            return false;
          }
          AddText(spec_expr, &spec_text);
        }
      }
      e->mutable_parts().push_back({Name(), field});
      advance_pos(start, j + 1);
      i = j + 1;
      last = i;
    }
    literal += std::string(body.substr(last));
    if (!literal.empty()) *pending += raw ? literal : DecodeEscapes(literal);
    return true;
  }

  // The token list a parse leaves for the thread's next one: a module's
  // tokens need tens of kilobytes, allocated and freed for each module
  // otherwise. Kept up to kSpareTokens.
  static std::vector<Token>& SpareTokens() {
    thread_local std::vector<Token> spare;
    return spare;
  }
  static constexpr std::size_t kSpareTokens = 1u << 18;

 public:
  ~Parser() {
    if (tokens_.capacity() <= kSpareTokens &&
        tokens_.capacity() > SpareTokens().capacity()) {
      tokens_.clear();
      SpareTokens() = std::move(tokens_);
    }
  }

 private:
  Module* module_;
  const ParseLimits& limits_;
  NameTable* names_;
  std::vector<Token> tokens_;
  // While an f-string's field is parsed, and the list of tokens the last
  // field parsed used (see ParseFieldExpr).
  bool in_field_ = false;
  std::vector<Token> field_tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  SyntaxError error_;        // of the construct that failed last
  bool failed_ = false;      // whether any statement failed
  SyntaxError first_error_;  // of the first statement that failed
};

// Returns the line of the first invalid UTF-8 sequence, or 0. Runs over
// every byte of every file: ASCII is skipped eight bytes at a time, and the
// line and column are only counted once an invalid sequence is found.
int InvalidUtf8Line(std::string_view s, int* col) {
  auto fail_at = [&](size_t at) {
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at; ++i) {
      if (s[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    *col = static_cast<int>(at - line_start) + 1;
    return line;
  };
  for (size_t i = 0; i < s.size();) {
    uint64_t word;
    if (i + sizeof word <= s.size()) {
      std::memcpy(&word, s.data() + i, sizeof word);
      if ((word & 0x8080808080808080ull) == 0) {
        i += sizeof word;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return fail_at(i);
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() ||
          (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return fail_at(i);
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fail_at(i);
    }
    i += n + 1;
  }
  return 0;
}

void AppendCallee(const Expr* e, std::string* out) {
  switch (e->kind) {
    case Expr::Kind::kName:
      *out += e->name();
      return;
    case Expr::Kind::kAttribute:
      AppendCallee(e->children()[0], out);
      *out += ".";
      *out += e->name();
      return;
    case Expr::Kind::kCall:
      AppendCallee(e->children()[0], out);
      *out += "()";
      return;
    case Expr::Kind::kSubscript:
      AppendCallee(e->children()[0], out);
      *out += "[]";
      return;
    default:
      *out += "?";
  }
}

// The first 8 bytes of `s`, 0 past its end, read without a call (a copy
// of a variable length is one): for up to 8 bytes, the same number only
// for the same bytes.
std::uint64_t FirstBytes(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t v = 0;
  if (n >= 8) {
    std::memcpy(&v, p, 8);
    return v;
  }
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]))
           << (8 * i);
  };
  if (n >= 4) {
    // Bytes [0, 4) and [n - 4, n), each at its position (those in both
    // twice).
    for (std::size_t i = 0; i < 4; ++i) v |= byte(i) | byte(n - 4 + i);
    return v;
  }
  if (n > 0) v = byte(0) | byte(n / 2) | byte(n - 1);
  return v;
}

// Where a name is remembered among the recent ones (`slots` a power of
// two): from its length and first and last eight bytes, cheaper than the
// table's hash (a collision only costs a probe of the table).
std::size_t RecentSlot(std::string_view s, std::uint64_t first,
                       std::size_t slots) {
  std::uint64_t last = 0;
  if (s.size() >= 8) std::memcpy(&last, s.data() + s.size() - 8, 8);
  const std::uint64_t h = (first ^ (last * 0x9e3779b97f4a7c15ULL) ^ s.size()) *
                          0xff51afd7ed558ccdULL;
  return static_cast<std::size_t>(h >> 32) & (slots - 1);
}

}  // namespace

Name NameTable::Intern(std::string_view text) {
  if (text.empty()) return Name();
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  if (!one_thread_) lock.lock();
  if (recent_ == nullptr) recent_.reset(new Recent[kRecent]());
  const std::uint64_t first = FirstBytes(text);
  Recent& recent = recent_[RecentSlot(text, first, kRecent)];
  // A name of up to 8 bytes is told by its length and those bytes, without
  // reading the text kept.
  if (recent.text != nullptr && recent.size == text.size() &&
      recent.first == first && (text.size() <= 8 || *recent.text == text)) {
    return Name(recent.text);
  }
  const absl::string_view key(text.data(), text.size());
  const std::size_t hash = names_.hash_function()(key);
  auto it = names_.find(key, hash);
  if (it == names_.end()) it = names_.emplace(key).first;
  recent.text = &*it;
  recent.first = first;
  recent.size = text.size();
  return Name(recent.text);
}

std::size_t NameTable::size() {
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  if (!one_thread_) lock.lock();
  return names_.size();
}

std::size_t NameTable::ImportHash::operator()(const ImportName& n) const {
  auto view = [](const Name& name) {
    return absl::string_view(name.str().data(), name.size());
  };
  return absl::HashOf(view(n.module), view(n.name), view(n.asname), n.level);
}

const ImportName* NameTable::InternImport(const ImportName& n) {
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  if (!one_thread_) lock.lock();
  return &*imports_.insert(n).first;
}

std::string RenderCallee(const Expr* func) {
  std::string out;
  // Iterative depth is bounded by the parser's nesting limit.
  AppendCallee(func, &out);
  return out;
}

bool StringLiteralValue(const Expr* e, std::string* value) {
  if (e == nullptr || e->kind != Expr::Kind::kString) return false;
  std::string v;
  for (const StringPart& p : e->parts()) {
    if (p.field != nullptr) return false;
    v += p.text;
  }
  *value = std::move(v);
  return true;
}

std::string DottedName(const Expr* e) {
  if (e == nullptr) return "";
  if (e->kind == Expr::Kind::kName) return e->name();
  if (e->kind == Expr::Kind::kAttribute) {
    std::string base = DottedName(e->children()[0]);
    if (base.empty()) return "";
    return base + "." + e->name().str();
  }
  return "";
}

namespace {

// Moves the lists of the module's nodes to one block (Module::list_room).
void MoveListsToRoom(Module* module) {
  std::size_t bytes = module->body.RoomBytes();
  module->expr_arena.ForEach([&](Expr* e) { bytes += e->RoomBytes(); });
  module->leaf_arena.ForEach([&](Expr* e) { bytes += e->RoomBytes(); });
  module->stmt_arena.ForEach([&](Stmt* s) { bytes += s->RoomBytes(); });
  module->simple_stmt_arena.ForEach([&](Stmt* s) { bytes += s->RoomBytes(); });
  // With no bytes to move, the walk below still runs: a string of one
  // literal part leaves the scratch for its node (Expr::MoveToRoom).
  if (bytes != 0) module->list_room.reset(new void*[bytes / sizeof(void*)]);
  module->list_room_bytes = bytes;
  char* room = reinterpret_cast<char*>(module->list_room.get());
  module->body.MoveToRoom(&room);
  module->expr_arena.ForEach([&](Expr* e) { e->MoveToRoom(&room); });
  module->leaf_arena.ForEach([&](Expr* e) { e->MoveToRoom(&room); });
  module->stmt_arena.ForEach([&](Stmt* s) { s->MoveToRoom(&room); });
  module->simple_stmt_arena.ForEach([&](Stmt* s) { s->MoveToRoom(&room); });
}

}  // namespace

absl::Status ParseModule(std::string_view source, const ParseLimits& limits,
                         Module* module, int* error_line) {
  *error_line = 0;
  size_t nul = source.find('\0');
  if (nul != std::string_view::npos) {
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < nul; ++i) {
      if (source[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    *error_line = line;
    return absl::InvalidArgumentError(absl::StrCat(
        line, ":", nul - line_start + 1, ": source contains a NUL byte"));
  }
  int utf8_col = 0;
  int utf8_line = InvalidUtf8Line(source, &utf8_col);
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  // The lists grow in the thread's scratch, then move to the module's room.
  thread_local ListScratch thread_scratch;
  ListScratch* outer = CurrentListScratch();
  ListScratch nested;  // a parse within a parse (none today) has its own
  ListScratch& scratch = outer == &thread_scratch ? nested : thread_scratch;
  CurrentListScratch() = &scratch;
  if (module->nodes == nullptr) {
    module->nodes =
        limits.nodes != nullptr ? limits.nodes : std::make_shared<NodeStore>();
    module->expr_arena.Bind(&module->nodes->exprs);
    module->leaf_arena.Bind(&module->nodes->leaves);
    module->stmt_arena.Bind(&module->nodes->stmts);
    module->simple_stmt_arena.Bind(&module->nodes->simple_stmts);
  }
  Parser parser(module, limits);
  SyntaxError error;
  bool parsed = parser.ParseFile(source, /*check_utf8=*/utf8_line != 0, &error);
  MoveListsToRoom(module);
  scratch.Reset();
  CurrentListScratch() = outer;
  if (utf8_line != 0) {
    *error_line = utf8_line;
    return absl::InvalidArgumentError(
        absl::StrCat(utf8_line, ":", utf8_col, ": invalid UTF-8"));
  }
  if (!parsed) {
    *error_line = error.line;
    return absl::InvalidArgumentError(
        absl::StrCat(error.line, ":", error.col, ": ", error.message));
  }
  return absl::OkStatus();
}

}  // namespace leastpriv::pyscan
