// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/syntax.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv::pyscan {
namespace {

using Sites = std::set<std::pair<int, std::string>>;

Sites CallSites(const std::string& source) {
  Module m;
  int line = 0;
  absl::Status s = ParseModule(source, ParseLimits(), &m, &line);
  EXPECT_TRUE(s.ok()) << s;
  Sites out;
  for (const CallSite& c : m.calls) out.insert({c.line, c.callee});
  return out;
}

std::string ParseError(const std::string& source, int* line = nullptr) {
  Module m;
  int l = 0;
  absl::Status s = ParseModule(source, ParseLimits(), &m, &l);
  if (line != nullptr) *line = l;
  return s.ok() ? "ok" : std::string(s.message());
}

TEST(SyntaxTest, ListsOfPointersKeepTheirElementsInOrder) {
  Expr nodes[5];
  CompactList<Expr*> one;
  EXPECT_TRUE(one.empty());
  EXPECT_EQ(one.begin(), one.end());
  one.push_back(&nodes[0]);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], &nodes[0]);
  EXPECT_EQ(one.back(), &nodes[0]);
  EXPECT_EQ(*one.begin(), &nodes[0]);
  for (int i = 1; i < 5; ++i) one.push_back(&nodes[i]);
  ASSERT_EQ(one.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(one[i], &nodes[i]);
  one.resize(2);
  EXPECT_EQ(one.size(), 2u);
  EXPECT_EQ(one.back(), &nodes[1]);
  one.clear();
  EXPECT_TRUE(one.empty());
  one.push_back(&nodes[3]);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], &nodes[3]);

  // A null element (a dict's `**` key) is an element like any other.
  CompactList<Expr*> with_null;
  with_null.push_back(nullptr);
  ASSERT_EQ(with_null.size(), 1u);
  EXPECT_EQ(with_null[0], nullptr);
  with_null.push_back(&nodes[2]);
  ASSERT_EQ(with_null.size(), 2u);
  EXPECT_EQ(with_null[0], nullptr);
  EXPECT_EQ(with_null[1], &nodes[2]);

  CompactList<Expr*> single;
  single.push_back(&nodes[4]);
  single.resize(0);
  EXPECT_TRUE(single.empty());
  std::vector<Expr*> from = {&nodes[1], nullptr, &nodes[0]};
  single.assign(from.begin(), from.end());
  EXPECT_EQ(std::vector<Expr*>(single.begin(), single.end()), from);
}

TEST(SyntaxTest, ListsMovedToARoomReadTheSameAndStillGrow) {
  Expr nodes[6];
  NameTable names;
  ListScratch scratch;
  CurrentListScratch() = &scratch;
  CompactList<Expr*> pointers;
  CompactList<Keyword> keywords;
  for (int i = 0; i < 5; ++i) {
    pointers.push_back(&nodes[i]);
    keywords.push_back({names.Intern("k" + std::to_string(i)), &nodes[i]});
  }
  CompactList<Keyword> emptied;
  emptied.push_back({names.Intern("gone"), nullptr});
  emptied.clear();
  CurrentListScratch() = nullptr;

  const std::size_t bytes =
      pointers.RoomBytes() + keywords.RoomBytes() + emptied.RoomBytes();
  // Exactly sized: a header word, then the elements.
  EXPECT_EQ(bytes, 8 + 5 * sizeof(Expr*) + 8 + 5 * sizeof(Keyword));
  std::unique_ptr<void*[]> room(new void*[bytes / sizeof(void*)]);
  char* at = reinterpret_cast<char*>(room.get());
  pointers.MoveToRoom(&at);
  keywords.MoveToRoom(&at);
  emptied.MoveToRoom(&at);
  EXPECT_EQ(at, reinterpret_cast<char*>(room.get()) + bytes);
  scratch.Reset();  // the scratch is reused: nothing may point into it
  for (int i = 0; i < 5; ++i) std::memset(scratch.Allocate(64), 0xAB, 64);

  ASSERT_EQ(pointers.size(), 5u);
  ASSERT_EQ(keywords.size(), 5u);
  EXPECT_TRUE(emptied.empty());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(pointers[i], &nodes[i]);
    EXPECT_EQ(keywords[i].name, "k" + std::to_string(i));
    EXPECT_EQ(keywords[i].value, &nodes[i]);
  }
  // A list in a room grows into a block of its own (and frees only that).
  pointers.push_back(&nodes[5]);
  keywords.push_back({names.Intern("k5"), &nodes[5]});
  ASSERT_EQ(pointers.size(), 6u);
  ASSERT_EQ(keywords.size(), 6u);
  EXPECT_EQ(pointers[5], &nodes[5]);
  EXPECT_EQ(pointers[0], &nodes[0]);
  EXPECT_EQ(keywords[5].name, "k5");
  EXPECT_EQ(keywords[0].name, "k0");
}

