// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Python 3 tokenizer and light structural parser: the syntax tree the
// scanner's analysis walks. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_SYNTAX_H_
#define LEASTPRIV_LIB_PYSCAN_SYNTAX_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/node_hash_set.h"
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

inline std::size_t RoundToWord(std::size_t bytes) {
  return (bytes + sizeof(void*) - 1) / sizeof(void*) * sizeof(void*);
}

// Where the lists of a module being parsed grow: blocks handed out one
// after the other, none freed alone, all reused once Reset. The parser
// sets one for its thread (CurrentListScratch) and, once the module is
// parsed, moves every list to its room (Module::list_room): parsing makes
// no heap allocation per list.
class ListScratch {
 public:
  void* Allocate(std::size_t bytes) {
    bytes = RoundToWord(bytes);
    if (chunk_ == chunks_.size() || used_ + bytes > ChunkWords(chunk_) * 8) {
      NextChunk(bytes);
    }
    void* at = reinterpret_cast<char*>(chunks_[chunk_].get()) + used_;
    used_ += bytes;
    return at;
  }
  // Makes every block handed out reusable. Chunks past the first are kept
  // for the next module, up to about 1 MB.
  void Reset() {
    std::size_t words = 0;
    for (std::size_t w : sizes_) words += w;
    if (words > 16 * kChunkWords && chunks_.size() > 1) {
      chunks_.resize(1);
      sizes_.resize(1);
    }
    chunk_ = 0;
    used_ = 0;
  }

 private:
  static constexpr std::size_t kChunkWords = 8192;  // 64 KB
  std::size_t ChunkWords(std::size_t i) const { return sizes_[i]; }
  void NextChunk(std::size_t bytes) {
    if (chunk_ < chunks_.size()) ++chunk_;
    used_ = 0;
    // A chunk kept from an earlier module is reused when the block fits.
    while (chunk_ < chunks_.size() && ChunkWords(chunk_) * 8 < bytes) {
      ++chunk_;
    }
    if (chunk_ == chunks_.size()) {
      std::size_t words = std::max(kChunkWords, bytes / 8);
      chunks_.emplace_back(new void*[words]);
      sizes_.push_back(words);
    }
  }

  std::vector<std::unique_ptr<void*[]>> chunks_;
  std::vector<std::size_t> sizes_;  // in words
  std::size_t chunk_ = 0;           // the chunk in use
  std::size_t used_ = 0;            // bytes of it handed out
};

// The scratch the lists of the calling thread grow in; null: the heap.
inline ListScratch*& CurrentListScratch() {
  thread_local ListScratch* scratch = nullptr;
  return scratch;
}

// Flags in a list block's capacity word: not freed with the list (in a
// scratch or a room), and already in its room.
constexpr std::uint32_t kListNotOwned = 1u << 31;
constexpr std::uint32_t kListInRoom = 1u << 30;
constexpr std::uint32_t kListFlags = kListNotOwned | kListInRoom;

// A block of `bytes` for a list: from the thread's scratch when it has one
// (and then flagged not owned in *flags), else from the heap.
inline void* NewListBlock(std::size_t bytes, std::uint32_t* flags) {
  if (ListScratch* scratch = CurrentListScratch()) {
    *flags = kListNotOwned;
    return scratch->Allocate(bytes);
  }
  *flags = 0;
  return ::operator new(bytes);
}

// A list that costs one pointer while empty, for the lists of syntax nodes
// (most are empty or hold one or two elements). Its size and capacity live
// in front of the elements, in one heap block.
template <typename T>
class CompactList {
 public:
  CompactList() = default;
  CompactList(const CompactList&) = delete;
  CompactList& operator=(const CompactList&) = delete;
  ~CompactList() {
    clear();
    if (rep_ != nullptr && !(rep_->capacity & kListNotOwned)) {
      ::operator delete(rep_);
    }
  }

  std::size_t size() const { return rep_ == nullptr ? 0 : rep_->size; }
  bool empty() const { return size() == 0; }
  T* begin() { return data(); }
  T* end() { return data() + size(); }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  T& back() { return data()[size() - 1]; }
  const T& back() const { return data()[size() - 1]; }

  void push_back(T value) {
    if (rep_ == nullptr || rep_->size == Capacity()) {
      Grow(rep_ == nullptr ? 1 : 2 * Capacity());
    }
    new (data() + rep_->size) T(std::move(value));
    ++rep_->size;
  }

  // The bytes MoveToRoom takes.
  std::size_t RoomBytes() const {
    return size() == 0 ? 0 : RoundToWord(sizeof(Rep) + size() * sizeof(T));
  }
  // Moves the elements to an exactly sized block at `*room` (which is
  // advanced past it and must outlive the list), freeing the list's own.
  void MoveToRoom(char** room) {
    if (rep_ == nullptr || (rep_->capacity & kListInRoom)) return;
    Rep* moved = nullptr;
    if (size() != 0) {
      moved = reinterpret_cast<Rep*>(*room);
      *room += RoomBytes();
      moved->size = 0;
      moved->capacity = rep_->size | kListFlags;
      T* to = reinterpret_cast<T*>(moved + 1);
      for (std::size_t i = 0; i < size(); ++i) {
        new (to + i) T(std::move(data()[i]));
        data()[i].~T();
        ++moved->size;
      }
    }
    if (!(rep_->capacity & kListNotOwned)) ::operator delete(rep_);
    rep_ = moved;
  }

