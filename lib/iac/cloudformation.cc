// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// CloudFormation: intrinsic function resolution and policy extraction.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/iac.h"
#include "lib/iac/tree.h"

namespace leastpriv {
namespace {

using iac_internal::Node;

constexpr int kMaxReferenceDepth = 16;

// The outcome of resolving one value.
struct Resolved {
  enum class What { kValue, kNoValue, kAlternatives };
  What what = What::kValue;
  Node node;  // kAlternatives: a list of the branch values
};

struct Template {
  std::string file;
  std::map<std::string, const Node*> parameters;
  std::map<std::string, const Node*> resources;  // the resource objects
  std::map<std::string, std::string> types;
  const Node* conditions = nullptr;
  const Node* mappings = nullptr;

  const Node* Properties(const std::string& logical_id) const {
    auto it = resources.find(logical_id);
    if (it == resources.end()) return nullptr;
    return it->second->Find("Properties");
  }
  std::string TypeOf(const std::string& logical_id) const {
    auto it = types.find(logical_id);
    return it == types.end() ? "" : it->second;
  }
};

class Resolver {
 public:
  Resolver(const Template& t, const IacOptions& options,
           std::vector<UnresolvedReference>& unresolved)
      : t_(t), options_(options), unresolved_(unresolved) {}

  Resolved Resolve(const Node& n, int depth = 0) {
    Resolved r;
    if (depth > kMaxReferenceDepth * 8) {
      r.node = Unresolved("value", "references nested too deeply", n.pos);
      return r;
    }
    if (n.is_list()) {
      r.node.kind = Node::Kind::kList;
      r.node.pos = n.pos;
      for (const Node& item : n.items) {
        Resolved ri = Resolve(item, depth + 1);
        if (ri.what == Resolved::What::kNoValue) continue;
        if (ri.what == Resolved::What::kAlternatives) {
          Splice(std::move(ri.node), r.node);
        } else {
          r.node.items.push_back(std::move(ri.node));
        }
      }
      return r;
    }
    if (!n.is_map()) {
      r.node = n;
      return r;
    }
    const std::string fn = n.IntrinsicName();
    if (!fn.empty()) return Intrinsic(fn, n.members[0].second, n.pos, depth);
    r.node.kind = Node::Kind::kMap;
    r.node.pos = n.pos;
    for (std::size_t i = 0; i < n.members.size(); ++i) {
      Resolved rv = Resolve(n.members[i].second, depth + 1);
      if (rv.what == Resolved::What::kNoValue) continue;
      if (rv.what == Resolved::What::kAlternatives) {
        Node list;
        list.kind = Node::Kind::kList;
        list.pos = rv.node.pos;
        Splice(std::move(rv.node), list);
        rv.node = std::move(list);
      }
      r.node.members.emplace_back(n.members[i].first, std::move(rv.node));
      r.node.key_pos.push_back(n.key_pos[i]);
    }
    return r;
  }

  // The value as a string; non-scalars become an unresolved marker.
  std::string Text(const Node& n, int depth = 0) {
    Resolved r = Resolve(n, depth + 1);
    if (r.what == Resolved::What::kValue && r.node.is_scalar()) {
      return r.node.text;
    }
    return Unresolved(Describe(n), "value is not a single string", n.pos).text;
  }

  // Decides a condition by name; nullopt when it depends on something
  // unresolved.
  std::optional<bool> DecideCondition(const std::string& name, int depth) {
    if (t_.conditions == nullptr || depth > kMaxReferenceDepth) {
      return std::nullopt;
    }
    const Node* c = t_.conditions->Find(name);
    if (c == nullptr) return std::nullopt;
    return Decide(*c, depth + 1);
  }

 private:
  static void Splice(Node alternatives, Node& list) {
    for (Node& branch : alternatives.items) {
      if (branch.is_list()) {
        for (Node& item : branch.items) list.items.push_back(std::move(item));
      } else {
        list.items.push_back(std::move(branch));
      }
    }
  }

