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

struct ParseFailure {};

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

class Parser {
 public:
  Parser(Module* module, const ParseLimits& limits)
      : module_(module), limits_(limits) {}

  bool ParseFile(std::string_view source, SyntaxError* error) {
    // One token per four bytes covers dense source: reserving up front
    // avoids regrowing (and copying) the vector several times per file.
    tokens_.reserve(source.size() / 4 + 16);
    if (!Tokenize(source, limits_.tokenizer, &tokens_, error)) return false;
    try {
      while (Cur().kind != TokenKind::kEnd) {
        if (Cur().kind == TokenKind::kNewline) {
          ++pos_;
          continue;
        }
        ParseStatement(&module_->body);
      }
    } catch (const ParseFailure&) {
      *error = error_;
      return false;
    }
    return true;
  }

  // Parses one f-string replacement field expression.
  Expr* ParseFieldExpr(std::string_view text, int line, int col) {
    std::vector<Token> saved;
    saved.swap(tokens_);
    size_t saved_pos = pos_;
    pos_ = 0;
    SyntaxError err;
    if (!Tokenize(text, limits_.tokenizer, &tokens_, &err, line, col, true)) {
      tokens_.swap(saved);
      pos_ = saved_pos;
      error_ = err;
      throw ParseFailure();
    }
    Expr* e = nullptr;
    if (IsOp("yield")) {
      e = ParseYield();
    } else {
      e = ParseStarOrTestList();
    }
    if (IsOp("=")) ++pos_;  // f"{x=}"
    if (Cur().kind != TokenKind::kEnd) {
      Token t = Cur();
      tokens_.swap(saved);
      pos_ = saved_pos;
      Fail(t, "f-string: expecting '}'");
    }
    tokens_.swap(saved);
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

  [[noreturn]] void Fail(const Token& t, const std::string& message) {
    error_.line = t.line;
    error_.col = t.col;
    error_.message = message;
    throw ParseFailure();
  }
  void Expect(std::string_view s) {
    if (!IsOp(s)) {
      if (Cur().kind == TokenKind::kNewline || Cur().kind == TokenKind::kEnd) {
        Fail(Cur(), absl::StrCat("expected '", std::string(s), "'"));
      }
      Fail(Cur(), absl::StrCat("invalid syntax: expected '", std::string(s),
                               "' before '", std::string(Cur().text), "'"));
    }
    ++pos_;
  }
  std::string ExpectName() {
    if (!IsName()) Fail(Cur(), "invalid syntax: expected a name");
    return std::string(tokens_[pos_++].text);
  }

  struct DepthGuard {
    DepthGuard(Parser* p, const Token& t) : p(p) {
      if (++p->depth_ > p->limits_.max_nesting) {
        p->Fail(t, "too many nested expressions or statements");
      }
    }
    ~DepthGuard() { --p->depth_; }
    Parser* p;
  };

  Expr* NewExpr(Expr::Kind kind, int line) {
    Expr* e = module_->expr_arena.New(&module_->memory);
    e->kind = kind;
    e->line = line;
    return e;
  }
  Stmt* NewStmt(Stmt::Kind kind, int line) {
    Stmt* s = module_->stmt_arena.New(&module_->memory);
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

  void ParseStatement(StmtList* out) {
    DepthGuard guard(this, Cur());
    const Token& t = Cur();
    if (t.kind == TokenKind::kIndent) Fail(t, "unexpected indent");
    if (t.kind == TokenKind::kDedent) Fail(t, "unexpected unindent");
    if (t.kind == TokenKind::kName) {
      std::string_view w = t.text;
      if (TextIs(w, "def") || TextIs(w, "class") || TextIs(w, "if") ||
          TextIs(w, "while") || TextIs(w, "for") || TextIs(w, "try") ||
          TextIs(w, "with") || TextIs(w, "async")) {
        ParseCompound(out, {});
        return;
      }
      if (TextIs(w, "match") && TryParseMatch(out)) return;
    }
    if (IsOp("@")) {
      std::vector<Expr*> decorators;
      while (IsOp("@")) {
        ++pos_;
        decorators.push_back(ParseNamedExpr());
        ExpectNewline();
      }
      if (!IsOp("def") && !IsOp("class") && !IsOp("async")) {
        Fail(Cur(), "invalid syntax: expected 'def' or 'class' after a "
                    "decorator");
      }
      ParseCompound(out, decorators);
      return;
    }
    ParseSimpleStatements(out);
  }

  void ExpectNewline() {
    if (Cur().kind == TokenKind::kNewline) {
      ++pos_;
      return;
    }
    if (Cur().kind == TokenKind::kEnd) return;
    Fail(Cur(), absl::StrCat("invalid syntax near '", std::string(Cur().text), "'"));
  }

  void ParseSimpleStatements(StmtList* out) {
    const Token& first = Cur();
    if (first.kind == TokenKind::kName &&
        (TextIs(first.text, "print") || TextIs(first.text, "exec")) &&
        (Peek().kind == TokenKind::kString || Peek().kind == TokenKind::kName ||
         Peek().kind == TokenKind::kNumber)) {
      Fail(Peek(), absl::StrCat("missing parentheses in call to '",
                                std::string(first.text),
                                "' (a Python 2 statement)"));
    }
    while (true) {
      ParseSmallStatement(out);
      if (IsOp(";")) {
        ++pos_;
        if (Cur().kind == TokenKind::kNewline || Cur().kind == TokenKind::kEnd)
          break;
        continue;
      }
      break;
    }
    ExpectNewline();
  }

  // A type parameter list (`def f[T: int](...)`, `class C[T]`, Python
  // 3.12): names and bounds the analysis has no use for.
  void SkipTypeParams() {
    if (!IsOp("[")) return;
    int depth = 0;
    do {
      if (Cur().kind == TokenKind::kEnd) Fail(Cur(), "unclosed '['");
      if (IsOp("[")) ++depth;
      if (IsOp("]")) --depth;
      ++pos_;
    } while (depth > 0);
  }

  void ParseSmallStatement(StmtList* out) {
    const Token& t = Cur();
    int line = t.line;
    if (t.kind == TokenKind::kName) {
      std::string_view w = t.text;
      // `type Name[params] = value` (Python 3.12): an assignment to Name.
      if (TextIs(w, "type") && Peek().kind == TokenKind::kName &&
          (TextIs(Peek(2).text, "=") || TextIs(Peek(2).text, "["))) {
        ++pos_;
        Expr* target = NewExpr(Expr::Kind::kName, Cur().line);
        target->name = ExpectName();
        SkipTypeParams();
        Expect("=");
        Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
        s->targets.push_back(target);
        s->value = ParseTest();
        out->push_back(s);
        return;
      }
      if (TextIs(w, "pass") || TextIs(w, "break") || TextIs(w, "continue")) {
        ++pos_;
        return;
      }
      if (TextIs(w, "return")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kReturn, line);
        if (CanStartExpr()) s->value = ParseStarOrTestList();
        out->push_back(s);
        return;
      }
      if (TextIs(w, "raise")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        if (CanStartExpr()) {
          s->targets.push_back(ParseTest());
          if (IsOp("from")) {
            ++pos_;
            s->targets.push_back(ParseTest());
          }
        }
        out->push_back(s);
        return;
      }
      if (TextIs(w, "global") || TextIs(w, "nonlocal")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kGlobal, line);
        s->name = std::string(w);
        while (true) {
          Expr* n = NewExpr(Expr::Kind::kName, Cur().line);
          n->name = ExpectName();
          s->targets.push_back(n);
          if (!IsOp(",")) break;
          ++pos_;
        }
        out->push_back(s);
        return;
      }
      if (TextIs(w, "del")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        s->targets.push_back(ParseExprList(5));
        out->push_back(s);
        return;
      }
      if (TextIs(w, "assert")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kOther, line);
        s->targets.push_back(ParseTest());
        if (IsOp(",")) {
          ++pos_;
          s->targets.push_back(ParseTest());
        }
        out->push_back(s);
        return;
      }
      if (TextIs(w, "import")) {
        ++pos_;
        Stmt* s = NewStmt(Stmt::Kind::kImport, line);
        while (true) {
          ImportName n;
          n.module = ParseDotted();
          if (IsOp("as")) {
            ++pos_;
            n.asname = ExpectName();
          }
          s->imports.push_back(n);
          if (!IsOp(",")) break;
          ++pos_;
        }
        out->push_back(s);
        return;
      }
      if (TextIs(w, "from")) {
        ++pos_;
        int level = 0;
        while (IsOp(".") || IsOp("...")) {
          level += Cur().text.size();
          ++pos_;
        }
        std::string mod;
        if (!IsOp("import")) mod = ParseDotted();
        Expect("import");
        Stmt* s = NewStmt(Stmt::Kind::kImport, line);
        if (IsOp("*")) {
          ++pos_;
          ImportName n{mod, "*", "", level};
          s->imports.push_back(n);
        } else {
          bool paren = IsOp("(");
          if (paren) ++pos_;
          while (true) {
            ImportName n{mod, ExpectName(), "", level};
            if (IsOp("as")) {
              ++pos_;
              n.asname = ExpectName();
            }
            s->imports.push_back(n);
            if (!IsOp(",")) break;
            ++pos_;
            if (paren && IsOp(")")) break;
          }
          if (paren) Expect(")");
        }
        out->push_back(s);
        return;
      }
    }
    // Expression, assignment, augmented or annotated assignment.
    Expr* first = IsOp("yield") ? ParseYield() : ParseStarOrTestList();
    if (IsOp("=")) {
      Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
      s->targets.push_back(first);
      while (IsOp("=")) {
        ++pos_;
        Expr* v = IsOp("yield") ? ParseYield() : ParseStarOrTestList();
        if (IsOp("=")) {
          s->targets.push_back(v);
        } else {
          s->value = v;
        }
      }
      out->push_back(s);
      return;
    }
    if (Cur().kind == TokenKind::kOp && Cur().text.size() >= 2 &&
        Cur().text.back() == '=' && !TextIs(Cur().text, "==") &&
        !TextIs(Cur().text, "<=") && !TextIs(Cur().text, ">=") &&
        !TextIs(Cur().text, "!=")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kAugAssign, line);
      s->targets.push_back(first);
      s->value = IsOp("yield") ? ParseYield() : ParseStarOrTestList();
      out->push_back(s);
      return;
    }
    if (IsOp(":")) {
      ++pos_;
      Expr* annotation = ParseTest();
      Stmt* s = NewStmt(Stmt::Kind::kAssign, line);
      s->targets.push_back(first);
      if (IsOp("=")) {
        ++pos_;
        s->value = IsOp("yield") ? ParseYield() : ParseStarOrTestList();
      }
      s->orelse.clear();
      (void)annotation;
      out->push_back(s);
      return;
    }
    Stmt* s = NewStmt(Stmt::Kind::kExpr, line);
    s->value = first;
    out->push_back(s);
  }

  std::string ParseDotted() {
    std::string name = ExpectName();
    while (IsOp(".")) {
      ++pos_;
      name += ".";
      name += ExpectName();
    }
    return name;
  }

  void ParseBlock(StmtList* body) {
    Expect(":");
    if (Cur().kind == TokenKind::kNewline) {
      ++pos_;
      if (Cur().kind != TokenKind::kIndent) {
        Fail(Cur(), "expected an indented block");
      }
      ++pos_;
      while (Cur().kind != TokenKind::kDedent &&
             Cur().kind != TokenKind::kEnd) {
        ParseStatement(body);
      }
      if (Cur().kind == TokenKind::kDedent) ++pos_;
      return;
    }
    ParseSimpleStatements(body);
  }

  void ParseCompound(StmtList* out, const std::vector<Expr*>& decorators) {
    const Token& t = Cur();
    int line = t.line;
    std::string_view w = t.text;
    if (TextIs(w, "async")) {
      ++pos_;
      if (!IsOp("def") && !IsOp("for") && !IsOp("with")) {
        Fail(Cur(), "invalid syntax after 'async'");
      }
      ParseCompound(out, decorators);
      return;
    }
    if (TextIs(w, "def")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kDef, line);
      s->targets.assign(decorators.begin(), decorators.end());
      s->name = ExpectName();
      SkipTypeParams();
      Expect("(");
      ParseParams(&s->params, ")", true);
      Expect(")");
      if (IsOp("->")) {
        ++pos_;
        ParseTest();
      }
      ParseBlock(&s->body);
      out->push_back(s);
      return;
    }
    if (TextIs(w, "class")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kClass, line);
      s->targets.assign(decorators.begin(), decorators.end());
      s->name = ExpectName();
      SkipTypeParams();
      if (IsOp("(")) {
        ++pos_;
        std::vector<Keyword> keywords;
        ParseArguments(&s->bases, &keywords);
        Expect(")");
      }
      ParseBlock(&s->body);
      out->push_back(s);
      return;
    }
    if (TextIs(w, "if") || TextIs(w, "while")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kBlock, line);
      s->targets.push_back(ParseNamedExpr());
      ParseBlock(&s->body);
      while (TextIs(w, "if") && IsOp("elif")) {
        ++pos_;
        s->targets.push_back(ParseNamedExpr());
        ParseBlock(&s->orelse);
      }
      if (IsOp("else")) {
        ++pos_;
        ParseBlock(&s->orelse);
      }
      out->push_back(s);
      return;
    }
    if (TextIs(w, "for")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kFor, line);
      s->targets.push_back(ParseExprList(5));
      Expect("in");
      s->value = ParseStarOrTestList();
      ParseBlock(&s->body);
      if (IsOp("else")) {
        ++pos_;
        ParseBlock(&s->orelse);
      }
      out->push_back(s);
      return;
    }
    if (TextIs(w, "try")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kBlock, line);
      ParseBlock(&s->body);
      bool any = false;
      while (IsOp("except")) {
        any = true;
        ++pos_;
        if (IsOp("*")) ++pos_;
        if (!IsOp(":")) {
          s->targets.push_back(ParseTest());
          if (IsOp(",")) {
            Fail(Cur(), "multiple exception types must be parenthesized");
          }
          if (IsOp("as")) {
            ++pos_;
            ExpectName();
          }
        }
        ParseBlock(&s->orelse);
      }
      if (IsOp("else")) {
        ++pos_;
        ParseBlock(&s->orelse);
      }
      if (IsOp("finally")) {
        any = true;
        ++pos_;
        ParseBlock(&s->orelse);
      }
      if (!any) Fail(Cur(), "expected 'except' or 'finally' block");
      out->push_back(s);
      return;
    }
    if (TextIs(w, "with")) {
      ++pos_;
      Stmt* s = NewStmt(Stmt::Kind::kWith, line);
      if (IsOp("(") && TryParenthesizedWithItems(s)) {
        // done
      } else {
        ParseWithItems(s, false);
      }
      ParseBlock(&s->body);
      out->push_back(s);
      return;
    }
    Fail(t, "invalid syntax");
  }

  void ParseWithItems(Stmt* s, bool parenthesized) {
    while (true) {
      s->with_ctx.push_back(ParseTest());
      Expr* target = nullptr;
      if (IsOp("as")) {
        ++pos_;
        target = ParseExpr(5);
      }
      s->with_targets.push_back(target);
      if (!IsOp(",")) break;
      ++pos_;
      if (parenthesized && IsOp(")")) break;
    }
  }

  bool TryParenthesizedWithItems(Stmt* s) {
    size_t saved_pos = pos_;
    size_t saved_calls = module_->calls.size();
    size_t saved_ctx = s->with_ctx.size();
    try {
      ++pos_;
      ParseWithItems(s, true);
      Expect(")");
      if (!IsOp(":")) throw ParseFailure();
      return true;
    } catch (const ParseFailure&) {
      pos_ = saved_pos;
      module_->calls.resize(saved_calls);
      s->with_ctx.resize(saved_ctx);
      s->with_targets.resize(saved_ctx);
      return false;
    }
  }

  bool TryParseMatch(StmtList* out) {
    size_t saved_pos = pos_;
    size_t saved_calls = module_->calls.size();
    int line = Cur().line;
    Stmt* s = nullptr;
    try {
      ++pos_;
      if (!CanStartExpr()) throw ParseFailure();
      Expr* subject = ParseStarOrTestList();
      Expect(":");
      if (Cur().kind != TokenKind::kNewline) throw ParseFailure();
      ++pos_;
      if (Cur().kind != TokenKind::kIndent) throw ParseFailure();
      ++pos_;
      if (!IsOp("case")) throw ParseFailure();
      s = NewStmt(Stmt::Kind::kBlock, line);
      s->targets.push_back(subject);
    } catch (const ParseFailure&) {
      pos_ = saved_pos;
      module_->calls.resize(saved_calls);
      return false;
    }
    while (IsOp("case")) {
      ++pos_;
      // Patterns hold no calls (Cls(...) is a class pattern): skip them.
      int depth = 0;
      while (true) {
        const Token& t = Cur();
        if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kNewline) {
          Fail(t, "expected ':'");
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
        s->targets.push_back(ParseNamedExpr());
      }
      ParseBlock(&s->orelse);
    }
    if (Cur().kind != TokenKind::kDedent) {
      Fail(Cur(), "expected 'case' in match statement");
    }
    ++pos_;
    out->push_back(s);
    return true;
  }

  // Parameters of def (annotations allowed) or lambda.
  void ParseParams(std::vector<Param>* params, std::string_view end,
                   bool annotations) {
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
          p.name = ExpectName();
          if (annotations && IsOp(":")) {
            ++pos_;
            if (IsOp("*")) ++pos_;
            ParseTest();
          }
          if (IsOp("=")) {
            ++pos_;
            p.default_value = ParseTest();
          }
        } else if (p.star != 1) {
          Fail(Cur(), "invalid syntax in parameter list");
        }
        params->push_back(p);
      }
      if (!IsOp(",")) break;
      ++pos_;
    }
  }

  // ---------------------------------------------------------------- expressions

  Expr* ParseYield() {
    int line = Cur().line;
    ++pos_;
    Expr* e = NewExpr(Expr::Kind::kOther, line);
    e->name = "yield";  // children: the yielded value, if any
    if (IsOp("from")) {
      ++pos_;
      e->children.push_back(ParseTest());
    } else if (CanStartExpr()) {
      e->children.push_back(ParseStarOrTestList());
    }
    return e;
  }

  // test (',' test)* with optional starred items; a tuple if a comma.
  Expr* ParseStarOrTestList() {
    int line = Cur().line;
    Expr* first = ParseStarOrNamed();
    if (!IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->children.push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (!CanStartExpr()) break;
      t->children.push_back(ParseStarOrNamed());
    }
    return t;
  }

  Expr* ParseStarOrNamed() {
    if (IsOp("*")) {
      int line = Cur().line;
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kStarred, line);
      e->children.push_back(ParseExpr(5));
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
        e->children.push_back(ParseExpr(min_prec));
        return e;
      }
      return ParseExpr(min_prec);
    };
    Expr* first = item();
    if (!IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->children.push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (!CanStartExpr() || IsOp("in")) break;
      t->children.push_back(item());
    }
    return t;
  }

  Expr* ParseNamedExpr() {
    Expr* e = ParseTest();
    if (IsOp(":=")) {
      int line = e->line;
      ++pos_;
      Expr* n = NewExpr(Expr::Kind::kOther, line);
      n->children.push_back(e);
      n->children.push_back(ParseTest());
      return n;
    }
    return e;
  }

  Expr* ParseTest() {
    DepthGuard guard(this, Cur());
    if (IsOp("lambda")) return ParseLambda();
    Expr* e = ParseExpr(1);
    if (IsOp("if")) {
      ++pos_;
      Expr* n = NewExpr(Expr::Kind::kOther, e->line);
      n->name = "if";  // children: value, test, alternative
      n->children.push_back(e);
      n->children.push_back(ParseExpr(1));
      Expect("else");
      n->children.push_back(ParseTest());
      return n;
    }
    return e;
  }

  Expr* ParseLambda() {
    int line = Cur().line;
    ++pos_;
    Expr* e = NewExpr(Expr::Kind::kOther, line);
    e->name = "lambda";  // children: parameter defaults, then the body
    std::vector<Param> params;
    ParseParams(&params, ":", false);
    for (const Param& p : params) {
      if (p.default_value != nullptr) e->children.push_back(p.default_value);
    }
    Expect(":");
    e->children.push_back(ParseTest());
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
    Expr* left = ParseUnary(min_prec);
    while (true) {
      int width;
      int prec = BinaryPrec(&width);
      if (prec == 0 || prec < min_prec) break;
      std::string op(Cur().text);
      pos_ += width;
      Expr* right = prec == 12 ? ParseExpr(11) : ParseExpr(prec + 1);
      Expr* b = NewExpr(Expr::Kind::kBinOp, left->line);
      b->name = op;
      b->children.push_back(left);
      b->children.push_back(right);
      left = b;
    }
    return left;
  }

  Expr* ParseUnary(int min_prec) {
    DepthGuard guard(this, Cur());
    const Token& t = Cur();
    if (t.kind == TokenKind::kName && TextIs(t.text, "not")) {
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kOther, t.line);
      e->children.push_back(ParseExpr(3));
      return e;
    }
    if (t.kind == TokenKind::kOp &&
        (TextIs(t.text, "-") || TextIs(t.text, "+") || TextIs(t.text, "~"))) {
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kOther, t.line);
      e->children.push_back(ParseExpr(11));
      return e;
    }
    if (t.kind == TokenKind::kName && TextIs(t.text, "await")) {
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kOther, t.line);
      e->children.push_back(ParsePrimary());
      return e;
    }
    return ParsePrimary();
  }

  Expr* ParsePrimary() {
    // A call's line is where its primary starts, parentheses included.
    int line = Cur().line;
    Expr* e = ParseAtom();
    while (true) {
      if (IsOp(".")) {
        ++pos_;
        // An attribute's line is its name's: a method call split over
        // lines is reported where the method is named.
        Expr* a = NewExpr(Expr::Kind::kAttribute, Cur().line);
        a->name = ExpectName();
        a->children.push_back(e);
        e = a;
      } else if (IsOp("(")) {
        DepthGuard guard(this, Cur());
        ++pos_;
        Expr* c = NewExpr(Expr::Kind::kCall, line);
        c->children.push_back(e);
        ParseArguments(&c->children, &c->keywords);
        Expect(")");
        if (limits_.record_calls) {
          module_->calls.push_back({RenderCallee(e), c->line});
        }
        e = c;
      } else if (IsOp("[")) {
        DepthGuard guard(this, Cur());
        ++pos_;
        Expr* s = NewExpr(Expr::Kind::kSubscript, line);
        s->children.push_back(e);
        s->children.push_back(ParseSubscript());
        Expect("]");
        e = s;
      } else {
        break;
      }
    }
    return e;
  }

  // ExprList / KeywordList: std::vector or std::pmr::vector (call arguments
  // live in the expression, class bases in the statement).
  template <typename ExprList, typename KeywordList>
  void ParseArguments(ExprList* positional, KeywordList* keywords) {
    while (!IsOp(")")) {
      if (IsOp("*")) {
        int line = Cur().line;
        ++pos_;
        Expr* s = NewExpr(Expr::Kind::kStarred, line);
        s->children.push_back(ParseTest());
        positional->push_back(s);
      } else if (IsOp("**")) {
        ++pos_;
        keywords->push_back({"", ParseTest()});
      } else if (IsName() && Peek().kind == TokenKind::kOp &&
                 TextIs(Peek().text, "=")) {
        std::string name(Cur().text);
        pos_ += 2;
        keywords->push_back({name, ParseTest()});
      } else {
        Expr* a = ParseNamedExpr();
        if (IsOp("for") || IsOp("async")) {
          a = ParseComprehension(a, "gen");
        }
        positional->push_back(a);
      }
      if (!IsOp(",")) break;
      ++pos_;
    }
  }

  Expr* ParseComprehension(Expr* element, const char* kind) {
    Expr* c = NewExpr(Expr::Kind::kComprehension, element->line);
    c->name = kind;
    c->children.push_back(element);
    while (IsOp("for") || IsOp("async")) {
      if (IsOp("async")) ++pos_;
      Expect("for");
      c->children.push_back(ParseExprList(5));
      Expect("in");
      c->children.push_back(ParseExpr(1));
      while (IsOp("if")) {
        ++pos_;
        c->children.push_back(ParseExpr(1));
      }
    }
    return c;
  }

  Expr* ParseSubscript() {
    int line = Cur().line;
    auto slice_item = [&]() -> Expr* {
      Expr* e = nullptr;
      if (IsOp("*")) return ParseStarOrNamed();
      if (!IsOp(":")) e = ParseNamedExpr();
      if (IsOp(":")) {
        Expr* s = NewExpr(Expr::Kind::kOther, line);
        if (e != nullptr) s->children.push_back(e);
        ++pos_;
        if (!IsOp(":") && !IsOp("]") && !IsOp(",")) {
          s->children.push_back(ParseTest());
        }
        if (IsOp(":")) {
          ++pos_;
          if (!IsOp("]") && !IsOp(",")) s->children.push_back(ParseTest());
        }
        return s;
      }
      return e;
    };
    Expr* first = slice_item();
    if (!IsOp(",")) return first;
    Expr* t = NewExpr(Expr::Kind::kTuple, line);
    t->children.push_back(first);
    while (IsOp(",")) {
      ++pos_;
      if (IsOp("]")) break;
      t->children.push_back(slice_item());
    }
    return t;
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
          e->name = std::string(t.text);
          return e;
        }
        if (IsKeyword(t.text)) {
          Fail(t, absl::StrCat("invalid syntax near '", std::string(t.text), "'"));
        }
        ++pos_;
        Expr* e = NewExpr(Expr::Kind::kName, line);
        e->name = std::string(t.text);
        return e;
      }
      case TokenKind::kNumber: {
        ++pos_;
        Expr* e = NewExpr(Expr::Kind::kNumber, line);
        e->name = std::string(t.text);
        return e;
      }
      case TokenKind::kString:
        return ParseStrings();
      case TokenKind::kOp:
        break;
      default:
        if (t.kind == TokenKind::kNewline || t.kind == TokenKind::kEnd) {
          Fail(t, "invalid syntax: unexpected end of line");
        }
        Fail(t, "invalid syntax: unexpected indentation");
    }
    DepthGuard guard(this, t);
    if (TextIs(t.text, "...")) {
      ++pos_;
      Expr* e = NewExpr(Expr::Kind::kConst, line);
      e->name = "...";
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
        Expect(")");
        return y;
      }
      Expr* first = ParseStarOrNamed();
      if (IsOp("for") || IsOp("async")) {
        Expr* g = ParseComprehension(first, "gen");
        Expect(")");
        return g;
      }
      if (!IsOp(",")) {
        Expect(")");
        return first;
      }
      Expr* tup = NewExpr(Expr::Kind::kTuple, line);
      tup->children.push_back(first);
      while (IsOp(",")) {
        ++pos_;
        if (IsOp(")")) break;
        tup->children.push_back(ParseStarOrNamed());
      }
      Expect(")");
      return tup;
    }
    if (TextIs(t.text, "[")) {
      ++pos_;
      Expr* list = NewExpr(Expr::Kind::kList, line);
      if (IsOp("]")) {
        ++pos_;
        return list;
      }
      Expr* first = ParseStarOrNamed();
      if (IsOp("for") || IsOp("async")) {
        Expr* g = ParseComprehension(first, "list");
        Expect("]");
        return g;
      }
      list->children.push_back(first);
      while (IsOp(",")) {
        ++pos_;
        if (IsOp("]")) break;
        list->children.push_back(ParseStarOrNamed());
      }
      Expect("]");
      return list;
    }
    if (TextIs(t.text, "{")) {
      ++pos_;
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
          dict->children.push_back(nullptr);
          dict->children.push_back(ParseExpr(5));
        } else {
          Expr* k = ParseStarOrNamed();
          if (IsOp(":")) {
            is_dict = true;
            ++pos_;
            Expr* v = ParseTest();
            if (first && (IsOp("for") || IsOp("async"))) {
              Expr* kv = NewExpr(Expr::Kind::kOther, k->line);
              kv->children = {k, v};
              Expr* g = ParseComprehension(kv, "dict");
              Expect("}");
              return g;
            }
            dict->children.push_back(k);
            dict->children.push_back(v);
          } else {
            if (first && (IsOp("for") || IsOp("async"))) {
              Expr* g = ParseComprehension(k, "set");
              Expect("}");
              return g;
            }
            dict->children.push_back(k);
          }
        }
        first = false;
        if (!IsOp(",")) break;
        ++pos_;
      }
      Expect("}");
      if (!is_dict) dict->kind = Expr::Kind::kSet;
      return dict;
    }
    Fail(t, absl::StrCat("invalid syntax near '", std::string(t.text), "'"));
    return nullptr;
  }

  // Adjacent string literals, concatenated; f-string fields are parsed.
  Expr* ParseStrings() {
    Expr* e = NewExpr(Expr::Kind::kString, Cur().line);
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
        module_->strings.emplace_back(text, t.line);
        AddText(e, std::move(text));
        continue;
      }
      e->is_fstring = true;
      // Position of the body start for field line numbers.
      int line = t.line;
      int col = t.col + static_cast<int>(q + qlen);
      ParseFStringBody(e, body, raw, line, col);
    }
    return e;
  }

  void AddText(Expr* e, std::string text) {
    if (!e->parts.empty() && e->parts.back().field == nullptr) {
      e->parts.back().text += text;
    } else {
      e->parts.push_back({std::move(text), nullptr});
    }
  }

  void ParseFStringBody(Expr* e, std::string_view body, bool raw, int line,
                        int col) {
    DepthGuard guard(this, Cur());
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
        AddText(e, raw ? literal : DecodeEscapes(literal));
        literal.clear();
      }
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
        Fail(Cur(), "f-string: expecting '}'");
      }
      advance_pos(last, start);
      Expr* field = ParseFieldExpr(body.substr(start, expr_end - start), line,
                                   col);
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
          ParseFStringBody(spec_expr, spec, raw, sline, scol);
        }
      }
      e->parts.push_back({"", field});
      advance_pos(start, j + 1);
      i = j + 1;
      last = i;
    }
    literal += std::string(body.substr(last));
    if (!literal.empty()) AddText(e, raw ? literal : DecodeEscapes(literal));
  }

  Module* module_;
  const ParseLimits& limits_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  SyntaxError error_;
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
      *out += e->name;
      return;
    case Expr::Kind::kAttribute:
      AppendCallee(e->children[0], out);
      *out += ".";
      *out += e->name;
      return;
    case Expr::Kind::kCall:
      AppendCallee(e->children[0], out);
      *out += "()";
      return;
    case Expr::Kind::kSubscript:
      AppendCallee(e->children[0], out);
      *out += "[]";
      return;
    default:
      *out += "?";
  }
}

}  // namespace

