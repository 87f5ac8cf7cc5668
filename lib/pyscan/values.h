// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The abstract values of the scanner's analysis: strings (literals,
// patterns, environment and settings references, with the template of a
// name built from parts), the boto3 / PynamoDB / Django objects a name may
// hold, the bindings of names in scopes, and the context an expression is
// evaluated in. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_VALUES_H_
#define LEASTPRIV_LIB_PYSCAN_VALUES_H_

#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/pyscan/analysis.h"
#include "lib/pyscan/syntax.h"

namespace leastpriv::pyscan {

// A text shared by the copies of the value holding it: values are copied
// often, and the reasons and notes they carry are most often longer than
// a string holds without allocating. Empty when there is none.
class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text)  // NOLINT: written as strings
      : text_(text.empty()
                  ? nullptr
                  : std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}  // NOLINT

  const std::string& str() const { return text_ == nullptr ? Empty() : *text_; }
  operator const std::string&() const { return str(); }  // NOLINT
  bool empty() const { return text_ == nullptr; }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.text_ == b.text_ || a.str() == b.str();
  }
  friend bool operator!=(const SharedText& a, const SharedText& b) {
    return !(a == b);
  }
  template <typename H>
  friend H AbslHashValue(H h, const SharedText& r) {
    return H::combine(std::move(h), r.str());
  }

 private:
  static const std::string& Empty() {
    static const std::string* const kEmpty = new std::string;
    return *kEmpty;
  }

  std::shared_ptr<const std::string> text_;
};

// The parts of a string value that only names read from the environment
// or Django settings have (see Str).
struct StrTemplate {
  // The name's structure when parts of it come from the environment or
  // Django settings: "{env:PREFIX}-price-history" ('{' and '}' of literal
  // text doubled, '*' for parts nothing is known of); empty when the name
  // has no such part. See Operation::table_template.
  std::string tmpl;
  std::map<std::string, std::string> defaults;  // "env:X" -> default
  std::string source;  // "file:line" where the first such part is read
};

// A string value: a literal, a pattern with '*' for unknown parts, or an
// unresolved reference. Values are many and copied often: the template
// parts, which most strings lack, are held apart and allocated on first
// write.
struct Str {
  enum class Origin { kLiteral, kEnv, kSettings, kUnresolved };

  Str() = default;
  Str(const Str& o)
      : origin(o.origin),
        text(o.text),
        pattern(o.pattern),
        note(o.note),
        template_(o.template_ == nullptr
                      ? nullptr
                      : std::make_unique<StrTemplate>(*o.template_)) {}
  Str(Str&&) = default;
  Str& operator=(const Str& o) {
    if (this != &o) *this = Str(o);
    return *this;
  }
  Str& operator=(Str&&) = default;

  const std::string& tmpl() const { return Template().tmpl; }
  const std::map<std::string, std::string>& defaults() const {
    return Template().defaults;
  }
  const std::string& source() const { return Template().source; }
  // The template parts, allocated when first written.
  StrTemplate& mutable_template() {
    if (template_ == nullptr) template_ = std::make_unique<StrTemplate>();
    return *template_;
  }
  void clear_template() { template_.reset(); }

  Origin origin = Origin::kUnresolved;
  std::string text;  // literal/pattern text; variable name for env/settings
  bool pattern = false;
  SharedText note;  // "env:X" when a default was used; reason otherwise

 private:
  const StrTemplate& Template() const {
    static const StrTemplate* const kNone = new StrTemplate;
    return template_ == nullptr ? *kNone : *template_;
  }

  std::unique_ptr<StrTemplate> template_;
};

// The template of a string part (see Str::tmpl).
std::string TemplateOf(const Str& s);

// Appends part `a` to the template being built in `into`.
void AppendTemplate(const Str& a, Str* into);

// Drops a template that has no environment or settings part.
void FinishTemplate(Str* s);

struct Scope;

struct Value {
  enum class Kind {
    kUnknown,
    kStr,
    kBoto3,         // the boto3 module
    kBoto3Factory,  // boto3.client / boto3.resource (name = which)
    kSessionClass,
    kSession,
    kClient,
    kStreamsClient,
    kResource,
    kMeta,  // resource.meta / table.meta
    kTable,
    kTables,  // resource.tables
    kPaginator,
    kWaiter,
    kBatchWriter,
    kModelBase,  // pynamodb Model
    kIndexBase,  // pynamodb GlobalSecondaryIndex / LocalSecondaryIndex
    kTransactClass,
    kTransactWrite,
    kTransactGet,
    kModelClass,
    kModelInstance,
    kIndex,
    kSettings,
    kOs,
    kEnviron,
    kGetenv,
    kEnvReaderClass,  // django-environ's environ.Env
    kSettingsBase,    // pydantic's BaseSettings
    kPartialFactory,  // functools.partial
    kPartial,         // functools.partial(f, ...) (expr: that call)
    kEnvReader,       // an environ.Env(), or python-decouple's config
    kModule,
    kClass,
    kInstance,
    kFunction,
    kDict,        // a literal dict (expr)
    kDjangoConf,  // the django.conf module
    kList,        // a literal list, tuple or comprehension (expr)
    kNone,        // the constant None
    kExtModule,   // a boto3 / pynamodb module outside the project (name)
  };
  Kind kind = Kind::kUnknown;
  Str str;                 // kStr; table name for kTable/kIndex/paginator etc.
  std::string name;        // factory name, paginator/waiter op, index name
  Scope* scope = nullptr;  // class / function / module
  const Expr* expr = nullptr;
  // kInstance: the call that created it and the scope of that call (null:
  // any instance of the class).
  const Expr* site = nullptr;
  Scope* site_scope = nullptr;
  SharedText reason;  // for kUnknown
};

