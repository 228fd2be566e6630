// The policy language AST. Private to src/policy.
//
// Nodes keep their source location (file index, line, column) for diagnostics; equality
// (operator==) ignores locations so that parse(print(ast)) == ast can be tested.
#ifndef TOLLGATE_POLICY_AST_H_
#define TOLLGATE_POLICY_AST_H_

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tollgate/core.h"
#include "tollgate/decision.h"
#include "tollgate/policy.h"

namespace tollgate::policy {

struct Loc {
  int file = 0;  // index into the loaded file list
  int line = 0;
  int col = 0;
};

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };
std::string_view CmpOpText(CmpOp op);
CmpOp FlipCmp(CmpOp op);  // a < b  <=>  b > a

enum class ExprKind {
  kBool,        // true / false
  kNumber,      // 4800, 6500 GB/s
  kString,      // "CN"
  kDate,        // 2023-11-17
  kSetLit,      // {CN, MO}
  kName,        // attribute, define or named set (resolved by the checker)
  kNot,         // not a
  kAnd,         // a and b
  kOr,          // a or b
  kCmp,         // a <op> b
  kIn,          // a [not] in s
  kIntersects,  // set-attribute intersects s
  kIsNull,      // a is [not] null
};

// What a kName resolved to (set by the checker).
enum class NameKind { kUnresolved, kAttr, kDefine, kSet };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::kBool;
  Loc loc;
  bool b = false;                    // kBool; kIn/kIsNull: negated ("not in", "is not null")
  Decimal num;                       // kNumber
  std::string unit;                  // kNumber: "" or "GB/s", ...
  std::string str;                   // kString; kName: the name as written
  Date date;                         // kDate
  std::vector<std::string> members;  // kSetLit, as written (order kept)
  std::vector<Loc> member_locs;      // kSetLit
  CmpOp op = CmpOp::kEq;             // kCmp
  ExprPtr a, b2;  // children: kNot(a), kAnd/kOr/kCmp/kIn/kIntersects(a, b2), kIsNull(a)

  // Resolution (checker).
  NameKind name_kind = NameKind::kUnresolved;
  int slot = -1;   // kAttr
  int index = -1;  // kDefine / kSet: index into the policy's defines / sets

  ExprPtr Clone() const;
};
bool operator==(const Expr& x, const Expr& y);

struct ObligationDecl {
  enum class Kind { kRevenueShare, kTariff, kCertification, kVolumeCap, kNotification };
  Kind kind = Kind::kRevenueShare;
  Loc loc;
  std::string name;       // tariff name ("section_232"), certification/notification name
  Decimal percent;        // revenue_share / tariff / volume_cap: 25 for 25%
  std::string base;       // "sale_value" | "customs_value"
  std::string payee;      // revenue_share / tariff
  std::string reference;  // volume_cap: the reference market, e.g. "US"
  std::string period;     // volume_cap: "quarter", "year", ...
  int days = 0;           // notification
  std::string detail;     // human-readable text
  bool operator==(const ObligationDecl& o) const;
};
std::string_view ObligationKindName(ObligationDecl::Kind k);

struct RuleDecl {
  std::string id;
  Loc loc;
  bool classify = false;
  std::string eccn;              // classify
  std::optional<Effect> effect;  // rule
  Loc effect_loc;
  std::string exception;  // for effect exception: "NAC", ...
  ExprPtr when;
  Loc when_loc;
  std::string cite;
  std::string note;
  std::string uncertain;
  std::optional<Date> until;
  std::vector<ObligationDecl> obligations;
  bool operator==(const RuleDecl& o) const;
};

struct VersionItem {
  enum class Kind { kAdd, kReplace, kRemove };
  Kind kind = Kind::kAdd;
  Loc loc;
  std::shared_ptr<RuleDecl> rule;  // kAdd / kReplace
  std::string remove_id;           // kRemove
  bool operator==(const VersionItem& o) const;
};

struct VersionDecl {
  std::string id;
  Loc loc;
  Date effective;
  Loc effective_loc;
  std::string title;
  std::string cite;
  std::string note;
  std::optional<std::string> extends;
  Loc extends_loc;
  std::vector<VersionItem> items;
  bool operator==(const VersionDecl& o) const;
};

struct SetDecl {
  std::string name;
  Loc loc;
  ExprPtr members;  // a kSetLit
  std::string cite;
  bool operator==(const SetDecl& o) const;
};

struct DefineDecl {
  std::string name;
  Loc loc;
  ExprPtr expr;
  bool operator==(const DefineDecl& o) const;
};

struct PolicyNameDecl {
  std::string name;
  Loc loc;
  bool operator==(const PolicyNameDecl& o) const { return name == o.name; }
};

using Decl = std::variant<PolicyNameDecl, SetDecl, DefineDecl, VersionDecl>;

struct FileAst {
  std::string path;
  std::vector<Decl> decls;
};
bool operator==(const FileAst& x, const FileAst& y);  // ignores path and locations

}  // namespace tollgate::policy

#endif  // TOLLGATE_POLICY_AST_H_