  // Shrinks to `n` elements (n <= size()).
  void resize(std::size_t n) {
    while (size() > n) {
      --rep_->size;
      data()[rep_->size].~T();
    }
  }

  void clear() { resize(0); }

  template <typename It>
  void assign(It first, It last) {
    clear();
    for (; first != last; ++first) push_back(*first);
  }

 private:
  struct alignas(T) alignas(std::uint64_t) Rep {
    std::uint32_t size;
    std::uint32_t capacity;  // and kListFlags
  };
  static_assert(alignof(Rep) == sizeof(void*) && sizeof(T) % sizeof(void*) == 0,
                "a block in a room keeps the next one aligned");
  std::size_t Capacity() const { return rep_->capacity & ~kListFlags; }
  T* data() const {
    return rep_ == nullptr ? nullptr : reinterpret_cast<T*>(rep_ + 1);
  }
  void Grow(std::size_t capacity) {
    std::uint32_t flags = 0;
    Rep* grown = static_cast<Rep*>(
        NewListBlock(sizeof(Rep) + capacity * sizeof(T), &flags));
    grown->size = 0;
    grown->capacity = static_cast<std::uint32_t>(capacity) | flags;
    T* to = reinterpret_cast<T*>(grown + 1);
    for (std::size_t i = 0; i < size(); ++i) {
      new (to + i) T(std::move(data()[i]));
      data()[i].~T();
      ++grown->size;
    }
    if (rep_ != nullptr && !(rep_->capacity & kListNotOwned)) {
      ::operator delete(rep_);
    }
    rep_ = grown;
  }

  Rep* rep_ = nullptr;
};

// A list of pointers (to nodes) holds its only element in place of the
// block pointer: most lists of nodes hold one (an attribute's object, an
// assignment's target, a one-statement body). A null or odd pointer is
// kept in a block. Elements are written by push_back only.
template <typename T>
class CompactList<T*> {
 public:
  CompactList() = default;
  CompactList(const CompactList&) = delete;
  CompactList& operator=(const CompactList&) = delete;
  ~CompactList() {
    if (InBlock() && !(block()->capacity & kListNotOwned)) {
      ::operator delete(block());
    }
  }

  std::size_t size() const {
    if (InBlock()) return block()->size;
    return slot_ == nullptr ? 0 : 1;
  }
  bool empty() const { return size() == 0; }
  T* const* begin() const { return data(); }
  T* const* end() const { return data() + size(); }
  T* operator[](std::size_t i) const { return data()[i]; }
  T* back() const { return data()[size() - 1]; }

  void push_back(T* value) {
    if (slot_ == nullptr && value != nullptr &&
        (reinterpret_cast<std::uintptr_t>(value) & 1) == 0) {
      slot_ = value;
      return;
    }
    if (!InBlock()) {
      T* first = slot_;
      Block* b = NewBlock(first == nullptr ? 1 : 2);
      if (first != nullptr) {
        reinterpret_cast<T**>(b + 1)[0] = first;
        b->size = 1;
      }
      SetBlock(b);
    } else if (block()->size == (block()->capacity & ~kListFlags)) {
      Block* old = block();
      Block* b = NewBlock(2 * (old->capacity & ~kListFlags));
      std::memcpy(b + 1, old + 1, old->size * sizeof(T*));
      b->size = old->size;
      if (!(old->capacity & kListNotOwned)) ::operator delete(old);
      SetBlock(b);
    }
    reinterpret_cast<T**>(block() + 1)[block()->size++] = value;
  }

  // The bytes MoveToRoom takes (a list kept in place takes none).
  std::size_t RoomBytes() const {
    return InBlock() ? RoundToWord(sizeof(Block) + size() * sizeof(T*)) : 0;
  }
  // Moves a block of elements to an exactly sized one at `*room` (which is
  // advanced past it and must outlive the list), freeing the list's own.
  void MoveToRoom(char** room) {
    if (!InBlock() || (block()->capacity & kListInRoom)) return;
    Block* old = block();
    Block* b = reinterpret_cast<Block*>(*room);
    *room += RoomBytes();
    b->size = old->size;
    b->capacity = old->size | kListFlags;
    std::memcpy(b + 1, old + 1, old->size * sizeof(T*));
    if (!(old->capacity & kListNotOwned)) ::operator delete(old);
    SetBlock(b);
  }

  // Shrinks to `n` elements (n <= size()).
  void resize(std::size_t n) {
    if (InBlock()) {
      block()->size = static_cast<std::uint32_t>(n);
    } else if (n == 0) {
      slot_ = nullptr;
    }
  }

  void clear() { resize(0); }