  static std::string Describe(const Node& n) {
    const std::string fn = n.IntrinsicName();
    if (fn.empty()) return "value";
    const Node& arg = n.members[0].second;
    if (arg.is_scalar()) return absl::StrCat(fn, " ", arg.text);
    if (arg.is_list() && !arg.items.empty() && arg.items[0].is_scalar()) {
      return absl::StrCat(fn, " ", arg.items[0].text);
    }
    return std::string(fn);
  }

  Node Unresolved(std::string reference, std::string reason,
                  const SourcePos& pos) {
    unresolved_.push_back(
        UnresolvedReference{reference, std::move(reason), pos});
    std::string text = options_.unresolved_as_wildcard
                           ? "*"
                           : absl::StrCat(std::string(kUnresolvedMarkerPrefix),
                                          reference, "}}");
    return Node::String(std::move(text), pos);
  }

  Resolved Value(Node n) {
    Resolved r;
    r.node = std::move(n);
    return r;
  }

  Resolved Intrinsic(const std::string& fn, const Node& arg,
                     const SourcePos& pos, int depth) {
    if (fn == "Ref") {
      if (!arg.is_scalar()) {
        return Value(Unresolved("Ref", "Ref needs a name", pos));
      }
      if (arg.text == "AWS::NoValue") {
        Resolved r;
        r.what = Resolved::What::kNoValue;
        return r;
      }
      return Value(Node::String(Ref(arg.text, pos, depth), pos));
    }
    if (fn == "Fn::Sub") return Value(Node::String(Sub(arg, pos, depth), pos));
    if (fn == "Fn::GetAtt") {
      std::string resource, attribute;
      if (arg.is_scalar()) {
        const std::size_t dot = arg.text.find('.');
        if (dot != std::string::npos) {
          resource = arg.text.substr(0, dot);
          attribute = arg.text.substr(dot + 1);
        }
      } else if (arg.is_list() && arg.items.size() == 2) {
        resource = Text(arg.items[0], depth);
        attribute = Text(arg.items[1], depth);
      }
      if (resource.empty() || attribute.empty()) {
        return Value(
            Unresolved("Fn::GetAtt", "expected Resource.Attribute", pos));
      }
      return Value(Node::String(GetAtt(resource, attribute, pos, depth), pos));
    }
    if (fn == "Fn::Join") {
      if (!arg.is_list() || arg.items.size() != 2) {
        return Value(Unresolved("Fn::Join", "expected [delimiter, list]", pos));
      }
      const std::string delimiter = Text(arg.items[0], depth);
      Resolved list = Resolve(arg.items[1], depth + 1);
      if (list.what != Resolved::What::kValue || !list.node.is_list()) {
        return Value(Unresolved("Fn::Join", "list is not static", pos));
      }
      std::vector<std::string> parts;
      for (const Node& item : list.node.items) {
        if (!item.is_scalar()) {
          return Value(
              Unresolved("Fn::Join", "list item is not a string", item.pos));
        }
        parts.push_back(item.text);
      }
      return Value(Node::String(absl::StrJoin(parts, delimiter), pos));
    }
    if (fn == "Fn::Select") {
      if (!arg.is_list() || arg.items.size() != 2) {
        return Value(Unresolved("Fn::Select", "expected [index, list]", pos));
      }
      const std::string index_text = Text(arg.items[0], depth);
      Resolved list = Resolve(arg.items[1], depth + 1);
      char* end = nullptr;
      const long index = std::strtol(index_text.c_str(), &end, 10);
      if (index_text.empty() || *end != '\0' || index < 0 ||
          list.what != Resolved::What::kValue || !list.node.is_list() ||
          static_cast<std::size_t>(index) >= list.node.items.size()) {
        return Value(
            Unresolved("Fn::Select", "index or list is not static", pos));
      }
      return Value(std::move(list.node.items[index]));
    }
    if (fn == "Fn::If") {
      if (!arg.is_list() || arg.items.size() != 3 ||
          !arg.items[0].is_scalar()) {
        return Value(
            Unresolved("Fn::If", "expected [condition, then, else]", pos));
      }
      const std::string& condition = arg.items[0].text;
      const std::optional<bool> decided = DecideCondition(condition, depth);
      if (decided.has_value()) {
        return Resolve(arg.items[*decided ? 1 : 2], depth + 1);
      }
      unresolved_.push_back(UnresolvedReference{
          absl::StrCat("Fn::If ", condition),
          "condition is not decidable from the template; both branches kept",
          pos});
      Resolved r;
      r.what = Resolved::What::kAlternatives;
      r.node.kind = Node::Kind::kList;
      r.node.pos = pos;
      for (int b = 1; b <= 2; ++b) {
        Resolved branch = Resolve(arg.items[b], depth + 1);
        if (branch.what == Resolved::What::kNoValue) continue;
        if (branch.what == Resolved::What::kAlternatives) {
          Splice(std::move(branch.node), r.node);
        } else {
          r.node.items.push_back(std::move(branch.node));
        }
      }
      return r;
    }
    if (fn == "Fn::FindInMap") {
      if (arg.is_list() && arg.items.size() == 3 && t_.mappings != nullptr) {
        const std::string m = Text(arg.items[0], depth);
        const std::string k1 = Text(arg.items[1], depth);
        const std::string k2 = Text(arg.items[2], depth);
        const Node* found = t_.mappings->Find(m);
        if (found != nullptr) found = found->Find(k1);
        if (found != nullptr) found = found->Find(k2);
        if (found != nullptr) return Resolve(*found, depth + 1);
      }
      return Value(Unresolved(Describe(MapOf(fn, arg)),
                              "mapping entry not found statically", pos));
    }
    if (fn == "Fn::ImportValue") {
      std::string name = arg.is_scalar() ? arg.text : Text(arg, depth);
      return Value(Unresolved(absl::StrCat("Fn::ImportValue ", name),
                              "value is exported by another stack", pos));
    }
    return Value(Unresolved(Describe(MapOf(fn, arg)),
                            absl::StrCat(fn, " is not evaluated statically"),
                            pos));
  }