TEST(SyntaxTest, AParsedModulesListsAreInItsRoom) {
  Module m;
  int line = 0;
  ASSERT_TRUE(ParseModule("import a, b\n"
                          "def f(x, y=1, *rest):\n"
                          "    \"doc\"\n"
                          "    return g(x, y, key=f'{x}-{y}')\n"
                          "class C(Base, Other):\n"
                          "    pass\n"
                          "with open(p) as h, lock:\n"
                          "    pass\n"
                          "if x:\n"
                          "    pass\n"
                          "elif y:\n"
                          "    z = 1\n"
                          "else:\n"
                          "    z = 2\n",
                          ParseLimits(), &m, &line)
                  .ok());
  ASSERT_NE(m.list_room, nullptr);
  // Word-sized: a header and an element of `import a, b` and of the body.
  EXPECT_GE(m.list_room_bytes, 8 + 2 * sizeof(ImportName*) + 8 + 5 * 8);
  EXPECT_EQ(m.list_room_bytes % sizeof(void*), 0u);
  ASSERT_EQ(m.body.size(), 5u);
  EXPECT_EQ(m.body[0]->imports().size(), 2u);
  EXPECT_EQ(m.body[0]->imports()[1]->module, "b");
  const Stmt* def = m.body[1];
  ASSERT_EQ(def->params().size(), 3u);
  EXPECT_EQ(def->params()[2].name, "rest");
  EXPECT_EQ(def->params()[2].star, 1);
  ASSERT_EQ(def->body().size(), 2u);
  const Expr* call = def->body()[1]->value;
  ASSERT_EQ(call->children().size(), 3u);
  ASSERT_EQ(call->keywords().size(), 1u);
  EXPECT_EQ(call->keywords()[0].name, "key");
  const Expr* fstring = call->keywords()[0].value;
  ASSERT_EQ(fstring->parts().size(), 3u);
  EXPECT_EQ(fstring->parts()[1].text, "-");
  EXPECT_EQ(fstring->parts()[0].field->name(), "x");
  // Lists a kind of node does not have read empty.
  EXPECT_TRUE(fstring->keywords().empty());
  EXPECT_TRUE(call->parts().empty());
  EXPECT_TRUE(def->imports().empty());
  EXPECT_TRUE(def->bases().empty());
  EXPECT_TRUE(def->orelse().empty());
  EXPECT_EQ(m.body[2]->bases().size(), 2u);
  EXPECT_TRUE(m.body[2]->params().empty());
  EXPECT_EQ(m.body[3]->with_ctx().size(), 2u);
  ASSERT_EQ(m.body[3]->with_targets().size(), 2u);
  EXPECT_EQ(m.body[3]->with_targets()[0]->name(), "h");
  EXPECT_EQ(m.body[3]->with_targets()[1], nullptr);
  EXPECT_EQ(m.body[4]->orelse().size(), 2u);
  EXPECT_TRUE(m.body[4]->with_ctx().empty());
}

// A name shares its place with the lists of the nodes that have none (a
// call's keywords, a string's parts, an import's names, ...), and a def's
// or class's name sits beside its parameters or bases.
TEST(SyntaxTest, NamesShareTheirPlaceWithTheListsOfUnnamedNodes) {
  Module m;
  int line = 0;
  ASSERT_TRUE(ParseModule("def f(a, b=2):\n"
                          "    global g\n"
                          "    return obj.put(Item=\"x\")\n"
                          "class C(Base):\n"
                          "    pass\n"
                          "class D:\n"
                          "    pass\n"
                          "import os\n",
                          ParseLimits(), &m, &line)
                  .ok());
  ASSERT_EQ(m.body.size(), 4u);
  const Stmt* def = m.body[0];
  EXPECT_EQ(def->name(), "f");
  ASSERT_EQ(def->params().size(), 2u);
  EXPECT_EQ(def->params()[1].name, "b");
  EXPECT_EQ(def->body()[0]->name(), "global");
  EXPECT_TRUE(def->body()[0]->params().empty());
  const Expr* call = def->body()[1]->value;
  ASSERT_EQ(call->kind, Expr::Kind::kCall);
  EXPECT_TRUE(call->name().empty());
  EXPECT_EQ(call->children()[0]->name(), "put");
  EXPECT_TRUE(call->children()[0]->keywords().empty());
  const Expr* item = call->keywords()[0].value;
  EXPECT_TRUE(item->name().empty());
  EXPECT_EQ(item->parts()[0].text, "x");
  EXPECT_EQ(m.body[1]->name(), "C");
  ASSERT_EQ(m.body[1]->bases().size(), 1u);
  EXPECT_EQ(m.body[1]->bases()[0]->name(), "Base");
  EXPECT_EQ(m.body[2]->name(), "D");
  EXPECT_TRUE(m.body[2]->bases().empty());
  EXPECT_TRUE(m.body[3]->name().empty());
  EXPECT_EQ(m.body[3]->imports()[0]->module, "os");

  // Built by hand: the first write of a list or a name makes it the one
  // there; a def's or class's list keeps the name beside it.
  StmtWithLists s;
  NameTable names;
  s.mutable_name() = names.Intern("h");
  Expr e;
  s.mutable_params().push_back({names.Intern("p"), &e, 0});
  EXPECT_EQ(s.name(), "h");
  EXPECT_EQ(s.params()[0].name, "p");
  s.mutable_name() = names.Intern("k");
  EXPECT_EQ(s.params().size(), 1u);
  EXPECT_EQ(s.name(), "k");
  s.mutable_orelse().push_back(&s);
  EXPECT_TRUE(s.name().empty());
  EXPECT_TRUE(s.params().empty());
  Expr x;
  x.mutable_name() = names.Intern("n");
  x.mutable_keywords().push_back({names.Intern("kw"), &e});
  EXPECT_TRUE(x.name().empty());
  EXPECT_EQ(x.keywords()[0].name, "kw");
  x.mutable_parts().push_back({names.Intern("t"), nullptr});
  EXPECT_TRUE(x.keywords().empty());
  EXPECT_EQ(x.parts()[0].text, "t");
  x.mutable_name() = names.Intern("m");
  EXPECT_TRUE(x.parts().empty());
  EXPECT_EQ(x.name(), "m");
}