  template <typename It>
  void assign(It first, It last) {
    clear();
    for (; first != last; ++first) push_back(*first);
  }

 private:
  struct alignas(T*) alignas(std::uint64_t) Block {
    std::uint32_t size;
    std::uint32_t capacity;  // and kListFlags
  };
  static Block* NewBlock(std::size_t capacity) {
    std::uint32_t flags = 0;
    Block* b = static_cast<Block*>(
        NewListBlock(sizeof(Block) + capacity * sizeof(T*), &flags));
    b->size = 0;
    b->capacity = static_cast<std::uint32_t>(capacity) | flags;
    return b;
  }
  bool InBlock() const {
    return (reinterpret_cast<std::uintptr_t>(slot_) & 1) != 0;
  }
  Block* block() const {
    return reinterpret_cast<Block*>(reinterpret_cast<std::uintptr_t>(slot_) &
                                    ~std::uintptr_t{1});
  }
  void SetBlock(Block* b) {
    slot_ = reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(b) | 1);
  }
  T* const* data() const {
    if (InBlock()) return reinterpret_cast<T* const*>(block() + 1);
    return &slot_;
  }

  // Null: empty; an even pointer: the only element; else (low bit set) the
  // block of elements.
  T* slot_ = nullptr;
};

// An identifier (or an operator, a number's text, a dotted module name)
// of a syntax node: a pointer to its text, kept once in a NameTable. It
// reads as a const std::string&.
class Name {
 public:
  Name() : text_(&Empty()) {}
  explicit Name(const std::string* text) : text_(text) {}

  operator const std::string&() const { return *text_; }  // NOLINT
  operator std::string_view() const { return *text_; }    // NOLINT
  const std::string& str() const { return *text_; }
  const char* c_str() const { return text_->c_str(); }
  bool empty() const { return text_->empty(); }
  std::size_t size() const { return text_->size(); }
  char operator[](std::size_t i) const { return (*text_)[i]; }
  char back() const { return text_->back(); }
  std::string substr(std::size_t pos, std::size_t n = std::string::npos) const {
    return text_->substr(pos, n);
  }
  std::size_t find(std::string_view t, std::size_t pos = 0) const {
    return text_->find(t, pos);
  }
  std::size_t find(char c, std::size_t pos = 0) const {
    return text_->find(c, pos);
  }
  std::size_t rfind(char c, std::size_t pos = std::string::npos) const {
    return text_->rfind(c, pos);
  }
  int compare(std::size_t pos, std::size_t n, std::string_view t) const {
    return text_->compare(pos, n, t);
  }

  friend bool operator==(const Name& a, const Name& b) {
    return a.text_ == b.text_ || *a.text_ == *b.text_;
  }
  friend bool operator!=(const Name& a, const Name& b) { return !(a == b); }
  friend bool operator==(const Name& a, std::string_view b) {
    return *a.text_ == b;
  }
  friend bool operator!=(const Name& a, std::string_view b) {
    return *a.text_ != b;
  }
  friend bool operator==(std::string_view a, const Name& b) {
    return a == *b.text_;
  }
  friend bool operator!=(std::string_view a, const Name& b) {
    return a != *b.text_;
  }
  friend bool operator<(const Name& a, const Name& b) {
    return *a.text_ < *b.text_;
  }
  friend bool operator<(const Name& a, std::string_view b) {
    return std::string_view(*a.text_) < b;
  }
  friend bool operator<(std::string_view a, const Name& b) {
    return a < std::string_view(*b.text_);
  }
  friend std::string operator+(const std::string& a, const Name& b) {
    return a + *b.text_;
  }
  friend std::string operator+(const char* a, const Name& b) {
    return a + *b.text_;
  }
  friend std::string operator+(const Name& a, const std::string& b) {
    return *a.text_ + b;
  }
  friend std::string operator+(const Name& a, const char* b) {
    return *a.text_ + b;
  }

 private:
  static const std::string& Empty() {
    static const std::string* const kEmpty = new std::string;
    return *kEmpty;
  }

  const std::string* text_;
};

// One name an import statement binds. The same imports repeat across a
// project's files, so each distinct one is kept once, in the NameTable
// (NameTable::InternImport), and a statement lists pointers to them.
struct ImportName {
  Name module;    // "a.b" (for `from`, the module text after dots)
  Name name;      // imported name for `from`, empty for `import`
  Name asname;    // bound name
  int level = 0;  // leading dots
};

// Keeps each distinct name once, for the modules parsed with it (which it
// must outlive). Safe to use from several threads, unless made for one
// thread (`one_thread`: no locking).
class NameTable {
 public:
  NameTable() = default;
  explicit NameTable(bool one_thread) : one_thread_(one_thread) {}
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;

  Name Intern(std::string_view text);
  // How many distinct texts are kept.
  std::size_t size();
  // The one ImportName equal to `n`, kept as long as the table.
  const ImportName* InternImport(const ImportName& n);

