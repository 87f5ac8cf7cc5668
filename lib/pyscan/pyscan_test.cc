// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/pyscan.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/found_operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string OpsText(const ScanResult& r) {
  std::string out;
  for (const Operation& o : r.operations) {
    out += std::to_string(o.line) + " " + o.action + " " + o.table;
    if (o.index) out += " @" + *o.index;
    if (o.table_is_pattern) out += " (pattern)";
    if (o.uncertain) out += " (uncertain)";
    if (!o.reason.empty()) out += " [" + o.reason + "]";
    out += "\n";
  }
  return out;
}

class ProjectDir {
 public:
  explicit ProjectDir(const std::string& name) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = fs::path(tmp != nullptr ? tmp : "/tmp") / name;
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void Write(const std::string& rel, const std::string& text) {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  std::string path() const { return root_.string(); }
  fs::path root() const { return root_; }

 private:
  fs::path root_;
};

// Interning gives one text per distinct name, whatever the order, for
// names alike but in one byte, of every length around 8 bytes.
TEST(PyscanTest, NameTableKeepsOneTextPerName) {
  std::vector<std::string> texts;
  for (std::size_t n = 1; n <= 10; ++n) {
    for (std::size_t i = 0; i < n; ++i) {
      for (char c : {'a', 'b', '\0', '\xff'}) {
        std::string t(n, 'a');
        t[i] = c;
        texts.push_back(t);
      }
    }
  }
  pyscan::NameTable table;
  std::map<std::string, const std::string*> first;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t k = 0; k < texts.size(); ++k) {
      // Each round in another order, so the recent names differ.
      const std::string& t =
          texts[round == 1 ? texts.size() - 1 - k : (k * 7) % texts.size()];
      const pyscan::Name name = table.Intern(t);
      ASSERT_EQ(name.str(), t);
      auto it = first.emplace(t, &name.str()).first;
      EXPECT_EQ(it->second, &name.str()) << "length " << t.size();
    }
  }
  EXPECT_GT(first.size(), 100u);
}

TEST(PyscanTest, ScopeNamesFindNamesSharingTheirFirstBytes) {
  pyscan::NameTable table;
  pyscan::ScopeNames names;
  pyscan::ScopeNamesBuilder builder;
  // Names alike in their first 8 bytes, names that begin others, bytes
  // past ASCII and a NUL: each is found with its own bindings.
  const std::vector<std::string> bound = {
      "table_name_b",          "table_name_a",      "table_nam", "table_name",
      "table_name_aa",         "\xc3\xa9t\xc3\xa9", "z",         "ab",
      std::string("ab\0c", 4), "table_name_a"};
  for (std::size_t i = 0; i < bound.size(); ++i) {
    pyscan::Binding b;
    b.line = static_cast<int>(i + 1);
    builder.Add(&names, table.Intern(bound[i]), b);
  }
  builder.Finish();
  EXPECT_EQ(names.size(), 9u);
  for (std::size_t i = 0; i + 1 < bound.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string query = bound[i];  // not the interned text
    auto it = names.find(query);
    ASSERT_NE(it, names.end());
    EXPECT_EQ(it->first, query);
    ASSERT_FALSE(it->second.empty());
    EXPECT_EQ(it->second[0].line, static_cast<int>(i + 1));
  }
  ASSERT_EQ(names["table_name_a"].size(), 2u);
  EXPECT_EQ(names["table_name_a"][1].line, 10);
  for (std::string_view missing :
       {"table_name_", "table_n", "table_name_c", "table_name_ab", "a", "",
        "\xc3\xa9", "zz"}) {
    SCOPED_TRACE(missing);
    EXPECT_EQ(names.find(missing), names.end());
  }
  EXPECT_EQ(names.find(std::string_view("ab\0", 3)), names.end());
  EXPECT_EQ(names["ab"].size(), 1u);
}

TEST(PyscanTest, ScopeNamesKeepEachNamesBindingsInOrder) {
  pyscan::NameTable table;
  pyscan::ScopeNames names;
  pyscan::ScopeNames other;
  pyscan::ScopeNames empty;
  auto binding = [](int line) {
    pyscan::Binding b;
    b.line = line;
    return b;
  };
  // Two scopes built together (a module and a function in it), their
  // bindings interleaved.
  pyscan::ScopeNamesBuilder builder;
  builder.Add(&names, table.Intern("orders"), binding(3));
  builder.Add(&other, table.Intern("orders"), binding(30));
  builder.Add(&names, table.Intern("client"), binding(1));
  builder.Add(&names, table.Intern("orders"), binding(7));
  builder.Add(&other, table.Intern("alpha"), binding(20));
  builder.Add(&names, table.Intern("zeta"), binding(2));
  builder.Add(&names, table.Intern("orders"), binding(5));
  builder.Add(&other, table.Intern("orders"), binding(10));
  builder.Finish();
  EXPECT_EQ(names.size(), 3u);
  const std::string orders = "orders";
  auto it = names.find(orders);
  ASSERT_NE(it, names.end());
  EXPECT_EQ(it->first, "orders");
  std::vector<int> lines;
  for (const pyscan::Binding& b : it->second) lines.push_back(b.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 7, 5}));
  EXPECT_EQ(names["client"].size(), 1u);
  EXPECT_EQ(names["client"][0].line, 1);
  EXPECT_EQ(names["zeta"].back().line, 2);
  EXPECT_EQ(names.count("missing"), 0u);
  EXPECT_EQ(names.find("missing"), names.end());
  EXPECT_TRUE(names["missing"].empty());
  EXPECT_EQ(names.count("order"), 0u);
  EXPECT_EQ(other.size(), 2u);
  ASSERT_EQ(other["orders"].size(), 2u);
  EXPECT_EQ(other["orders"][0].line, 30);
  EXPECT_EQ(other["orders"][1].line, 10);
  EXPECT_EQ(other["alpha"][0].line, 20);
  EXPECT_EQ(names.BlockBytes(), 8 + 5 * (8 + 8 + sizeof(pyscan::Binding)));
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.BlockBytes(), 0u);
  EXPECT_TRUE(empty["orders"].empty());
  // The next batch starts empty: it replaces only what it adds to.
  builder.Add(&other, table.Intern("beta"), binding(40));
  builder.Finish();
  EXPECT_EQ(other.size(), 1u);
  EXPECT_EQ(other["beta"][0].line, 40);
  EXPECT_EQ(names.size(), 3u);
}

