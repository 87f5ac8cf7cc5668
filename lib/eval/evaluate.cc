// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/evaluate.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "leastpriv/catalog.h"
#include "lib/eval/match.h"

namespace leastpriv {
namespace {

using eval::ActionMatches;
using eval::ArnMatches;
using eval::ConditionHolds;
using eval::GlobPattern;
using eval::MatchPrincipalBlock;
using eval::PrincipalInfo;
using eval::PrincipalMatch;
using eval::ReadPrincipal;
using eval::ResourcePolicyApplies;
using eval::SameAccount;
using eval::SplitArn;
using eval::SubstituteVariables;

bool ResourceMatches(const Statement& st, const Policy& policy,
                     const Request& request) {
  if (!st.has_resource) return true;
  const bool variables = policy.version == "2012-10-17";
  bool any = false;
  for (const PolicyString& r : st.resources) {
    // (An entry without "${" is its own pattern: no copy to substitute.)
    if (variables && r.text.find("${") != std::string::npos) {
      // An entry with an unresolved variable matches no resource, in
      // Resource and in NotResource alike (AWS, "Policy variables with no
      // value"): in NotResource it then excludes nothing.
      std::optional<GlobPattern> p = SubstituteVariables(r.text, request);
      if (p.has_value() && ArnMatches(*p, request.resource)) {
        any = true;
        break;
      }
    } else if (ArnMatches(r.text, request.resource)) {
      any = true;
      break;
    }
  }
  return any != st.not_resource;
}

bool ActionListMatches(const Statement& st, const Request& request) {
  bool any = false;
  for (const PolicyString& a : st.actions) {
    if (ActionMatches(a.text, request.action)) {
      any = true;
      break;
    }
  }
  return any != st.not_action;
}

bool ConditionsHold(const Statement& st, const Policy& policy,
                    const Request& request) {
  const bool variables = policy.version == "2012-10-17";
  for (const Condition& c : st.conditions) {
    if (!ConditionHolds(c, request, variables)) return false;
  }
  return true;
}

StatementRef MakeRef(const Policy& policy, const Statement& st) {
  StatementRef ref;
  ref.policy_kind = policy.kind;
  ref.policy_name = policy.name;
  ref.sid = st.sid;
  ref.index = st.index;
  ref.pos = st.pos;
  return ref;
}

// The statements of one policy group that match the request.
struct GroupResult {
  std::vector<StatementRef> allows;
  std::vector<StatementRef> denies;
  // Resource policies only: how the best matching Allow named the principal.
  std::vector<PrincipalMatch> allow_principal;
};

std::string PosPrefix(const SourcePos& pos) {
  if (pos.file.empty() && pos.line == 0) return "";
  std::string out = pos.file;
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  }
  return out + ": ";
}

absl::Status CheckPolicy(const Policy& policy) {
  for (const Statement& st : policy.statements) {
    for (const Condition& c : st.conditions) {
      if (c.op == ConditionOperator::kUnknown) {
        return absl::InvalidArgumentError(PosPrefix(c.pos) +
                                          "unknown condition operator \"" +
                                          c.op_text + "\"");
      }
    }
  }
  return absl::OkStatus();
}

// The statements of each policy that can match one action, precomputed by
// PolicyEvaluator for every DynamoDB action of the catalog.
class ActionIndex {
 public:
  // The statement indices of `policy` whose action list matches the
  // action this index was made for, or nullptr when unknown.
  virtual const std::vector<int>* Candidates(const Policy& policy) const = 0;

