// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// CloudTrail record -> IAM requests (MapCloudTrailRecord), following the
// record format documented in the AWS CloudTrail User Guide ("CloudTrail
// record contents", "CloudTrail userIdentity element") and the DynamoDB
// Developer Guide ("Understanding DynamoDB log file entries").

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "leastpriv/catalog.h"
#include "leastpriv/replay.h"
#include "lib/eval/match.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using json::Value;

// The member `key`, also spelt with an upper-case first letter: the
// documented records mix "tableName" and "TableName", "key" and "Key".
const Value* Member(const Value* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  if (const Value* v = object->Find(key)) return v;
  std::string upper(key);
  if (!upper.empty()) {
    upper[0] = absl::ascii_toupper(static_cast<unsigned char>(upper[0]));
  }
  return object->Find(upper);
}

std::string StringMember(const Value* object, std::string_view key) {
  const Value* v = Member(object, key);
  return v != nullptr && v->is_string() ? v->string_value() : std::string();
}

std::string Partition(const std::string& region) {
  if (absl::StartsWith(region, "cn-")) return "aws-cn";
  if (absl::StartsWith(region, "us-gov-")) return "aws-us-gov";
  return "aws";
}

// What the record says about where the call went.
struct Where {
  std::string partition, region, account;
};

// "" when the record lacks the region or account a table name needs.
std::string TableArn(const Where& w, const std::string& name_or_arn) {
  if (absl::StartsWith(name_or_arn, "arn:")) return name_or_arn;
  if (w.region.empty() || w.account.empty()) return "";
  return absl::StrCat("arn:", w.partition, ":dynamodb:", w.region, ":",
                      w.account, ":table/", name_or_arn);
}

// One IAM action on one resource, before the call's context is attached:
// the item-level keys of its item(s), and those the record cannot tell.
struct Target {
  std::string action;  // "PutItem" (catalog name)
  std::string resource;
  std::map<std::string, ContextValue> item_keys;
  std::map<std::string, std::string> unknown_keys;

  bool operator==(const Target& o) const {
    if (action != o.action || resource != o.resource ||
        unknown_keys != o.unknown_keys ||
        item_keys.size() != o.item_keys.size()) {
      return false;
    }
    for (auto a = item_keys.begin(), b = o.item_keys.begin();
         a != item_keys.end(); ++a, ++b) {
      if (a->first != b->first || a->second.values != b->second.values) {
        return false;
      }
    }
    return true;
  }
};

constexpr char kLeadingKeys[] = "dynamodb:LeadingKeys";
constexpr char kAttributes[] = "dynamodb:Attributes";

// The text of a key attribute's value as the record shows it: "v", 12, or
// typed {"S": "v"} / {"N": "12"} / {"B": "base64"}.
std::optional<std::string> KeyValueText(const Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->string_value();
  if (v->is_number()) return v->number_text();
  if (v->is_object() && v->object().size() == 1) {
    const auto& [type, inner] = v->object()[0];
    if ((type == "S" || type == "N" || type == "B") &&
        (inner.is_string() || inner.is_number())) {
      return inner.is_string() ? inner.string_value() : inner.number_text();
    }
  }
  return std::nullopt;
}

// The attribute names of a comma-separated projection expression, top
// level only ("a.b[1], #n" gives a and the name #n stands for), or nullopt
// when an alias has no name in `names`.
std::optional<std::vector<std::string>> ProjectionNames(
    const std::string& expression, const Value* names) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(expression, ',')) {
    part = absl::StripAsciiWhitespace(part);
    const std::size_t end = part.find_first_of(".[");
    std::string name(part.substr(0, end));
    name = std::string(absl::StripAsciiWhitespace(name));
    if (name.empty()) return std::nullopt;
    if (name[0] == '#') {
      const Value* real =
          names != nullptr && names->is_object() ? names->Find(name) : nullptr;
      if (real == nullptr || !real->is_string()) return std::nullopt;
      name = real->string_value();
    }
    out.push_back(std::move(name));
  }
  return out;
}

void SetMulti(std::map<std::string, ContextValue>* keys, const char* key,
              std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  ContextValue v;
  v.values = std::move(values);
  v.multi_valued = true;
  (*keys)[key] = std::move(v);
}

// The verb and the table (and index) of a PartiQL statement.
struct PartiqlTarget {
  std::string action;  // PartiQLSelect, ...
  std::string table, index;
};

