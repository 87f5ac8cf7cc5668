// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// CloudTrail record -> IAM requests (MapCloudTrailRecord), following the
// record format documented in the AWS CloudTrail User Guide ("CloudTrail
// record contents", "CloudTrail userIdentity element") and the DynamoDB
// Developer Guide ("Understanding DynamoDB log file entries").

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

// One IAM action on one resource, before the context is attached.
struct Target {
  std::string action;  // "PutItem" (catalog name)
  std::string resource;
};

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
  Mapper(const Value& record, const Where& where)
      : record_(record),
        where_(where),
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

  void Add(std::vector<Target>* out, std::string action, std::string resource) {
    if (resource.empty()) {
      incomplete_ = true;
      return;
    }
    for (const Target& t : *out) {
      if (t.action == action && t.resource == resource) return;
    }
    out->push_back({std::move(action), std::move(resource)});
  }

  std::string Batch(const std::string& event, std::vector<Target>* out) {
    const Value* items = Member(params_, "requestItems");
    if (items == nullptr) return "no requestItems in requestParameters";
    std::vector<std::string> tables;
    if (items->is_object()) {
      for (const auto& [name, v] : items->object()) tables.push_back(name);
    } else if (items->is_array()) {
      for (const Value& item : items->array()) {
        const std::string name = StringMember(&item, "tableName");
        if (name.empty()) return "a requestItems entry has no tableName";
        tables.push_back(name);
      }
    }
    if (tables.empty()) return "no tables in requestItems";
    for (const std::string& t : tables) Add(out, event, TableArn(where_, t));
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
      Add(out, action, TableArn(where_, table));
    }
    return "";
  }

  std::string Statement(const std::string& text, std::vector<Target>* out) {
    if (text.empty()) return "no PartiQL statement in requestParameters";
    std::string why;
    std::optional<PartiqlTarget> t = ReadPartiql(text, &why);
    if (!t) return why;
    std::string arn = TableArn(where_, t->table);
    if (!t->index.empty()) {
      if (t->action != "PartiQLSelect") {
        return absl::StrCat(t->action, " names an index");
      }
      absl::StrAppend(&arn, "/index/", t->index);
    }
    Add(out, t->action, arn);
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
      std::string arn = TableArn(where_, table);
      const std::string index = StringMember(params_, "indexName");
      if (!index.empty() && Supports(info, "index")) {
        absl::StrAppend(&arn, "/index/", index);
      }
      Add(out, action, arn);
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
  Mapper mapper(*doc, where);
  if (std::string why = mapper.Targets(out.event_name, &targets);
      !why.empty()) {
    out.unmapped_reason = why;
    return out;
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
    rr.principal_arn = principal_arn;
    rr.event_name = out.event_name;
    rr.event_time = StringMember(&*doc, "eventTime");
    out.requests.push_back(std::move(rr));
  }
  return out;
}

}  // namespace leastpriv
