// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/rules/secret_rules.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::rules {
namespace {

// "id: message" of every hit in a literal.
std::vector<std::string> Hits(const std::string& literal) {
  std::vector<std::string> out;
  for (const SecretHit& h : SecretsInLiteral(literal)) {
    out.push_back(std::string(FindingId(h.code)) + ": " + h.message);
  }
  return out;
}

std::string Binding(const std::string& name, const std::string& value,
                    rules::Binding binding = Binding::kAssignment,
                    Place place = Place::kAnywhere) {
  std::optional<SecretHit> hit = SecretInBinding(name, value, binding, place);
  return hit ? std::string(FindingId(hit->code)) + ": " + hit->message : "";
}

using Strings = std::vector<std::string>;

TEST(MaskTest, KeepsFourCharactersEachSide) {
  EXPECT_EQ(Mask("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
  EXPECT_EQ(Mask("123456789"), "1234…6789");
  EXPECT_EQ(Mask("12345678"), "…");
  EXPECT_EQ(Mask(""), "…");
}

TEST(AccessKeyIdRuleTest, Positive) {
  EXPECT_EQ(
      Hits("AKIAIOSFODNN7EXAMPLE"),
      Strings{"aws-access-key-id: hard-coded AWS access key id AKIA…MPLE"});
  EXPECT_EQ(
      Hits("ASIAZZZZZZZZZZZZZZZZ"),
      Strings{"aws-access-key-id: hard-coded AWS access key id ASIA…ZZZZ"});
  // Inside a longer string, at either end or between separators; every
  // occurrence, left to right.
  EXPECT_EQ(
      Hits("id=AKIAIOSFODNN7EXAMPLE,ASIA0000000000000001"),
      (Strings{"aws-access-key-id: hard-coded AWS access key id AKIA…MPLE",
               "aws-access-key-id: hard-coded AWS access key id ASIA…0001"}));
  // An underscore is not part of a word here (as before the rule table).
  EXPECT_EQ(Hits("key_AKIAIOSFODNN7EXAMPLE").size(), 1u);
}

TEST(AccessKeyIdRuleTest, Negative) {
  EXPECT_EQ(Hits("AKIAshort"), Strings{});
  EXPECT_EQ(Hits("AKIAIOSFODNN7EXAMPL"), Strings{});    // 19 characters
  EXPECT_EQ(Hits("xAKIAIOSFODNN7EXAMPLE"), Strings{});  // inside a word
  EXPECT_EQ(Hits("AKIAIOSFODNN7EXAMPLEx"), Strings{});
  EXPECT_EQ(Hits("AKIAiosfodnn7example"), Strings{});  // lower case
  EXPECT_EQ(Hits("ABIAIOSFODNN7EXAMPLE"), Strings{});  // not AKIA/ASIA
  EXPECT_EQ(Hits(""), Strings{});
}

const std::string kToken =
    "IQoJb3JpZ2luX2VjEHsaCXVzLWVhc3QtMSJHMEUCIQDexampleexampleexampleexample"
    "AiBexampleexampleexampleexampleexampleexampleKqgCCLT//////////wEQABoM"
    "example+example/example==";

TEST(SessionTokenRuleTest, Positive) {
  EXPECT_EQ(
      Hits(kToken),
      Strings{"aws-session-token: hard-coded AWS session token IQoJ…le=="});
  EXPECT_EQ(Hits("token: " + kToken + "\n").size(), 1u);
  const std::string old_style = "FwoGZXIvYXdzE" + std::string(120, 'A');
  EXPECT_EQ(Hits(old_style).size(), 1u);
  // By name: any value passed as aws_session_token=, a long base64 value
  // assigned.
  EXPECT_EQ(Binding("aws_session_token", "abc", Binding::kKeyword),
            "aws-session-token: hard-coded AWS session token passed as "
            "aws_session_token= (…)");
  EXPECT_EQ(Binding("AWS_SESSION_TOKEN", std::string(120, 'Q')),
            "aws-session-token: hard-coded AWS session token in "
            "AWS_SESSION_TOKEN (QQQQ…QQQQ)");
  EXPECT_NE(Binding("security_token",
                    std::string(100, 'a') + "==", Binding::kDictEntry),
            "");
}

TEST(SessionTokenRuleTest, Negative) {
  // Too short, or a prefix inside a longer base64 run.
  EXPECT_EQ(Hits("IQoJb3JpZ2luX2Vj" + std::string(40, 'A')), Strings{});
  EXPECT_EQ(Hits("x" + kToken), Strings{});
  EXPECT_EQ(Hits(std::string(200, 'A')), Strings{});
  // Assigned values must look like a token.
  EXPECT_EQ(Binding("AWS_SESSION_TOKEN", "placeholder"), "");
  EXPECT_EQ(Binding("AWS_SESSION_TOKEN", std::string(120, '-')), "");
  EXPECT_EQ(Binding("session_tokens", std::string(120, 'Q')), "");
  EXPECT_EQ(Binding("aws_session_token", "", Binding::kKeyword), "");
}

TEST(SecretAccessKeyRuleTest, Positive) {
  const std::string key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY", key),
            "aws-secret-access-key: hard-coded AWS secret access key in "
            "AWS_SECRET_ACCESS_KEY (wJal…EKEY)");
  EXPECT_EQ(Binding("aws_secret_access_key", key, Binding::kDictEntry),
            "aws-secret-access-key: hard-coded AWS secret access key in "
            "aws_secret_access_key (wJal…EKEY)");
  EXPECT_NE(Binding("my_secret_access_key_prod", key), "");
  EXPECT_NE(Binding("aws_secret", key), "");
  EXPECT_NE(Binding("Aws_Secret_Key", key), "");
  // A keyword takes any non-empty value.
  EXPECT_EQ(Binding("aws_secret_access_key", "short", Binding::kKeyword),
            "aws-secret-access-key: hard-coded AWS secret access key passed "
            "as aws_secret_access_key= (…)");
}

TEST(SecretAccessKeyRuleTest, Negative) {
  const std::string key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY", key + "X"), "");      // 41
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY", key.substr(1)), "");  // 39
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY",
                    "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"),
            "");
  EXPECT_EQ(Binding("secret", key), "");
  EXPECT_EQ(Binding("aws_secret_keys", key), "");
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY", "", Binding::kKeyword), "");
  // Values alone are not secret keys: 40 base64 characters are too common.
  EXPECT_EQ(Hits(key), Strings{});
}