// SortUnique keeps what sorting the Operations by their texts (std::sort,
// then std::unique) keeps, in the same order: among equal keys, the one
// the sort leaves first (told apart by the fields out of the key).
TEST(PyscanTest, FoundOperationsSortUniqueAsTheTextsSort) {
  const std::vector<std::string> files = {"a/b.py", "a/b_c.py",    "a.py",
                                          "",       "\xc3\xa9.py", "a/b.pyx"};
  const std::vector<std::string> words = {
      "",         "dynamodb:Query", "dynamodb:PutItem", "orders-*",
      "Query",    "orders",         "orders-2",         "by_user",
      "by_user2", "env:X",          "\x7f\x80",         "Orders"};
  pyscan::FoundOperations found;
  pyscan::FoundOperations same;
  std::uint32_t seed = 12345;
  auto next = [&](std::size_t n) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::size_t>((seed >> 8) % n);
  };
  for (int i = 0; i < 3000; ++i) {
    pyscan::FoundOperations::Fields f;
    f.file = files[next(files.size())];
    f.line = static_cast<int>(next(4)) - 1;
    f.action = words[next(3)];
    f.table = words[next(words.size())];
    f.index = next(3) == 0 ? std::string_view(words[next(words.size())])
                           : std::string_view();
    f.operation = words[next(5)];
    f.uncertain = next(2) == 0;
    f.reason = words[next(words.size())];
    const std::string tmpl = std::to_string(i);  // out of the key
    f.table_template = tmpl;
    found.Add(f);
    same.Add(f);
  }
  std::vector<Operation> expected;
  same.MoveTo(&expected);
  static const std::string kNoIndex;
  auto key = [](const Operation& o) {
    return std::tie(o.file, o.line, o.action, o.table,
                    o.index.has_value() ? *o.index : kNoIndex, o.operation,
                    o.uncertain, o.reason);
  };
  std::sort(
      expected.begin(), expected.end(),
      [&](const Operation& a, const Operation& b) { return key(a) < key(b); });
  expected.erase(std::unique(expected.begin(), expected.end(),
                             [&](const Operation& a, const Operation& b) {
                               return key(a) == key(b);
                             }),
                 expected.end());
  found.SortUnique();
  std::vector<Operation> got;
  found.MoveTo(&got);
  ASSERT_EQ(got.size(), expected.size());
  ASSERT_LT(got.size(), 3000u);  // some were equal
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(key(got[i]) == key(expected[i]));
    EXPECT_EQ(got[i].index, expected[i].index);
    EXPECT_EQ(got[i].table_template, expected[i].table_template);
  }
}

// The compact records give back each operation as added, in order, with
// the texts and defaults they share kept once.
TEST(PyscanTest, FoundOperationsGiveBackWhatWasAdded) {
  pyscan::FoundOperations found;
  const std::map<std::string, std::string> defaults = {{"env:PREFIX", "dev"}};
  const std::map<std::string, std::string> none;
  std::string action = "dynamodb:Query";
  pyscan::FoundOperations::Fields a;
  a.action = action;
  a.operation = "Query";
  a.table = "dev-orders";
  a.index = "by_user";
  a.file = "shop/views.py";
  a.line = 12;
  a.reason = "env:PREFIX";
  a.table_template = "{env:PREFIX}-orders";
  a.table_defaults = &defaults;
  a.table_source = "shop/conf.py:3";
  found.Add(a);
  // The buffer a text was viewed in may change once added.
  action = "dynamodb:PutItem";
  pyscan::FoundOperations::Fields b;
  b.action = action;
  b.operation = "PutItem";
  b.table = "orders-*";
  b.table_is_pattern = true;
  b.file = "shop/views.py";
  b.line = 30;
  b.table_defaults = &none;
  found.Add(b);
  a.action = "dynamodb:Query";
  found.Add(a);
  ASSERT_EQ(found.size(), 3u);
  found.MarkUncertain(1);

  std::vector<Operation> out(1);
  found.MoveTo(&out);
  EXPECT_EQ(found.size(), 0u);
  ASSERT_EQ(out.size(), 4u);
  const Operation& x = out[1];
  EXPECT_EQ(x.action, "dynamodb:Query");
  EXPECT_EQ(x.operation, "Query");
  EXPECT_EQ(x.table, "dev-orders");
  EXPECT_FALSE(x.table_is_pattern);
  EXPECT_EQ(x.index, std::optional<std::string>("by_user"));
  EXPECT_EQ(x.file, "shop/views.py");
  EXPECT_EQ(x.line, 12);
  EXPECT_FALSE(x.uncertain);
  EXPECT_EQ(x.reason, "env:PREFIX");
  EXPECT_EQ(x.table_template, "{env:PREFIX}-orders");
  EXPECT_EQ(x.table_defaults, defaults);
  EXPECT_EQ(x.table_source, "shop/conf.py:3");
  const Operation& y = out[2];
  EXPECT_EQ(y.action, "dynamodb:PutItem");
  EXPECT_EQ(y.table, "orders-*");
  EXPECT_TRUE(y.table_is_pattern);
  EXPECT_FALSE(y.index.has_value());
  EXPECT_EQ(y.line, 30);
  EXPECT_TRUE(y.uncertain);
  EXPECT_TRUE(y.reason.empty());
  EXPECT_TRUE(y.table_defaults.empty());
  EXPECT_EQ(out[3].action, "dynamodb:Query");
  EXPECT_EQ(out[3].table_defaults, defaults);
  EXPECT_FALSE(out[3].uncertain);
}

// A binding's import, def or parameter and an assignment's function (for
// a `global` name) share one place: each reads as null on other kinds.
TEST(PyscanTest, ABindingReadsOnlyWhatItsKindHas) {
  pyscan::ImportName import;
  pyscan::Param param;
  pyscan::Scope scope;
  pyscan::Binding b;
  EXPECT_EQ(b.eval_scope(), nullptr);
  EXPECT_EQ(b.def(), nullptr);
  b.set_eval_scope(&scope);
  EXPECT_EQ(b.eval_scope(), &scope);
  EXPECT_EQ(b.import(), nullptr);
  EXPECT_EQ(b.def(), nullptr);
  EXPECT_EQ(b.param(), nullptr);
  b.kind = pyscan::Binding::Kind::kImport;
  b.set_import(&import);
  EXPECT_EQ(b.import(), &import);
  EXPECT_EQ(b.eval_scope(), nullptr);
  b.kind = pyscan::Binding::Kind::kClass;
  b.set_def(&scope);
  EXPECT_EQ(b.def(), &scope);
  EXPECT_EQ(b.import(), nullptr);
  b.kind = pyscan::Binding::Kind::kParam;
  b.set_param(&param);
  EXPECT_EQ(b.param(), &param);
  EXPECT_EQ(b.def(), nullptr);
  EXPECT_EQ(b.eval_scope(), nullptr);
}

TEST(PyscanTest, MethodNamesMapToApiOperations) {
  EXPECT_EQ(pyscan::DynamoDbOperationForMethod("list_tags_of_resource"),
            "ListTagsOfResource");
  EXPECT_EQ(pyscan::DynamoDbOperationForMethod("describe_time_to_live"),
            "DescribeTimeToLive");
  EXPECT_EQ(pyscan::DynamoDbOperationForMethod("get_paginator"), "");
  EXPECT_EQ(pyscan::DynamoDbOperationForMethod("get_object"), "");
}