 protected:
  ~ActionIndex() = default;
};

// `use_principal`: evaluate Principal/NotPrincipal (resource policies, RCPs).
// `boundary_present`: AWS documents that a Deny with NotPrincipal in a
// resource-based policy always denies a principal that has a permissions
// boundary.
// `index`, when not null, lists the statements whose Action/NotAction
// matches the request's action, and the policy is known to be evaluable.
absl::Status AddPolicy(const Policy& policy, const Request& request,
                       const PrincipalInfo& who, bool use_principal,
                       bool boundary_present, const ActionIndex* index,
                       GroupResult* out) {
  const std::vector<int>* candidates =
      index != nullptr ? index->Candidates(policy) : nullptr;
  if (candidates == nullptr) {
    if (absl::Status s = CheckPolicy(policy); !s.ok()) return s;
  }
  const std::size_t n =
      candidates != nullptr ? candidates->size() : policy.statements.size();
  for (std::size_t k = 0; k < n; ++k) {
    const Statement& st = candidates != nullptr
                              ? policy.statements[(*candidates)[k]]
                              : policy.statements[k];
    if (candidates == nullptr && !ActionListMatches(st, request)) continue;
    if (!ResourceMatches(st, policy, request)) continue;
    PrincipalMatch pm = PrincipalMatch::kWildcard;
    if (use_principal && st.principal.has_value()) {
      if (boundary_present && st.principal->negated &&
          st.effect == Effect::kDeny && policy.kind == PolicyKind::kResource) {
        pm = PrincipalMatch::kWildcard;
      } else {
        pm = MatchPrincipalBlock(*st.principal, who);
      }
      if (pm == PrincipalMatch::kNone) continue;
    }
    if (!ConditionsHold(st, policy, request)) continue;
    if (st.effect == Effect::kDeny) {
      out->denies.push_back(MakeRef(policy, st));
    } else {
      out->allows.push_back(MakeRef(policy, st));
      out->allow_principal.push_back(pm);
    }
  }
  return absl::OkStatus();
}

void Append(std::vector<StatementRef>* to,
            const std::vector<StatementRef>& from) {
  to->insert(to->end(), from.begin(), from.end());
}

}  // namespace