 private:
  struct ImportHash {
    std::size_t operator()(const ImportName& n) const;
  };
  struct ImportEq {
    bool operator()(const ImportName& a, const ImportName& b) const {
      return a.level == b.level && a.module == b.module && a.name == b.name &&
             a.asname == b.asname;
    }
  };

  const bool one_thread_ = false;
  std::mutex mu_;
  absl::node_hash_set<std::string> names_;
  // The names found last, by the low bits of their hash (guarded like
  // names_): a module repeats its names, and a large table's probes miss
  // the cache. Allocated on first use.
  static constexpr std::size_t kRecent = 1024;
  struct Recent {
    const std::string* text = nullptr;
    std::uint64_t first = 0;  // its first 8 bytes (see Intern)
    std::size_t size = 0;
  };
  std::unique_ptr<Recent[]> recent_;
  absl::node_hash_set<ImportName, ImportHash, ImportEq> imports_;
};

// Room for the lists of one of several alternatives, each of `n` lists
// of one pointer's size (CompactList). The owner keeps which alternative
// is there (0: none) in a byte of its own, `*tag`, so the room costs no
// padding: the first write of an alternative's list makes it the one
// there (`MakeFn()(want, at)` constructs its lists at `at`, `DestroyFn()`
// destroys them). Reading another alternative's list gives an empty list.
template <int n, typename MakeFn, typename DestroyFn>
class ListSlots {
 public:
  ListSlots() = default;
  ListSlots(const ListSlots&) = delete;
  ListSlots& operator=(const ListSlots&) = delete;

  template <typename L>
  const L& Get(std::uint8_t tag, std::uint8_t want, int i) const {
    static_assert(sizeof(L) == sizeof(void*), "a list is one pointer");
    if (tag != want) {
      static const L* const kEmpty = new L();
      return *kEmpty;
    }
    return *std::launder(reinterpret_cast<const L*>(room_ + i));
  }
  template <typename L>
  L& Make(std::uint8_t* tag, std::uint8_t want, int i) {
    if (*tag != want) {
      Clear(tag);
      MakeFn()(want, room_);
      *tag = want;
    }
    return *std::launder(reinterpret_cast<L*>(room_ + i));
  }
  void Clear(std::uint8_t* tag) {
    if (*tag != 0) DestroyFn()(*tag, room_);
    *tag = 0;
  }
  // Slot i, whatever is there.
  const void* slot(int i) const { return room_ + i; }
  void* slot(int i) { return room_ + i; }

 private:
  void* room_[n] = {};
};

struct Expr;

// One piece of a string literal: literal text, or a replacement field.
struct StringPart {
  Name text;  // kept in the NameTable: literals repeat across a project
  Expr* field = nullptr;
};

// A string's parts (Expr::parts): those of a list, or one literal part
// made from the text its node keeps. Read it while it lives (a part of one
// is in it).
class StringParts {
 public:
  StringParts() = default;
  explicit StringParts(const CompactList<StringPart>* list) : list_(list) {}
  explicit StringParts(Name text) : one_{text, nullptr}, is_one_(true) {}

  const StringPart* begin() const {
    if (is_one_) return &one_;
    return list_ == nullptr ? nullptr : list_->begin();
  }
  const StringPart* end() const { return begin() + size(); }
  std::size_t size() const {
    if (is_one_) return 1;
    return list_ == nullptr ? 0 : list_->size();
  }
  bool empty() const { return size() == 0; }
  const StringPart& operator[](std::size_t i) const { return begin()[i]; }
  const StringPart& back() const { return begin()[size() - 1]; }
  // What the list takes in a room (see CompactList::RoomBytes).
  std::size_t RoomBytes() const {
    return list_ == nullptr ? 0 : list_->RoomBytes();
  }

 private:
  const CompactList<StringPart>* list_ = nullptr;
  StringPart one_;
  bool is_one_ = false;
};

struct Keyword {
  Name name;  // empty for **kwargs
  Expr* value = nullptr;
};

struct Expr {
  enum class Kind : std::uint8_t {
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

  // A leaf: see children().
  Expr() : is_fstring(false), is_bytes(false) {}
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  ~Expr() { Switch(kSlotName); }

  // The sub-expressions (see Kind). A name, a number, a constant or a
  // string has none: the parser makes it a leaf, an Expr without room for
  // them (8 bytes smaller); other expressions are an ExprWithChildren.
  // A leaf's children read as empty.
  inline const CompactList<Expr*>& children() const;
  // Not on a leaf (aborts).
  inline CompactList<Expr*>& mutable_children();
  bool is_leaf() const { return !has_children_; }

