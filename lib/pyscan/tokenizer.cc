// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Python 3 tokenizer: names, numbers, strings of every prefix and quoting
// (the body is kept raw; the parser decodes it), operators, logical lines,
// continuation lines, comments, INDENT/DEDENT.

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/pyscan/syntax.h"

namespace leastpriv::pyscan {
namespace {

constexpr bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}

// IsNameChar as a table: the name loop tests every byte of every name.
struct NameCharTable {
  constexpr NameCharTable() : is_name_char() {
    for (int c = 0; c < 256; ++c) {
      is_name_char[c] =
          IsNameStart(static_cast<unsigned char>(c)) || (c >= '0' && c <= '9');
    }
  }
  bool is_name_char[256];
};
constexpr NameCharTable kNameChars;

bool IsNameChar(unsigned char c) { return kNameChars.is_name_char[c]; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

bool IsStringPrefix(std::string_view p) {
  if (p.size() > 2) return false;
  bool r = false, b = false, u = false, f = false;
  for (char c : p) {
    switch (c | 0x20) {
      case 'r':
        if (r) return false;
        r = true;
        break;
      case 'b':
        if (b) return false;
        b = true;
        break;
      case 'u':
        if (u) return false;
        u = true;
        break;
      case 'f':
        if (f) return false;
        f = true;
        break;
      default:
        return false;
    }
  }
  if (u && p.size() > 1) return false;
  if (b && f) return false;
  return true;
}

// Length of the operator at the start of `rest` (longest match), or 0 when
// it starts with no operator. '!' alone is not one (see Operator()). A switch
// on the first byte: this runs for every operator token of the project.
size_t OperatorLength(std::string_view rest) {
  char c1 = rest.size() > 1 ? rest[1] : '\0';
  char c2 = rest.size() > 2 ? rest[2] : '\0';
  switch (rest[0]) {
    case '*':
    case '/':
    case '<':
    case '>':
      // "**", "//", "<<", ">>" and their augmented forms; "<=", ">=".
      if (c1 == rest[0]) return c2 == '=' ? 3 : 2;
      return c1 == '=' ? 2 : 1;
    case '.':
      return c1 == '.' && c2 == '.' ? 3 : 1;
    case '-':
      return c1 == '>' || c1 == '=' ? 2 : 1;
    case '!':
      return c1 == '=' ? 2 : 0;
    case '+':
    case '%':
    case '@':
    case '&':
    case '|':
    case '^':
    case '=':
    case ':':
      return c1 == '=' ? 2 : 1;
    case '~':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case ',':
    case ';':
      return 1;
    default:
      return 0;
  }
}

class Tokenizer {
 public:
  Tokenizer(std::string_view src, const TokenizerLimits& limits,
            std::vector<Token>* out, SyntaxError* error, int first_line,
            int first_col, bool expression_only)
      : src_(src),
        limits_(limits),
        out_(out),
        error_(error),
        line_(first_line),
        line_start_col_adjust_(first_col - 1),
        expression_only_(expression_only) {}

  bool Run() {
    indents_.push_back(0);
    assumed_.push_back(false);
    bool at_line_start = !expression_only_;
    while (true) {
      if (at_line_start) {
        at_line_start = false;
        HandleIndent();
        if (pos_ >= src_.size()) break;
      }
      if (pos_ >= src_.size()) break;
      unsigned char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\f') {
        ++pos_;
        continue;
      }
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r')
          ++pos_;
        continue;
      }
      if (c == '\\') {
        size_t p = pos_ + 1;
        if (p < src_.size() && src_[p] == '\r') ++p;
        if (p < src_.size() && src_[p] == '\n') {
          pos_ = p + 1;
          NewLine();
          if (pos_ >= src_.size()) {
            Fail("unexpected end of file after line continuation");
          }
          continue;
        }
        Fail("unexpected character after line continuation character");
        EmitError(pos_, 1);
        ++pos_;
        continue;
      }
      if (c == '\n' || c == '\r') {
        ++pos_;
        if (c == '\r' && pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
        if (depth_ == 0 && !expression_only_) {
          if (!out_->empty() && out_->back().kind != TokenKind::kNewline &&
              out_->back().kind != TokenKind::kIndent &&
              out_->back().kind != TokenKind::kDedent) {
            Emit(TokenKind::kNewline, pos_ - 1, 0);
          }
          NewLine();
          at_line_start = true;
        } else {
          NewLine();
        }
        continue;
      }
      if (!CheckLineLength()) {
        EmitError(pos_, 0);
        SkipToEndOfLine();
        continue;
      }
      if (IsNameStart(c)) {
        size_t start = pos_;
        while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
        if (pos_ < src_.size() && (src_[pos_] == '"' || src_[pos_] == '\'') &&
            IsStringPrefix(src_.substr(start, pos_ - start))) {
          String(start);
          continue;
        }
        Emit(TokenKind::kName, start, pos_ - start);
        continue;
      }
      if (IsDigit(c) ||
          (c == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1]))) {
        Number();
        continue;
      }
      if (c == '"' || c == '\'') {
        String(pos_);
        continue;
      }
      Operator();
    }
    if (depth_ > 0 && !expression_only_) {
      FailAt(open_lines_.back(), open_cols_.back(), "'(' was never closed");
    }
    if (!expression_only_) {
      if (!out_->empty() && out_->back().kind != TokenKind::kNewline &&
          out_->back().kind != TokenKind::kDedent) {
        Emit(TokenKind::kNewline, pos_, 0);
      }
      while (indents_.size() > 1) {
        PopIndent(pos_);
      }
    }
    Emit(TokenKind::kEnd, pos_, 0);
    return !failed_;
  }

 private:
  void NewLine() {
    ++line_;
    line_begin_ = pos_;
    line_start_col_adjust_ = 0;
  }

  int Col(size_t at) const {
    return static_cast<int>(at - line_begin_) + 1 + line_start_col_adjust_;
  }

  void Emit(TokenKind kind, size_t start, size_t len) {
    const int line = token_line_ ? token_line_ : line_;
    const int col = token_line_ ? token_col_ : Col(start);
    token_line_ = 0;
    // Written in place: a token assembled field by field on the stack,
    // then copied whole, waited for its fields' stores to land.
    Token& t = out_->emplace_back();
    t.kind = kind;
    t.text = src_.substr(start, len);
    t.line = line;
    t.col = col;
  }

  // Errors: the first one is kept, and the tokenizer carries on after
  // each (see Tokenize).
  bool Fail(const std::string& message) {
    return FailAt(line_, Col(pos_ < src_.size() ? pos_ : src_.size()), message);
  }
  bool FailAt(int line, int col, const std::string& message) {
    if (!failed_) {
      failed_ = true;
      error_->line = line;
      error_->col = col;
      error_->message = message;
    }
    return false;
  }

  // A kError token over src_[start, start + len): the statement holding it
  // does not parse.
  void EmitError(size_t start, size_t len) {
    Emit(TokenKind::kError, start, len);
  }

  // A kError token over an unterminated string, placed where it starts
  // (it may span lines).
  void EmitStringError(size_t start, int start_line, int start_col) {
    token_line_ = start_line;
    token_col_ = start_col;
    EmitError(start, pos_ - start);
  }

  void SkipToEndOfLine() {
    while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') {
      ++pos_;
    }
  }

  // Leaves the innermost indentation level: a DEDENT unless the level was
  // only assumed after an unindent that matched no outer level.
  void PopIndent(size_t at) {
    bool assumed = assumed_.back();
    indents_.pop_back();
    assumed_.pop_back();
    if (!assumed) Emit(TokenKind::kDedent, at, 0);
  }

  bool CheckLineLength() {
    if (pos_ - line_begin_ > limits_.max_line_bytes) {
      return FailAt(
          line_, 1,
          absl::StrCat("line longer than ", limits_.max_line_bytes, " bytes"));
    }
    return true;
  }

  // At the start of a logical line: measure indentation, skip blank and
  // comment-only lines, emit INDENT/DEDENT.
  void HandleIndent() {
    while (true) {
      int col = 0;
      size_t p = pos_;
      while (p < src_.size()) {
        char c = src_[p];
        if (c == ' ') {
          ++col;
        } else if (c == '\t') {
          col = (col / 8 + 1) * 8;
        } else if (c == '\f') {
          col = 0;
        } else {
          break;
        }
        ++p;
      }
      if (p >= src_.size()) {
        pos_ = p;
        return;
      }
      char c = src_[p];
      if (c == '#' || c == '\n' || c == '\r') {
        while (p < src_.size() && src_[p] != '\n' && src_[p] != '\r') ++p;
        if (p - line_begin_ > limits_.max_line_bytes) {
          pos_ = p;
          CheckLineLength();
          return;
        }
        if (p >= src_.size()) {
          pos_ = p;
          return;
        }
        if (src_[p] == '\r' && p + 1 < src_.size() && src_[p + 1] == '\n') ++p;
        pos_ = p + 1;
        NewLine();
        continue;
      }
      if (c == '\\') {
        // A continuation at the start of a line: treat as indentation.
        pos_ = p;
        return;
      }
      pos_ = p;
      if (col > indents_.back()) {
        if (static_cast<int>(indents_.size()) > limits_.max_indent_depth) {
          // The line is left out, at the current level.
          Fail("too many levels of indentation");
          EmitError(p, 0);
          SkipToEndOfLine();
          return;
        }
        indents_.push_back(col);
        assumed_.push_back(false);
        Emit(TokenKind::kIndent, p, 0);
      } else {
        while (col < indents_.back()) PopIndent(p);
        if (col != indents_.back()) {
          // The line starts a level of its own, which emits no tokens: the
          // lines after it at the same indentation parse in the block that
          // encloses it.
          Fail("unindent does not match any outer indentation level");
          EmitError(p, 0);
          indents_.push_back(col);
          assumed_.push_back(true);
        }
      }
      return;
    }
  }

  void Number() {
    size_t start = pos_;
    bool radix = false;
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() &&
        strchr("xXoObB", src_[pos_ + 1]) != nullptr && src_[pos_ + 1] != 0) {
      radix = true;
      pos_ += 2;
    }
    while (pos_ < src_.size()) {
      unsigned char c = src_[pos_];
      if (IsNameChar(c) || c == '.') {
        if (!radix && (c == 'e' || c == 'E') && pos_ + 1 < src_.size() &&
            (src_[pos_ + 1] == '+' || src_[pos_ + 1] == '-')) {
          pos_ += 2;
          continue;
        }
        if (c >= 0x80) break;
        ++pos_;
        continue;
      }
      break;
    }
    std::string_view text = src_.substr(start, pos_ - start);
    if (!radix && text.size() > 1 && text[0] == '0') {
      bool all_digits = true;
      bool nonzero = false;
      for (char ch : text) {
        if (ch == '_') continue;
        if (!IsDigit(ch)) all_digits = false;
        if (ch != '0') nonzero = true;
      }
      if (all_digits && nonzero) {
        token_line_ = 0;
        FailAt(line_, Col(start),
               "leading zeros in decimal integer literals are not "
               "permitted");
        EmitError(start, pos_ - start);
        return;
      }
    }
    // Trailing letters other than the ones Python allows are a juxtaposed
    // name ("1if x else y"): split them off.
    size_t keep = text.size();
    if (!radix) {
      size_t i = 0;
      while (i < text.size()) {
        char ch = text[i];
        if (IsDigit(ch) || ch == '_' || ch == '.') {
          ++i;
        } else if ((ch == 'e' || ch == 'E') && i + 1 < text.size() &&
                   (IsDigit(text[i + 1]) || text[i + 1] == '+' ||
                    text[i + 1] == '-')) {
          i += 2;
        } else if (ch == 'j' || ch == 'J') {
          ++i;
          break;
        } else {
          break;
        }
      }
      keep = i;
    }
    pos_ = start + keep;
    Emit(TokenKind::kNumber, start, keep);
  }

  // An unterminated string is a kError token up to the end of its line (of
  // the file, for a triple-quoted one).
  void String(size_t start) {
    int start_line = line_;
    int start_col = Col(start);
    size_t q = pos_;
    char quote = src_[q];
    bool raw = false;
    for (size_t i = start; i < q; ++i) {
      if ((src_[i] | 0x20) == 'r') raw = true;
    }
    (void)raw;
    bool triple =
        q + 2 < src_.size() && src_[q + 1] == quote && src_[q + 2] == quote;
    pos_ = q + (triple ? 3 : 1);
    while (true) {
      // The bytes that need no look (no escape, line end or quote) at once,
      // up to where the line grows past the limit (tested below, as for
      // any byte).
      std::size_t stop = src_.size();
      if (limits_.max_line_bytes < stop - line_begin_) {
        stop = line_begin_ + limits_.max_line_bytes + 1;
      }
      while (pos_ < stop) {
        const char d = src_[pos_];
        if (d == '\\' || d == '\n' || d == '\r' || d == quote) break;
        ++pos_;
      }
      if (pos_ >= src_.size()) {
        FailAt(start_line, start_col,
               triple ? "unterminated triple-quoted string literal"
                      : "unterminated string literal");
        EmitStringError(start, start_line, start_col);
        return;
      }
      char c = src_[pos_];
      if (c == '\\') {
        pos_ += 1;
        if (pos_ < src_.size()) {
          char n = src_[pos_];
          ++pos_;
          if (n == '\r' && pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
          if (n == '\n' || n == '\r') NewLine();
        }
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) {
          FailAt(start_line, start_col, "unterminated string literal");
          EmitStringError(start, start_line, start_col);
          return;
        }
        ++pos_;
        if (c == '\r' && pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
        NewLine();
        continue;
      }
      if (pos_ - line_begin_ > limits_.max_line_bytes) {
        CheckLineLength();
        EmitStringError(start, start_line, start_col);
        SkipToEndOfLine();
        return;
      }
      if (c == quote) {
        if (!triple) {
          ++pos_;
          break;
        }
        if (pos_ + 2 < src_.size() && src_[pos_ + 1] == quote &&
            src_[pos_ + 2] == quote) {
          pos_ += 3;
          break;
        }
      }
      ++pos_;
    }
    token_line_ = start_line;
    token_col_ = start_col;
    Emit(TokenKind::kString, start, pos_ - start);
  }

  // An operator; a character that is none, or a bracket that matches none,
  // is a kError token.
  void Operator() {
    size_t start = pos_;
    size_t len = OperatorLength(src_.substr(pos_));
    if (len > 1) {
      pos_ += len;
      Emit(TokenKind::kOp, start, len);
      return;
    }
    char c = src_[pos_];
    if (c == '!' && expression_only_) {
      // f-string conversion marker; the parser stops before it.
      ++pos_;
      Emit(TokenKind::kOp, start, 1);
      return;
    }
    if (len == 1) {
      if (c == '(' || c == '[' || c == '{') {
        if (depth_ >= limits_.max_paren_depth) {
          // The rest of the file is left out.
          Fail("too many nested parentheses");
          EmitError(pos_, 1);
          pos_ = src_.size();
          return;
        }
        ++depth_;
        open_lines_.push_back(line_);
        open_cols_.push_back(Col(pos_));
        open_chars_.push_back(c);
      } else if (c == ')' || c == ']' || c == '}') {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (depth_ == 0) {
          Fail(absl::StrCat("unmatched '", std::string(1, c), "'"));
          EmitError(pos_++, 1);
          return;
        }
        if (open_chars_.back() != want) {
          Fail(absl::StrCat("closing parenthesis '", std::string(1, c),
                            "' does not match opening parenthesis '",
                            std::string(1, open_chars_.back()), "'"));
          EmitError(pos_++, 1);
          return;
        }
        --depth_;
        open_lines_.pop_back();
        open_cols_.pop_back();
        open_chars_.pop_back();
      }
      ++pos_;
      Emit(TokenKind::kOp, start, 1);
      return;
    }
    if (c == '\0') {
      Fail("source contains a NUL byte");
    } else {
      Fail(absl::StrCat("invalid character '", std::string(1, c), "'"));
    }
    EmitError(pos_++, 1);
  }

  std::string_view src_;
  const TokenizerLimits& limits_;
  std::vector<Token>* out_;
  SyntaxError* error_;
  size_t pos_ = 0;
  int line_;
  size_t line_begin_ = 0;
  int line_start_col_adjust_;
  bool expression_only_;
  bool failed_ = false;
  int depth_ = 0;
  std::vector<int> open_lines_, open_cols_;
  std::vector<char> open_chars_;
  std::vector<int> indents_;
  std::vector<bool> assumed_;  // per level: see PopIndent
  int token_line_ = 0;
  int token_col_ = 0;
};

}  // namespace

bool Tokenize(std::string_view source, const TokenizerLimits& limits,
              std::vector<Token>* tokens, SyntaxError* error, int first_line,
              int first_col, bool expression_only) {
  // About a token per three to four bytes of Python: room for them all up
  // front (reserving a token per four bytes regrew the vector once per
  // module, a third of the time tokenizing took).
  tokens->reserve(tokens->size() + source.size() / 3 + 16);
  Tokenizer t(source, limits, tokens, error, first_line, first_col,
              expression_only);
  return t.Run();
}

}  // namespace leastpriv::pyscan