// A node that counts its destructions.
struct Counted {
  Counted(std::int64_t v, int* d) : value(v), destroyed(d) {}
  ~Counted() { ++*destroyed; }
  std::int64_t value;
  int* destroyed;
};

// A pool's nodes stay where they were made as the chunks grow, aligned, in
// the order made; its teardown destroys each once, and the chunks outlive
// it.
TEST(SyntaxTest, NodePoolKeepsNodesInPlaceAndDestroysThem) {
  NodeChunks<Counted> chunks;
  int destroyed = 0;
  std::vector<Counted*> made;
  {
    NodePool<Counted> pool;
    pool.Bind(&chunks);
    // 16 KB chunks hold about a thousand: several chunks, full and not.
    for (int i = 0; i < 5000; ++i) made.push_back(pool.New(i, &destroyed));
    EXPECT_EQ(pool.size(), 5000u);
    std::set<Counted*> distinct(made.begin(), made.end());
    EXPECT_EQ(distinct.size(), made.size());
    std::size_t i = 0;
    pool.ForEach([&](Counted* c) {
      ASSERT_LT(i, made.size());
      EXPECT_EQ(c, made[i]);
      EXPECT_EQ(c->value, static_cast<std::int64_t>(i));
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(c) % 8, 0u);
      ++i;
    });
    EXPECT_EQ(i, made.size());
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 5000);
  // A second pool's run follows the first's in the same chunks.
  NodePool<Counted> next;
  next.Bind(&chunks);
  Counted* c = next.New(7, &destroyed);
  EXPECT_EQ(c->value, 7);
  NodePool<Counted> other;
  other.Bind(&chunks);
  other.New(8, &destroyed);
  // `next` would now split its run: that is refused.
  EXPECT_DEATH(next.New(9, &destroyed), "node pool used out of turn");
}

