// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Python 3 tokenizer and light structural parser: the syntax tree the
// scanner's analysis walks. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_SYNTAX_H_
#define LEASTPRIV_LIB_PYSCAN_SYNTAX_H_

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace leastpriv::pyscan {

enum class TokenKind {
  kName,
  kNumber,
  kString,
  kOp,
  kNewline,
  kIndent,
  kDedent,
  kError,  // text the tokenizer could not read (see Tokenize)
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // into the source (strings: prefix + quotes + body)
  int line = 0;
  int col = 0;  // from 1
};

struct TokenizerLimits {
  std::size_t max_line_bytes = 1u << 20;
  int max_paren_depth = 200;
  int max_indent_depth = 100;
};

// A positioned syntax problem: "line:col: message" is how it prints.
struct SyntaxError {
  int line = 0;
  int col = 0;
  std::string message;
};

// Tokenizes `source`. On failure returns false and sets *error to the first
// error, but still fills *tokens: what could not be read is a kError token
// (an unterminated string, an unknown character, an unmatched bracket, a
// line indented deeper than the limit or to no outer level) and the rest
// is tokenized as usual; past too many nested brackets the rest of the
// source is left out. The stream always ends with kEnd.
// `first_line` numbers the first line (for f-string replacement fields).
bool Tokenize(std::string_view source, const TokenizerLimits& limits,
              std::vector<Token>* tokens, SyntaxError* error,
              int first_line = 1, int first_col = 1,
              bool expression_only = false);

struct Expr;

// One piece of a string literal: literal text, or a replacement field.
struct StringPart {
  std::string text;
  Expr* field = nullptr;
};

struct Keyword {
  std::string name;  // empty for **kwargs
  Expr* value = nullptr;
};

struct Expr {
  enum class Kind {
    kName,       // name
    kAttribute,  // children[0].name
    kCall,       // children[0](children[1..], keywords)
    kSubscript,  // children[0][children[1]]
    kString,     // parts (f-strings have fields)
    kNumber,     // name = text
    kConst,      // True/False/None/...
    kDict,       // children = k0, v0, k1, v1 (k == nullptr for **d)
    kList,
    kTuple,
    kSet,
    kBinOp,    // name = operator, children = {left, right}
    kStarred,  // children[0]
    // name = "list", "set", "dict" or "gen"; children = element (for dict:
    // a kOther of key and value), then per `for` clause its target and
    // iterable, each followed by its `if` conditions.
    kComprehension,
    kOther,  // anything else (children are sub-expressions)
  };
  // The lists allocate from `memory` (the module's, see Module::memory).
  explicit Expr(
      std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : children(memory), keywords(memory), parts(memory) {}

  Kind kind = Kind::kOther;
  int line = 0;
  std::string name;
  std::pmr::vector<Expr*> children;
  std::pmr::vector<Keyword> keywords;
  std::pmr::vector<StringPart> parts;
  bool is_fstring = false;
  bool is_bytes = false;
};

struct ImportName {
  std::string module;  // "a.b" (for `from`, the module text after dots)
  std::string name;    // imported name for `from`, empty for `import`
  std::string asname;  // bound name
  int level = 0;       // leading dots
};

struct Param {
  std::string name;
  Expr* default_value = nullptr;
  int star = 0;  // 1 for *args, 2 for **kwargs
};

struct Stmt;
using StmtList = std::pmr::vector<Stmt*>;

struct Stmt {
  enum class Kind {
    kExpr,
    kAssign,  // targets (one per '='), value
    kAugAssign,
    kImport,
    kReturn,
    kDef,
    kClass,
    kBlock,  // if/while/try/match: header exprs in targets, nested bodies
    kFor,    // targets[0] in value
    kWith,   // items: with_ctx[i] as with_targets[i]
    kGlobal,  // global/nonlocal (name): the declared names in targets
    kOther,
  };
  // targets, body and orelse allocate from `memory` (see Module::memory).
  explicit Stmt(
      std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : targets(memory), body(memory), orelse(memory) {}

  Kind kind = Kind::kOther;
  int line = 0;
  std::pmr::vector<Expr*> targets;
  Expr* value = nullptr;
  std::vector<ImportName> imports;
  std::string name;             // def/class name
  std::vector<Param> params;    // def
  std::vector<Expr*> bases;     // class bases
  std::vector<Expr*> with_ctx;  // with items
  std::vector<Expr*> with_targets;
  StmtList body;
  StmtList orelse;  // elif/else/except/finally/case bodies
};

// A call site as the oracle test defines it: the callee rendered as written
// ("a.b", "f()" for a call result, "x[]" for a subscript, "?" otherwise)
// and the line where the call expression starts.
struct CallSite {
  std::string callee;
  int line = 0;
};

// Owns the nodes of one module in blocks of kBlockSize: a node costs no heap
// allocation of its own (a std::deque of these large nodes allocates every
// few nodes) and node addresses stay stable. Nodes are constructed from
// `args` (for Expr, the module's memory resource).
template <typename T>
class NodePool {
 public:
  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;
  ~NodePool() {
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      std::size_t n = b + 1 == blocks_.size() ? used_ : kBlockSize;
      for (std::size_t i = 0; i < n; ++i) {
        std::launder(reinterpret_cast<T*>(Slot(b, i)))->~T();
      }
    }
  }

  template <typename... Args>
  T* New(Args&&... args) {
    if (used_ == kBlockSize) {
      blocks_.push_back(std::make_unique<Block>());
      used_ = 0;
    }
    T* node =
        new (Slot(blocks_.size() - 1, used_)) T(std::forward<Args>(args)...);
    ++used_;
    return node;
  }

  // Nodes allocated so far.
  std::size_t size() const {
    return blocks_.empty() ? 0 : (blocks_.size() - 1) * kBlockSize + used_;
  }

 private:
  static constexpr std::size_t kBlockSize = 32;
  struct Block {
    alignas(T) unsigned char bytes[kBlockSize * sizeof(T)];
  };
  void* Slot(std::size_t block, std::size_t i) {
    return blocks_[block]->bytes + i * sizeof(T);
  }

  std::vector<std::unique_ptr<Block>> blocks_;
  std::size_t used_ = kBlockSize;
};

struct Module {
  StmtList body;
  // Empty unless ParseLimits::record_calls. Those of the statements in the
  // tree (a statement partly kept after an error keeps all of its own).
  std::vector<CallSite> calls;
  // All string-literal tokens (for secret detection): value + line.
  std::vector<std::pair<std::string, int>> strings;
  // Backs the lists inside nodes: they are many and small, and all
  // die with the module, so they are carved from blocks and never freed one
  // by one. Declared before the pools, which must be destroyed first.
  std::pmr::monotonic_buffer_resource memory;
  NodePool<Expr> expr_arena;
  NodePool<Stmt> stmt_arena;
};

struct ParseLimits {
  TokenizerLimits tokenizer;
  int max_nesting = 200;
  // Whether to fill Module::calls; the scanner's analysis does not read it.
  bool record_calls = true;
};

// Parses a whole Python 3 module. Errors are InvalidArgument with
// "line:col: message" and *error_line set: the first error of the
// tokenizer, else the first statement that failed to parse. A statement
// that fails is skipped up to the next statement at its indentation (with
// the block it opens), and *module holds every statement that parsed; a
// source with a NUL byte (a binary file) is not parsed at all. Invalid
// UTF-8 is reported first and fails the statements it occurs in.
absl::Status ParseModule(std::string_view source, const ParseLimits& limits,
                         Module* module, int* error_line);

// Renders a callee expression per the CallSite definition.
std::string RenderCallee(const Expr* func);

// Literal value of a plain (non-f) string expression; false otherwise.
bool StringLiteralValue(const Expr* e, std::string* value);

// "a.b.c" for a Name/Attribute chain; empty otherwise.
std::string DottedName(const Expr* e);

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_SYNTAX_H_