  // A call has no name and a string neither (the parser names neither):
  // the name, a call's keywords and a string's parts share one place, and
  // `extra_tag_` says which is there. Each reads as empty while another
  // is there; a mutable_ accessor makes its own the one there.
  const Name& name() const {
    if (extra_tag_ != kSlotName) {
      static const Name* const kEmpty = new Name();
      return *kEmpty;
    }
    return slot_.name;
  }
  Name& mutable_name() {
    Switch(kSlotName);
    return slot_.name;
  }
  // A call's keywords; empty for any other expression.
  const CompactList<Keyword>& keywords() const {
    if (extra_tag_ != kSlotKeywords) {
      static const CompactList<Keyword>* const kEmpty =
          new CompactList<Keyword>();
      return *kEmpty;
    }
    return slot_.keywords;
  }
  CompactList<Keyword>& mutable_keywords() {
    Switch(kSlotKeywords);
    return slot_.keywords;
  }
  // A string's parts; empty for any other expression. A string of one
  // literal part (most are) keeps its text in the node once its lists are
  // moved to a room (MoveToRoom): then the part is made when read.
  StringParts parts() const {
    if (extra_tag_ == kSlotText) return StringParts(slot_.name);
    if (extra_tag_ == kSlotParts) return StringParts(&slot_.parts);
    return StringParts();
  }
  CompactList<StringPart>& mutable_parts() {
    if (extra_tag_ == kSlotText) {
      const Name text = slot_.name;
      Switch(kSlotParts);
      slot_.parts.push_back({text, nullptr});
    }
    Switch(kSlotParts);
    return slot_.parts;
  }

  // What moving the node's lists to a room takes (CompactList::RoomBytes),
  // and moving them.
  std::size_t RoomBytes() const {
    return children().RoomBytes() + keywords().RoomBytes() +
           (OneLiteralPart() ? 0 : parts().RoomBytes());
  }
  void MoveToRoom(char** room) {
    if (has_children_) mutable_children().MoveToRoom(room);
    if (extra_tag_ == kSlotKeywords) slot_.keywords.MoveToRoom(room);
    if (OneLiteralPart()) {
      const Name text = slot_.parts[0].text;
      Switch(kSlotText);
      slot_.name = text;
    } else if (extra_tag_ == kSlotParts) {
      slot_.parts.MoveToRoom(room);
    }
  }

  Kind kind = Kind::kOther;
  bool is_fstring : 1;
  bool is_bytes : 1;

 protected:
  struct WithChildren {};
  explicit Expr(WithChildren) : Expr() { has_children_ = true; }

 private:
  // kSlotText: the text of a string's one literal part, in slot_.name.
  enum : std::uint8_t { kSlotName = 0, kSlotKeywords, kSlotParts, kSlotText };
  bool OneLiteralPart() const {
    return extra_tag_ == kSlotParts && slot_.parts.size() == 1 &&
           slot_.parts[0].field == nullptr;
  }
  // Makes `want` the one in slot_ (an empty one, unless already there).
  void Switch(std::uint8_t want) {
    if (extra_tag_ == want) return;
    if (extra_tag_ == kSlotKeywords) slot_.keywords.~CompactList();
    if (extra_tag_ == kSlotParts) slot_.parts.~CompactList();
    switch (want) {
      case kSlotName:
      case kSlotText:
        new (&slot_.name) Name();
        break;
      case kSlotKeywords:
        new (&slot_.keywords) CompactList<Keyword>();
        break;
      default:
        new (&slot_.parts) CompactList<StringPart>();
    }
    extra_tag_ = want;
  }

  std::uint8_t extra_tag_ = kSlotName;  // in what would be padding
  bool has_children_ = false;

 public:
  int line = 0;

 private:
  union Slot {
    Slot() : name() {}
    ~Slot() {}
    Name name;
    CompactList<Keyword> keywords;
    CompactList<StringPart> parts;
  } slot_;
};

// An expression that may have sub-expressions (see Expr::children).
struct ExprWithChildren final : Expr {
  ExprWithChildren() : Expr(WithChildren()) {}
  CompactList<Expr*> children_list;
};

const CompactList<Expr*>& Expr::children() const {
  if (!has_children_) {
    static const CompactList<Expr*>* const kEmpty = new CompactList<Expr*>();
    return *kEmpty;
  }
  return static_cast<const ExprWithChildren*>(this)->children_list;
}

CompactList<Expr*>& Expr::mutable_children() {
  if (!has_children_) {
    std::fprintf(stderr, "pyscan: a leaf expression has no children\n");
    std::abort();
  }
  return static_cast<ExprWithChildren*>(this)->children_list;
}

struct Param {
  Name name;
  Expr* default_value = nullptr;
  int star = 0;  // 1 for *args, 2 for **kwargs
};

struct Stmt;
using StmtList = CompactList<Stmt*>;

struct Stmt {
  enum class Kind : std::uint8_t {
    kExpr,
    kAssign,  // targets (one per '='), value
    kAugAssign,
    kImport,
    kReturn,
    kDef,
    kClass,
    kBlock,   // if/while/try/match: header exprs in targets, nested bodies
    kFor,     // targets[0] in value
    kWith,    // items: with_ctx[i] as with_targets[i]
    kGlobal,  // global/nonlocal (name): the declared names in targets
    kOther,
  };

  // A simple statement: see body().
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // An expression statement, an assignment (also augmented) or a return
  // has only targets and a value: the parser makes it a simple statement,
  // a Stmt without room for a body and the other lists (24 bytes instead
  // of 48). Every other statement is a StmtWithLists. A simple
  // statement's lists read as empty, its name too; making one aborts.
  bool is_simple() const { return !has_lists_; }