// Modules parsed in turn with one store share its chunks: each has its own
// nodes of every kind, and frees them (with their lists) on its own; the
// chunks go with the last module. Run under ASan, a node freed too early
// or destroyed twice fails here.
TEST(SyntaxTest, ModulesShareTheChunksOfTheirNodes) {
  ParseLimits limits;
  limits.nodes = std::make_shared<NodeStore>();
  std::string source;
  for (int i = 0; i < 300; ++i) {
    source +=
        "import os\n"
        "def f(a, b=1, *c, **d):\n"
        "    x = g(a.b, k=[y, 2], **d)\n"
        "    return f'{x} and {y!r}'\n"
        "class C(B):\n"
        "    for i in z: h(i, j=None)\n";
  }
  auto first = std::make_unique<Module>();
  auto second = std::make_unique<Module>();
  int line = 0;
  ASSERT_TRUE(ParseModule(source, limits, first.get(), &line).ok());
  ASSERT_TRUE(
      ParseModule("v = w(1)\nif v: pass\n", limits, second.get(), &line).ok());
  EXPECT_EQ(first->nodes, limits.nodes);
  EXPECT_EQ(second->nodes, limits.nodes);
  // Every kind of node, in runs longer than a chunk.
  EXPECT_EQ(first->stmt_arena.size(), 300u * 4);
  EXPECT_EQ(first->simple_stmt_arena.size(), 300u * 3);
  EXPECT_GT(first->expr_arena.size(), 16u << 10 >> 4);
  EXPECT_GT(first->leaf_arena.size(), 16u << 10 >> 4);
  EXPECT_EQ(second->simple_stmt_arena.size(), 1u);
  EXPECT_EQ(second->stmt_arena.size(), 1u);
  EXPECT_EQ(second->expr_arena.size(), 1u);
  EXPECT_EQ(second->leaf_arena.size(), 4u);
  std::size_t leaves = 0;
  first->leaf_arena.ForEach([&](Expr* e) {
    EXPECT_TRUE(
        e->kind == Expr::Kind::kName || e->kind == Expr::Kind::kNumber ||
        e->kind == Expr::Kind::kConst || e->kind == Expr::Kind::kString);
    ++leaves;
  });
  EXPECT_EQ(leaves, first->leaf_arena.size());
  std::size_t calls = 0;
  first->expr_arena.ForEach([&](Expr* e) {
    EXPECT_NE(e->kind, Expr::Kind::kName);
    if (e->kind == Expr::Kind::kCall) ++calls;
  });
  EXPECT_EQ(calls, 300u * 2);
  ASSERT_EQ(first->body.size(), 300u * 3);
  EXPECT_EQ(first->body.back()->kind, Stmt::Kind::kClass);
  limits.nodes.reset();
  first.reset();
  // The second tree is whole once the first is gone.
  ASSERT_EQ(second->body.size(), 2u);
  EXPECT_EQ(second->body[0]->value->children()[0]->name(), "w");
  EXPECT_EQ(second->body[1]->kind, Stmt::Kind::kBlock);
  second.reset();
}

// Expression statements, assignments and returns are simple: kept apart,
// without room for a body, other lists or a name.
TEST(SyntaxTest, SimpleStatementsHaveNoRoomForLists) {
  Module m;
  int line = 0;
  ASSERT_TRUE(ParseModule("import os\n"
                          "x = 1\n"
                          "x += 2\n"
                          "def f():\n"
                          "    g()\n"
                          "    return x\n",
                          ParseLimits(), &m, &line)
                  .ok());
  EXPECT_EQ(m.simple_stmt_arena.size(), 4u);
  EXPECT_EQ(m.stmt_arena.size(), 2u);
  ASSERT_EQ(m.body.size(), 4u);
  EXPECT_FALSE(m.body[0]->is_simple());
  EXPECT_EQ(m.body[0]->imports()[0]->module, "os");
  for (int i : {1, 2}) {
    const Stmt* st = m.body[i];
    EXPECT_TRUE(st->is_simple());
    EXPECT_EQ(st->targets[0]->name(), "x");
    EXPECT_NE(st->value, nullptr);
    EXPECT_TRUE(st->body().empty());
    EXPECT_TRUE(st->imports().empty());
    EXPECT_TRUE(st->orelse().empty());
    EXPECT_TRUE(st->name().empty());
  }
  const Stmt* def = m.body[3];
  EXPECT_FALSE(def->is_simple());
  ASSERT_EQ(def->body().size(), 2u);
  EXPECT_TRUE(def->body()[0]->is_simple());
  EXPECT_EQ(def->body()[1]->kind, Stmt::Kind::kReturn);
  EXPECT_EQ(def->body()[1]->value->name(), "x");
  Stmt simple;
  EXPECT_TRUE(simple.body().empty());
  EXPECT_TRUE(simple.params().empty());
  EXPECT_DEATH(simple.mutable_body(), "a simple statement has no body");
  EXPECT_DEATH(simple.mutable_orelse(), "a simple statement has no lists");
  EXPECT_DEATH(simple.mutable_name(), "a simple statement has no lists");
}

