// Fuzz target for ParseIsoDate and FormatIsoDate (samestory/document.h).
//
// Input: the whole input is a date text for ParseIsoDate; when it has at least 8 bytes, its first
// 8 bytes (little-endian) are also a time for FormatIsoDate, so every seed is plain text.
// Properties, besides no crash and no UB (signed overflow included):
//   - a text that parses to t: FormatIsoDate(t) parses back to t;
//   - any t: FormatIsoDate(t) is "YYYY-MM-DDTHH:MM:SSZ" and parses back to t when its year is in
//     0000..9999, the years ParseIsoDate reads; it does not parse to anything else.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "samestory/document.h"

namespace samestory::fuzz {
namespace {

// The bytes as a C string for messages, non-printable ones escaped.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// True when `s` is "YYYY-MM-DDTHH:MM:SSZ" with a four-digit year.
bool IsCanonical(std::string_view s) {
  static constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kPattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (kPattern[i] == 'd' ? !digit : s[i] != kPattern[i]) return false;
  }
  return true;
}

void CheckFormat(UnixSeconds t) {
  const std::string s = FormatIsoDate(t);
  const std::optional<UnixSeconds> back = ParseIsoDate(s);
  if (back) {
    FUZZ_CHECK(*back == t, "FormatIsoDate(%lld) = \"%s\" parses to %lld",
               static_cast<long long>(t), s.c_str(), static_cast<long long>(*back));
  }
  if (IsCanonical(s)) {
    FUZZ_CHECK(back.has_value(), "FormatIsoDate(%lld) = \"%s\" does not parse",
               static_cast<long long>(t), s.c_str());
  }
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const std::optional<samestory::UnixSeconds> t = samestory::ParseIsoDate(text)) {
    const std::string formatted = samestory::FormatIsoDate(*t);
    const std::optional<samestory::UnixSeconds> back = samestory::ParseIsoDate(formatted);
    FUZZ_CHECK(back == t, "\"%s\" parses to %lld, formatted \"%s\", which parses to %s",
               Printable(text).c_str(), static_cast<long long>(*t), formatted.c_str(),
               back ? std::to_string(*back).c_str() : "nothing");
  }
  if (size >= 8) {
    int64_t t = 0;
    std::memcpy(&t, data, 8);
    CheckFormat(t);
  }
  return 0;
}