  // The nested statements of a def, class, block, for or with.
  inline const StmtList& body() const;
  inline StmtList& mutable_body();

  // The lists only some kinds of statement have share one place (a
  // statement is one kind): each reads as empty on other statements.
  const CompactList<const ImportName*>& imports() const {  // import
    return Get<CompactList<const ImportName*>>(kImports, 0);
  }
  CompactList<const ImportName*>& mutable_imports() {
    return Make<CompactList<const ImportName*>>(kImports, 0);
  }
  const CompactList<Param>& params() const {  // def
    return Get<CompactList<Param>>(kParams, 0);
  }
  CompactList<Param>& mutable_params() {
    return MakeBesideName<CompactList<Param>>(kParams);
  }
  const CompactList<Expr*>& bases() const {  // class bases
    return Get<CompactList<Expr*>>(kBases, 0);
  }
  CompactList<Expr*>& mutable_bases() {
    return MakeBesideName<CompactList<Expr*>>(kBases);
  }
  const CompactList<Expr*>& with_ctx() const {  // with items
    return Get<CompactList<Expr*>>(kWith, 0);
  }
  CompactList<Expr*>& mutable_with_ctx() {
    return Make<CompactList<Expr*>>(kWith, 0);
  }
  const CompactList<Expr*>& with_targets() const {
    return Get<CompactList<Expr*>>(kWith, 1);
  }
  CompactList<Expr*>& mutable_with_targets() {
    return Make<CompactList<Expr*>>(kWith, 1);
  }
  // elif/else/except/finally/case bodies
  const StmtList& orelse() const { return Get<StmtList>(kOrelse, 0); }
  StmtList& mutable_orelse() { return Make<StmtList>(kOrelse, 0); }

  // A def's or class's name, or "global" / "nonlocal" for those
  // statements; empty for others. It has a place of the lists (which the
  // statements that have a name do not use, but for a def's parameters or
  // a class's bases, which are beside it).
  const Name& name() const {
    if (!HasName()) {
      static const Name* const kEmpty = new Name();
      return *kEmpty;
    }
    return *std::launder(reinterpret_cast<const Name*>(Slot(1)));
  }
  Name& mutable_name() {
    if (!HasName()) Make<Name>(kNamed, 1);
    return *std::launder(reinterpret_cast<Name*>(MutableSlot(1)));
  }

  // What moving the node's lists to a room takes (CompactList::RoomBytes),
  // and moving them.
  std::size_t RoomBytes() const {
    return targets.RoomBytes() + body().RoomBytes() + imports().RoomBytes() +
           params().RoomBytes() + bases().RoomBytes() + with_ctx().RoomBytes() +
           with_targets().RoomBytes() + orelse().RoomBytes();
  }
  void MoveToRoom(char** room) {
    targets.MoveToRoom(room);
    if (!has_lists_) return;
    mutable_body().MoveToRoom(room);
    switch (extra_tag_) {
      case kImports:
        mutable_imports().MoveToRoom(room);
        break;
      case kParams:
        mutable_params().MoveToRoom(room);
        break;
      case kBases:
        mutable_bases().MoveToRoom(room);
        break;
      case kWith:
        mutable_with_ctx().MoveToRoom(room);
        mutable_with_targets().MoveToRoom(room);
        break;
      case kOrelse:
        mutable_orelse().MoveToRoom(room);
        break;
      default:
        break;
    }
  }

  Kind kind = Kind::kOther;

 protected:
  struct WithLists {};
  explicit Stmt(WithLists) : has_lists_(true) {}
  std::uint8_t extra_tag_ = 0;  // in what would be padding: see ListSlots
  bool has_lists_ = false;

 public:
  int line = 0;
  CompactList<Expr*> targets;
  Expr* value = nullptr;

 private:
  friend struct StmtWithLists;
  // The lists and the name (see ListSlots), on a StmtWithLists.
  template <typename L>
  inline const L& Get(std::uint8_t want, int i) const;
  template <typename L>
  inline L& Make(std::uint8_t want, int i);
  inline const void* Slot(int i) const;
  inline void* MutableSlot(int i);