// Names, numbers, constants and strings are leaves: kept apart, without
// room for sub-expressions; every other expression has it.
TEST(SyntaxTest, LeafExpressionsHaveNoRoomForChildren) {
  Module m;
  int line = 0;
  ASSERT_TRUE(ParseModule("x = f(a.b, 1, None, 'text', [y], -z)\n",
                          ParseLimits(), &m, &line)
                  .ok());
  // x, f, a, 1, None, 'text', y, z; then a.b, the call, the list, -z.
  EXPECT_EQ(m.leaf_arena.size(), 8u);
  EXPECT_EQ(m.expr_arena.size(), 4u);
  const Expr* call = m.body[0]->value;
  ASSERT_FALSE(call->is_leaf());
  ASSERT_EQ(call->children().size(), 7u);
  EXPECT_TRUE(m.body[0]->targets[0]->is_leaf());
  EXPECT_TRUE(call->children()[0]->is_leaf());
  EXPECT_FALSE(call->children()[1]->is_leaf());
  EXPECT_EQ(call->children()[1]->children()[0]->name(), "a");
  for (int i : {2, 3, 4}) {
    EXPECT_TRUE(call->children()[i]->is_leaf());
    EXPECT_TRUE(call->children()[i]->children().empty());
  }
  EXPECT_EQ(call->children()[4]->parts()[0].text, "text");
  EXPECT_EQ(call->children()[5]->children()[0]->name(), "y");
  EXPECT_EQ(call->children()[6]->children()[0]->name(), "z");
  ExprWithChildren node;
  Expr leaf;
  node.mutable_children().push_back(&leaf);
  EXPECT_EQ(node.children()[0], &leaf);
  EXPECT_TRUE(leaf.children().empty());
  EXPECT_DEATH(leaf.mutable_children(), "a leaf expression has no children");
}

// A string of one literal part keeps its text in its node once parsed:
// its part takes no room; a string with fields keeps its list.
TEST(SyntaxTest, AStringOfOneLiteralPartKeepsItInItsNode) {
  Module plain;
  int line = 0;
  ASSERT_TRUE(
      ParseModule("x = 'ab' 'cd'\n", ParseLimits(), &plain, &line).ok());
  // Its only list was the string's: nothing is left in a room, nor in the
  // scratch the next parse on this thread overwrites.
  EXPECT_EQ(plain.list_room_bytes, 0u);
  EXPECT_EQ(plain.list_room, nullptr);
  Module next;
  ASSERT_TRUE(
      ParseModule("y = ['ef', 'gh', f'{z}']\n", ParseLimits(), &next, &line)
          .ok());
  Expr* s = plain.body[0]->value;
  ASSERT_EQ(s->parts().size(), 1u);
  EXPECT_EQ(s->parts()[0].text, "abcd");
  EXPECT_EQ(s->parts()[0].field, nullptr);
  EXPECT_TRUE(s->name().empty());
  std::string value;
  EXPECT_TRUE(StringLiteralValue(s, &value));
  EXPECT_EQ(value, "abcd");
  // Written again, it is a list of that part, which grows.
  s->mutable_parts().push_back({Name(), s});
  ASSERT_EQ(s->parts().size(), 2u);
  EXPECT_EQ(s->parts()[0].text, "abcd");
  EXPECT_EQ(s->parts()[1].field, s);

  Module fields;
  ASSERT_TRUE(ParseModule("y = f'a{b}'\n", ParseLimits(), &fields, &line).ok());
  EXPECT_EQ(fields.list_room_bytes, 8 + 2 * sizeof(StringPart));
  const Expr* f = fields.body[0]->value;
  ASSERT_EQ(f->parts().size(), 2u);
  EXPECT_EQ(f->parts()[0].text, "a");
  EXPECT_EQ(f->parts()[1].field->name(), "b");
  EXPECT_FALSE(StringLiteralValue(f, &value));
}

TEST(SyntaxTest, ModulesParsedWithOneNameTableShareEachName) {
  NameTable names;
  ParseLimits limits;
  limits.names = &names;
  Module a;
  Module b;
  int line = 0;
  ASSERT_TRUE(ParseModule("orders.put_item(Item=x)\n", limits, &a, &line).ok());
  ASSERT_TRUE(ParseModule("orders = 1\n", limits, &b, &line).ok());
  EXPECT_EQ(a.own_names, nullptr);
  const Expr* call = a.body[0]->value;
  const Expr* receiver = call->children()[0]->children()[0];
  const Expr* target = b.body[0]->targets[0];
  EXPECT_EQ(call->children()[0]->name(), "put_item");
  EXPECT_EQ(call->keywords()[0].name, "Item");
  EXPECT_EQ(receiver->name(), "orders");
  EXPECT_EQ(target->name(), "orders");
  // One copy of the text, in the table.
  EXPECT_EQ(&receiver->name().str(), &target->name().str());
  EXPECT_NE(&receiver->name().str(), &call->children()[0]->name().str());
}