// Every operation the scanner knows asks for actions of the catalog, on a
// table exactly when the catalog's action has a resource type.
TEST(PyscanTest, OperationsAgreeWithTheCatalog) {
  for (const std::string& op : pyscan::DynamoDbOperations()) {
    std::string snake;
    for (char c : op) {
      if (isupper(static_cast<unsigned char>(c)) && !snake.empty()) {
        snake.push_back('_');
      }
      snake.push_back(static_cast<char>(tolower(c)));
    }
    std::string src =
        "import boto3\nc = boto3.client('dynamodb')\nc." + snake +
        "(TableName='t', GlobalTableName='t', "
        "TargetTableName='t', "
        "ResourceArn='arn:aws:dynamodb:r:1:table/t', "
        "TableArn='arn:aws:dynamodb:r:1:table/t', "
        "Statement='SELECT * FROM t', "
        "RequestItems={'t': []}, "
        "TransactItems=[{'Put': {'TableName': 't'}}], "
        "Statements=[{'Statement': 'SELECT * FROM t'}], "
        "TransactStatements=[{'Statement': 'SELECT * FROM t'}])\n";
    ScanResult r = ScanSource("app/x.py", src);
    ASSERT_FALSE(r.operations.empty()) << op;
    for (const Operation& o : r.operations) {
      const ActionInfo* info = FindAction(o.action);
      ASSERT_NE(info, nullptr) << op << " -> " << o.action;
      EXPECT_EQ(info->wildcard_only(), o.table == "*")
          << op << " -> " << o.action << " on " << o.table;
    }
  }
}

TEST(PyscanTest, PartiqlStatements) {
  auto t = pyscan::ParsePartiqlStatement(
      "  select a, b FROM \"Orders\".\"ByCustomer\" WHERE c = ?");
  EXPECT_EQ(t.action, "dynamodb:PartiQLSelect");
  EXPECT_EQ(t.table, "Orders");
  EXPECT_EQ(t.index, "ByCustomer");
  t = pyscan::ParsePartiqlStatement("INSERT INTO Orders VALUE {'a': 1}");
  EXPECT_EQ(t.action, "dynamodb:PartiQLInsert");
  EXPECT_EQ(t.table, "Orders");
  t = pyscan::ParsePartiqlStatement("UPDATE \"Orders\" SET x = 1");
  EXPECT_EQ(t.action, "dynamodb:PartiQLUpdate");
  EXPECT_EQ(t.table, "Orders");
  t = pyscan::ParsePartiqlStatement("DELETE FROM Orders WHERE pk = ?");
  EXPECT_EQ(t.action, "dynamodb:PartiQLDelete");
  t = pyscan::ParsePartiqlStatement("EXPLAIN something");
  EXPECT_EQ(t.action, "");
}

// An item taken from a PynamoDB result (PynamoDB 4's ResultIterator.next(),
// the builtin next()) is a model instance; another iterator's item is not.
TEST(PyscanTest, ItemsOfAModelResultAreInstances) {
  ScanResult r = ScanSource("app/views.py",
                            "from pynamodb.models import Model\n"
                            "class Note(Model):\n"
                            "    class Meta:\n"
                            "        table_name = 'Notes'\n"
                            "def read(i):\n"
                            "    n = Note.query(i).next()\n"
                            "    n.save()\n"
                            "    m = next(Note.scan())\n"
                            "    m.delete()\n"
                            "    o = next(iter([1, 2]))\n"
                            "    o.save()\n");
  EXPECT_EQ(OpsText(r),
            "6 dynamodb:Query Notes\n7 dynamodb:PutItem Notes\n"
            "8 dynamodb:Scan Notes\n9 dynamodb:DeleteItem Notes\n");
}

// A call whose arguments the function cannot take (more positional
// arguments than its parameters, self included; a keyword it does not
// name) is not one of its call sites: its arguments give the parameter no
// value.
TEST(PyscanTest, CallSitesThatCannotTakeTheArgumentsDoNotPassValues) {
  ScanResult r =
      ScanSource("app/store.py",
                 "import boto3\n"
                 "class Repo:\n"
                 "    def put(self, name):\n"
                 "        t = boto3.resource('dynamodb').Table(name)\n"
                 "        t.put_item(Item={})\n"
                 "r = Repo()\n"
                 "r.put('Orders')\n"
                 "r.put('Extra', 'args', 'and', 'more')\n"
                 "r.put('Keyword', colour='red')\n"
                 "r.put(name='Named')\n");
  EXPECT_EQ(OpsText(r),
            "5 dynamodb:PutItem Named\n5 dynamodb:PutItem Orders\n");
}

// An instance attribute that a base class's __init__ assigns from its
// parameters takes the arguments each level passes on, through an __init__
// that assigns other attributes only.
TEST(PyscanTest, InitArgumentsArePassedThroughEachBaseClass) {
  ScanResult r =
      ScanSource("app/store.py",
                 "import boto3\n"
                 "ddb = boto3.resource('dynamodb')\n"
                 "class Base:\n"
                 "    def __init__(self, name, unused):\n"
                 "        self.table = ddb.Table(name)\n"
                 "class Middle(Base):\n"
                 "    def __init__(self, name, colour):\n"
                 "        self.colour = colour\n"
                 "        super().__init__(name, colour)\n"
                 "class Leaf(Middle):\n"
                 "    def __init__(self, suffix):\n"
                 "        super().__init__('orders-' + suffix, 'red')\n"
                 "    def put(self):\n"
                 "        self.table.put_item(Item={})\n"
                 "Leaf('eu').put()\n"
                 "Leaf('us').put()\n");
  EXPECT_EQ(OpsText(r),
            "14 dynamodb:PutItem orders-eu\n14 dynamodb:PutItem orders-us\n");
}

// A name bound in both arms of a try or an if holds either value after it:
// the last binding before a use is not the only one that reaches it.
TEST(PyscanTest, BindingsInOtherArmsOfABlockReach) {
  ScanResult r =
      ScanSource("app/views.py",
                 "try:\n"
                 "    import boto3\n"
                 "except ImportError:\n"
                 "    boto3 = None\n"
                 "def load(k):\n"
                 "    try:\n"
                 "        t = boto3.resource('dynamodb').Table('A')\n"
                 "    except Exception:\n"
                 "        t = None\n"
                 "    return t.get_item(Key=k)\n"
                 "def pick(flag):\n"
                 "    if flag:\n"
                 "        name = 'B'\n"
                 "    else:\n"
                 "        name = 'C'\n"
                 "    boto3.client('dynamodb').scan(TableName=name)\n"
                 "def later():\n"
                 "    name = 'D'\n"
                 "    name = 'E'\n"
                 "    boto3.client('dynamodb').scan(TableName=name)\n");
  EXPECT_EQ(OpsText(r),
            "10 dynamodb:GetItem A\n16 dynamodb:Scan B\n"
            "16 dynamodb:Scan C\n20 dynamodb:Scan E\n");
}