// Reads an identifier at s[i]: "double quoted" (with "" for a quote) or
// bare (up to whitespace, '.', ',', '(' or ';').
bool ReadIdentifier(std::string_view s, std::size_t& i, std::string* out) {
  out->clear();
  if (i >= s.size()) return false;
  if (s[i] == '"') {
    ++i;
    while (i < s.size()) {
      if (s[i] == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          out->push_back('"');
          i += 2;
          continue;
        }
        ++i;
        return !out->empty();
      }
      out->push_back(s[i++]);
    }
    return false;
  }
  while (i < s.size() &&
         !absl::ascii_isspace(static_cast<unsigned char>(s[i])) &&
         s[i] != '.' && s[i] != ',' && s[i] != '(' && s[i] != ';' &&
         s[i] != '"' && s[i] != '\'') {
    out->push_back(s[i++]);
  }
  return !out->empty();
}

// The words of a statement outside quotes, upper-cased, with their offsets.
std::vector<std::pair<std::string, std::size_t>> Keywords(std::string_view s) {
  std::vector<std::pair<std::string, std::size_t>> words;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\'' || c == '"') {
      const char q = c;
      ++i;
      while (i < s.size()) {
        if (s[i] == q) {
          if (i + 1 < s.size() && s[i + 1] == q) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
      continue;
    }
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      const std::size_t start = i;
      while (i < s.size() &&
             (absl::ascii_isalnum(static_cast<unsigned char>(s[i])) ||
              s[i] == '_')) {
        ++i;
      }
      words.emplace_back(
          absl::AsciiStrToUpper(std::string(s.substr(start, i - start))),
          start);
      continue;
    }
    ++i;
  }
  return words;
}

std::optional<PartiqlTarget> ReadPartiql(std::string_view statement,
                                         std::string* why) {
  const auto words = Keywords(statement);
  if (words.empty()) {
    *why = "empty PartiQL statement";
    return std::nullopt;
  }
  PartiqlTarget t;
  std::string_view after;  // the keyword the table name follows
  const std::string& verb = words[0].first;
  if (verb == "SELECT" || verb == "EXISTS") {
    t.action = "PartiQLSelect";
    after = "FROM";
  } else if (verb == "INSERT") {
    t.action = "PartiQLInsert";
    after = "INTO";
  } else if (verb == "UPDATE") {
    t.action = "PartiQLUpdate";
    after = "UPDATE";
  } else if (verb == "DELETE") {
    t.action = "PartiQLDelete";
    after = "FROM";
  } else {
    *why = absl::StrCat("PartiQL statement starts with \"", verb,
                        "\", not SELECT, INSERT, UPDATE or DELETE");
    return std::nullopt;
  }
  std::size_t at = std::string::npos;
  for (const auto& [word, offset] : words) {
    if (word == after) {
      at = offset + word.size();
      break;
    }
  }
  if (at == std::string::npos) {
    *why = absl::StrCat("PartiQL ", verb, " statement without ",
                        std::string(after));
    return std::nullopt;
  }
  while (at < statement.size() &&
         absl::ascii_isspace(static_cast<unsigned char>(statement[at]))) {
    ++at;
  }
  if (!ReadIdentifier(statement, at, &t.table)) {
    *why = "no table name in the PartiQL statement";
    return std::nullopt;
  }
  if (at < statement.size() && statement[at] == '.') {
    ++at;
    if (!ReadIdentifier(statement, at, &t.index)) t.index.clear();
  }
  return t;
}

// The session tags of an AssumeRole record, by the session it created.
void ReadAssumeRole(const Value& record, RecordMapping* out) {
  const Value* params = Member(&record, "requestParameters");
  const Value* tags = Member(params, "tags");
  const Value* user =
      Member(Member(&record, "responseElements"), "assumedRoleUser");
  const std::string session = StringMember(user, "arn");
  if (tags == nullptr || !tags->is_array() || session.empty()) return;
  for (const Value& tag : tags->array()) {
    const std::string key = StringMember(&tag, "key");
    const Value* value = Member(&tag, "value");
    if (key.empty() || value == nullptr || !value->is_string()) continue;
    out->assumed_tags[key] = value->string_value();
  }
  if (!out->assumed_tags.empty()) out->assumed_session = session;
}

void SetContext(Request* r, std::string key, std::string value) {
  ContextValue v;
  v.values.push_back(std::move(value));
  r->context[std::move(key)] = std::move(v);
}