TEST(DjangoSecretKeyRuleTest, Positive) {
  const std::string key =
      "django-insecure-3x@mpl3k3y!for+the_test-suite(only)0123456789abcd";
  EXPECT_EQ(Binding("SECRET_KEY", key, Binding::kAssignment,
                    Place::kProductionSettings),
            "django-secret-key: hard-coded Django secret key in SECRET_KEY "
            "(djan…abcd)");
  EXPECT_NE(Binding("SECRET_KEY", "0123456789abcdef", Binding::kAssignment,
                    Place::kProductionSettings),
            "");
}

TEST(DjangoSecretKeyRuleTest, Negative) {
  const std::string key = "django-insecure-0123456789abcdefghij";
  // Not in a production settings module, not an assignment, not the name.
  EXPECT_EQ(Binding("SECRET_KEY", key), "");
  EXPECT_EQ(Binding("SECRET_KEY", key, Binding::kDictEntry,
                    Place::kProductionSettings),
            "");
  EXPECT_EQ(Binding("secret_key", key, Binding::kAssignment,
                    Place::kProductionSettings),
            "");
  EXPECT_EQ(Binding("DJANGO_SECRET_KEY", key, Binding::kAssignment,
                    Place::kProductionSettings),
            "");
  // Placeholders: short or with blanks.
  EXPECT_EQ(Binding("SECRET_KEY", "changeme", Binding::kAssignment,
                    Place::kProductionSettings),
            "");
  EXPECT_EQ(Binding("SECRET_KEY", "set me in the environment please",
                    Binding::kAssignment, Place::kProductionSettings),
            "");
}