TEST(PyscanTest, SameNamedMethodsOnOtherObjectsAreNotCounted) {
  const char* src =
      "import boto3, requests\n"
      "from django.core.cache import cache\n"
      "d = {}\n"
      "d.update(a=1)\n"
      "cache.get('k')\n"
      "requests.get('u')\n"
      "sqs = boto3.client('sqs')\n"
      "sqs.delete_message(QueueUrl='q')\n"
      "t = boto3.resource('dynamodb').Table('T')\n"
      "t.update(BillingMode='PROVISIONED')\n";
  ScanResult r = ScanSource("app/x.py", src);
  EXPECT_EQ(OpsText(r), "10 dynamodb:UpdateTable T\n");
}

TEST(PyscanTest, TableNameResolution) {
  const char* src =
      "import os, boto3\n"
      "ddb = boto3.resource('dynamodb')\n"
      "STAGE = os.environ.get('STAGE')\n"
      "ddb.Table(f'orders-{STAGE}').scan()\n"
      "ddb.Table(os.environ.get('T', 'Dflt')).scan()\n"
      "ddb.Table(os.environ['U']).scan()\n"
      "ddb.Table(some_call()).scan()\n";
  ScanResult r = ScanSource("app/x.py", src);
  EXPECT_EQ(OpsText(r),
            "4 dynamodb:Scan orders-* (pattern) [env:STAGE]\n"
            "5 dynamodb:Scan Dflt [env:T]\n"
            "6 dynamodb:Scan env:U\n"
            "7 dynamodb:Scan <unresolved> [name 'some_call' is not defined "
            "in the project]\n");
}

TEST(PyscanTest, TableNameTemplatesKeepTheirParts) {
  const char* src =
      "import os, boto3\n"
      "ddb = boto3.resource('dynamodb')\n"
      "PREFIX = os.environ.get('PREFIX', 'dev')\n"
      "ddb.Table(f'{PREFIX}-price-history').scan()\n"
      "ddb.Table('%s_{x}' % os.environ['STAGE']).scan()\n"
      "ddb.Table('{}-{}'.format(PREFIX, 'orders')).scan()\n"
      "ddb.Table('plain').scan()\n";
  ScanResult r = ScanSource("app/x.py", src);
  ASSERT_EQ(r.operations.size(), 4u) << OpsText(r);
  EXPECT_EQ(r.operations[0].table, "dev-price-history");
  EXPECT_EQ(r.operations[0].table_template, "{env:PREFIX}-price-history");
  EXPECT_EQ(r.operations[0].table_defaults,
            (std::map<std::string, std::string>{{"env:PREFIX", "dev"}}));
  EXPECT_EQ(r.operations[0].table_source, "app/x.py:3");
  EXPECT_EQ(r.operations[1].table, "*_{x}");
  EXPECT_TRUE(r.operations[1].table_is_pattern);
  EXPECT_EQ(r.operations[1].table_template, "{env:STAGE}_{{x}}");
  EXPECT_TRUE(r.operations[1].table_defaults.empty());
  EXPECT_EQ(r.operations[2].table, "dev-orders");
  EXPECT_EQ(r.operations[2].table_template, "{env:PREFIX}-orders");
  EXPECT_EQ(r.operations[3].table_template, "");
}

TEST(PyscanTest, ParseErrorInSingleSource) {
  ScanResult r = ScanSource("a.py", "x = (\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "a.py");
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].message, "'(' was never closed");
}

// A file with syntax errors is reported, and the operations of the
// statements that parse are found.
TEST(PyscanTest, OperationsOfAPartlyReadFileAreFound) {
  const std::string head =
      "import boto3\n"
      "table = boto3.resource('dynamodb').Table('Orders')\n";
  struct Case {
    std::string bad;  // replaces line 3
    std::string error;
  };
  const std::vector<Case> cases = {
      {"print 'saving', key",
       "missing parentheses in call to 'print' (a Python 2 statement)"},
      {"msg = 'unterminated", "unterminated string literal"},
      {"   indented = 1", "unexpected indent"},
      {"x = \x01\x02 ?", "invalid character '\x01'"},
      {"s = 'caf\xe9'", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    const std::string source = head + c.bad +
                               "\n"
                               "def save(key):\n"
                               "    print 'saving', key\n"
                               "    table.put_item(Item={'k': key})\n"
                               "table.get_item(Key={'k': 1})\n";
    ScanResult r = ScanSource("app/legacy.py", source);
    ASSERT_EQ(r.errors.size(), 1u) << c.bad;
    EXPECT_EQ(r.errors[0].file, "app/legacy.py");
    EXPECT_EQ(r.errors[0].line, 3) << c.bad;
    EXPECT_EQ(r.errors[0].message, c.error);
    EXPECT_EQ(OpsText(r),
              "6 dynamodb:PutItem Orders\n7 dynamodb:GetItem Orders\n")
        << c.bad;
  }
  // A binary file is an error and nothing else.
  ScanResult binary =
      ScanSource("app/blob.py", std::string("table.scan()\n\x7f\0\x03\n", 16));
  ASSERT_EQ(binary.errors.size(), 1u);
  EXPECT_EQ(binary.errors[0].message, "source contains a NUL byte");
  EXPECT_TRUE(binary.operations.empty());
}

TEST(PyscanTest, BadFilesAreReportedAndTheRestIsScanned) {
  ProjectDir p("bad_files");
  p.Write("ok.py",
          "import boto3\nboto3.client('dynamodb').scan(TableName='T')\n");
  // A 20 MB generated file.
  std::string big;
  while (big.size() < (20u << 20)) big += "x = 1\n";
  p.Write("generated.py", big);
  p.Write("deep.py", "x = " + std::string(100000, '[') + "\n");
  p.Write("longline.py", "ok = 1\ns = '" + std::string(10u << 20, 'a') + "'\n");
  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 4u);
  EXPECT_EQ(OpsText(*r), "2 dynamodb:Scan T\n");
  ASSERT_EQ(r->errors.size(), 3u);
  EXPECT_EQ(r->errors[0].file, "deep.py");
  EXPECT_EQ(r->errors[0].line, 1);
  EXPECT_EQ(r->errors[0].message, "too many nested parentheses");
  EXPECT_EQ(r->errors[1].file, "generated.py");
  EXPECT_EQ(r->errors[1].message,
            "file is 20971524 bytes, larger than the 16777216-byte limit; not "
            "scanned");
  EXPECT_EQ(r->errors[2].file, "longline.py");
  EXPECT_EQ(r->errors[2].line, 2);
  EXPECT_EQ(r->errors[2].message, "line longer than 1048576 bytes");
}