// Adjacent literals read as one text between fields, and only that text
// is kept: not each growing prefix of a long concatenation.
TEST(SyntaxTest, ConcatenatedLiteralsKeepOneTextBetweenFields) {
  NameTable names;
  ParseLimits limits;
  limits.names = &names;
  Module m;
  int line = 0;
  ASSERT_TRUE(ParseModule("s = 'ab' \"c\" f'd{x}e' r'\\f' f\"{y:{w}}\"\n",
                          limits, &m, &line)
                  .ok());
  const Expr* s = m.body[0]->value;
  ASSERT_EQ(s->parts().size(), 4u);
  EXPECT_EQ(s->parts()[0].text, "abcd");
  EXPECT_EQ(s->parts()[0].field, nullptr);
  EXPECT_EQ(s->parts()[1].field->name(), "x");
  EXPECT_EQ(s->parts()[2].text, "e\\f");
  EXPECT_EQ(s->parts()[3].field->name(), "y");
  // The pieces of a plain concatenation are each read by the secret
  // rules, and kept no longer than that.
  ASSERT_EQ(m.strings.size(), 3u);
  EXPECT_EQ(m.strings[0].first, "ab");
  EXPECT_EQ(m.strings[2].first, "\\f");

  NameTable one_piece;
  NameTable many_pieces;
  Module a;
  Module b;
  limits.names = &one_piece;
  ASSERT_TRUE(ParseModule("s = 'abcdefgh'\n", limits, &a, &line).ok());
  limits.names = &many_pieces;
  ASSERT_TRUE(ParseModule("s = 'ab' 'cd' 'ef' 'gh'\n", limits, &b, &line).ok());
  EXPECT_EQ(b.body[0]->value->parts()[0].text, "abcdefgh");
  EXPECT_EQ(many_pieces.size(), one_piece.size());
}

TEST(SyntaxTest, ModulesParsedWithOneNameTableShareEachImport) {
  NameTable names;
  ParseLimits limits;
  limits.names = &names;
  Module a;
  Module b;
  int line = 0;
  ASSERT_TRUE(
      ParseModule("from .db import orders, users as u\n", limits, &a, &line)
          .ok());
  ASSERT_TRUE(ParseModule("import os\nfrom .db import users as u, orders\n"
                          "from ..db import orders\nfrom .db import users\n",
                          limits, &b, &line)
                  .ok());
  ASSERT_EQ(a.body[0]->imports().size(), 2u);
  ASSERT_EQ(b.body[1]->imports().size(), 2u);
  const ImportName* orders = a.body[0]->imports()[0];
  const ImportName* users_as_u = a.body[0]->imports()[1];
  EXPECT_EQ(orders->module, "db");
  EXPECT_EQ(orders->name, "orders");
  EXPECT_TRUE(orders->asname.empty());
  EXPECT_EQ(orders->level, 1);
  EXPECT_EQ(users_as_u->name, "users");
  EXPECT_EQ(users_as_u->asname, "u");
  // The same import, in either order, is kept once.
  EXPECT_EQ(b.body[1]->imports()[0], users_as_u);
  EXPECT_EQ(b.body[1]->imports()[1], orders);
  // A different level, or no `as`, is another import.
  const ImportName* up = b.body[2]->imports()[0];
  EXPECT_NE(up, orders);
  EXPECT_EQ(up->level, 2);
  const ImportName* users = b.body[3]->imports()[0];
  EXPECT_NE(users, users_as_u);
  EXPECT_TRUE(users->asname.empty());
  EXPECT_EQ(b.body[0]->imports()[0]->module, "os");
  EXPECT_TRUE(b.body[0]->imports()[0]->name.empty());
}

TEST(SyntaxTest, AModuleParsedWithoutANameTableKeepsItsOwn) {
  Module m;
  int line = 0;
  ASSERT_TRUE(
      ParseModule("from .db import orders as o\n", ParseLimits(), &m, &line)
          .ok());
  ASSERT_NE(m.own_names, nullptr);
  const ImportName& n = *m.body[0]->imports()[0];
  EXPECT_EQ(n.module, "db");
  EXPECT_EQ(n.name, "orders");
  EXPECT_EQ(n.asname, "o");
  EXPECT_EQ(n.level, 1);
  EXPECT_EQ(m.own_names->Intern("orders").str().data(), n.name.str().data());
}

TEST(SyntaxTest, CallSiteRendering) {
  EXPECT_EQ(CallSites("a.b(c)(d)\nx[0].f()\n''.join(y)\n"),
            (Sites{{1, "a.b"}, {1, "a.b()"}, {2, "x[].f"}, {3, "?.join"}}));
}

TEST(SyntaxTest, CallsInEveryExpressionPosition) {
  const char* src =
      "@deco(1)\n"
      "def f(a=g(), *, b: h() = 2) -> r():\n"
      "    return [k(x) for x in it() if p(x)]\n"
      "class C(Base(1), metaclass=M()):\n"
      "    z = lambda q=w(): v(q)\n"
      "s = f'{fmt(1)!r:>{width()}} {{not_a_call()}}'\n"
      "with (open(a) as fa, open(b) as fb):\n"
      "    pass\n";
  EXPECT_EQ(CallSites(src), (Sites{{1, "deco"},
                                   {2, "g"},
                                   {2, "h"},
                                   {2, "r"},
                                   {3, "k"},
                                   {3, "it"},
                                   {3, "p"},
                                   {4, "Base"},
                                   {4, "M"},
                                   {5, "w"},
                                   {5, "v"},
                                   {6, "fmt"},
                                   {6, "width"},
                                   {7, "open"}}));
}