// The caller: principal ARN, grouping principal and principal-derived keys.
// Returns why the record has no usable caller, or "".
std::string ReadCaller(const Value& record, const RecordMapOptions& options,
                       Request* r, std::string* principal_arn) {
  const Value* who = Member(&record, "userIdentity");
  if (who == nullptr || !who->is_object()) return "no userIdentity";
  const std::string type = StringMember(who, "type");
  const std::string arn = StringMember(who, "arn");
  if (type == "AWSService") {
    const std::string by = StringMember(who, "invokedBy");
    return absl::StrCat("the caller is an AWS service",
                        by.empty() ? "" : " (" + by + ")",
                        ", not a principal policies apply to");
  }
  if (arn.empty() || !eval::SplitArn(arn).ok) {
    return absl::StrCat("userIdentity of type \"", type,
                        "\" has no caller ARN");
  }
  r->principal = arn;
  *principal_arn = arn;
  const Value* session = Member(who, "sessionContext");
  if (type == "AssumedRole") {
    std::string role = StringMember(Member(session, "sessionIssuer"), "arn");
    if (role.empty()) {
      // arn:aws:sts::A:assumed-role/ROLE/SESSION -> arn:aws:iam::A:role/ROLE
      const eval::ArnParts p = eval::SplitArn(arn);
      const std::string_view rest = p.resource;
      const std::size_t a = rest.find('/'), b = rest.rfind('/');
      if (a != std::string_view::npos && b > a) {
        role = absl::StrCat("arn:", std::string(p.partition),
                            ":iam::", std::string(p.account), ":role/",
                            std::string(rest.substr(a + 1, b - a - 1)));
      }
    }
    if (!role.empty()) *principal_arn = role;
    SetContext(r, "aws:PrincipalType", "AssumedRole");
  } else if (type == "IAMUser") {
    SetContext(r, "aws:PrincipalType", "User");
    const std::string name = StringMember(who, "userName");
    if (!name.empty()) SetContext(r, "aws:username", name);
  } else if (type == "Root") {
    SetContext(r, "aws:PrincipalType", "Account");
  } else if (type == "FederatedUser") {
    SetContext(r, "aws:PrincipalType", "FederatedUser");
  }
  SetContext(r, "aws:PrincipalArn", *principal_arn);
  const std::string account = StringMember(who, "accountId");
  if (!account.empty()) SetContext(r, "aws:PrincipalAccount", account);
  const std::string id = StringMember(who, "principalId");
  if (!id.empty()) SetContext(r, "aws:userid", id);
  const Value* attributes = Member(session, "attributes");
  const std::string mfa = StringMember(attributes, "mfaAuthenticated");
  if (!mfa.empty()) SetContext(r, "aws:MultiFactorAuthPresent", mfa);
  const std::string issued = StringMember(attributes, "creationDate");
  if (!issued.empty()) SetContext(r, "aws:TokenIssueTime", issued);
  const std::string source_identity = StringMember(session, "sourceIdentity");
  if (!source_identity.empty()) {
    SetContext(r, "aws:SourceIdentity", source_identity);
  }
  if (options.session_tags != nullptr) {
    auto it = options.session_tags->find(arn);
    if (it != options.session_tags->end()) {
      for (const auto& [k, v] : it->second) {
        SetContext(r, "aws:PrincipalTag/" + k, v);
      }
    }
  }
  return "";
}

// The keys of the call itself.
void ReadCallContext(const Value& record, const Value* params, Request* r) {
  const std::string time = StringMember(&record, "eventTime");
  if (!time.empty()) {
    SetContext(r, "aws:CurrentTime", time);
    if (std::optional<std::int64_t> ms = eval::ParseDateMillis(time)) {
      SetContext(r, "aws:EpochTime", std::to_string(*ms / 1000));
    }
  }
  const std::string region = StringMember(&record, "awsRegion");
  if (!region.empty()) SetContext(r, "aws:RequestedRegion", region);
  const std::string agent = StringMember(&record, "userAgent");
  if (!agent.empty()) SetContext(r, "aws:UserAgent", agent);
  const std::string vpce = StringMember(&record, "vpcEndpointId");
  const std::string ip = StringMember(&record, "sourceIPAddress");
  if (!vpce.empty()) SetContext(r, "aws:SourceVpce", vpce);
  if (!ip.empty() && eval::ParseIpAddress(ip).has_value()) {
    SetContext(r, vpce.empty() ? "aws:SourceIp" : "aws:VpcSourceIp", ip);
  }
  const Value* tls = Member(&record, "tlsDetails");
  if (tls != nullptr && tls->is_object()) {
    SetContext(r, "aws:SecureTransport", "true");
  }
  static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
      {"select", "dynamodb:Select"},
      {"returnValues", "dynamodb:ReturnValues"},
      {"returnConsumedCapacity", "dynamodb:ReturnConsumedCapacity"},
  };
  for (const auto& [param, key] : kKeys) {
    const std::string v = StringMember(params, param);
    if (!v.empty()) SetContext(r, std::string(key), v);
  }
}