  static Node MapOf(const std::string& fn, const Node& arg) {
    Node n;
    n.kind = Node::Kind::kMap;
    n.members.emplace_back(fn, arg);
    n.key_pos.push_back(arg.pos);
    return n;
  }

  std::string Pseudo(const std::string& name, const SourcePos& pos) {
    if (name == "AWS::AccountId") {
      if (!options_.account_id.empty()) return options_.account_id;
      return Unresolved(name, "account id not given", pos).text;
    }
    if (name == "AWS::Region") {
      if (!options_.region.empty()) return options_.region;
      return Unresolved(name, "region not given", pos).text;
    }
    if (name == "AWS::Partition") {
      if (!options_.partition.empty()) return options_.partition;
      return Unresolved(name, "partition not given", pos).text;
    }
    if (name == "AWS::URLSuffix") return "amazonaws.com";
    return Unresolved(name, "pseudo parameter is known only at deployment", pos)
        .text;
  }

  // Static value of a string property of a resource, or nullopt.
  std::optional<std::string> StaticProperty(const std::string& logical_id,
                                            const std::string& property,
                                            int depth) {
    const Node* props = t_.Properties(logical_id);
    const Node* v = props == nullptr ? nullptr : props->Find(property);
    if (v == nullptr) return std::nullopt;
    std::vector<UnresolvedReference> scratch;
    Resolver inner(t_, options_, scratch);
    Resolved r = inner.Resolve(*v, depth + 1);
    if (!scratch.empty() || r.what != Resolved::What::kValue ||
        !r.node.is_scalar()) {
      return std::nullopt;
    }
    return r.node.text;
  }