TEST(PyscanTest, SymlinksStayInsideTheRootAndLoopsTerminate) {
  ProjectDir outside("outside_root");
  outside.Write("secret.py",
                "import boto3\nboto3.client('dynamodb').scan(TableName='X')\n");
  ProjectDir p("symlinks");
  p.Write("app/a.py",
          "import boto3\nboto3.client('dynamodb').scan(TableName='A')\n");
  fs::create_directory_symlink(outside.root(), p.root() / "escape");
  fs::create_symlink(outside.root() / "secret.py", p.root() / "leak.py");
  fs::create_directory_symlink(p.root(), p.root() / "app" / "loop");
  fs::create_directory_symlink(p.root() / "app", p.root() / "alias");
  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 1u);
  EXPECT_EQ(OpsText(*r), "2 dynamodb:Scan A\n");
}

TEST(PyscanTest, CircularImportsTerminate) {
  // A module importing a name from itself, and two modules importing a name
  // from each other: resolution must stop and report the table unresolved.
  ScanResult self =
      ScanSource("app/self.py",
                 "from app.self import TABLE\nimport boto3\n"
                 "boto3.client('dynamodb').scan(TableName=TABLE)\n");
  ASSERT_EQ(self.operations.size(), 1u);
  EXPECT_EQ(self.operations[0].action, "dynamodb:Scan");

  ProjectDir p("circular");
  p.Write("app/__init__.py", "");
  p.Write("app/a.py", "from app.b import TABLE\n");
  p.Write("app/b.py",
          "from app.a import TABLE\nimport boto3\n"
          "boto3.client('dynamodb').get_item(TableName=TABLE, Key={})\n");
  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->operations.size(), 1u);
  EXPECT_EQ(r->operations[0].action, "dynamodb:GetItem");
  EXPECT_EQ(r->operations[0].table, "<unresolved>");
}

// A session engine the project implements itself is scanned as its code;
// the settings rule adds the engine's operations only for an engine from
// elsewhere.
// Finding a method searches the bases of its class, and a base can be a
// call whose result is found by calling methods of other classes: 2,000
// such classes in a chain used to nest evaluations past the stack. The
// search now carries the depth of the evaluation that asked for it, and
// evaluations nested past a bound are cut short: the scan ends, and the
// call it cannot follow is still reported.
TEST(PyscanTest, ChainsOfBaseClassesMadeByCallsTerminate) {
  constexpr int kClasses = 2000;
  std::string src = "import boto3\n\n\ndef go():\n    K" +
                    std::to_string(kClasses - 1) + "().put_item(Item={})\n";
  for (int i = kClasses - 1; i > 0; --i) {
    const std::string n = std::to_string(i), m = std::to_string(i - 1);
    src += "def f" + n + "():\n    return K" + m +
           "().put_item(Item={})\n\n\nclass K" + n + "(f" + n +
           "()):\n    pass\n";
  }
  src +=
      "class K0(boto3.resource('dynamodb').Table('t').__class__):\n"
      "    pass\n";
  ScanResult r = ScanSource("app/chain.py", src);
  EXPECT_TRUE(r.errors.empty());
  bool reported = false;
  for (const Operation& o : r.operations) {
    if (o.line == 5) {
      EXPECT_EQ(o.operation, "PutItem");
      EXPECT_TRUE(o.uncertain) << OpsText(r);
      reported = true;
    }
  }
  EXPECT_TRUE(reported) << OpsText(r);
}

