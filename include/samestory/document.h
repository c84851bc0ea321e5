// Document: one article as read from the input, before any text processing.
//
// The reader produces Documents; every later stage reads them and never changes them. A record that
// could not be read properly is still a Document, with `error` set, so that every input line
// reaches the output. Thread-safety: plain values.
#ifndef SAMESTORY_DOCUMENT_H_
#define SAMESTORY_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace samestory {

// Seconds since 1970-01-01T00:00:00Z.
using UnixSeconds = int64_t;

struct Document {
  std::string id;      // the record's id ("" when it had none; then `error` says so)
  std::string title;   // "" when absent
  std::string text;    // the body: field "text", else "body", else "content"; "" when absent
  std::string lang;    // as given ("fr", "en-GB"); "" when absent
  std::string source;  // as given; "" when absent
  std::optional<UnixSeconds> date;  // start of the period the ISO 8601 `date` names, if valid
  uint64_t line = 0;   // 1-based line number in the input
  std::string error;   // non-empty: the record is bad and takes no part in matching
  std::string warning; // non-empty: the record is used, but something in it was ignored
};

// Parses an ISO 8601 date or date-time, full or partial: "2022", "2022-12", "2022-12-19",
// "2022-12-19T10:30", "2022-12-19T10:30:05", "2022-12-19 10:30:05.25Z", "...+01:00". A partial
// date names the start of its period (UTC unless an offset is given). Returns nullopt when the
// text is not such a date or names an impossible one (month 13, February 30), or when its offset
// carries it outside years 0000-9999.
std::optional<UnixSeconds> ParseIsoDate(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" (UTC) for a time; years outside 0..9999 are printed as they are.
std::string FormatIsoDate(UnixSeconds t);

}  // namespace samestory

#endif  // SAMESTORY_DOCUMENT_H_