  // kParams and kBases have the name beside their list, kNamed only it.
  enum : std::uint8_t { kImports = 1, kParams, kBases, kWith, kOrelse, kNamed };
  bool HasName() const {
    return extra_tag_ == kParams || extra_tag_ == kBases ||
           extra_tag_ == kNamed;
  }
  // Makes the list `want` (kParams or kBases) there, keeping the name.
  template <typename L>
  L& MakeBesideName(std::uint8_t want) {
    if (extra_tag_ == want) return Make<L>(want, 0);
    Name name = this->name();
    L& list = Make<L>(want, 0);
    mutable_name() = name;
    return list;
  }
  struct Make2 {
    void operator()(std::uint8_t which, void* at) const {
      switch (which) {
        case kImports:
          new (at) CompactList<const ImportName*>();
          break;
        case kParams:
          new (at) CompactList<Param>();
          new (static_cast<void**>(at) + 1) Name();
          break;
        case kBases:
          new (at) CompactList<Expr*>();
          new (static_cast<void**>(at) + 1) Name();
          break;
        case kWith:
          new (at) CompactList<Expr*>();
          new (static_cast<void**>(at) + 1) CompactList<Expr*>();
          break;
        case kNamed:
          new (static_cast<void**>(at) + 1) Name();
          break;
        default:
          new (at) StmtList();
      }
    }
  };
  struct Destroy2 {
    void operator()(std::uint8_t which, void* at) const {
      switch (which) {
        case kImports:
          static_cast<CompactList<const ImportName*>*>(at)->~CompactList();
          break;
        case kParams:
          static_cast<CompactList<Param>*>(at)->~CompactList();
          break;
        case kBases:
          static_cast<CompactList<Expr*>*>(at)->~CompactList();
          break;
        case kWith:
          static_cast<CompactList<Expr*>*>(at)->~CompactList();
          reinterpret_cast<CompactList<Expr*>*>(static_cast<void**>(at) + 1)
              ->~CompactList();
          break;
        case kNamed:  // a Name needs no destruction
          break;
        default:
          static_cast<StmtList*>(at)->~CompactList();
      }
    }
  };
  using Lists = ListSlots<2, Make2, Destroy2>;
};

// A statement with room for a body and the other lists (see
// Stmt::is_simple).
struct StmtWithLists final : Stmt {
  StmtWithLists() : Stmt(WithLists()) {}
  ~StmtWithLists() { lists.Clear(&extra_tag_); }
  StmtList body_list;
  Lists lists;
};

const StmtList& Stmt::body() const {
  if (!has_lists_) {
    static const StmtList* const kEmpty = new StmtList();
    return *kEmpty;
  }
  return static_cast<const StmtWithLists*>(this)->body_list;
}

StmtList& Stmt::mutable_body() {
  if (!has_lists_) {
    std::fprintf(stderr, "pyscan: a simple statement has no body\n");
    std::abort();
  }
  return static_cast<StmtWithLists*>(this)->body_list;
}

template <typename L>
const L& Stmt::Get(std::uint8_t want, int i) const {
  if (extra_tag_ != want) {  // always so on a simple statement
    static const L* const kEmpty = new L();
    return *kEmpty;
  }
  return static_cast<const StmtWithLists*>(this)->lists.Get<L>(extra_tag_, want,
                                                               i);
}

template <typename L>
L& Stmt::Make(std::uint8_t want, int i) {
  if (!has_lists_) {
    std::fprintf(stderr, "pyscan: a simple statement has no lists\n");
    std::abort();
  }
  return static_cast<StmtWithLists*>(this)->lists.Make<L>(&extra_tag_, want, i);
}

const void* Stmt::Slot(int i) const {
  return static_cast<const StmtWithLists*>(this)->lists.slot(i);
}

void* Stmt::MutableSlot(int i) {
  return static_cast<StmtWithLists*>(this)->lists.slot(i);
}

static_assert(sizeof(void*) != 8 || sizeof(Expr) == 16, "Expr grew");
static_assert(sizeof(void*) != 8 || sizeof(ExprWithChildren) == 24,
              "ExprWithChildren grew");
static_assert(sizeof(void*) != 8 || sizeof(Stmt) == 24, "Stmt grew");
static_assert(sizeof(void*) != 8 || sizeof(StmtWithLists) == 48,
              "StmtWithLists grew");

// A call site as the oracle test defines it: the callee rendered as written
// ("a.b", "f()" for a call result, "x[]" for a subscript, "?" otherwise)
// and the line where the call expression starts.
struct CallSite {
  std::string callee;
  int line = 0;
};

// Nodes of one kind in chunks shared by the modules parsed in turn (on one
// thread) with the same NodeStore: a module takes a run of consecutive
// nodes, so a module leaves no half-empty block of its own, and a node
// costs no heap allocation of its own. Chunks grow from 512 bytes,
// doubling, to 16 KB; node addresses stay stable. The chunks are freed
// with the store (see NodeStore); each module destroys its own nodes.
template <typename T>
class NodeChunks {
 public:
  struct Chunk {
    Chunk* next;
    std::size_t capacity;  // in nodes
    T* nodes() { return reinterpret_cast<T*>(this + 1); }
  };
  static_assert(alignof(T) <= alignof(Chunk) && sizeof(Chunk) % 8 == 0,
                "nodes are 8-byte aligned after a chunk's header");

  NodeChunks() = default;
  NodeChunks(const NodeChunks&) = delete;
  NodeChunks& operator=(const NodeChunks&) = delete;
  ~NodeChunks() {
    for (Chunk* c = first_; c != nullptr;) {
      Chunk* next = c->next;
      ::operator delete(c);
      c = next;
    }
  }