absl::Status CheckEvaluable(const PolicySet& policies) {
  std::vector<const Policy*> all;
  for (const Policy& p : policies.identity) all.push_back(&p);
  for (const auto& [key, list] : policies.resource) {
    for (const Policy& p : list) all.push_back(&p);
  }
  if (policies.boundary.has_value()) all.push_back(&*policies.boundary);
  if (policies.session.has_value()) all.push_back(&*policies.session);
  for (const auto& level : policies.scp_levels) {
    for (const Policy& p : level) all.push_back(&p);
  }
  for (const auto& level : policies.rcp_levels) {
    for (const Policy& p : level) all.push_back(&p);
  }
  for (const Policy* p : all) {
    if (absl::Status s = CheckPolicy(*p); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string_view DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kAllowed:
      return "Allowed";
    case DecisionKind::kImplicitlyDenied:
      return "ImplicitlyDenied";
    case DecisionKind::kExplicitlyDenied:
      return "ExplicitlyDenied";
  }
  return "ImplicitlyDenied";
}

namespace {

// `request` without the dynamodb: context keys AWS never sends with its
// action; nullopt when it has none.
std::optional<Request> WithoutUnsupportedKeys(const Request& request) {
  const ActionInfo* action = nullptr;
  std::optional<Request> out;
  for (const auto& [key, value] : request.context) {
    const std::string_view prefix = "dynamodb:";
    bool service_key = key.size() > prefix.size();
    for (std::size_t i = 0; service_key && i < prefix.size(); ++i) {
      service_key = absl::ascii_tolower(key[i]) == prefix[i];
    }
    if (!service_key) continue;
    if (action == nullptr) {
      action = FindAction(request.action);
      if (action == nullptr) return std::nullopt;
    }
    if (!ActionSupportsConditionKey(*action, key)) {
      if (!out) out = request;
      out->context.erase(key);
    }
  }
  return out;
}

// Evaluate, for a request whose context AWS can send.
absl::StatusOr<Decision> Decide(const PolicySet& policies,
                                const Request& request,
                                const ActionIndex* index) {
  if (request.action.empty() || request.action.find(':') == 0 ||
      request.action.find(':') == std::string::npos) {
    return absl::InvalidArgumentError("request action \"" + request.action +
                                      "\" is not of the form service:action");
  }
  if (request.resource.empty()) {
    return absl::InvalidArgumentError("request has no resource");
  }
  if (!request.principal.empty() && !SplitArn(request.principal).ok) {
    return absl::InvalidArgumentError("request principal \"" +
                                      request.principal + "\" is not an ARN");
  }
  const PrincipalInfo who = ReadPrincipal(request.principal);
  const bool has_boundary = policies.boundary.has_value();

  GroupResult identity, boundary, session, resource;
  for (const Policy& p : policies.identity) {
    if (auto s = AddPolicy(p, request, who, false, false, index, &identity);
        !s.ok()) {
      return s;
    }
  }
  if (has_boundary) {
    if (auto s = AddPolicy(*policies.boundary, request, who, false, false,
                           index, &boundary);
        !s.ok()) {
      return s;
    }
  }
  if (policies.session.has_value()) {
    if (auto s = AddPolicy(*policies.session, request, who, false, false, index,
                           &session);
        !s.ok()) {
      return s;
    }
  }
  for (const auto& [key, list] : policies.resource) {
    if (!ResourcePolicyApplies(key, request.resource)) continue;
    for (const Policy& p : list) {
      if (auto s =
              AddPolicy(p, request, who, true, has_boundary, index, &resource);
          !s.ok()) {
        return s;
      }
    }
  }
  std::vector<GroupResult> scp(policies.scp_levels.size());
  for (size_t i = 0; i < scp.size(); ++i) {
    for (const Policy& p : policies.scp_levels[i]) {
      if (auto s = AddPolicy(p, request, who, false, false, index, &scp[i]);
          !s.ok()) {
        return s;
      }
    }
  }
  std::vector<GroupResult> rcp(policies.rcp_levels.size());
  for (size_t i = 0; i < rcp.size(); ++i) {
    for (const Policy& p : policies.rcp_levels[i]) {
      if (auto s = AddPolicy(p, request, who, true, false, index, &rcp[i]);
          !s.ok()) {
        return s;
      }
    }
  }

  Decision d;
  // 1. Explicit deny anywhere.
  for (const GroupResult* g : {&identity, &boundary, &session, &resource}) {
    Append(&d.statements, g->denies);
  }
  for (const auto& g : scp) Append(&d.statements, g.denies);
  for (const auto& g : rcp) Append(&d.statements, g.denies);
  if (!d.statements.empty()) {
    d.kind = DecisionKind::kExplicitlyDenied;
    return d;
  }
  d.kind = DecisionKind::kImplicitlyDenied;
  // 2. Every SCP and RCP level must allow.
  for (size_t i = 0; i < scp.size(); ++i) {
    if (scp[i].allows.empty()) {
      d.reason = "SCP level " + std::to_string(i + 1) + " does not allow";
      return d;
    }
  }
  for (size_t i = 0; i < rcp.size(); ++i) {
    if (rcp[i].allows.empty()) {
      d.reason = "RCP level " + std::to_string(i + 1) + " does not allow";
      return d;
    }
  }
  // 3. Identity-side and resource-side grants.
  const bool identity_allows = !identity.allows.empty();
  const bool boundary_allows = !has_boundary || !boundary.allows.empty();
  const bool session_allows =
      !policies.session.has_value() || !session.allows.empty();
  const bool identity_path =
      identity_allows && boundary_allows && session_allows;

  const bool same_account = SameAccount(who, request.resource);

  std::vector<StatementRef> resource_grants;
  if (same_account) {
    for (size_t i = 0; i < resource.allows.size(); ++i) {
      const PrincipalMatch pm = resource.allow_principal[i];
      // Account-level grants delegate to identity policies.
      if (pm == PrincipalMatch::kAccountLevel) continue;
      // A grant to the role ARN (the request principal is a role, standing
      // for one of its sessions, or a session of the named role) is limited
      // by the boundary and the session policy; a grant to the user, to the
      // session itself or to everyone is not.
      const bool to_role = pm == PrincipalMatch::kSessionRole ||
                           (who.is_role && pm == PrincipalMatch::kDirect);
      if (to_role && !(boundary_allows && session_allows)) continue;
      resource_grants.push_back(resource.allows[i]);
    }
  } else {
    // Cross-account: the resource policy must name the principal or its
    // account, and the principal's own policies must allow too.
    if (!resource.allows.empty() && identity_path) {
      resource_grants = resource.allows;
    }
  }

  const bool allowed = same_account
                           ? (identity_path || !resource_grants.empty())
                           : !resource_grants.empty();
  if (!allowed) {
    if (!identity_allows && resource.allows.empty()) {
      d.reason = "no identity or resource-based policy allows";
    } else if (!same_account && identity_path) {
      d.reason = "cross-account request: no resource-based policy allows";
    } else if (!same_account && resource.allows.empty()) {
      d.reason = "cross-account request: no resource-based policy allows";
    } else if (!identity_allows) {
      d.reason = same_account
                     ? "no identity or resource-based policy allows"
                     : "cross-account request: no identity policy allows";
    } else if (!boundary_allows) {
      d.reason = "permissions boundary does not allow";
    } else {
      d.reason = "session policy does not allow";
    }
    return d;
  }
  d.kind = DecisionKind::kAllowed;
  if (identity_path) {
    Append(&d.statements, identity.allows);
    Append(&d.statements, boundary.allows);
    Append(&d.statements, session.allows);
  }
  Append(&d.statements, resource_grants);
  for (const auto& g : scp) Append(&d.statements, g.allows);
  for (const auto& g : rcp) Append(&d.statements, g.allows);
  return d;
}

}  // namespace

absl::StatusOr<Decision> Evaluate(const PolicySet& policies,
                                  const Request& request) {
  const std::optional<Request> supported = WithoutUnsupportedKeys(request);
  return Decide(policies, supported ? *supported : request, nullptr);
}

// The index of PolicyEvaluator: for every policy of the set and every
// catalog action, the statements whose action list matches it.
struct PolicyEvaluator::Impl {
  PolicySet set;
  std::unordered_map<const Policy*, std::size_t> policy_ids;
  // [policy id][catalog action] -> statement indices.
  std::vector<std::vector<std::vector<int>>> candidates;

  void Add(const Policy& policy) {
    const std::vector<ActionInfo>& actions = DynamoDbActions();
    std::vector<std::vector<int>> by_action(actions.size());
    Request probe;
    for (std::size_t a = 0; a < actions.size(); ++a) {
      probe.action = actions[a].qualified_name();
      for (std::size_t i = 0; i < policy.statements.size(); ++i) {
        if (ActionListMatches(policy.statements[i], probe)) {
          by_action[a].push_back(static_cast<int>(i));
        }
      }
    }
    policy_ids[&policy] = candidates.size();
    candidates.push_back(std::move(by_action));
  }
};

namespace {

// The catalog position of a "dynamodb:..." action, or -1.
int CatalogSlot(std::string_view action) {
  constexpr std::string_view kPrefix = "dynamodb:";
  if (action.size() <= kPrefix.size()) return -1;
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(action[i])) !=
        kPrefix[i]) {
      return -1;
    }
  }
  const ActionInfo* info = FindAction(action);
  if (info == nullptr) return -1;
  return static_cast<int>(info - DynamoDbActions().data());
}