// The ARN in resources[] of one of `types` ("table", "stream", ...).
std::string ResourceOfType(const Value& record,
                           const std::vector<std::string_view>& types) {
  const Value* resources = Member(&record, "resources");
  if (resources == nullptr || !resources->is_array()) return "";
  for (const Value& res : resources->array()) {
    const std::string arn = StringMember(&res, "ARN");
    if (arn.empty()) continue;
    const std::string_view type = ClassifyDynamoDbArn(arn);
    for (std::string_view t : types) {
      if (type == t) return arn;
    }
  }
  return "";
}

class Mapper {
 public:
  Mapper(const Value& record, const Where& where,
         const RecordMapOptions& options)
      : record_(record),
        where_(where),
        options_(options),
        params_(Member(&record, "requestParameters")) {}

  // The targets of the event, or why there are none.
  std::string Targets(const std::string& event, std::vector<Target>* out) {
    std::string why = AllTargets(event, out);
    if (why.empty() && incomplete_) {
      out->clear();
      return "no awsRegion or recipientAccountId to make the table ARN";
    }
    return why;
  }

 private:
  std::string AllTargets(const std::string& event, std::vector<Target>* out) {
    if (event == "BatchGetItem" || event == "BatchWriteItem") {
      return Batch(event, out);
    }
    if (event == "TransactWriteItems" || event == "TransactGetItems") {
      return Transaction(out);
    }
    if (event == "ExecuteStatement") {
      return Statement(StringMember(params_, "statement"), out);
    }
    if (event == "BatchExecuteStatement" || event == "ExecuteTransaction") {
      const Value* items = Member(params_, event == "BatchExecuteStatement"
                                               ? "requestItems"
                                               : "transactStatements");
      if (items == nullptr || !items->is_array() || items->array().empty()) {
        return "no statements in requestParameters";
      }
      for (const Value& item : items->array()) {
        if (std::string why = Statement(StringMember(&item, "statement"), out);
            !why.empty()) {
          return why;
        }
      }
      return "";
    }
    const ActionInfo* info = FindAction(event);
    if (info == nullptr) {
      return absl::StrCat("\"", event, "\" is not a DynamoDB action");
    }
    return Single(*info, out);
  }

  void Add(std::vector<Target>* out, Target t) {
    if (t.resource.empty()) {
      incomplete_ = true;
      return;
    }
    for (const Target& have : *out) {
      if (have == t) return;
    }
    out->push_back(std::move(t));
  }
  void Add(std::vector<Target>* out, std::string action, std::string resource) {
    Target t;
    t.action = std::move(action);
    t.resource = std::move(resource);
    Add(out, std::move(t));
  }

  static bool Supports(const std::string& action, const char* key) {
    const ActionInfo* info = FindAction(action);
    return info != nullptr && ActionSupportsConditionKey(*info, key);
  }

  // "Orders" for a table name or ARN.
  static std::string TableName(const std::string& name_or_arn) {
    if (!absl::StartsWith(name_or_arn, "arn:")) return name_or_arn;
    const std::size_t at = name_or_arn.find(":table/");
    if (at == std::string::npos) return name_or_arn;
    std::string rest = name_or_arn.substr(at + 7);
    return rest.substr(0, rest.find('/'));
  }

  // The partition key attribute of `schema` ("Orders", or
  // "Orders/index/ByCustomer") given in the options, or "".
  std::string KnownPartitionKey(const std::string& schema) const {
    if (options_.partition_keys == nullptr) return "";
    auto it = options_.partition_keys->find(schema);
    return it == options_.partition_keys->end() ? "" : it->second;
  }

  static std::string UnknownPartitionKey(const std::string& schema,
                                         const std::string& what) {
    return absl::StrCat("the partition key of \"", schema, "\" is not known (",
                        what, "; give it with --partition-key ", schema,
                        "=NAME)");
  }