struct Binding {
  enum class Kind : std::uint8_t {
    kAssign,
    kImport,
    kDef,
    kClass,
    kParam,
    kWith,
    kFor
  };
  Kind kind = Kind::kAssign;
  bool in_other_arm = false;  // see `block`
  // Bound by a plain name (`x = ...`, `for x in ...`), not as an element
  // of an unpacked tuple or list.
  bool names_target = false;
  int line = 0;
  int param_index = -1;
  // The innermost if/while/try/match block the binding is in (0: none;
  // else a number for that block statement, one per block), and whether
  // in its body or in one of its other arms (`in_other_arm`: elif, else,
  // except, finally, case): bindings in different arms of one block are
  // alternatives.
  std::uint32_t block = 0;
  const Expr* value = nullptr;  // assigned value / with ctx / for iter

  // One of these, by kind: kImport the imported name (NameTable);
  // kDef and kClass the scope; kParam the parameter. Null for the others.
  const ImportName* import() const {
    return kind == Kind::kImport ? ref_.import : nullptr;
  }
  Scope* def() const {
    return kind == Kind::kDef || kind == Kind::kClass ? ref_.def : nullptr;
  }
  const Param* param() const {
    return kind == Kind::kParam ? ref_.param : nullptr;
  }
  // Set for an assignment to a `global` name inside a function: the
  // function, whose names the assigned value uses. An assignment has no
  // import, def or parameter: they share one place.
  Scope* eval_scope() const { return HasRef() ? nullptr : ref_.eval_scope; }
  // The setters keep `kind` (set first) and the place in agreement.
  void set_import(const ImportName* n) { ref_.import = n; }
  void set_def(Scope* s) { ref_.def = s; }
  void set_param(const Param* p) { ref_.param = p; }
  void set_eval_scope(Scope* s) { ref_.eval_scope = s; }

 private:
  bool HasRef() const {
    return kind == Kind::kImport || kind == Kind::kDef ||
           kind == Kind::kClass || kind == Kind::kParam;
  }
  union {
    const ImportName* import;
    Scope* def;
    const Param* param;
    Scope* eval_scope;
  } ref_ = {nullptr};
};
static_assert(sizeof(void*) != 8 || sizeof(Binding) == 32, "Binding grew");

class ScopeNamesBuilder;

// The bindings of a scope's names, read-only once a ScopeNamesBuilder has
// made them: one block of the bindings, sorted by name (each name's in the
// order they were added), and their names: no block and no tree node per
// name.
class ScopeNames {
 public:
  // A name's bindings, in the order they were added.
  class Bindings {
   public:
    Bindings() = default;
    Bindings(const Binding* begin, const Binding* end)
        : begin_(begin), end_(end) {}
    const Binding* begin() const { return begin_; }
    const Binding* end() const { return end_; }
    std::size_t size() const { return end_ - begin_; }
    bool empty() const { return begin_ == end_; }
    const Binding& operator[](std::size_t i) const { return begin_[i]; }
    const Binding& back() const { return end_[-1]; }

   private:
    const Binding* begin_ = nullptr;
    const Binding* end_ = nullptr;
  };
  struct Entry {
    Name first;
    Bindings second;
  };
  // What find() gives: the entry of a name, or end().
  class Iterator {
   public:
    Iterator() = default;
    explicit Iterator(Entry entry) : entry_(entry), end_(false) {}
    const Entry* operator->() const { return &entry_; }
    const Entry& operator*() const { return entry_; }
    bool operator==(const Iterator& o) const {
      return end_ == o.end_ &&
             (end_ || entry_.second.begin() == o.entry_.second.begin());
    }
    bool operator!=(const Iterator& o) const { return !(*this == o); }

   private:
    Entry entry_;
    bool end_ = true;
  };

  ScopeNames() = default;
  ScopeNames(const ScopeNames&) = delete;
  ScopeNames& operator=(const ScopeNames&) = delete;
  ~ScopeNames();

  Iterator find(std::string_view name) const;
  Iterator end() const { return Iterator(); }
  std::size_t count(std::string_view name) const {
    return find(name) == end() ? 0 : 1;
  }
  // The bindings of `name` (none when it has none).
  Bindings operator[](std::string_view name) const {
    Iterator it = find(name);
    return it == end() ? Bindings() : it->second;
  }
  std::size_t size() const { return block_ == nullptr ? 0 : block_->names; }

  // The bytes of the block Finish made (0 before).
  std::size_t BlockBytes() const {
    return block_ == nullptr ? 0 : BlockBytes(block_->names, block_->bindings);
  }