TEST(DatabaseUrlRuleTest, Positive) {
  EXPECT_EQ(Hits("postgres://shop:s3cr3t-pw@db.example.com:5432/shop"),
            Strings{"database-url-password: hard-coded password in database "
                    "URL postgres://shop:…@db.example.com"});
  EXPECT_EQ(Hits("DATABASE_URL=postgresql+psycopg2://app:pw@10.0.0.5/app"),
            Strings{"database-url-password: hard-coded password in database "
                    "URL postgresql+psycopg2://app:…@10.0.0.5"});
  EXPECT_EQ(Hits("MySQL://root:hunter2@mysql.internal/db").size(), 1u);
  EXPECT_EQ(Hits("mongodb+srv://u:p%40ss@cluster0.x.mongodb.net/db").size(),
            1u);
  EXPECT_EQ(Hits("redis://:redispass@cache.example.com:6379/0").size(), 1u);
  EXPECT_EQ(Hits("amqps://guest:guest@mq.example.com//").size(), 1u);
  // The shortest literal any rule matches has ten characters.
  EXPECT_EQ(Hits("amqp://:p@").size(), 1u);
  EXPECT_EQ(Hits("amqp://:@").size(), 0u);
  // A local host is a lesser finding.
  std::vector<SecretHit> local =
      SecretsInLiteral("postgres://postgres:postgres@localhost:5432/app");
  ASSERT_EQ(local.size(), 1u);
  EXPECT_EQ(local[0].severity, Severity::kWarning);
  EXPECT_EQ(SecretsInLiteral("postgres://a:b@db.example.com/x")[0].severity,
            Severity::kError);
}

TEST(DatabaseUrlRuleTest, Negative) {
  EXPECT_EQ(Hits("postgres://shop@db.example.com/shop"),
            Strings{});  // no password
  EXPECT_EQ(Hits("postgres://db.example.com:5432/shop"), Strings{});
  EXPECT_EQ(Hits("postgres://shop:@db.example.com/shop"), Strings{});  // empty
  EXPECT_EQ(Hits("postgres://shop:${DB_PASSWORD}@db/shop"), Strings{});
  EXPECT_EQ(Hits("postgres://shop:{password}@db/shop"), Strings{});
  EXPECT_EQ(Hits("postgres://shop:%(password)s@db/shop"), Strings{});
  EXPECT_EQ(Hits("postgres://shop:<password>@db/shop"), Strings{});
  EXPECT_EQ(Hits("postgres://shop:****@db/shop"), Strings{});
  EXPECT_EQ(Hits("https://user:pass@example.com/"),
            Strings{});  // not a database
  EXPECT_EQ(Hits("sqlite:///db.sqlite3"), Strings{});
  EXPECT_EQ(Hits("xpostgres://a:b@c/d"), Strings{});
}

TEST(SecretRulesTest, MayNameSecretIsTheNameHalfOfTheRules) {
  for (const char* name :
       {"aws_secret", "SECRET_KEY", "aws_session_token", "security_token",
        "AWS_SECRET_ACCESS_KEY", "x_secret_access_key_y"}) {
    EXPECT_TRUE(MayNameSecret(name)) << name;
  }
  for (const char* name : {"", "secret", "aws_secre", "SECRET_KE", "token",
                           "DJANGO_SECRET_KEY", "table_name"}) {
    EXPECT_FALSE(MayNameSecret(name)) << name;
  }
}

TEST(SecretRulesTest, SeveralRulesInOneLiteral) {
  EXPECT_EQ(
      Hits("AKIAIOSFODNN7EXAMPLE postgres://a:b@db.example.com/x"),
      (Strings{"aws-access-key-id: hard-coded AWS access key id AKIA…MPLE",
               "database-url-password: hard-coded password in database "
               "URL postgres://a:…@db.example.com"}));
}

TEST(SecretRulesTest, LongAdversarialLiterals) {
  // Long runs that keep many partial matches alive; the key at the end is
  // still found, once.
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "AKIA";
  text += " AKIAIOSFODNN7EXAMPLE";
  EXPECT_EQ(
      Hits(text),
      Strings{"aws-access-key-id: hard-coded AWS access key id AKIA…MPLE"});
  std::string urls;
  for (int i = 0; i < 20000; ++i) urls += "postgres://u:";
  EXPECT_EQ(Hits(urls), Strings{});
  std::string token = "IQoJb3JpZ2luX2Vj" + std::string(500000, 'A');
  EXPECT_EQ(Hits(token).size(), 1u);
}

TEST(SecretRulesTest, BytesThatAreNotUtf8) {
  EXPECT_EQ(Hits("\xff\xfe"
                 "AKIAIOSFODNN7EXAMPLE\x80")
                .size(),
            1u);
  EXPECT_EQ(Hits(std::string("\0AKIAIOSFODNN7EXAMPLE", 21)).size(), 1u);
  // A name that contains secret_access_key, whatever else it holds.
  EXPECT_NE(Binding("AWS_SECRET_ACCESS_KEY\xff", std::string(40, 'a')), "");
  EXPECT_EQ(Binding("AWS_SECRET_ACCESS_KEY", std::string(39, 'a') + "\xff"),
            "");
}

}  // namespace
}  // namespace leastpriv::rules