class SlotIndex final : public ActionIndex {
 public:
  SlotIndex(const std::unordered_map<const Policy*, std::size_t>& ids,
            const std::vector<std::vector<std::vector<int>>>& candidates,
            int slot)
      : ids_(ids), candidates_(candidates), slot_(slot) {}

  const std::vector<int>* Candidates(const Policy& policy) const override {
    auto it = ids_.find(&policy);
    if (it == ids_.end()) return nullptr;
    return &candidates_[it->second][slot_];
  }

 private:
  const std::unordered_map<const Policy*, std::size_t>& ids_;
  const std::vector<std::vector<std::vector<int>>>& candidates_;
  int slot_;
};

}  // namespace

PolicyEvaluator::PolicyEvaluator(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
PolicyEvaluator::PolicyEvaluator(PolicyEvaluator&&) noexcept = default;
PolicyEvaluator& PolicyEvaluator::operator=(PolicyEvaluator&&) noexcept =
    default;
PolicyEvaluator::~PolicyEvaluator() = default;

absl::StatusOr<PolicyEvaluator> PolicyEvaluator::Create(PolicySet policies) {
  if (absl::Status s = CheckEvaluable(policies); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->set = std::move(policies);
  const PolicySet& set = impl->set;
  for (const Policy& p : set.identity) impl->Add(p);
  for (const auto& [key, list] : set.resource) {
    for (const Policy& p : list) impl->Add(p);
  }
  if (set.boundary.has_value()) impl->Add(*set.boundary);
  if (set.session.has_value()) impl->Add(*set.session);
  for (const auto& level : set.scp_levels) {
    for (const Policy& p : level) impl->Add(p);
  }
  for (const auto& level : set.rcp_levels) {
    for (const Policy& p : level) impl->Add(p);
  }
  return PolicyEvaluator(std::move(impl));
}

const PolicySet& PolicyEvaluator::policies() const { return impl_->set; }

absl::StatusOr<Decision> PolicyEvaluator::Evaluate(
    const Request& request) const {
  const int slot = CatalogSlot(request.action);
  const std::optional<Request> supported = WithoutUnsupportedKeys(request);
  if (slot < 0) {
    return Decide(impl_->set, supported ? *supported : request, nullptr);
  }
  const SlotIndex index(impl_->policy_ids, impl_->candidates, slot);
  return Decide(impl_->set, supported ? *supported : request, &index);
}

}  // namespace leastpriv