  // dynamodb:LeadingKeys of one item, from the key the record shows.
  void LeadingKeysOfKey(const std::string& table, const Value* key,
                        Target* t) const {
    if (!Supports(t->action, kLeadingKeys)) return;
    if (key == nullptr || !key->is_object() || key->object().empty()) {
      t->unknown_keys[kLeadingKeys] = "the record shows no key of the item";
      return;
    }
    const std::string schema = TableName(table);
    std::string name = KnownPartitionKey(schema);
    if (name.empty()) {
      if (key->object().size() != 1) {
        std::string names;
        for (const auto& [attribute, v] : key->object()) {
          absl::StrAppend(&names, names.empty() ? "" : ", ", attribute);
        }
        t->unknown_keys[kLeadingKeys] =
            UnknownPartitionKey(schema, "the key has " + names);
        return;
      }
      // A key of one attribute: the table has no sort key, and that
      // attribute is its partition key.
      name = key->object()[0].first;
    }
    std::optional<std::string> value = KeyValueText(key->Find(name));
    if (!value) {
      t->unknown_keys[kLeadingKeys] = absl::StrCat(
          "the key shows no value of the partition key \"", name, "\"");
      return;
    }
    SetMulti(&t->item_keys, kLeadingKeys, {*value});
  }

  // dynamodb:LeadingKeys of a Query, from its key condition.
  void LeadingKeysOfQuery(const std::string& table, const Value* params,
                          Target* t) const {
    if (!Supports(t->action, kLeadingKeys)) return;
    std::string schema = TableName(table);
    const std::string index = StringMember(params, "indexName");
    if (!index.empty()) absl::StrAppend(&schema, "/index/", index);
    std::string name = KnownPartitionKey(schema);
    // Legacy KeyConditions: {attribute: {comparisonOperator,
    // attributeValueList}}.
    if (const Value* conditions = Member(params, "keyConditions");
        conditions != nullptr && conditions->is_object()) {
      if (name.empty() && conditions->object().size() == 1) {
        name = conditions->object()[0].first;
      }
      if (name.empty()) {
        t->unknown_keys[kLeadingKeys] = UnknownPartitionKey(
            schema, "the key conditions name several attributes");
        return;
      }
      const Value* list =
          Member(Member(conditions, name), "attributeValueList");
      std::optional<std::string> value;
      if (list != nullptr && list->is_array() && list->array().size() == 1) {
        value = KeyValueText(&list->array()[0]);
      }
      if (!value) {
        t->unknown_keys[kLeadingKeys] = absl::StrCat(
            "the record shows no value of the partition key \"", name, "\"");
        return;
      }
      SetMulti(&t->item_keys, kLeadingKeys, {*value});
      return;
    }
    const std::string expression =
        StringMember(params, "keyConditionExpression");
    if (expression.empty()) {
      t->unknown_keys[kLeadingKeys] = "the record shows no key condition";
      return;
    }
    // "pk = :v AND sk > :w": the equality whose left side is the partition
    // key. Aliases (#n) are resolved through expressionAttributeNames.
    const Value* names = Member(params, "expressionAttributeNames");
    std::vector<std::pair<std::string, std::string>> equalities;
    int comparisons = 0;
    std::string upper = absl::AsciiStrToUpper(expression);
    std::vector<std::string> parts;
    for (std::size_t from = 0;;) {
      const std::size_t at = upper.find(" AND ", from);
      const std::size_t end = at == std::string::npos ? upper.size() : at;
      parts.push_back(expression.substr(from, end - from));
      if (at == std::string::npos) break;
      from = at + 5;
    }
    for (const std::string& part : parts) {
      ++comparisons;
      const std::size_t eq = part.find('=');
      if (eq == std::string::npos ||
          (eq > 0 && (part[eq - 1] == '<' || part[eq - 1] == '>'))) {
        continue;
      }
      std::string lhs(absl::StripAsciiWhitespace(part.substr(0, eq)));
      std::string rhs(absl::StripAsciiWhitespace(part.substr(eq + 1)));
      if (!lhs.empty() && lhs[0] == '#') {
        const Value* real =
            names != nullptr && names->is_object() ? names->Find(lhs) : nullptr;
        if (real == nullptr || !real->is_string()) continue;
        lhs = real->string_value();
      }
      equalities.emplace_back(lhs, rhs);
    }
    if (name.empty()) {
      // One comparison: it is the partition key's (a Query must have one).
      if (comparisons == 1 && equalities.size() == 1) {
        name = equalities[0].first;
      } else {
        t->unknown_keys[kLeadingKeys] = UnknownPartitionKey(
            schema, "the key condition compares several attributes");
        return;
      }
    }
    for (const auto& [lhs, rhs] : equalities) {
      if (lhs != name) continue;
      const Value* values = Member(params, "expressionAttributeValues");
      std::optional<std::string> value =
          values != nullptr && values->is_object()
              ? KeyValueText(values->Find(rhs))
              : std::nullopt;
      if (!value) {
        t->unknown_keys[kLeadingKeys] = absl::StrCat(
            "the record shows no value of ", rhs,
            " (expressionAttributeValues) for the partition key \"", name,
            "\"");
        return;
      }
      SetMulti(&t->item_keys, kLeadingKeys, {*value});
      return;
    }
    t->unknown_keys[kLeadingKeys] = absl::StrCat(
        "the key condition has no equality on the partition key \"", name,
        "\"");
  }

