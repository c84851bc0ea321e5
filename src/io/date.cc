// ParseIsoDate: ISO 8601 dates and date-times to Unix seconds, without locale, std::get_time or
// timegm, so the result depends on the text alone.
//
// Accepted, after trimming ASCII whitespace at both ends:
//   YYYY | YYYY-MM | YYYY-MM-DD | YYYYMMDD                        (UTC, start of the period)
//   YYYY-MM-DD{T|t| }hh:mm[:ss[{.|,}f+]][Z|z|{+|-}hh[[:]mm]]     (UTC when no offset is given)
// Years are 0000-9999 in the proleptic Gregorian calendar. A fraction of a second is truncated
// (the start of the period the text names). An offset needs a time: after a bare date, "-05"
// would read as a day. Not accepted: hour 24, leap second 60, a time without minutes
// ("T10"), ordinal and week dates, expanded years, and a basic-form date with a time.
#include <cstdio>
#include <cstdint>
#include <optional>
#include <string_view>

#include "samestory/document.h"

namespace samestory {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// The times a date can name: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
constexpr int64_t kMinDate = -62167219200;
constexpr int64_t kMaxDate = 253402300799;

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of the proleptic Gregorian date y-m-d. Howard Hinnant's
// days_from_civil, "chrono-Compatible Low-Level Date Algorithms",
// https://howardhinnant.github.io/date_algorithms.html#days_from_civil
// REQUIRES: 1 <= m <= 12, 1 <= d <= DaysInMonth(y, m).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

// Reads the text left to right; every Read* consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Consumes `c` if it is next.
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // Reads exactly `n` ASCII digits as a number.
  bool ReadDigits(size_t n, int* out) {
    if (text_.size() - pos_ < n) return false;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      const char c = text_[pos_ + i];
      if (!IsDigit(c)) return false;
      value = value * 10 + (c - '0');
    }
    pos_ += n;
    *out = value;
    return true;
  }

  // Skips one or more ASCII digits; false when there is none.
  bool SkipDigits() {
    const size_t start = pos_;
    while (!AtEnd() && IsDigit(text_[pos_])) ++pos_;
    return pos_ > start;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Reads an optional UTC designator or offset at the end of a time; sets *offset_seconds to the
// offset east of UTC. False on a malformed offset.
bool ReadOffset(Cursor* in, int64_t* offset_seconds) {
  *offset_seconds = 0;
  if (in->Consume('Z') || in->Consume('z')) return true;
  int sign = 0;
  if (in->Consume('+')) {
    sign = 1;
  } else if (in->Consume('-')) {
    sign = -1;
  } else {
    return true;  // no offset: UTC
  }
  int hours = 0;
  int minutes = 0;
  if (!in->ReadDigits(2, &hours) || hours > 23) return false;
  if (in->Consume(':')) {
    if (!in->ReadDigits(2, &minutes)) return false;
  } else if (IsDigit(in->Peek())) {
    if (!in->ReadDigits(2, &minutes)) return false;
  }
  if (minutes > 59) return false;
  *offset_seconds = sign * (int64_t{hours} * 3600 + int64_t{minutes} * 60);
  return true;
}

}  // namespace

std::optional<UnixSeconds> ParseIsoDate(std::string_view text) {
  Cursor in(TrimAsciiSpace(text));
  int year = 0;
  int month = 1;
  int day = 1;
  if (!in.ReadDigits(4, &year)) return std::nullopt;
  bool full_date = false;
  if (in.Consume('-')) {
    if (!in.ReadDigits(2, &month)) return std::nullopt;
    if (in.Consume('-')) {
      if (!in.ReadDigits(2, &day)) return std::nullopt;
      full_date = true;
    }
  } else if (IsDigit(in.Peek())) {
    // Basic form YYYYMMDD only; YYYYMM is not ISO 8601 (it reads like a two-digit-year date).
    if (!in.ReadDigits(2, &month) || !in.ReadDigits(2, &day) || !in.AtEnd()) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;

  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t offset_seconds = 0;
  if (!in.AtEnd()) {
    if (!full_date) return std::nullopt;
    if (!in.Consume('T') && !in.Consume('t') && !in.Consume(' ')) return std::nullopt;
    if (!in.ReadDigits(2, &hour) || !in.Consume(':') || !in.ReadDigits(2, &minute)) {
      return std::nullopt;
    }
    if (in.Consume(':')) {
      if (!in.ReadDigits(2, &second)) return std::nullopt;
      // Truncated, so the result is the start of the second the text names.
      if ((in.Consume('.') || in.Consume(',')) && !in.SkipDigits()) return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    if (!ReadOffset(&in, &offset_seconds) || !in.AtEnd()) return std::nullopt;
  }

  const int64_t local = DaysFromCivil(year, month, day) * kSecondsPerDay + int64_t{hour} * 3600 +
                        int64_t{minute} * 60 + second;
  // An offset may carry a time in year 0000 or 9999 across the range's edge ("0000-01-01T00:00
  // +01:00" is in year -1): such a time is outside what a date can name here (found by
  // fuzz_date: it printed "-001-12-31T23:00:00Z", which does not parse back).
  const UnixSeconds utc = local - offset_seconds;
  if (utc < kMinDate || utc > kMaxDate) return std::nullopt;
  return utc;
}

}  // namespace samestory

namespace samestory {

std::string FormatIsoDate(UnixSeconds t) {
  // civil_from_days, Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
  // Floor division without overflow near INT64_MIN (t - 86399 overflowed: fuzz_date).
  int64_t days = t / 86400;
  int64_t secs = t % 86400;
  if (secs < 0) {
    --days;
    secs += 86400;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace samestory