std::string RenderCallee(const Expr* func) {
  std::string out;
  // Iterative depth is bounded by the parser's nesting limit.
  AppendCallee(func, &out);
  return out;
}

bool StringLiteralValue(const Expr* e, std::string* value) {
  if (e == nullptr || e->kind != Expr::Kind::kString) return false;
  std::string v;
  for (const StringPart& p : e->parts) {
    if (p.field != nullptr) return false;
    v += p.text;
  }
  *value = std::move(v);
  return true;
}

std::string DottedName(const Expr* e) {
  if (e == nullptr) return "";
  if (e->kind == Expr::Kind::kName) return e->name;
  if (e->kind == Expr::Kind::kAttribute) {
    std::string base = DottedName(e->children[0]);
    if (base.empty()) return "";
    return base + "." + e->name;
  }
  return "";
}

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
    return absl::InvalidArgumentError(
        absl::StrCat(line, ":", nul - line_start + 1,
                     ": source contains a NUL byte"));
  }
  int col = 0;
  if (int line = InvalidUtf8Line(source, &col); line != 0) {
    *error_line = line;
    return absl::InvalidArgumentError(
        absl::StrCat(line, ":", col, ": invalid UTF-8"));
  }
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  Parser parser(module, limits);
  SyntaxError error;
  if (!parser.ParseFile(source, &error)) {
    *error_line = error.line;
    return absl::InvalidArgumentError(
        absl::StrCat(error.line, ":", error.col, ": ", error.message));
  }
  return absl::OkStatus();
}

}  // namespace leastpriv::pyscan