  // dynamodb:Attributes where the record shows the attribute names: an
  // item's names (PutItem, put requests), a projection expression or
  // AttributesToGet (reads). Updates name their attributes in an
  // expression this does not read: unknown.
  void AttributesOf(const Value* params, Target* t) const {
    if (!Supports(t->action, kAttributes)) return;
    if (t->action == "UpdateItem" &&
        (Member(params, "updateExpression") != nullptr ||
         Member(params, "attributeUpdates") != nullptr)) {
      t->unknown_keys[kAttributes] =
          "the attributes an update names are not read from the record";
      return;
    }
    std::vector<std::string> names;
    const Value* item = Member(params, "item");
    if (item == nullptr) item = Member(params, "items");
    if (item != nullptr && item->is_array()) {
      for (const Value& n : item->array()) {
        if (n.is_string()) names.push_back(n.string_value());
      }
    } else if (item != nullptr && item->is_object()) {
      for (const auto& [n, v] : item->object()) names.push_back(n);
    }
    const std::string projection = StringMember(params, "projectionExpression");
    if (!projection.empty()) {
      std::optional<std::vector<std::string>> p = ProjectionNames(
          projection, Member(params, "expressionAttributeNames"));
      if (!p) {
        t->unknown_keys[kAttributes] =
            "an alias of the projection expression has no name in "
            "expressionAttributeNames";
        return;
      }
      names.insert(names.end(), p->begin(), p->end());
    }
    if (const Value* get = Member(params, "attributesToGet");
        get != nullptr && get->is_array()) {
      for (const Value& n : get->array()) {
        if (n.is_string()) names.push_back(n.string_value());
      }
    }
    if (!names.empty()) SetMulti(&t->item_keys, kAttributes, std::move(names));
  }

  // One item of a single-item call, a batch or a transaction.
  Target ItemTarget(std::string action, const std::string& table,
                    const Value* key_params, const Value* attribute_params) {
    Target t;
    t.action = std::move(action);
    t.resource = TableArn(where_, table);
    LeadingKeysOfKey(table, Member(key_params, "key"), &t);
    AttributesOf(attribute_params, &t);
    return t;
  }

  std::string Batch(const std::string& event, std::vector<Target>* out) {
    const Value* items = Member(params_, "requestItems");
    if (items == nullptr) return "no requestItems in requestParameters";
    // (table, what the record shows of its items)
    std::vector<std::pair<std::string, const Value*>> tables;
    if (items->is_object()) {
      for (const auto& [name, v] : items->object()) {
        tables.emplace_back(name, &v);
      }
    } else if (items->is_array()) {
      for (const Value& item : items->array()) {
        const std::string name = StringMember(&item, "tableName");
        if (name.empty()) return "a requestItems entry has no tableName";
        tables.emplace_back(name, &item);
      }
    }
    if (tables.empty()) return "no tables in requestItems";
    for (const auto& [table, shown] : tables) {
      const std::size_t before = out->size();
      if (event == "BatchGetItem") {
        // {"keys": [key, ...], "projectionExpression": ...}
        const Value* keys = Member(shown, "keys");
        if (keys != nullptr && keys->is_array()) {
          for (const Value& key : keys->array()) {
            Target t;
            t.action = event;
            t.resource = TableArn(where_, table);
            LeadingKeysOfKey(table, &key, &t);
            AttributesOf(shown, &t);
            Add(out, std::move(t));
          }
        }
      } else {
        // [{"putRequest": {"item": ...}}, {"deleteRequest": {"key": ...}}]
        const Value* writes = shown;
        if (writes != nullptr && writes->is_object()) {
          writes = Member(writes, "writeRequests");
        }
        if (writes != nullptr && writes->is_array()) {
          for (const Value& w : writes->array()) {
            const Value* put = Member(&w, "putRequest");
            const Value* del = Member(&w, "deleteRequest");
            const Value* request = put != nullptr ? put : del;
            Target t;
            t.action = event;
            t.resource = TableArn(where_, table);
            const Value* key = Member(request, "key");
            if (key == nullptr && put != nullptr &&
                Supports(event, kLeadingKeys)) {
              t.unknown_keys[kLeadingKeys] =
                  "the record shows the names of the item's attributes, "
                  "not their values";
            } else {
              LeadingKeysOfKey(table, key, &t);
            }
            if (put != nullptr) AttributesOf(put, &t);
            Add(out, std::move(t));
          }
        }
      }
      if (out->size() == before) {
        // Nothing shown of the items: the table alone, keys unknown.
        Target t;
        t.action = event;
        t.resource = TableArn(where_, table);
        t.unknown_keys[kLeadingKeys] = "the record shows no key of the items";
        Add(out, std::move(t));
      }
    }
    return "";
  }