TEST(SyntaxTest, CommentsStringsAndDocstringsHoldNoCalls) {
  const char* src =
      "'''doc table.get_item()'''\n"
      "# client.put_item(TableName='X')\n"
      "x = \"client.scan()\"  # y.z()\n"
      "r = rb'\\q(' + u'()'\n";
  EXPECT_TRUE(CallSites(src).empty());
}

TEST(SyntaxTest, CallLineIsWhereThePrimaryStarts) {
  const char* src =
      "(\n"
      "  'a'\n"
      "  'b'\n"
      ").format(x)\n"
      "obj.method(\n"
      "  inner()\n"
      ")\n";
  EXPECT_EQ(CallSites(src),
            (Sites{{1, "?.format"}, {5, "obj.method"}, {6, "inner"}}));
}

TEST(SyntaxTest, MatchStatementPatternsAreNotCalls) {
  const char* src =
      "match cmd:\n"
      "    case Point(x=0) if ok(x):\n"
      "        go()\n"
      "match = compute()\n";
  EXPECT_EQ(CallSites(src), (Sites{{2, "ok"}, {3, "go"}, {4, "compute"}}));
}

TEST(SyntaxTest, StringLiteralValuesAreDecoded) {
  Module m;
  int line = 0;
  ASSERT_TRUE(
      ParseModule("x = 'Or' \"ders\\x21\"\n", ParseLimits(), &m, &line).ok());
  std::string v;
  ASSERT_TRUE(StringLiteralValue(m.body[0]->value, &v));
  EXPECT_EQ(v, "Orders!");
}

TEST(SyntaxTest, PositionedErrors) {
  int line = 0;
  EXPECT_EQ(ParseError("def f():\n    print 'x'\n", &line),
            "2:11: missing parentheses in call to 'print' (a Python 2 "
            "statement)");
  EXPECT_EQ(line, 2);
  EXPECT_EQ(ParseError("x = (1,\n"), "1:5: '(' was never closed");
  EXPECT_EQ(ParseError("x = 1)\n"), "1:6: unmatched ')'");
  EXPECT_EQ(ParseError("s = 'abc\n"), "1:5: unterminated string literal");
  EXPECT_EQ(ParseError("if x:\n  a\n b\n"),
            "3:2: unindent does not match any outer indentation level");
  EXPECT_EQ(ParseError("x = 0777\n"),
            "1:5: leading zeros in decimal integer literals are not "
            "permitted");
  EXPECT_EQ(ParseError("a = 1\nb = `a`\n"), "2:5: invalid character '`'");
  EXPECT_EQ(ParseError("ok = 1\nx = 'a\xff'\n"), "2:7: invalid UTF-8");
  EXPECT_EQ(ParseError(std::string("a = 1\nb = 2\0\n", 13)),
            "2:6: source contains a NUL byte");
  EXPECT_EQ(ParseError("try:\n  pass\nexcept A, e:\n  pass\n"),
            "3:9: multiple exception types must be parenthesized");
}

// Parses `source`, expecting an error; returns the error and the call
// sites of the statements that parsed.
std::string Recovered(const std::string& source, Sites* sites) {
  Module m;
  int line = 0;
  absl::Status s = ParseModule(source, ParseLimits(), &m, &line);
  EXPECT_FALSE(s.ok());
  for (const CallSite& c : m.calls) sites->insert({c.line, c.callee});
  return std::string(s.message());
}

TEST(SyntaxTest, RecoversAtTheNextStatement) {
  Sites sites;
  // Python 2 print statements, at module level and in a function body.
  EXPECT_EQ(Recovered("a()\n"
                      "print 'x'\n"
                      "def f():\n"
                      "    b()\n"
                      "    print x, y\n"
                      "    c()\n"
                      "d()\n",
                      &sites),
            "2:7: missing parentheses in call to 'print' (a Python 2 "
            "statement)");
  EXPECT_EQ(sites, (Sites{{1, "a"}, {4, "b"}, {6, "c"}, {7, "d"}}));

  // A statement whose header fails is skipped with its block.
  sites.clear();
  EXPECT_EQ(Recovered("def f((a, b)):\n"
                      "    lost()\n"
                      "    if x:\n"
                      "        lost2()\n"
                      "kept()\n",
                      &sites),
            "1:7: invalid syntax in parameter list");
  EXPECT_EQ(sites, (Sites{{5, "kept"}}));

  // A try statement keeps its body when a Python 2 except clause fails.
  sites.clear();
  EXPECT_EQ(Recovered("try:\n"
                      "    body()\n"
                      "except A, e:\n"
                      "    handler()\n"
                      "after()\n",
                      &sites),
            "3:9: multiple exception types must be parenthesized");
  EXPECT_EQ(sites, (Sites{{2, "body"}, {5, "after"}}));
}