 private:
  // Made by Finish: the counts, then the key of each binding's name (see
  // Key), then the name of each binding (sorted, each name's bindings in
  // the order added), then the bindings. A name is kept once per binding:
  // most names have one.
  struct alignas(Binding) alignas(Name) alignas(std::uint64_t) Block {
    std::uint32_t names;  // distinct
    std::uint32_t bindings;
  };
  static std::size_t BlockBytes(std::size_t names, std::size_t bindings) {
    (void)names;
    return sizeof(Block) +
           bindings * (sizeof(std::uint64_t) + sizeof(Name) + sizeof(Binding));
  }
  // The first 8 bytes of a name as a big-endian number (0 past its end):
  // two names whose keys differ are ordered as their keys are, so that
  // most steps of a search compare numbers, not the names' texts.
  static std::uint64_t Key(std::string_view name) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    std::uint64_t key = 0;
    std::memcpy(&key, name.data(), name.size() < 8 ? name.size() : 8);
    return __builtin_bswap64(key);
#else
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      key <<= 8;
      if (i < name.size()) key |= static_cast<unsigned char>(name[i]);
    }
    return key;
#endif
  }
  const std::uint64_t* keys() const {
    return reinterpret_cast<const std::uint64_t*>(block_ + 1);
  }
  const Name* binding_names() const {
    return reinterpret_cast<const Name*>(keys() + block_->bindings);
  }
  const Binding* bindings() const {
    return reinterpret_cast<const Binding*>(binding_names() + block_->bindings);
  }

  friend class ScopeNamesBuilder;
  Block* block_ = nullptr;
};

// Collects the bindings of several scopes (those of a module), then makes
// the ScopeNames of each at once: the bindings wait in one list, reused
// from one module to the next, so that a scope being built costs no
// allocation but its ScopeNames block.
class ScopeNamesBuilder {
 public:
  void Add(ScopeNames* names, Name name, const Binding& b) {
    pending_.push_back({names, name,
                        static_cast<std::uint32_t>(pending_.size()), b,
                        ScopeNames::Key(name)});
  }
  // Makes the ScopeNames of every scope added to since the last Finish
  // (replacing what they held).
  void Finish();

 private:
  struct Pending {
    ScopeNames* owner;
    Name name;
    std::uint32_t order;  // of Add
    Binding binding;
    std::uint64_t key;  // ScopeNames::Key(name)
  };
  std::vector<Pending> pending_;
};

struct Scope {
  enum class Kind : std::uint8_t { kModule, kClass, kFunction };
  Kind kind = Kind::kModule;
  // Where Analyzer::ChildScope looks first among `children` (in what
  // would be padding).
  std::uint32_t next_child = 0;
  const SourceFile* file = nullptr;
  const Stmt* stmt = nullptr;  // def/class
  Scope* parent = nullptr;
  // The def's or class's name, or the module's (in its SourceFile).
  Name name;
  ScopeNames names;
  // The module names of its `from X import *` (resolved later), and the
  // names declared `global` here: few scopes have either, so they are
  // held apart, allocated on first write.
  const CompactList<std::string>& star_imports() const {
    return Rare().star_imports;
  }
  CompactList<std::string>& mutable_star_imports() {
    return MutableRare().star_imports;
  }
  const CompactList<Name>& globals() const { return Rare().globals; }
  CompactList<Name>& mutable_globals() { return MutableRare().globals; }
  // The statements of the module, class or function (in its tree): a
  // def's or class's body, else its file's.
  const StmtList* body() const {
    if (stmt != nullptr) return &stmt->body();
    if (file != nullptr && file->module != nullptr) return &file->module->body;
    return nullptr;
  }
  CompactList<Scope*> children;
  Scope* module = nullptr;

 private:
  struct RareLists {
    CompactList<std::string> star_imports;
    CompactList<Name> globals;
  };
  const RareLists& Rare() const {
    static const RareLists* const kNone = new RareLists;
    return rare_ == nullptr ? *kNone : *rare_;
  }
  RareLists& MutableRare() {
    if (rare_ == nullptr) rare_ = std::make_unique<RareLists>();
    return *rare_;
  }

  std::unique_ptr<RareLists> rare_;
};

struct Ctx {
  Scope* scope = nullptr;
  // Parameter values bound by a specific call (nullptr: resolve from all
  // call sites).
  const std::map<std::string, std::vector<Value>>* bound = nullptr;
  int depth = 0;
  int line = 1 << 30;
};

inline Value Unknown(SharedText reason) {
  Value v;
  v.reason = std::move(reason);
  return v;
}

inline Value MakeStr(Str s) {
  Value v;
  v.kind = Value::Kind::kStr;
  v.str = std::move(s);
  return v;
}

inline Str Literal(std::string text) {
  Str s;
  s.origin = Str::Origin::kLiteral;
  s.text = std::move(text);
  return s;
}

inline Str UnresolvedStr(std::string reason) {
  Str s;
  s.origin = Str::Origin::kUnresolved;
  s.note = std::move(reason);
  return s;
}

inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(tolower(c));
  return s;
}

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_VALUES_H_