  std::string Transaction(std::vector<Target>* out) {
    const Value* items = Member(params_, "requestItems");
    if (items == nullptr) items = Member(params_, "transactItems");
    if (items == nullptr || !items->is_array() || items->array().empty()) {
      return "no requestItems in requestParameters";
    }
    for (const Value& item : items->array()) {
      const std::string op = StringMember(&item, "operation");
      std::string action;
      if (op == "Put") action = "PutItem";
      if (op == "Update") action = "UpdateItem";
      if (op == "Delete") action = "DeleteItem";
      if (op == "ConditionCheck") action = "ConditionCheckItem";
      if (op == "Get") action = "GetItem";
      if (action.empty()) {
        return absl::StrCat("transaction item with operation \"", op,
                            "\" (expected Put, Update, Delete, "
                            "ConditionCheck or Get)");
      }
      const std::string table = StringMember(&item, "tableName");
      if (table.empty()) return "a transaction item has no tableName";
      Add(out, ItemTarget(action, table, &item, &item));
    }
    return "";
  }

  std::string Statement(const std::string& text, std::vector<Target>* out) {
    if (text.empty()) return "no PartiQL statement in requestParameters";
    std::string why;
    std::optional<PartiqlTarget> p = ReadPartiql(text, &why);
    if (!p) return why;
    Target t;
    t.action = p->action;
    t.resource = TableArn(where_, p->table);
    if (!p->index.empty()) {
      if (p->action != "PartiQLSelect") {
        return absl::StrCat(p->action, " names an index");
      }
      absl::StrAppend(&t.resource, "/index/", p->index);
    }
    // The key values of a statement are in its WHERE clause or VALUE,
    // which this does not read.
    for (const char* key : {kLeadingKeys, kAttributes}) {
      if (Supports(t.action, key)) {
        t.unknown_keys[key] =
            "PartiQL statements are not read for keys "
            "and attribute names";
      }
    }
    Add(out, std::move(t));
    return "";
  }

  bool Supports(const ActionInfo& info, std::string_view type) const {
    for (const ActionResource& r : info.resources) {
      if (r.resource_type == type) return true;
    }
    return false;
  }

  std::string Single(const ActionInfo& info, std::vector<Target>* out) {
    const std::string action(info.name);
    if (info.wildcard_only()) {
      Add(out, action, "*");
      return "";
    }
    // An explicit resource ARN (tagging, resource policies, exports).
    for (std::string_view key : {"resourceArn", "streamArn", "backupArn",
                                 "exportArn", "importArn", "tableArn"}) {
      const std::string arn = StringMember(params_, key);
      if (arn.empty()) continue;
      const std::string_view type = ClassifyDynamoDbArn(arn);
      if (!type.empty() && Supports(info, type)) Add(out, action, arn);
    }
    // Restores: the target table too.
    const std::string target = StringMember(params_, "targetTableName");
    if (!target.empty() && Supports(info, "table")) {
      Add(out, action, TableArn(where_, target));
    }
    if (!out->empty() || incomplete_) return "";
    const std::string global = StringMember(params_, "globalTableName");
    if (!global.empty() && Supports(info, "global-table")) {
      Add(out, action,
          where_.account.empty() ? std::string()
                                 : absl::StrCat("arn:", where_.partition,
                                                ":dynamodb::", where_.account,
                                                ":global-table/", global));
      return "";
    }
    std::string table = StringMember(params_, "tableName");
    if (table.empty()) {
      table =
          StringMember(Member(params_, "tableCreationParameters"), "tableName");
    }
    if (!table.empty() && Supports(info, "table")) {
      Target t;
      t.action = action;
      t.resource = TableArn(where_, table);
      const std::string index = StringMember(params_, "indexName");
      if (!index.empty() && Supports(info, "index")) {
        absl::StrAppend(&t.resource, "/index/", index);
      }
      if (action == "Query") {
        LeadingKeysOfQuery(table, params_, &t);
      } else if (action != "Scan") {
        LeadingKeysOfKey(table, Member(params_, "key"), &t);
      }
      AttributesOf(params_, &t);
      Add(out, std::move(t));
      return "";
    }
    // The record's resources[] of a type the action takes.
    std::vector<std::string_view> types;
    for (const ActionResource& r : info.resources) {
      types.push_back(r.resource_type);
    }
    const std::string arn = ResourceOfType(record_, types);
    if (!arn.empty()) {
      Add(out, action, arn);
      return "";
    }
    // Optional resources only (ListExports, ListImports): the action alone.
    bool required = false;
    for (const ActionResource& r : info.resources) required |= r.required;
    if (!required) {
      Add(out, action, "*");
      return "";
    }
    std::string names;
    for (std::string_view t : types) {
      absl::StrAppend(&names, names.empty() ? "" : " or ", std::string(t));
    }
    return absl::StrCat("no ", names, " in requestParameters or resources[]");
  }