TEST(SyntaxTest, RecoversAfterTokenizerErrors) {
  Sites sites;
  EXPECT_EQ(Recovered("a()\ns = 'abc\nb()\n", &sites),
            "2:5: unterminated string literal");
  EXPECT_EQ(sites, (Sites{{1, "a"}, {3, "b"}}));

  // A bad unindent: that line is lost, the lines after it are read.
  sites.clear();
  EXPECT_EQ(Recovered("if x:\n"
                      "    a()\n"
                      "  b()\n"
                      "  c()\n"
                      "d()\n",
                      &sites),
            "3:3: unindent does not match any outer indentation level");
  EXPECT_EQ(sites, (Sites{{2, "a"}, {4, "c"}, {5, "d"}}));

  // An unexpected indent skips the indented lines only.
  sites.clear();
  EXPECT_EQ(Recovered("a()\n    b()\nc()\n", &sites), "2:5: unexpected indent");
  EXPECT_EQ(sites, (Sites{{1, "a"}, {3, "c"}}));

  // Garbage bytes: unknown characters, an unmatched bracket (after a whole
  // statement, which is kept), invalid UTF-8.
  sites.clear();
  EXPECT_EQ(Recovered("a()\n$ = x(1) ? 2\nb())\nd()\n", &sites),
            "2:1: invalid character '$'");
  EXPECT_EQ(sites, (Sites{{1, "a"}, {3, "b"}, {4, "d"}}));
  sites.clear();
  EXPECT_EQ(Recovered("a()\nc = 'caf\xe9'; lost()\nd()  # \xff\n", &sites),
            "2:9: invalid UTF-8");
  EXPECT_EQ(sites, (Sites{{1, "a"}, {3, "d"}}));

  // An unclosed bracket or triple-quoted string ends the file.
  sites.clear();
  EXPECT_EQ(Recovered("a()\nb(\nc()\n", &sites), "2:2: '(' was never closed");
  EXPECT_EQ(sites, (Sites{{1, "a"}}));
  sites.clear();
  EXPECT_EQ(Recovered("a()\ns = \"\"\"doc\nc()\n", &sites),
            "2:5: unterminated triple-quoted string literal");
  EXPECT_EQ(sites, (Sites{{1, "a"}}));
}

TEST(SyntaxTest, TokenStreamEndsEvenAfterErrors) {
  for (const char* source : {"x = 'a\n", "if x:\n  a\n b\n", "a = )\n", "`\n",
                             "x = \\", "a = 1\ns = '''doc\n\nmore\n"}) {
    std::vector<Token> tokens;
    SyntaxError error;
    EXPECT_FALSE(Tokenize(source, TokenizerLimits(), &tokens, &error))
        << source;
    EXPECT_FALSE(error.message.empty());
    ASSERT_FALSE(tokens.empty());
    EXPECT_EQ(tokens.back().kind, TokenKind::kEnd) << source;
    for (const Token& t : tokens) {
      EXPECT_TRUE(t.line >= 1 && t.col >= 1) << source;
    }
  }
}

TEST(SyntaxTest, BinaryInputIsNotParsed) {
  Module m;
  int line = 0;
  absl::Status s = ParseModule(std::string("a()\n\x7f\x45LF\0\x01\nb()\n", 15),
                               ParseLimits(), &m, &line);
  EXPECT_EQ(s.message(), "2:5: source contains a NUL byte");
  EXPECT_TRUE(m.body.empty());
  EXPECT_TRUE(m.calls.empty());
}

TEST(SyntaxTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  EXPECT_EQ(ParseError("x = " + deep + "\n"),
            "1:205: too many nested parentheses");
  std::string unary = "x = " + std::string(100000, '-') + "1\n";
  EXPECT_THAT(ParseError(unary),
              ::testing::HasSubstr("too many nested expressions"));
  std::string indent;
  for (int i = 0; i < 150; ++i) {
    indent += std::string(i, ' ') + "if x:\n";
  }
  indent += std::string(150, ' ') + "pass\n";
  EXPECT_THAT(ParseError(indent),
              ::testing::HasSubstr("too many levels of indentation"));
}

TEST(SyntaxTest, LongLinesAreRejected) {
  std::string line = "x = '" + std::string(10u << 20, 'a') + "'\n";
  EXPECT_EQ(ParseError("ok = 1\n" + line),
            "2:1: line longer than 1048576 bytes");
}

}  // namespace
}  // namespace leastpriv::pyscan