  std::string Ref(const std::string& name, const SourcePos& pos, int depth) {
    if (depth > kMaxReferenceDepth * 8) {
      return Unresolved(absl::StrCat("Ref ", name), "reference cycle", pos)
          .text;
    }
    if (name.rfind("AWS::", 0) == 0) return Pseudo(name, pos);
    auto param = t_.parameters.find(name);
    if (param != t_.parameters.end()) {
      const Node* def =
          param->second->is_map() ? param->second->Find("Default") : nullptr;
      if (def == nullptr) {
        return Unresolved(absl::StrCat("Ref ", name),
                          "parameter has no Default", pos)
            .text;
      }
      if (def->is_scalar()) return def->text;
      return Unresolved(absl::StrCat("Ref ", name),
                        "parameter Default is not a string", pos)
          .text;
    }
    const std::string type = t_.TypeOf(name);
    if (type.empty() && t_.resources.count(name) == 0) {
      return Unresolved(absl::StrCat("Ref ", name),
                        "no parameter or resource of that name", pos)
          .text;
    }
    if (type == "AWS::DynamoDB::Table" ||
        type == "AWS::DynamoDB::GlobalTable") {
      if (auto v = StaticProperty(name, "TableName", depth + 8)) return *v;
      return Unresolved(absl::StrCat("Ref ", name),
                        "table has no static TableName; the name is "
                        "generated at deployment",
                        pos)
          .text;
    }
    if (type == "AWS::IAM::Role") {
      if (auto v = StaticProperty(name, "RoleName", depth + 8)) return *v;
      return Unresolved(absl::StrCat("Ref ", name),
                        "role has no static RoleName", pos)
          .text;
    }
    if (type == "AWS::IAM::ManagedPolicy") {
      if (auto v = StaticProperty(name, "ManagedPolicyName", depth + 8)) {
        std::string path =
            StaticProperty(name, "Path", depth + 8).value_or("/");
        return absl::StrCat("arn:", Pseudo("AWS::Partition", pos),
                            ":iam::", Pseudo("AWS::AccountId", pos), ":policy",
                            path, *v);
      }
      return Unresolved(absl::StrCat("Ref ", name),
                        "managed policy has no static ManagedPolicyName", pos)
          .text;
    }
    return Unresolved(absl::StrCat("Ref ", name),
                      absl::StrCat("physical id of ", type,
                                   " is known only at deployment"),
                      pos)
        .text;
  }

  std::string GetAtt(const std::string& resource, const std::string& attribute,
                     const SourcePos& pos, int depth) {
    const std::string type = t_.TypeOf(resource);
    const std::string what =
        absl::StrCat("Fn::GetAtt ", resource, ".", attribute);
    if (type == "AWS::DynamoDB::Table" ||
        type == "AWS::DynamoDB::GlobalTable") {
      if (attribute == "Arn" || attribute == "StreamArn") {
        std::string arn =
            absl::StrCat("arn:", Pseudo("AWS::Partition", pos),
                         ":dynamodb:", Pseudo("AWS::Region", pos), ":",
                         Pseudo("AWS::AccountId", pos), ":table/",
                         Ref(resource, pos, depth + 1));
        if (attribute == "StreamArn") absl::StrAppend(&arn, "/stream/*");
        return arn;
      }
    } else if (type == "AWS::IAM::Role" && attribute == "Arn") {
      std::string path =
          StaticProperty(resource, "Path", depth + 8).value_or("/");
      return absl::StrCat("arn:", Pseudo("AWS::Partition", pos),
                          ":iam::", Pseudo("AWS::AccountId", pos), ":role",
                          path, Ref(resource, pos, depth + 1));
    } else if (type == "AWS::IAM::ManagedPolicy" && attribute == "PolicyArn") {
      return Ref(resource, pos, depth + 1);
    }
    return Unresolved(what,
                      type.empty() ? "no resource of that name"
                                   : absl::StrCat("attribute of ", type,
                                                  " is known only at "
                                                  "deployment"),
                      pos)
        .text;
  }

