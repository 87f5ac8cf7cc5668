// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/document_reader.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lib/policy/condition_operators.h"
#include "lib/policy/read_errors.h"

namespace leastpriv::policy_internal {
namespace {

constexpr std::string_view kVersion2012 = "2012-10-17";
constexpr std::string_view kVersion2008 = "2008-10-17";

}  // namespace

std::string KindName(const json::Value& v) {
  return std::string(json::Value::KindName(v.kind()));
}

void DocumentReader::UnknownElement(
    std::string_view where, const std::string& key, const SourcePos& pos,
    const std::vector<std::string_view>& known) {
  std::string message =
      absl::StrCat("unknown ", Sv(where), " element ", json::Quote(key));
  for (std::string_view k : known) {
    if (absl::EqualsIgnoreCase(Sv(k), key)) {
      absl::StrAppend(&message, " (did you mean \"", Sv(k), "\"?)");
      break;
    }
  }
  Problem(FindingCode::kUnknownElement, pos, std::move(message));
}

absl::Status DocumentReader::CheckString(const std::string& s,
                                         const json::Value& v) {
  if (s.size() > options_.limits.max_string_length) {
    return Unusable(FindingCode::kLimitExceeded, Pos(v),
                    absl::StrCat("string of ", s.size(),
                                 " bytes is longer than the limit of ",
                                 options_.limits.max_string_length,
                                 " bytes (max_string_length)"));
  }
  if (++strings_ > options_.limits.max_values) {
    return Unusable(
        FindingCode::kLimitExceeded, Pos(v),
        absl::StrCat("policy has more than ", options_.limits.max_values,
                     " strings (max_values)"));
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadStringList(std::string_view element,
                                            const json::Value& v,
                                            std::vector<PolicyString>& out,
                                            bool& ok) {
  ok = true;
  if (v.is_string()) {
    if (absl::Status s = CheckString(v.string_value(), v); !s.ok()) return s;
    out.push_back(PolicyString{v.string_value(), Pos(v)});
    return absl::OkStatus();
  }
  if (!v.is_array()) {
    WrongType(element, v, "a string or an array of strings");
    ok = false;
    return absl::OkStatus();
  }
  if (v.array().empty()) {
    Problem(FindingCode::kEmptyElement, Pos(v),
            absl::StrCat(Sv(element), " must not be an empty array"));
  }
  for (const json::Value& item : v.array()) {
    if (!item.is_string()) {
      WrongType(absl::StrCat(Sv(element), " entry"), item, "a string");
      continue;
    }
    if (absl::Status s = CheckString(item.string_value(), item); !s.ok()) {
      return s;
    }
    out.push_back(PolicyString{item.string_value(), Pos(item)});
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadPrincipal(std::string_view element,
                                           const json::Value& v,
                                           PrincipalBlock& block, bool& ok) {
  ok = true;
  block.pos = Pos(v);
  if (v.is_string()) {
    if (v.string_value() != "*") {
      Problem(FindingCode::kInvalidPrincipal, Pos(v),
              absl::StrCat(Sv(element),
                           " string must be \"*\"; name "
                           "principals as {\"AWS\": ",
                           json::Quote(v.string_value()), "}"));
      ok = false;
      return absl::OkStatus();
    }
    block.entries.push_back(PrincipalEntry{PrincipalType::kAny, "*", Pos(v)});
    return absl::OkStatus();
  }
  if (!v.is_object()) {
    WrongType(element, v, "\"*\" or an object");
    ok = false;
    return absl::OkStatus();
  }
  if (v.object().empty()) {
    Problem(FindingCode::kEmptyElement, Pos(v),
            absl::StrCat(Sv(element), " must not be an empty object"));
  }
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [type_name, values] = v.object()[i];
    PrincipalType type;
    if (type_name == "AWS") {
      type = PrincipalType::kAws;
    } else if (type_name == "Service") {
      type = PrincipalType::kService;
    } else if (type_name == "Federated") {
      type = PrincipalType::kFederated;
    } else if (type_name == "CanonicalUser") {
      type = PrincipalType::kCanonicalUser;
    } else {
      Problem(FindingCode::kInvalidPrincipal, KeyPos(v, i),
              absl::StrCat("unknown principal type ", json::Quote(type_name),
                           " in ", Sv(element),
                           " (expected AWS, Service, Federated or "
                           "CanonicalUser)"));
      ok = false;
      continue;
    }
    std::vector<PolicyString> names;
    bool list_ok;
    if (absl::Status s = ReadStringList(
            absl::StrCat(Sv(element), ".", type_name), values, names, list_ok);
        !s.ok()) {
      return s;
    }
    if (!list_ok) ok = false;
    for (PolicyString& n : names) {
      block.entries.push_back(
          PrincipalEntry{type, std::move(n.text), std::move(n.pos)});
    }
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadConditions(const json::Value& v, Statement& st,
                                            bool& ok) {
  ok = true;
  if (!v.is_object()) {
    WrongType("Condition", v, "an object");
    ok = false;
    return absl::OkStatus();
  }
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [op_text, block] = v.object()[i];
    if (!block.is_object()) {
      WrongType(absl::StrCat("condition operator ", json::Quote(op_text)),
                block, "an object of condition keys");
      ok = false;
      continue;
    }
    for (std::size_t k = 0; k < block.object().size(); ++k) {
      // Named references rather than a structured binding: the lambda below
      // uses `key`, which C++17 does not allow for a binding.
      const std::string& key = block.object()[k].first;
      const json::Value& values = block.object()[k].second;
      Condition c;
      ParseOperator(op_text, c);
      c.key = key;
      c.pos = KeyPos(block, k);
      auto add = [&](const json::Value& item) -> absl::Status {
        ConditionValue cv;
        cv.pos = Pos(item);
        if (item.is_string()) {
          cv.text = item.string_value();
          cv.type = ValueType::kString;
        } else if (item.is_number()) {
          cv.text = item.number_text();
          cv.type = ValueType::kNumber;
        } else if (item.is_bool()) {
          cv.text = item.bool_value() ? "true" : "false";
          cv.type = ValueType::kBool;
        } else {
          WrongType(absl::StrCat("value of condition key ", json::Quote(key)),
                    item, "a string, number or boolean");
          ok = false;
          return absl::OkStatus();
        }
        if (absl::Status s = CheckString(cv.text, item); !s.ok()) return s;
        c.values.push_back(std::move(cv));
        return absl::OkStatus();
      };
      if (values.is_array()) {
        if (values.array().empty()) {
          Problem(FindingCode::kEmptyElement, Pos(values),
                  absl::StrCat("condition key ", json::Quote(key),
                               " must have at least one value"));
        }
        for (const json::Value& item : values.array()) {
          if (absl::Status s = add(item); !s.ok()) return s;
        }
      } else {
        if (absl::Status s = add(values); !s.ok()) return s;
      }
      st.conditions.push_back(std::move(c));
    }
  }
  return absl::OkStatus();
}

const json::Value* DocumentReader::EitherElement(
    const json::Value* plain, const json::Value* negated, std::string_view name,
    FindingCode both, std::string_view where, bool& droppable) {
  if (plain != nullptr && negated != nullptr) {
    Problem(
        both, Pos(*negated),
        absl::StrCat(Sv(where), " has both ", Sv(name), " and Not", Sv(name)));
    droppable = true;
    return nullptr;
  }
  return plain != nullptr ? plain : negated;
}

absl::Status DocumentReader::ReadStatement(const json::Value& v, int index) {
  const std::size_t problems_before = result_.problems.size();
  if (!v.is_object()) {
    WrongType("Statement entry", v, "an object");
    return absl::OkStatus();
  }
  Statement st;
  st.pos = Pos(v);
  st.index = index;
  bool droppable = false;  // cannot be modelled
  const json::Value* effect = nullptr;
  const json::Value* action = nullptr;
  const json::Value* not_action = nullptr;
  const json::Value* resource = nullptr;
  const json::Value* not_resource = nullptr;
  const json::Value* principal = nullptr;
  const json::Value* not_principal = nullptr;
  const json::Value* condition = nullptr;
  static const std::vector<std::string_view> kKnown = {
      "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition"};
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    if (key == "Sid") {
      if (value.is_string()) {
        st.sid = value.string_value();
        st.sid_pos = Pos(value);
      } else {
        WrongType("Sid", value, "a string");
      }
    } else if (key == "Effect") {
      effect = &value;
    } else if (key == "Action") {
      action = &value;
    } else if (key == "NotAction") {
      not_action = &value;
    } else if (key == "Resource") {
      resource = &value;
    } else if (key == "NotResource") {
      not_resource = &value;
    } else if (key == "Principal") {
      principal = &value;
    } else if (key == "NotPrincipal") {
      not_principal = &value;
    } else if (key == "Condition") {
      condition = &value;
    } else {
      UnknownElement("statement", key, KeyPos(v, i), kKnown);
    }
  }
  const std::string where =
      st.sid ? absl::StrCat("statement ", json::Quote(*st.sid))
             : absl::StrCat("statement ", index);

  if (effect == nullptr) {
    Problem(FindingCode::kMissingEffect, st.pos,
            absl::StrCat(where, " has no Effect element"));
    droppable = true;
  } else if (!effect->is_string()) {
    WrongType("Effect", *effect, "\"Allow\" or \"Deny\"");
    droppable = true;
  } else if (effect->string_value() == "Allow" ||
             effect->string_value() == "Deny") {
    st.effect =
        effect->string_value() == "Allow" ? Effect::kAllow : Effect::kDeny;
    st.effect_pos = Pos(*effect);
  } else {
    Problem(FindingCode::kInvalidEffect, Pos(*effect),
            absl::StrCat("Effect must be \"Allow\" or \"Deny\", found ",
                         json::Quote(effect->string_value())));
    droppable = true;
  }

  bool ok = true;
  if (const json::Value* a =
          EitherElement(action, not_action, "Action",
                        FindingCode::kActionAndNotAction, where, droppable)) {
    st.not_action = a == not_action;
    st.action_pos = Pos(*a);
    if (absl::Status s = ReadStringList(st.not_action ? "NotAction" : "Action",
                                        *a, st.actions, ok);
        !s.ok()) {
      return s;
    }
  } else if (action == nullptr && not_action == nullptr) {
    Problem(FindingCode::kMissingAction, st.pos,
            absl::StrCat(where, " has neither Action nor NotAction"));
    droppable = true;
  }

  if (const json::Value* r = EitherElement(resource, not_resource, "Resource",
                                           FindingCode::kResourceAndNotResource,
                                           where, droppable)) {
    st.has_resource = true;
    st.not_resource = r == not_resource;
    st.resource_pos = Pos(*r);
    if (absl::Status s = ReadStringList(
            st.not_resource ? "NotResource" : "Resource", *r, st.resources, ok);
        !s.ok()) {
      return s;
    }
  }

  if (const json::Value* p = EitherElement(
          principal, not_principal, "Principal",
          FindingCode::kPrincipalAndNotPrincipal, where, droppable)) {
    PrincipalBlock block;
    block.negated = p == not_principal;
    if (absl::Status s = ReadPrincipal(
            block.negated ? "NotPrincipal" : "Principal", *p, block, ok);
        !s.ok()) {
      return s;
    }
    st.principal = std::move(block);
  }
  if (!ok) droppable = true;

  if (condition != nullptr) {
    if (absl::Status s = ReadConditions(*condition, st, ok); !s.ok()) return s;
    if (!ok) droppable = true;
  }
  // Type errors inside lists leave the statement incomplete too.
  for (std::size_t i = problems_before; i < result_.problems.size(); ++i) {
    if (result_.problems[i].code == FindingCode::kInvalidType) {
      droppable = true;
    }
  }
  if (!droppable) result_.policy.statements.push_back(std::move(st));
  return absl::OkStatus();
}

absl::Status DocumentReader::Read(const json::Value& doc) {
  Policy& policy = result_.policy;
  policy.kind = options_.kind;
  policy.name = options_.file_name;
  policy.pos = Pos(doc);
  static const std::vector<std::string_view> kKnown = {"Version", "Id",
                                                       "Statement"};
  const json::Value* statement = nullptr;
  for (std::size_t i = 0; i < doc.object().size(); ++i) {
    const auto& [key, value] = doc.object()[i];
    if (key == "Version") {
      if (!value.is_string()) {
        WrongType("Version", value, "a string");
      } else {
        policy.version = value.string_value();
        policy.version_pos = Pos(value);
        if (policy.version != kVersion2012 && policy.version != kVersion2008) {
          Problem(FindingCode::kInvalidVersion, Pos(value),
                  absl::StrCat("Version must be \"2012-10-17\" or "
                               "\"2008-10-17\", found ",
                               json::Quote(policy.version)));
        }
      }
    } else if (key == "Id") {
      if (value.is_string()) {
        policy.id = value.string_value();
      } else {
        WrongType("Id", value, "a string");
      }
    } else if (key == "Statement") {
      statement = &value;
    } else {
      UnknownElement("top-level", key, KeyPos(doc, i), kKnown);
    }
  }
  if (statement == nullptr) {
    Problem(FindingCode::kMissingStatement, Pos(doc),
            "policy document has no Statement element");
    return absl::OkStatus();
  }
  if (statement->is_object()) {
    return ReadStatement(*statement, 0);
  }
  if (!statement->is_array()) {
    WrongType("Statement", *statement, "an object or an array of objects");
    return absl::OkStatus();
  }
  if (statement->array().size() > options_.limits.max_statements) {
    return Unusable(
        FindingCode::kLimitExceeded, Pos(*statement),
        absl::StrCat("policy has ", statement->array().size(),
                     " statements, over the limit of ",
                     options_.limits.max_statements, " (max_statements)"));
  }
  int index = 0;
  for (const json::Value& s : statement->array()) {
    if (absl::Status status = ReadStatement(s, index++); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace leastpriv::policy_internal
