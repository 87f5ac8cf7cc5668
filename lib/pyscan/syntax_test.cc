// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/syntax.h"

#include <set>
#include <string>
#include <utility>

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
  EXPECT_EQ(CallSites(src),
            (Sites{{1, "deco"},
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
  ASSERT_TRUE(ParseModule("x = 'Or' \"ders\\x21\"\n", ParseLimits(), &m,
                          &line)
                  .ok());
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
  EXPECT_EQ(ParseError("ok = 1\n" + line), "2:1: line longer than 1048576 bytes");
}

}  // namespace
}  // namespace leastpriv::pyscan