  std::string Sub(const Node& arg, const SourcePos& pos, int depth) {
    const Node* format = &arg;
    const Node* vars = nullptr;
    if (arg.is_list() && arg.items.size() == 2 && arg.items[1].is_map()) {
      format = &arg.items[0];
      vars = &arg.items[1];
    }
    if (!format->is_scalar()) {
      return Unresolved("Fn::Sub", "format is not a string", pos).text;
    }
    const std::string& s = format->text;
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      const std::size_t open = s.find("${", i);
      if (open == std::string::npos) {
        out.append(s, i, std::string::npos);
        break;
      }
      out.append(s, i, open - i);
      const std::size_t close = s.find('}', open + 2);
      if (close == std::string::npos) {
        out.append(s, open, std::string::npos);
        break;
      }
      std::string name = s.substr(open + 2, close - open - 2);
      i = close + 1;
      if (!name.empty() && name[0] == '!') {  // ${!Literal}
        absl::StrAppend(&out, "${", name.substr(1), "}");
        continue;
      }
      const Node* var = vars == nullptr ? nullptr : vars->Find(name);
      if (var != nullptr) {
        absl::StrAppend(&out, Text(*var, depth + 1));
      } else if (name.rfind("AWS::", 0) != 0 &&
                 name.find('.') != std::string::npos) {
        const std::size_t dot = name.find('.');
        absl::StrAppend(&out, GetAtt(name.substr(0, dot), name.substr(dot + 1),
                                     format->pos, depth + 1));
      } else {
        absl::StrAppend(&out, Ref(name, format->pos, depth + 1));
      }
    }
    return out;
  }

  std::optional<bool> Decide(const Node& c, int depth) {
    const std::string fn = c.IntrinsicName();
    const Node* arg = fn.empty() ? nullptr : &c.members[0].second;
    if (fn == "Condition" && arg->is_scalar()) {
      return DecideCondition(arg->text, depth + 1);
    }
    if (fn == "Fn::Equals" && arg->is_list() && arg->items.size() == 2) {
      std::vector<UnresolvedReference> scratch;
      Resolver inner(t_, options_, scratch);
      Resolved a = inner.Resolve(arg->items[0], depth + 1);
      Resolved b = inner.Resolve(arg->items[1], depth + 1);
      if (!scratch.empty() || a.what != Resolved::What::kValue ||
          b.what != Resolved::What::kValue || !a.node.is_scalar() ||
          !b.node.is_scalar()) {
        return std::nullopt;
      }
      return a.node.text == b.node.text;
    }
    if (fn == "Fn::Not" && arg->is_list() && arg->items.size() == 1) {
      std::optional<bool> v = Decide(arg->items[0], depth + 1);
      if (!v.has_value()) return std::nullopt;
      return !*v;
    }
    if ((fn == "Fn::And" || fn == "Fn::Or") && arg->is_list()) {
      const bool is_and = fn == "Fn::And";
      bool unknown = false;
      for (const Node& item : arg->items) {
        std::optional<bool> v = Decide(item, depth + 1);
        if (!v.has_value()) {
          unknown = true;
        } else if (*v != is_and) {
          return !is_and;  // a false in And, a true in Or decides
        }
      }
      if (unknown) return std::nullopt;
      return is_and;
    }
    return std::nullopt;
  }

  const Template& t_;
  const IacOptions& options_;
  std::vector<UnresolvedReference>& unresolved_;
};

struct Link {
  std::string role_logical_id;  // empty when the role is not in the template
  std::string role_name;
  bool boundary = false;
  SourcePos pos;
};

class Extractor {
 public:
  Extractor(const Template& t, const IacOptions& options)
      : t_(t), options_(options) {}

