// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The value types of the typed condition operators: Boolean, number, date,
// IP address or CIDR block, base64 bytes. Each parser returns nullopt when
// the text does not parse as its type; the operators are false then.
// Exposed so the symbolic engine can place its class boundaries where these
// operators do.

#ifndef LEASTPRIV_LIB_EVAL_TYPED_VALUES_H_
#define LEASTPRIV_LIB_EVAL_TYPED_VALUES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leastpriv::eval {

// A Bool value: "true" or "false", in any case.
std::optional<bool> ParseBoolValue(std::string_view s);

// A Numeric* value: a decimal number with optional sign, fraction and
// exponent.
std::optional<double> ParseNumberValue(std::string_view s);

// A Date* value (ISO 8601 or epoch seconds) in milliseconds since the epoch;
// nullopt when it does not parse.
std::optional<std::int64_t> ParseDateMillis(std::string_view s);

// An IP address or CIDR block as IpAddress reads it. IPv4 addresses occupy
// bytes[0..3]; `prefix` is 32 (IPv4) or 128 (IPv6) for a plain address.
struct IpBlock {
  std::array<std::uint8_t, 16> bytes{};
  bool is_v4 = false;
  int prefix = 0;
};
// A policy value (address or CIDR block); nullopt when it does not parse.
std::optional<IpBlock> ParseIpBlock(std::string_view s);
// A request value (an address, no prefix); nullopt when it does not parse.
std::optional<IpBlock> ParseIpAddress(std::string_view s);

// The bytes of a BinaryEquals value; nullopt when it is not base64.
std::optional<std::string> DecodeBinaryValue(std::string_view s);

// True when `address` lies in `block` (same address family, equal first
// `block.prefix` bits).
bool BlockContains(const IpBlock& block, const IpBlock& address);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_TYPED_VALUES_H_
