// Byte-level helpers the generator's text code shares: ASCII character classes, capitalization,
// a 32-bit FNV-1a hash. The generator treats non-ASCII bytes as opaque letters and never splits a
// UTF-8 sequence. Internal. Pure functions; thread-safe.
#ifndef SAMESTORY_GEN_TEXT_UTIL_H_
#define SAMESTORY_GEN_TEXT_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace samestory::gen {

inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsTerminal(char c) { return c == '.' || c == '!' || c == '?'; }
inline bool IsClosingQuote(char c) { return c == '"' || c == '\'' || c == ')'; }

// Upper-cases the first byte when it is an ASCII lower-case letter.
inline void Capitalize(std::string* s) {
  if (!s->empty() && IsAsciiLower((*s)[0])) (*s)[0] = static_cast<char>((*s)[0] - 'a' + 'A');
}

// Lower-cases the byte at `at` when it is an ASCII upper-case letter. REQUIRES: at < s->size().
inline void Decapitalize(std::string* s, size_t at) {
  char& c = (*s)[at];
  if (IsAsciiUpper(c)) c = static_cast<char>(c - 'A' + 'a');
}

inline uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_TEXT_UTIL_H_