  absl::StatusOr<std::vector<ExtractedPolicy>> Run(const Node& resources) {
    // First pass: which managed policies of the template are attached to
    // which roles.
    for (const auto& [id, res] : resources.members) {
      const Node* props = res.Find("Properties");
      if (props == nullptr || !props->is_map()) continue;
      const std::string type = t_.TypeOf(id);
      if (type == "AWS::IAM::Role") {
        if (const Node* b = props->Find("PermissionsBoundary")) {
          const std::string mp = RefTarget(*b, "AWS::IAM::ManagedPolicy");
          if (!mp.empty()) AddLink(mp, RoleLink(id, true, b->pos));
        }
        if (const Node* arns = props->Find("ManagedPolicyArns");
            arns != nullptr && arns->is_list()) {
          for (const Node& item : arns->items) {
            const std::string mp = RefTarget(item, "AWS::IAM::ManagedPolicy");
            if (!mp.empty()) AddLink(mp, RoleLink(id, false, item.pos));
          }
        }
      } else if (type == "AWS::IAM::ManagedPolicy") {
        for (Link& l : RolesOf(*props)) AddLink(id, std::move(l));
      }
    }
    for (const auto& [id, res] : resources.members) {
      const Node* props = res.Find("Properties");
      if (props == nullptr || !props->is_map()) continue;
      const std::string type = t_.TypeOf(id);
      absl::Status s;
      if (type == "AWS::IAM::Role") {
        s = ExtractRole(id, *props);
      } else if (type == "AWS::IAM::Policy") {
        s = ExtractPolicy(id, *props);
      } else if (type == "AWS::IAM::ManagedPolicy") {
        s = ExtractManagedPolicy(id, *props);
      } else if (type == "AWS::DynamoDB::Table") {
        s = ExtractTable(id, *props);
      } else if (type == "AWS::DynamoDB::GlobalTable") {
        s = ExtractGlobalTable(id, *props);
      }
      if (!s.ok()) return s;
    }
    return std::move(out_);
  }

 private:
  // The logical id a {"Ref": X} names when X is a resource of `type`.
  std::string RefTarget(const Node& n, const std::string& type) const {
    if (n.IntrinsicName() != "Ref") return "";
    const Node& arg = n.members[0].second;
    if (!arg.is_scalar() || t_.TypeOf(arg.text) != type) return "";
    return arg.text;
  }

  std::string StaticText(const Node* n) {
    if (n == nullptr) return "";
    std::vector<UnresolvedReference> scratch;
    Resolver r(t_, options_, scratch);
    Resolved v = r.Resolve(*n);
    if (!scratch.empty() || v.what != Resolved::What::kValue ||
        !v.node.is_scalar()) {
      return "";
    }
    return v.node.text;
  }

  std::string RoleName(const std::string& role_id) {
    const Node* props = t_.Properties(role_id);
    std::string name =
        props == nullptr ? "" : StaticText(props->Find("RoleName"));
    return name.empty() ? role_id : name;
  }

  std::string TableName(const std::string& table_id, const Node& props) {
    std::string name = StaticText(props.Find("TableName"));
    return name.empty() ? table_id : name;
  }

  Link RoleLink(const std::string& role_id, bool boundary,
                const SourcePos& pos) {
    return Link{role_id, RoleName(role_id), boundary, pos};
  }

  void AddLink(const std::string& mp, Link link) {
    std::vector<Link>& links = links_[mp];
    for (const Link& l : links) {
      if (l.role_name == link.role_name && l.boundary == link.boundary) return;
    }
    links.push_back(std::move(link));
  }

  // Roles: [Ref Role | "name" | ...] of AWS::IAM::Policy / ManagedPolicy.
  std::vector<Link> RolesOf(const Node& props) {
    std::vector<Link> links;
    const Node* roles = props.Find("Roles");
    if (roles == nullptr || !roles->is_list()) return links;
    for (const Node& item : roles->items) {
      const std::string role_id = RefTarget(item, "AWS::IAM::Role");
      if (!role_id.empty()) {
        links.push_back(RoleLink(role_id, false, item.pos));
        continue;
      }
      std::vector<UnresolvedReference> scratch;
      Resolver r(t_, options_, scratch);
      links.push_back(Link{"", r.Text(item), false, item.pos});
    }
    return links;
  }