TEST(PyscanTest, SessionEngineOfTheProjectIsNotCountedTwice) {
  const std::string store =
      "import boto3\n"
      "from django.contrib.sessions.backends.base import SessionBase\n"
      "class SessionStore(SessionBase):\n"
      "    def load(self):\n"
      "        return boto3.resource('dynamodb').Table('web-sessions')"
      ".get_item(Key={})\n";
  // Named under the package the project is installed as.
  ProjectDir own("own_engine");
  own.Write("sessions/dynamodb_session.py", store);
  own.Write("settings.py",
            "SESSION_ENGINE = 'mysite.sessions.dynamodb_session'\n");
  absl::StatusOr<ScanResult> r = ScanProject(own.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(OpsText(*r), "5 dynamodb:GetItem web-sessions\n");

  // A module of the same name that is no session engine: the setting names
  // a package from elsewhere, whose operations are added.
  ProjectDir other("other_engine");
  other.Write("dynamodb.py", "TABLES = []\n");
  other.Write("settings.py",
              "SESSION_ENGINE = 'dynamodb_sessions.backends.dynamodb'\n");
  r = ScanProject(other.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->operations.size(), 4u) << OpsText(*r);
  for (const Operation& o : r->operations) {
    EXPECT_EQ(o.table, "sessions");
    EXPECT_EQ(o.file, "settings.py");
  }
}

// f0's put_item reaches the site holder.hop(TABLE) through a chain of
// parameters so long that the site's receiver is cut short (by depth) there;
// hop's own delete_item, walked next, reaches the same site directly. What
// the first walked expression left cut short must not be taken as the
// site's answer by the next one: the site is evaluated again and its table
// found. (The chain lengths are those at which the first expression is cut
// short at that site under kMaxDepth.)
TEST(PyscanTest, CallSiteCutShortInOneExpressionIsEvaluatedAgainInTheNext) {
  for (int hops : {10, 11}) {
    std::string src =
        "import boto3\n"
        "TABLE = boto3.resource('dynamodb').Table('orders')\n"
        "def f0(t):\n"
        "    t.put_item(Item={})\n";
    for (int i = 1; i < hops; ++i) {
      src += "def f" + std::to_string(i) + "(t):\n    f" +
             std::to_string(i - 1) + "(t)\n";
    }
    src +=
        "class Holder:\n"
        "    def hop(self, t):\n"
        "        f" +
        std::to_string(hops - 1) +
        "(t)\n"
        "        t.delete_item(Key={})\n"
        "holder = Holder()\n"
        "holder.hop(TABLE)\n";
    ScanResult r = ScanSource("app/chain.py", src);
    std::map<std::string, std::string> tables;
    for (const Operation& o : r.operations) tables[o.operation] = o.table;
    // The first expression was cut short...
    EXPECT_EQ(tables["PutItem"], "<unresolved>") << hops << "\n" << OpsText(r);
    // ...the next one still finds the table.
    EXPECT_EQ(tables["DeleteItem"], "orders") << hops << "\n" << OpsText(r);
  }
}

// A table name with more possible values than the scanner follows is
// widened: the values past the bound are an unknown table, with the reason,
// beside the names followed; below the bound nothing is added.
TEST(PyscanTest, TableNamesPastTheBoundWidenToAnUnknownTable) {
  for (int names : {3, 40}) {
    std::string src =
        "import boto3\n"
        "def put(name):\n"
        "    boto3.resource('dynamodb').Table(name).put_item(Item={})\n"
        "def scan(name):\n"
        "    boto3.client('dynamodb').scan(TableName=name)\n";
    for (int i = 0; i < names; ++i) {
      src += "put('t" + std::to_string(i) + "')\nscan('s" + std::to_string(i) +
             "')\n";
    }
    ScanResult r = ScanSource("app/many.py", src);
    std::map<std::string, int> named;
    std::map<std::string, std::string> widened;
    for (const Operation& o : r.operations) {
      if (o.table == "<unresolved>") {
        widened[o.operation] = o.reason;
      } else {
        ++named[o.operation];
      }
    }
    if (names == 3) {
      EXPECT_EQ(named["PutItem"], 3) << OpsText(r);
      EXPECT_EQ(named["Scan"], 3) << OpsText(r);
      EXPECT_TRUE(widened.empty()) << OpsText(r);
      continue;
    }
    EXPECT_GE(named["PutItem"], 30) << OpsText(r);
    EXPECT_GE(named["Scan"], 30) << OpsText(r);
    for (const char* op : {"PutItem", "Scan"}) {
      EXPECT_THAT(widened[op], HasSubstr("more possible table names"))
          << op << "\n"
          << OpsText(r);
    }
  }
}

// A parameter that receives more Tables than the scanner follows still
// reports the operation on each: the Tables past the bound are an unknown
// table, with the reason.
TEST(PyscanTest, ReceiversPastTheBoundWidenToAnUnknownTable) {
  for (int tables : {3, 40}) {
    std::string src =
        "import boto3\n"
        "def put(t):\n"
        "    t.put_item(Item={})\n";
    for (int i = 0; i < tables; ++i) {
      src += "put(boto3.resource('dynamodb').Table('t" + std::to_string(i) +
             "'))\n";
    }
    ScanResult r = ScanSource("app/receivers.py", src);
    int named = 0;
    std::string widened;
    for (const Operation& o : r.operations) {
      ASSERT_EQ(o.operation, "PutItem") << OpsText(r);
      if (o.table == "<unresolved>") {
        widened = o.reason;
      } else {
        ++named;
      }
    }
    if (tables == 3) {
      EXPECT_EQ(named, 3) << OpsText(r);
      EXPECT_TRUE(widened.empty()) << OpsText(r);
      continue;
    }
    EXPECT_GE(named, 30) << OpsText(r);
    EXPECT_THAT(widened, HasSubstr("more possible table names")) << OpsText(r);
  }
}

// PynamoDB models name their tables themselves, and a project has few:
// a parameter that receives more models than the bound keeps every one.
TEST(PyscanTest, ModelsPastTheBoundAreKept) {
  std::string src =
      "from pynamodb.models import Model\n"
      "def get(m):\n"
      "    m.get(1)\n";
  for (int i = 0; i < 40; ++i) {
    std::string n = std::to_string(i);
    src += "class M" + n +
           "(Model):\n"
           "    class Meta:\n"
           "        table_name = 'm" +
           n + "'\nget(M" + n + ")\n";
  }
  ScanResult r = ScanSource("app/models.py", src);
  std::set<std::string> tables;
  for (const Operation& o : r.operations) {
    EXPECT_EQ(o.operation, "GetItem") << OpsText(r);
    tables.insert(o.table);
  }
  EXPECT_EQ(tables.size(), 40u) << OpsText(r);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(tables.count("m" + std::to_string(i)), 1u) << i;
  }
}

// What a function returns is remembered per bound argument values: calls
// of one chain with different tables, and with the same table twice, each
// give their own table.
TEST(PyscanTest, ResultsUnderBoundParametersAreKeptApart) {
  std::string src =
      "import boto3\n"
      "def table(name):\n"
      "    return boto3.resource('dynamodb').Table(name)\n"
      "def middle(name):\n"
      "    return table(name)\n"
      "def outer(name):\n"
      "    return middle(name)\n"
      "outer('a').put_item(Item={})\n"
      "outer('b').delete_item(Key={})\n"
      "outer('a').get_item(Key={})\n"
      "middle(outer('c').name).scan()\n";
  ScanResult r = ScanSource("app/chain.py", src);
  std::map<std::string, std::set<std::string>> tables;
  for (const Operation& o : r.operations) tables[o.operation].insert(o.table);
  EXPECT_EQ(tables["PutItem"], std::set<std::string>{"a"}) << OpsText(r);
  EXPECT_EQ(tables["DeleteItem"], std::set<std::string>{"b"}) << OpsText(r);
  EXPECT_EQ(tables["GetItem"], std::set<std::string>{"a"}) << OpsText(r);
  EXPECT_EQ(tables["Scan"], std::set<std::string>{"c"}) << OpsText(r);
}

// A project with every kind of vendored directory beside its own code.
void WriteVendoredTree(ProjectDir* p) {
  auto scan = [](const std::string& table) {
    return "import boto3\nboto3.client('dynamodb').scan(TableName='" + table +
           "')\n";
  };
  p->Write("app/views.py", scan("Own"));
  // A virtualenv: pyvenv.cfg, whatever the directory is called.
  p->Write(".venv/pyvenv.cfg", "home = /usr/bin\n");
  p->Write(".venv/lib/python3.11/site-packages/pkg/mod.py", scan("Venv"));
  p->Write("build_env/pyvenv.cfg", "home = /usr/bin\n");
  p->Write("build_env/tool.py", scan("NamedVenv"));
  // An "env" without pyvenv.cfg but with lib/pythonX.Y/site-packages.
  p->Write("env/lib/python3.12/site-packages/pkg/mod.py", scan("EnvNoCfg"));
  // Installed packages anywhere in the tree.
  p->Write("vendor/lib/python3/dist-packages/pkg/mod.py", scan("Dist"));
  p->Write("opt/site-packages/pkg/mod.py", scan("Site"));
  // A "venv" holding neither marker is the project's own code.
  p->Write("venv/helpers.py", scan("PlainVenvName"));
}

TEST(PyscanTest, VendoredDirectoriesAreSkippedAndCounted) {
  ProjectDir p("vendored");
  WriteVendoredTree(&p);
  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(OpsText(*r),
            "2 dynamodb:Scan Own\n2 dynamodb:Scan PlainVenvName\n");
  EXPECT_EQ(r->files_scanned, 2u);
  // .venv, build_env, env, dist-packages, site-packages.
  EXPECT_EQ(r->skipped_vendored_directories, 5u);
  EXPECT_TRUE(r->errors.empty());

  ScanOptions options;
  options.include_vendored = true;
  r = ScanProject(p.path(), options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 7u);
  EXPECT_EQ(r->skipped_vendored_directories, 0u);
  std::vector<std::string> files;
  for (const Operation& o : r->operations) files.push_back(o.file);
  EXPECT_EQ(files, (std::vector<std::string>{
                       ".venv/lib/python3.11/site-packages/pkg/mod.py",
                       "app/views.py",
                       "build_env/tool.py",
                       "env/lib/python3.12/site-packages/pkg/mod.py",
                       "opt/site-packages/pkg/mod.py",
                       "vendor/lib/python3/dist-packages/pkg/mod.py",
                       "venv/helpers.py",
                   }));
}

