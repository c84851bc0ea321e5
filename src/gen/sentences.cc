// Sentence splitting and selection (sentences.h).
#include "gen/sentences.h"

#include <algorithm>

#include "gen/text_util.h"

namespace samestory::gen {
namespace {

bool IsAbbreviation(std::string_view word) {
  static constexpr std::string_view kAbbreviations[] = {
      "Mr",   "Mrs", "Ms",  "Dr",  "Prof", "Inc", "Co",  "Corp", "Ltd", "Jr",  "Sr",  "St",  "No",
      "Gen",  "Sen", "Rep", "Gov", "vs",   "Jan", "Feb", "Mar",  "Apr", "Jun", "Jul", "Aug", "Sep",
      "Sept", "Oct", "Nov", "Dec", "Mt",   "Ft",  "Ave", "Bros", "Mme", "Cie", "etc"};
  if (word.size() <= 1) return true;                          // initials: "J. Smith"
  if (word.find('.') != std::string_view::npos) return true;  // "U.S."
  for (std::string_view a : kAbbreviations) {
    if (word == a) return true;
  }
  return false;
}

}  // namespace

void SplitSentences(std::string_view text, std::vector<std::string>* out) {
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == ' ') cur.pop_back();
    if (!cur.empty()) out->push_back(std::move(cur));
    cur.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsSpace(c)) {
      size_t j = i;
      int newlines = 0;
      while (j < text.size() && IsSpace(text[j])) newlines += text[j++] == '\n';
      if (newlines >= 2) {
        flush();
      } else if (!cur.empty()) {
        cur.push_back(' ');
      }
      i = j;
      continue;
    }
    cur.push_back(c);
    ++i;
    if (!IsTerminal(c)) continue;
    size_t j = i;
    while (j < text.size() && IsClosingQuote(text[j])) cur.push_back(text[j++]);
    if (j >= text.size() || !IsSpace(text[j])) continue;
    size_t k = j;
    while (k < text.size() && IsSpace(text[k])) ++k;
    if (k < text.size()) {
      char next = text[k];
      const bool opens = IsAsciiUpper(next) || IsAsciiDigit(next) || next == '"' || next == '\'' ||
                         static_cast<unsigned char>(next) >= 0x80;
      if (!opens) continue;
    }
    if (c == '.') {
      size_t end = cur.size() - (j - i) - 1;  // the period's position in cur
      size_t start = cur.rfind(' ', end);
      start = start == std::string::npos ? 0 : start + 1;
      if (IsAbbreviation(std::string_view(cur).substr(start, end - start))) continue;
    }
    i = j;
    flush();
  }
  flush();
}

bool UsableSentence(std::string_view s) {
  if (s.size() < 20) return false;
  const char first = s.front();
  if (!(IsAsciiUpper(first) || first == '"' || static_cast<unsigned char>(first) >= 0x80))
    return false;
  size_t end = s.size();
  while (end > 0 && IsClosingQuote(s[end - 1])) --end;
  if (end == 0 || !IsTerminal(s[end - 1])) return false;
  int words = 0, letter_words = 0, upper = 0, lower = 0;
  bool start = true;
  for (char c : s) {
    if (c == ' ') {
      start = true;
      continue;
    }
    if (start) {
      ++words;
      letter_words +=
          IsAsciiUpper(c) || IsAsciiLower(c) || c == '"' || static_cast<unsigned char>(c) >= 0x80;
      start = false;
    }
    upper += IsAsciiUpper(c);
    lower += IsAsciiLower(c);
  }
  if (words < 6 || words > 80) return false;
  if (letter_words * 10 < words * 7) return false;
  return upper * 2 < lower + upper;
}

std::string TitleCase(std::string_view title) {
  std::string out(title);
  bool has_lower = std::any_of(out.begin(), out.end(), IsAsciiLower);
  if (has_lower) return out;
  bool start = true;
  for (char& c : out) {
    if (IsAsciiUpper(c) && !start) c = static_cast<char>(c - 'A' + 'a');
    start = c == ' ' || c == '-' || c == '/' || c == '(';
  }
  return out;
}

}  // namespace samestory::gen