  // Resolves and reads `doc` into a new ExtractedPolicy.
  absl::Status Emit(ExtractedPolicy base, const Node& doc, PolicyKind kind) {
    Resolver r(t_, options_, base.unresolved);
    Resolved resolved = r.Resolve(doc);
    base.pos = doc.pos;
    base.policy.kind = kind;
    if (absl::Status s =
            iac_internal::ReadDocument(resolved.node, "", t_.file, kind, base);
        !s.ok()) {
      return s;
    }
    std::stable_sort(
        base.unresolved.begin(), base.unresolved.end(),
        [](const UnresolvedReference& a, const UnresolvedReference& b) {
          return std::make_pair(a.pos.line, a.pos.column) <
                 std::make_pair(b.pos.line, b.pos.column);
        });
    out_.push_back(std::move(base));
    return absl::OkStatus();
  }

  void EmitExternal(ExtractedPolicy base, const Node& arn_node, PolicyKind kind,
                    const std::string& what) {
    Resolver r(t_, options_, base.unresolved);
    base.policy_arn = r.Text(arn_node);
    base.has_document = false;
    base.pos = arn_node.pos;
    base.policy.kind = kind;
    base.policy.name = base.policy_arn;
    base.unresolved.push_back(UnresolvedReference{
        absl::StrCat(what, " ", base.policy_arn),
        "policy document is not defined in the template", arn_node.pos});
    out_.push_back(std::move(base));
  }

  // Expands the items of a list property, resolving list-level Fn::If.
  std::vector<Node> Items(const Node* list) {
    std::vector<Node> items;
    if (list == nullptr) return items;
    std::vector<UnresolvedReference> scratch;
    Resolver r(t_, options_, scratch);
    if (list->is_list()) {
      for (const Node& item : list->items) {
        if (item.IntrinsicName() == "Fn::If") {
          Resolved v = r.Resolve(item);
          if (v.what == Resolved::What::kAlternatives) {
            for (Node& b : v.node.items) items.push_back(std::move(b));
          } else if (v.what == Resolved::What::kValue) {
            items.push_back(std::move(v.node));
          }
        } else {
          items.push_back(item);
        }
      }
    }
    return items;
  }

  absl::Status ExtractRole(const std::string& id, const Node& props) {
    const std::string role = RoleName(id);
    for (const Node& p : Items(props.Find("Policies"))) {
      const Node* doc = p.Find("PolicyDocument");
      if (doc == nullptr) continue;
      ExtractedPolicy e;
      std::string name = StaticText(p.Find("PolicyName"));
      e.policy.name = absl::StrCat(id, "/", name.empty() ? "?" : name);
      e.source_resource = id;
      e.role = role;
      e.role_resource = id;
      if (absl::Status s = Emit(std::move(e), *doc, PolicyKind::kIdentity);
          !s.ok()) {
        return s;
      }
    }
    if (const Node* b = props.Find("PermissionsBoundary")) {
      if (RefTarget(*b, "AWS::IAM::ManagedPolicy").empty()) {
        ExtractedPolicy e;
        e.source_resource = id;
        e.role = role;
        e.role_resource = id;
        EmitExternal(std::move(e), *b, PolicyKind::kBoundary,
                     "PermissionsBoundary");
      }
    }
    for (const Node& item : Items(props.Find("ManagedPolicyArns"))) {
      if (!RefTarget(item, "AWS::IAM::ManagedPolicy").empty()) continue;
      ExtractedPolicy e;
      e.source_resource = id;
      e.role = role;
      e.role_resource = id;
      EmitExternal(std::move(e), item, PolicyKind::kIdentity,
                   "ManagedPolicyArns");
    }
    return absl::OkStatus();
  }