  // Room for one more node, at the end of the run; the chunk it is in and
  // its index there in *chunk and *index.
  void* Next(Chunk** chunk, std::size_t* index) {
    if (last_ == nullptr || used_ == last_->capacity) {
      const std::size_t bytes =
          last_ == nullptr ? kFirstChunkBytes
                           : std::min(kMaxChunkBytes, 2 * chunk_bytes_);
      Chunk* c = static_cast<Chunk*>(::operator new(bytes));
      c->next = nullptr;
      c->capacity = (bytes - sizeof(Chunk)) / sizeof(T);
      (last_ == nullptr ? first_ : last_->next) = c;
      last_ = c;
      chunk_bytes_ = bytes;
      used_ = 0;
    }
    *chunk = last_;
    *index = used_;
    return last_->nodes() + used_++;
  }

  // The pool whose run is at the end (see NodePool::New).
  const void* owner = nullptr;

 private:
  static constexpr std::size_t kFirstChunkBytes = 512;
  static constexpr std::size_t kMaxChunkBytes = 16 << 10;

  Chunk* first_ = nullptr;
  Chunk* last_ = nullptr;
  std::size_t used_ = 0;  // nodes in last_
  std::size_t chunk_bytes_ = 0;
};

// A module's nodes of one kind: a run of consecutive nodes in chunks
// (NodeChunks), constructed from `args`.
template <typename T>
class NodePool {
 public:
  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;
  ~NodePool() {
    ForEach([](T* node) { node->~T(); });
  }

  // Where the nodes go; before the first New.
  void Bind(NodeChunks<T>* chunks) { chunks_ = chunks; }

  template <typename... Args>
  T* New(Args&&... args) {
    // The run must stay consecutive: no other pool of the chunks may have
    // taken nodes since this one's last.
    if (chunks_ == nullptr || (size_ != 0 && chunks_->owner != this)) {
      std::fprintf(stderr, "pyscan: node pool used out of turn\n");
      std::abort();
    }
    chunks_->owner = this;
    typename NodeChunks<T>::Chunk* chunk;
    std::size_t index;
    void* room = chunks_->Next(&chunk, &index);
    if (size_ == 0) {
      first_chunk_ = chunk;
      first_index_ = index;
    }
    T* node = new (room) T(std::forward<Args>(args)...);
    ++size_;
    return node;
  }

  // Nodes allocated so far.
  std::size_t size() const { return size_; }

  // Calls fn(T*) on each node, in the order allocated.
  template <typename Fn>
  void ForEach(Fn fn) {
    typename NodeChunks<T>::Chunk* chunk = first_chunk_;
    std::size_t index = first_index_;
    for (std::size_t i = 0; i < size_; ++i, ++index) {
      if (index == chunk->capacity) {
        chunk = chunk->next;
        index = 0;
      }
      fn(chunk->nodes() + index);
    }
  }

 private:
  NodeChunks<T>* chunks_ = nullptr;
  typename NodeChunks<T>::Chunk* first_chunk_ = nullptr;
  std::size_t first_index_ = 0;
  std::size_t size_ = 0;
};

// The chunks of the four kinds of node. Shared (std::shared_ptr) by the
// modules parsed with it, one at a time; freed with the last of them.
struct NodeStore {
  NodeChunks<ExprWithChildren> exprs;
  NodeChunks<Expr> leaves;
  NodeChunks<StmtWithLists> stmts;
  NodeChunks<Stmt> simple_stmts;
};

struct Module {
  // Where the lists of the tree's nodes are kept once it is parsed, each
  // in a block of exactly its size: a module's lists cost one allocation
  // and no room to grow. Declared first, so it outlives the lists.
  std::unique_ptr<void*[]> list_room;
  std::size_t list_room_bytes = 0;
  StmtList body;
  // Empty unless ParseLimits::record_calls. Those of the statements in the
  // tree (a statement partly kept after an error keeps all of its own).
  std::vector<CallSite> calls;
  // All string-literal tokens (for secret detection): value + line. The
  // scanner releases them once the file's own findings are made.
  std::vector<std::pair<std::string, int>> strings;
  // The chunks of the pools below; declared before them, so it outlives
  // their nodes.
  std::shared_ptr<NodeStore> nodes;
  NodePool<ExprWithChildren> expr_arena;
  NodePool<Expr> leaf_arena;  // names, numbers, constants, strings
  NodePool<StmtWithLists> stmt_arena;
  // Expression statements, assignments and returns.
  NodePool<Stmt> simple_stmt_arena;
  // The names of the tree, when ParseLimits::names is null.
  std::unique_ptr<NameTable> own_names;
};

struct ParseLimits {
  TokenizerLimits tokenizer;
  int max_nesting = 200;
  // Whether to fill Module::calls; the scanner's analysis does not read it.
  bool record_calls = true;
  // Where the tree's names are kept (shared by the modules of a scan, and
  // outliving them); null: in the module itself (Module::own_names).
  NameTable* names = nullptr;
  // Where the tree's nodes are kept: shared by the modules parsed with it,
  // which must be parsed one at a time (e.g. those of one thread); null:
  // a store of the module's own.
  std::shared_ptr<NodeStore> nodes;
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
