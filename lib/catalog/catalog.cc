// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The catalog tables are compiled in from the generated
// dynamodb_catalog.inc and turned into the public structs once, on first
// use. The resulting objects live for the whole program.

#include "leastpriv/catalog.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/glob/glob.h"

namespace leastpriv {
namespace {

struct RawAction {
  std::string_view name;
  AccessLevel access;
  std::string_view resources;  // "table* index": `*` marks required
  std::string_view condition_keys;
  std::string_view dependent_actions;
};

struct RawResourceType {
  std::string_view name;
  std::string_view arn_template;
  std::string_view condition_keys;
};

struct RawConditionKey {
  std::string_view name;
  ConditionKeyType type;
};

#include "lib/catalog/dynamodb_catalog.inc"

constexpr std::string_view kServicePrefix = "dynamodb";

// (The Debian abseil's string_view is not std::string_view, so the small
// string helpers below stand in for absl/strings.)

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string AsciiLower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = AsciiLower(c);
  return lower;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Splits at every `separator`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0;;) {
    std::size_t end = s.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(s.substr(start));
      return pieces;
    }
    pieces.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// A space-separated list from the generated tables.
std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> items;
  for (std::string_view item : Split(list, ' ')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

// The resource part of an ARN template
// ("table/${TableName}/index/${IndexName}") as segments, each either a literal
// or a variable.
struct ArnShape {
  std::string_view resource_type;
  std::vector<std::string_view> segments;
  std::vector<bool> variable;
};

// Splits `arn` into its six colon-separated fields; the last keeps any
// further colons (stream labels contain them). False when there are fewer.
bool SplitArn(std::string_view arn, std::vector<std::string_view>* fields) {
  fields->clear();
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    fields->push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  fields->push_back(arn.substr(start));
  return true;
}

struct Catalog {
  std::string version;
  std::vector<ActionInfo> actions;
  std::vector<ResourceTypeInfo> resource_types;
  std::vector<ConditionKeyInfo> service_keys;
  std::vector<ConditionKeyInfo> global_keys;
  absl::flat_hash_map<std::string, const ActionInfo*> action_by_lower_name;
  std::vector<ArnShape> arn_shapes;
};

const Catalog* BuildCatalog() {
  auto* catalog = new Catalog;
  catalog->version =
      std::string(kSourcePackage) + " " + std::string(kSourceVersion);
  for (const RawAction& raw : kRawActions) {
    ActionInfo info;
    info.name = raw.name;
    info.access = raw.access;
    for (std::string_view r : SplitList(raw.resources)) {
      bool required = EndsWith(r, "*");
      if (required) r.remove_suffix(1);
      info.resources.push_back(ActionResource{r, required});
    }
    info.condition_keys = SplitList(raw.condition_keys);
    info.dependent_actions = SplitList(raw.dependent_actions);
    catalog->actions.push_back(std::move(info));
  }
  for (const ActionInfo& action : catalog->actions) {
    catalog->action_by_lower_name[AsciiLower(action.name)] = &action;
  }
  for (const RawResourceType& raw : kRawResourceTypes) {
    catalog->resource_types.push_back(ResourceTypeInfo{
        raw.name, raw.arn_template, SplitList(raw.condition_keys)});
    std::vector<std::string_view> fields;
    if (!SplitArn(raw.arn_template, &fields)) continue;
    ArnShape shape;
    shape.resource_type = raw.name;
    shape.segments = Split(fields[5], '/');
    for (std::string_view segment : shape.segments) {
      shape.variable.push_back(StartsWith(segment, "${") &&
                               EndsWith(segment, "}"));
    }
    catalog->arn_shapes.push_back(std::move(shape));
  }
  for (const RawConditionKey& raw : kRawServiceConditionKeys) {
    catalog->service_keys.push_back(ConditionKeyInfo{raw.name, raw.type});
  }
  for (const RawConditionKey& raw : kRawGlobalConditionKeys) {
    catalog->global_keys.push_back(ConditionKeyInfo{raw.name, raw.type});
  }
  return catalog;
}

const Catalog& GetCatalog() {
  static const Catalog* const catalog = BuildCatalog();
  return *catalog;
}

// Strips a leading "dynamodb:" (any case). Returns false when `name` has a
// colon but names another service.
bool StripServicePrefix(std::string_view* name) {
  std::size_t colon = name->find(':');
  if (colon == std::string_view::npos) return true;
  if (!EqualsIgnoreCase(name->substr(0, colon), kServicePrefix)) {
    return false;
  }
  name->remove_prefix(colon + 1);
  return true;
}

// Levenshtein distance over ASCII-lower-cased bytes.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = AsciiLower(a[i - 1]) == AsciiLower(b[j - 1]);
      row[j] =
          std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

const ConditionKeyInfo* FindKeyIn(const std::vector<ConditionKeyInfo>& keys,
                                  std::string_view key) {
  for (const ConditionKeyInfo& info : keys) {
    if (EqualsIgnoreCase(info.name, key)) return &info;
  }
  // Templated keys: "aws:PrincipalTag/team" matches
  // "aws:PrincipalTag/${TagKey}".
  std::size_t slash = key.find('/');
  if (slash == std::string_view::npos || slash + 1 == key.size()) {
    return nullptr;
  }
  std::string_view stem = key.substr(0, slash + 1);
  for (const ConditionKeyInfo& info : keys) {
    if (info.name.size() > stem.size() &&
        EqualsIgnoreCase(info.name.substr(0, stem.size()), stem) &&
        StartsWith(info.name.substr(stem.size()), "${")) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace

std::string_view AccessLevelName(AccessLevel level) {
  switch (level) {
    case AccessLevel::kList:
      return "List";
    case AccessLevel::kRead:
      return "Read";
    case AccessLevel::kWrite:
      return "Write";
    case AccessLevel::kPermissionsManagement:
      return "Permissions management";
    case AccessLevel::kTagging:
      return "Tagging";
  }
  return "";
}

std::string ActionInfo::qualified_name() const {
  return std::string(kServicePrefix) + ":" + std::string(name);
}

bool ConditionKeyInfo::multi_valued() const {
  switch (type) {
    case ConditionKeyType::kArrayOfString:
    case ConditionKeyType::kArrayOfNumeric:
    case ConditionKeyType::kArrayOfBool:
    case ConditionKeyType::kArrayOfArn:
      return true;
    default:
      return false;
  }
}

std::string_view CatalogVersion() { return GetCatalog().version; }

const std::vector<ActionInfo>& DynamoDbActions() {
  return GetCatalog().actions;
}

const std::vector<ResourceTypeInfo>& DynamoDbResourceTypes() {
  return GetCatalog().resource_types;
}

const std::vector<ConditionKeyInfo>& DynamoDbConditionKeys() {
  return GetCatalog().service_keys;
}

const std::vector<ConditionKeyInfo>& GlobalConditionKeys() {
  return GetCatalog().global_keys;
}

const ActionInfo* FindAction(std::string_view name) {
  if (!StripServicePrefix(&name)) return nullptr;
  const Catalog& catalog = GetCatalog();
  auto it = catalog.action_by_lower_name.find(AsciiLower(name));
  return it == catalog.action_by_lower_name.end() ? nullptr : it->second;
}

bool ActionSupportsConditionKey(const ActionInfo& action,
                                std::string_view key) {
  const std::string_view prefix = key.substr(0, key.find(':'));
  if (prefix.size() == key.size() ||
      !EqualsIgnoreCase(prefix, kServicePrefix)) {
    return true;
  }
  for (std::string_view k : action.condition_keys) {
    if (EqualsIgnoreCase(k, key)) return true;
  }
  return false;
}

const ResourceTypeInfo* FindResourceType(std::string_view name) {
  for (const ResourceTypeInfo& info : GetCatalog().resource_types) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const ConditionKeyInfo* FindConditionKey(std::string_view key) {
  if (const ConditionKeyInfo* info =
          FindKeyIn(GetCatalog().service_keys, key)) {
    return info;
  }
  return FindKeyIn(GetCatalog().global_keys, key);
}

std::vector<const ActionInfo*> ExpandActionPattern(std::string_view pattern) {
  std::vector<const ActionInfo*> result;
  const Catalog& catalog = GetCatalog();
  bool all_stars = !pattern.empty() &&
                   pattern.find_first_not_of('*') == std::string_view::npos;
  if (!all_stars) {
    std::size_t colon = pattern.find(':');
    if (colon == std::string_view::npos ||
        pattern.find(':', colon + 1) != std::string_view::npos ||
        !EqualsIgnoreCase(pattern.substr(0, colon), kServicePrefix)) {
      return result;
    }
    pattern.remove_prefix(colon + 1);
  }
  for (const ActionInfo& action : catalog.actions) {
    if (GlobMatch(pattern, action.name, GlobCase::kInsensitive)) {
      result.push_back(&action);
    }
  }
  return result;
}

std::string SuggestAction(std::string_view name) {
  // Anything longer than every action name by this much is not a typo.
  constexpr std::size_t kMaxInput = 128;
  if (name.empty() || name.size() > kMaxInput || HasWildcard(name)) return "";
  const bool qualified = name.find(':') != std::string_view::npos;
  const ActionInfo* best = nullptr;
  std::size_t best_distance = 0;
  for (const ActionInfo& action : GetCatalog().actions) {
    std::string candidate =
        qualified ? action.qualified_name() : std::string(action.name);
    std::size_t distance = EditDistance(name, candidate);
    if (best == nullptr || distance < best_distance) {
      best = &action;
      best_distance = distance;
    }
  }
  // Close means at most a third of the shorter action name's letters,
  // capped at 3 and at least 1.
  std::string_view bare = name;
  if (qualified) bare.remove_prefix(name.find(':') + 1);
  std::size_t length = std::min(bare.size(), best->name.size());
  std::size_t allowed =
      std::max<std::size_t>(1, std::min<std::size_t>(3, length / 3));
  if (best_distance > allowed) return "";
  return best->qualified_name();
}

std::string_view ClassifyDynamoDbArn(std::string_view arn) {
  std::vector<std::string_view> fields;
  if (!SplitArn(arn, &fields) || fields[0] != "arn" ||
      !GlobMatch(fields[2], kServicePrefix, GlobCase::kInsensitive)) {
    return "";
  }
  std::vector<std::string_view> segments = Split(fields[5], '/');
  for (const ArnShape& shape : GetCatalog().arn_shapes) {
    if (shape.segments.size() != segments.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < segments.size() && fits; ++i) {
      fits = shape.variable[i] ? !segments[i].empty()
                               : segments[i] == shape.segments[i];
    }
    if (fits) return shape.resource_type;
  }
  return "";
}

}  // namespace leastpriv