  absl::Status ExtractPolicy(const std::string& id, const Node& props) {
    const Node* doc = props.Find("PolicyDocument");
    if (doc == nullptr) return absl::OkStatus();
    std::string name = StaticText(props.Find("PolicyName"));
    if (name.empty()) name = id;
    std::vector<Link> roles = RolesOf(props);
    if (roles.empty()) roles.push_back(Link{});
    for (const Link& l : roles) {
      ExtractedPolicy e;
      const std::string owner = !l.role_logical_id.empty() ? l.role_logical_id
                                : !l.role_name.empty()     ? l.role_name
                                                           : id;
      e.policy.name = absl::StrCat(owner, "/", name);
      e.source_resource = id;
      e.role = l.role_name;
      e.role_resource = l.role_logical_id;
      if (absl::Status s = Emit(std::move(e), *doc, PolicyKind::kIdentity);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status ExtractManagedPolicy(const std::string& id, const Node& props) {
    const Node* doc = props.Find("PolicyDocument");
    if (doc == nullptr) return absl::OkStatus();
    std::string name = StaticText(props.Find("ManagedPolicyName"));
    if (name.empty()) name = id;
    std::vector<Link> links = links_[id];
    if (links.empty()) links.push_back(Link{});
    for (const Link& l : links) {
      ExtractedPolicy e;
      e.policy.name = name;
      e.source_resource = id;
      e.role = l.role_name;
      e.role_resource = l.role_logical_id;
      if (absl::Status s =
              Emit(std::move(e), *doc,
                   l.boundary ? PolicyKind::kBoundary : PolicyKind::kIdentity);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status ExtractTable(const std::string& id, const Node& props) {
    const Node* rp = props.Find("ResourcePolicy");
    const Node* doc = rp == nullptr ? nullptr : rp->Find("PolicyDocument");
    if (doc == nullptr) return absl::OkStatus();
    ExtractedPolicy e;
    e.policy.name = absl::StrCat(id, "/ResourcePolicy");
    e.source_resource = id;
    e.table = TableName(id, props);
    return Emit(std::move(e), *doc, PolicyKind::kResource);
  }

  absl::Status ExtractGlobalTable(const std::string& id, const Node& props) {
    const std::string table = TableName(id, props);
    for (const Node& replica : Items(props.Find("Replicas"))) {
      std::string region = StaticText(replica.Find("Region"));
      if (region.empty()) region = "?";
      const Node* stream = replica.Find("ReplicaStreamSpecification");
      const std::pair<const Node*, const char*> policies[] = {
          {replica.Find("ResourcePolicy"), "ResourcePolicy"},
          {stream == nullptr ? nullptr : stream->Find("ResourcePolicy"),
           "StreamResourcePolicy"}};
      for (const auto& [rp, label] : policies) {
        const Node* doc = rp == nullptr ? nullptr : rp->Find("PolicyDocument");
        if (doc == nullptr) continue;
        ExtractedPolicy e;
        e.policy.name = absl::StrCat(id, "/", region, "/", label);
        e.source_resource = id;
        e.table = table;
        if (absl::Status s = Emit(std::move(e), *doc, PolicyKind::kResource);
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

  const Template& t_;
  const IacOptions& options_;
  std::map<std::string, std::vector<Link>> links_;
  std::vector<ExtractedPolicy> out_;
};

}  // namespace

absl::StatusOr<std::vector<ExtractedPolicy>> ExtractCloudFormation(
    std::string_view text, const std::string& file_name,
    const IacOptions& options) {
  absl::StatusOr<Node> root =
      iac_internal::ParseTemplate(text, file_name, options.limits);
  if (!root.ok()) return root.status();
  const Node* resources = root->is_map() ? root->Find("Resources") : nullptr;
  if (resources == nullptr || !resources->is_map()) {
    return iac_internal::ErrorAt(
        resources != nullptr ? resources->pos : root->pos,
        "not a CloudFormation template: no Resources mapping");
  }
  Template t;
  t.file = file_name;
  if (const Node* params = root->Find("Parameters");
      params != nullptr && params->is_map()) {
    for (const auto& [name, p] : params->members) t.parameters[name] = &p;
  }
  for (const auto& [id, res] : resources->members) {
    if (!res.is_map()) {
      return iac_internal::ErrorAt(
          res.pos, absl::StrCat("resource ", id, " is not a mapping"));
    }
    t.resources[id] = &res;
    const Node* type = res.Find("Type");
    t.types[id] = type != nullptr && type->is_scalar() ? type->text : "";
  }
  t.conditions = root->Find("Conditions");
  t.mappings = root->Find("Mappings");
  Extractor extractor(t, options);
  return extractor.Run(*resources);
}

}  // namespace leastpriv