  const Value& record_;
  const Where& where_;
  const RecordMapOptions& options_;
  const Value* params_;
  bool incomplete_ = false;
};

}  // namespace

absl::StatusOr<RecordMapping> MapCloudTrailRecord(
    std::string_view record_json, const RecordMapOptions& options) {
  json::JsonLimits limits;
  limits.max_bytes = options.limits.max_record_bytes;
  limits.max_depth = options.limits.max_depth;
  absl::StatusOr<Value> doc = json::Parse(record_json, limits);
  if (!doc.ok()) return doc.status();
  RecordMapping out;
  if (!doc->is_object()) {
    out.dynamodb = false;
    return out;
  }
  const std::string source = StringMember(&*doc, "eventSource");
  out.event_name = StringMember(&*doc, "eventName");
  if (source == "sts.amazonaws.com" &&
      absl::StartsWith(out.event_name, "AssumeRole")) {
    ReadAssumeRole(*doc, &out);
    return out;
  }
  if (source != "dynamodb.amazonaws.com") return out;
  out.dynamodb = true;
  if (out.event_name.empty()) {
    out.unmapped_reason = "no eventName";
    return out;
  }
  Where where;
  where.region = StringMember(&*doc, "awsRegion");
  where.partition = Partition(where.region);
  where.account = StringMember(&*doc, "recipientAccountId");
  if (where.account.empty()) {
    where.account = StringMember(Member(&*doc, "userIdentity"), "accountId");
  }
  Request base;
  std::string principal_arn;
  if (std::string why = ReadCaller(*doc, options, &base, &principal_arn);
      !why.empty()) {
    out.unmapped_reason = why;
    return out;
  }
  const Value* params = Member(&*doc, "requestParameters");
  ReadCallContext(*doc, params, &base);
  std::vector<Target> targets;
  Mapper mapper(*doc, where, options);
  if (std::string why = mapper.Targets(out.event_name, &targets);
      !why.empty()) {
    out.unmapped_reason = why;
    return out;
  }
  // A table name that is an ARN, or a region or account with ':' in it,
  // can make a resource that is no DynamoDB ARN.
  for (const Target& t : targets) {
    if (t.resource != "*" && ClassifyDynamoDbArn(t.resource).empty()) {
      out.unmapped_reason = absl::StrCat("the resource \"", t.resource,
                                         "\" is not a DynamoDB ARN");
      return out;
    }
  }
  if (targets.size() > options.limits.max_requests_per_record) {
    out.unmapped_reason =
        absl::StrCat("more than ", options.limits.max_requests_per_record,
                     " requests in one record (max_requests_per_record)");
    return out;
  }
  for (const Target& t : targets) {
    RecordedRequest rr;
    rr.request = base;
    rr.request.action = absl::StrCat("dynamodb:", t.action);
    rr.request.resource = t.resource;
    for (const auto& [key, value] : t.item_keys)
      rr.request.context[key] = value;
    rr.unknown_keys = t.unknown_keys;
    rr.principal_arn = principal_arn;
    rr.event_name = out.event_name;
    rr.event_time = StringMember(&*doc, "eventTime");
    out.requests.push_back(std::move(rr));
  }
  return out;
}

}  // namespace leastpriv