TEST(PyscanTest, VendoredDirectoryNamedAsRootIsScanned) {
  ProjectDir p("vendored_root");
  WriteVendoredTree(&p);
  absl::StatusOr<ScanResult> r =
      ScanProject((p.root() / "opt" / "site-packages").string());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(OpsText(*r), "2 dynamodb:Scan Site\n");
  EXPECT_EQ(r->skipped_vendored_directories, 0u);
  // A virtualenv named as the root: its own site-packages is still skipped.
  r = ScanProject((p.root() / ".venv").string());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 0u);
  EXPECT_EQ(r->skipped_vendored_directories, 1u);
}

// Everything a scan reports, in order, as text.
std::string ResultText(const ScanResult& r) {
  std::string out;
  for (const Operation& o : r.operations) {
    out += o.file + ":" + std::to_string(o.line) + " " + o.action + " " +
           o.table + " " + o.index.value_or("-") + " " + o.reason + " " +
           o.table_template + "\n";
  }
  for (const Finding& f : r.findings) {
    out += f.pos.file + ":" + std::to_string(f.pos.line) + " " +
           std::string(FindingId(f.code)) + "\n";
  }
  for (const ScanError& e : r.errors) {
    out += e.file + ":" + std::to_string(e.line) + " " + e.message + "\n";
  }
  out += std::to_string(r.files_scanned) + " " +
         std::to_string(r.skipped_files) + " " +
         std::to_string(r.skipped_vendored_directories) + "\n";
  return out;
}

// Modules sharing a client, a Table and a table name across imports, some
// files that do not parse, tests, and a virtualenv.
void WriteSharedTree(ProjectDir* p, int modules) {
  p->Write("shop/__init__.py", "");
  p->Write("shop/db.py",
           "import os\nimport boto3\n"
           "TABLE = os.environ.get('ORDERS_TABLE', 'orders')\n"
           "client = boto3.client('dynamodb')\n"
           "orders = boto3.resource('dynamodb').Table(TABLE)\n");
  for (int i = 0; i < modules; ++i) {
    const std::string n = std::to_string(i);
    p->Write("shop/m" + n + ".py",
             "from shop.db import client, orders, TABLE\n"
             "def f" +
                 n +
                 "(k):\n"
                 "    orders.get_item(Key={'pk': k})\n"
                 "    client.query(TableName=TABLE + '-" +
                 n +
                 "', IndexName='ix')\n"
                 "    return client.put_item(TableName='t" +
                 n + "', Item={})\n");
    if (i % 7 == 0) p->Write("shop/bad" + n + ".py", "def (:\n");
    if (i % 5 == 0) p->Write("shop/tests/test_" + n + ".py", "x = 1\n");
  }
  p->Write("venv/pyvenv.cfg", "");
}

TEST(PyscanTest, ResultIsTheSameForAnyNumberOfJobs) {
  ProjectDir p("jobs");
  WriteSharedTree(&p, 40);
  absl::StatusOr<ScanResult> one = ScanProject(p.path());
  ASSERT_TRUE(one.ok()) << one.status();
  const std::string expected = ResultText(*one);
  EXPECT_EQ(one->files_scanned, 48u);
  EXPECT_EQ(one->errors.size(), 6u);
  for (unsigned jobs : {0u, 2u, 3u, 16u, 100u}) {
    ScanOptions options;
    options.jobs = jobs;
    absl::StatusOr<ScanResult> r = ScanProject(p.path(), options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(ResultText(*r), expected) << "jobs " << jobs;
  }
}

TEST(PyscanTest, ProgressReportsEachPhaseAndChangesNothing) {
  ProjectDir p("progress");
  WriteSharedTree(&p, 40);
  absl::StatusOr<ScanResult> quiet = ScanProject(p.path());
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  for (unsigned jobs : {1u, 3u}) {
    std::vector<ScanProgress> seen;
    ScanOptions options;
    options.jobs = jobs;
    options.progress = [&seen](const ScanProgress& progress) {
      seen.push_back(progress);
    };
    absl::StatusOr<ScanResult> r = ScanProject(p.path(), options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(ResultText(*r), ResultText(*quiet)) << "jobs " << jobs;
    // Every phase starts with a report of its own, in order, and counts
    // never run backwards or past the total within a phase.
    std::vector<std::string> phases;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      const ScanProgress& s = seen[i];
      if (phases.empty() || phases.back() != s.phase) {
        phases.push_back(s.phase);
        EXPECT_EQ(s.done, 0u) << s.phase;
      } else {
        EXPECT_GE(s.done, seen[i - 1].done) << s.phase;
        EXPECT_GE(s.seconds, seen[i - 1].seconds) << s.phase;
      }
      if (s.total > 0) {
        EXPECT_LE(s.done, s.total) << s.phase;
      }
    }
    EXPECT_EQ(phases,
              (std::vector<std::string>{"walking", "parsing", "analysing"}));
    for (const ScanProgress& s : seen) {
      if (std::string(s.phase) == "parsing") {
        EXPECT_EQ(s.total, 48u);
      }
    }
  }
}

TEST(PyscanTest, MemoryLimitIsAnErrorNamingIt) {
  ProjectDir p("memory");
  WriteSharedTree(&p, 20);
  ScanOptions options;
  // Less than the source bytes: refused before any file is read.
  options.max_memory = 1000;
  absl::StatusOr<ScanResult> r = ScanProject(p.path(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(IsMemoryLimitError(r.status()));
  EXPECT_EQ(std::string(r.status().message()),
            p.path() +
                ": the scan needs more than 1000 bytes of memory "
                "(max_memory: source and syntax trees of the files to "
                "scan); refusing to scan a partial tree");
  // More than the sources (about 4 KB) but less than their syntax trees.
  options.max_memory = 8000;
  for (unsigned jobs : {1u, 3u}) {
    options.jobs = jobs;
    r = ScanProject(p.path(), options);
    ASSERT_FALSE(r.ok()) << "jobs " << jobs;
    EXPECT_TRUE(IsMemoryLimitError(r.status()));
  }
  options.max_memory = 10u << 20;
  r = ScanProject(p.path(), options);
  ASSERT_TRUE(r.ok()) << r.status();
  // The file-count limit is not a memory-limit error.
  options.max_files = 3;
  r = ScanProject(p.path(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(IsMemoryLimitError(r.status()));
}

// The default limit at full scale (100,000 entries) is tested by
// //tests:large_tree_test.
TEST(PyscanTest, FileCountLimit) {
  ProjectDir p("many_files");
  for (int i = 0; i < 30; ++i) p.Write("m" + std::to_string(i) + ".py", "");
  ScanOptions options;
  options.max_files = 20;
  absl::StatusOr<ScanResult> r = ScanProject(p.path(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  // The 21st entry in the walk's sorted order: m0, m1, m10..m19, m2, m20..m27.
  EXPECT_EQ(std::string(r.status().message()),
            p.path() + "/m27.py: more than 20 files and directories under " +
                p.path() + " (max_files); refusing to scan a partial tree");
  // Directories count as entries: 19 files in one directory are 20.
  ProjectDir q("many_entries");
  for (int i = 0; i < 19; ++i) q.Write("d/m" + std::to_string(i) + ".py", "");
  r = ScanProject(q.path(), options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 19u);
  q.Write("d/zz.txt", "");
  r = ScanProject(q.path() + "/", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(std::string(r.status().message()),
            q.path() + "/d/zz.txt: more than 20 files and directories under " +
                q.path() + "/ (max_files); refusing to scan a partial tree");
}

// A tree nested 600 levels deep: directories below the depth limit are
// reported and skipped, the rest is scanned. A symlink loop at the bottom
// and a link out of the tree change nothing.
TEST(PyscanTest, DeepDirectoryTreeIsBoundedAndTheRestIsScanned) {
  ProjectDir outside("deep_outside");
  outside.Write("secret.py",
                "import boto3\nboto3.client('dynamodb').scan(TableName='X')\n");
  ProjectDir p("deep_tree");
  p.Write("top.py",
          "import boto3\nboto3.client('dynamodb').scan(TableName='T')\n");
  std::string rel;
  for (int i = 0; i < 600; ++i) rel += i == 0 ? "d" : "/d";
  fs::create_directories(p.root() / rel);
  fs::create_directory_symlink(p.root(), p.root() / rel / "loop");
  fs::create_directory_symlink(outside.root(), p.root() / rel / "out");
  std::string shallow;
  for (int i = 0; i < 10; ++i) shallow += "d/";
  p.Write(shallow + "mid.py",
          "import boto3\nboto3.client('dynamodb').scan(TableName='M')\n");

  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 2u);
  EXPECT_EQ(OpsText(*r), "2 dynamodb:Scan M\n2 dynamodb:Scan T\n");
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].file.size(), 129u * 2 - 1);  // "d/d/.../d", 129 levels
  EXPECT_EQ(r->errors[0].message,
            "directory nested deeper than 128 levels; not scanned");

  ScanOptions options;
  options.max_directory_depth = 1000;  // now the walk reaches the bottom
  r = ScanProject(p.path(), options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 2u);
  EXPECT_TRUE(r->errors.empty());
}

// Blocks nested 100,000 deep by indentation: an error for that file.
TEST(PyscanTest, DeepIndentationIsAnErrorForThatFile) {
  ProjectDir p("deep_indent");
  p.Write("ok.py",
          "import boto3\nboto3.client('dynamodb').scan(TableName='T')\n");
  std::string nested;
  for (int i = 0; i < 1000; ++i) nested += std::string(i, ' ') + "if x:\n";
  nested += std::string(1000, ' ') + "pass\n";
  p.Write("nested.py", nested);
  std::string wide = "x = [";
  for (int i = 0; i < 100000; ++i) wide += "(";
  p.Write("parens.py", wide + "\n");
  absl::StatusOr<ScanResult> r = ScanProject(p.path());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, 3u);
  EXPECT_EQ(OpsText(*r), "2 dynamodb:Scan T\n");
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].file, "nested.py");
  EXPECT_EQ(r->errors[0].message, "too many levels of indentation");
  EXPECT_EQ(r->errors[1].file, "parens.py");
  EXPECT_EQ(r->errors[1].message, "too many nested parentheses");
}

TEST(PyscanTest, RootErrors) {
  absl::StatusOr<ScanResult> r = ScanProject("/nonexistent/project");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/project"));
}

TEST(PyscanTest, ScanningModifiesNothing) {
  ProjectDir p("readonly");
  p.Write("a.py", "import os\nos.remove('a.py')\n");
  auto before = fs::last_write_time(p.root() / "a.py");
  ASSERT_TRUE(ScanProject(p.path()).ok());
  EXPECT_TRUE(fs::exists(p.root() / "a.py"));
  EXPECT_EQ(fs::last_write_time(p.root() / "a.py"), before);
  EXPECT_EQ(
      std::distance(fs::directory_iterator(p.root()), fs::directory_iterator()),
      1);
}

TEST(PyscanTest, DebugRule) {
  EXPECT_EQ(ScanSource("proj/settings.py", "DEBUG = True\n").findings.size(),
            1u);
  // Reading other values from the environment does not excuse it.
  std::vector<Finding> f =
      ScanSource("proj/settings.py",
                 "import os\nDEBUG = True\nX = os.environ.get('X')\n")
          .findings;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].pos.line, 2);
  EXPECT_EQ(f[0].code, FindingCode::kDjangoDebugTrue);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(
      ScanSource("proj/settings/prod.py", "DEBUG = True\n").findings[0].message,
      "DEBUG = True in production settings module");
  // Named for local, development or test use.
  for (const char* path : {"proj/settings/local.py", "proj/settings_dev.py",
                           "proj/dev.py", "tests/settings.py",
                           "proj/settings/test.py", "proj/test_settings.py"}) {
    EXPECT_TRUE(ScanSource(path, "DEBUG = True\n").findings.empty()) << path;
  }
  // Not a settings module.
  EXPECT_TRUE(ScanSource("proj/views.py", "DEBUG = True\n").findings.empty());
  // From the environment, a comparison, or overridden later.
  for (const char* src :
       {"import environ\nenv = environ.Env()\nDEBUG = env('DEBUG')\n",
        "import os\nDEBUG = os.environ.get('ENV') == 'dev'\n",
        "DEBUG = True\nDEBUG = False\n",
        "import os\nDEBUG = True\nif os.environ.get('PROD'):\n"
        "    DEBUG = False\n",
        "DEBUG = False\n"}) {
    EXPECT_TRUE(ScanSource("proj/settings.py", src).findings.empty()) << src;
  }
  // The last assignment wins, wherever it stands at module level.
  f = ScanSource("proj/settings.py", "DEBUG = False\nX = 1\nDEBUG = True\n")
          .findings;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].pos.line, 3);
  // Assignments inside functions are not the module's value.
  EXPECT_EQ(ScanSource("proj/settings.py",
                       "DEBUG = True\ndef f():\n    DEBUG = False\n")
                .findings.size(),
            1u);
}

}  // namespace
}  // namespace leastpriv
