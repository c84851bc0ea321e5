// Tests for ParseIsoDate. Every expected value was computed with GNU date, as in
//   date -u -d 2022-12-19T10:30:05+01:00 +%s
// and is written as a literal with that input in the comment.
#include <gtest/gtest.h>

#include <limits>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "samestory/document.h"

namespace samestory {
namespace {

TEST(ParseIsoDateTest, PartialDatesNameTheStartOfTheirPeriod) {
  EXPECT_EQ(ParseIsoDate("2022"), 1640995200);        // 2022-01-01T00:00:00Z
  EXPECT_EQ(ParseIsoDate("2022-12"), 1669852800);     // 2022-12-01T00:00:00Z
  EXPECT_EQ(ParseIsoDate("2022-12-19"), 1671408000);  // 2022-12-19T00:00:00Z
  EXPECT_EQ(ParseIsoDate("1970"), 0);                 // 1970-01-01T00:00:00Z
}

TEST(ParseIsoDateTest, BasicFormDate) {
  EXPECT_EQ(ParseIsoDate("20221219"), 1671408000);  // 2022-12-19T00:00:00Z
  EXPECT_EQ(ParseIsoDate("20000229"), 951782400);   // 2000-02-29T00:00:00Z
}

TEST(ParseIsoDateTest, DateTimes) {
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30"), 1671445800);     // 2022-12-19T10:30:00Z
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05"), 1671445805);  // 2022-12-19T10:30:05Z
  EXPECT_EQ(ParseIsoDate("2022-12-19 10:30:05"), 1671445805);  // 2022-12-19T10:30:05Z
  EXPECT_EQ(ParseIsoDate("2022-12-19t10:30:05"), 1671445805);  // 2022-12-19T10:30:05Z
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05Z"), 1671445805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05z"), 1671445805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30Z"), 1671445800);  // 2022-12-19T10:30:00Z
}

TEST(ParseIsoDateTest, FractionalSecondsAreTruncated) {
  EXPECT_EQ(ParseIsoDate("2022-12-19 10:30:05.25Z"), 1671445805);  // 2022-12-19T10:30:05Z
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05.999999999"), 1671445805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05,5"), 1671445805);  // decimal comma
  // Before 1970 truncation still goes to the start of the second, not towards zero.
  EXPECT_EQ(ParseIsoDate("1969-12-31T23:59:59.9Z"), -1);  // 1969-12-31T23:59:59Z
}

TEST(ParseIsoDateTest, Offsets) {
  // 2022-12-19T10:30:05+01:00
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05+01:00"), 1671442205);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05+0100"), 1671442205);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05+01"), 1671442205);
  // 2022-12-19T10:30:05-05:00
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05-05:00"), 1671463805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05-0500"), 1671463805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05-05"), 1671463805);
  // 2022-12-19T10:30:05+05:30
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05+05:30"), 1671426005);
  // 2022-12-19T10:30:05Z: a zero offset is UTC.
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05+00:00"), 1671445805);
  EXPECT_EQ(ParseIsoDate("2022-12-19T10:30:05-00:00"), 1671445805);
  EXPECT_EQ(ParseIsoDate("2022-12-19 10:30:05.25+01:00"), 1671442205);
}

TEST(ParseIsoDateTest, OffsetsCrossDayAndYearBoundaries) {
  // 2022-12-19T00:30:00+01:00 is 2022-12-18T23:30:00Z.
  EXPECT_EQ(ParseIsoDate("2022-12-19T00:30+01:00"), 1671406200);
  // 2022-12-31T23:30:00-01:00 is 2023-01-01T00:30:00Z.
  EXPECT_EQ(ParseIsoDate("2022-12-31T23:30-01:00"), 1672533000);
}

TEST(ParseIsoDateTest, SurroundingWhitespaceIsIgnored) {
  EXPECT_EQ(ParseIsoDate("  2022-12-19  "), 1671408000);              // 2022-12-19T00:00:00Z
  EXPECT_EQ(ParseIsoDate("\t2022-12-19T10:30:05Z\r\n"), 1671445805);  // 2022-12-19T10:30:05Z
  EXPECT_EQ(ParseIsoDate(" 20221219\n"), 1671408000);
}

TEST(ParseIsoDateTest, YearsBefore1970) {
  EXPECT_EQ(ParseIsoDate("1969-12-31T23:59:59"), -1);            // 1969-12-31T23:59:59Z
  EXPECT_EQ(ParseIsoDate("1960-06-15T12:00"), -301233600);       // 1960-06-15T12:00:00Z
  EXPECT_EQ(ParseIsoDate("1900"), -2208988800);                  // 1900-01-01T00:00:00Z
  EXPECT_EQ(ParseIsoDate("0000-01-01"), -62167219200);           // 0000-01-01T00:00:00Z
  EXPECT_EQ(ParseIsoDate("9999-12-31T23:59:59"), 253402300799);  // 9999-12-31T23:59:59Z
}

TEST(ParseIsoDateTest, LeapYears) {
  // 2000 is a leap year (divisible by 400).
  EXPECT_EQ(ParseIsoDate("2000-02-29"), 951782400);  // 2000-02-29T00:00:00Z
  EXPECT_EQ(ParseIsoDate("2000-03-01"), 951868800);  // 2000-03-01T00:00:00Z
  // 1900 is not (divisible by 100, not by 400): 28 February is followed by 1 March.
  EXPECT_EQ(ParseIsoDate("1900-02-28"), -2203977600);  // 1900-02-28T00:00:00Z
  EXPECT_EQ(ParseIsoDate("1900-03-01"), -2203891200);  // 1900-03-01T00:00:00Z
  EXPECT_EQ(ParseIsoDate("1900-02-29"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("19000229"), std::nullopt);
  // 2024 is (divisible by 4); 1600 is, before 1970.
  EXPECT_EQ(ParseIsoDate("2024-02-29"), 1709164800);    // 2024-02-29T00:00:00Z
  EXPECT_EQ(ParseIsoDate("1600-02-29"), -11670998400);  // 1600-02-29T00:00:00Z
  EXPECT_EQ(ParseIsoDate("2022-02-29"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("2023-02-29"), std::nullopt);
}

TEST(ParseIsoDateTest, EveryDayIsOneDayAfterThePrevious) {
  // Walks 1899-2001 day by day, so both the 1900 and 2000 rules and every month length are seen.
  std::optional<UnixSeconds> previous = ParseIsoDate("1898-12-31");
  ASSERT_TRUE(previous.has_value());
  int days_seen = 0;
  for (int year = 1899; year <= 2001; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        char text[16];
        std::snprintf(text, sizeof(text), "%04d-%02d-%02d", year, month, day);
        const std::optional<UnixSeconds> t = ParseIsoDate(text);
        if (!t.has_value()) continue;  // day past the month's end
        EXPECT_EQ(*t - *previous, 86400) << text;
        previous = t;
        ++days_seen;
      }
    }
  }
  // 103 years, 25 of them leap (1904..2000 every 4 years, not 1900).
  EXPECT_EQ(days_seen, 103 * 365 + 25);
}

TEST(ParseIsoDateTest, ImpossibleDatesAndTimesAreRejected) {
  const char* const kCases[] = {
      "2022-13",                 // month 13
      "2022-00",                 // month 0
      "2022-13-01",              // month 13
      "2022-00-10",              // month 0
      "2022-12-00",              // day 0
      "2022-12-32",              // day 32
      "2022-04-31",              // April has 30 days
      "2022-02-30",              // February 30
      "2024-02-30",              // even in a leap year
      "2022-02-29",              // not a leap year
      "20221301",                // basic form, month 13
      "20220230",                // basic form, February 30
      "2022-12-19T25:00",        // hour 25
      "2022-12-19T24:00",        // hour 24 is not accepted
      "2022-12-19T10:60",        // minute 60
      "2022-12-19T10:30:60",     // second 60 (no leap seconds in Unix time)
      "2022-12-19T10:30+24:00",  // offset hour 24
      "2022-12-19T10:30+01:60",  // offset minute 60
  };
  for (const char* text : kCases) {
    EXPECT_EQ(ParseIsoDate(text), std::nullopt) << text;
  }
}

TEST(ParseIsoDateTest, MalformedTextIsRejected) {
  const char* const kCases[] = {
      "",
      "   ",
      "abc",
      "22",                                // two-digit year
      "202",                               // three-digit year
      "20221",                             // five digits
      "202212",                            // basic YYYYMM is not ISO 8601
      "2022121",                           // seven digits
      "202212190",                         // nine digits
      "2022-1",                            // one-digit month
      "2022-12-1",                         // one-digit day
      "2022-1219",                         // mixed extended and basic
      "202212-19",                         // mixed basic and extended
      "2022/12/19",                        // wrong separator
      "2022-12-",                          // dangling separator
      "2022-12-19T",                       // separator without a time
      "2022-12-19T10",                     // hour without minutes
      "2022-12-19T1030",                   // basic time
      "2022-12-19T10:3",                   // one-digit minute
      "2022-12-19T10:30:",                 // dangling colon
      "2022-12-19T10:30:5",                // one-digit second
      "2022-12-19T10:30:05.",              // fraction without digits
      "2022-12-19T10:30.5",                // fraction on minutes
      "2022-12-19x10:30",                  // wrong date-time separator
      "2022-12-19  10:30",                 // two spaces
      "2022-12T10:30",                     // time after a partial date
      "20221219T10:30",                    // time after a basic date
      "2022-12-19Z",                       // offset without a time
      "2022Z",                             // offset without a time
      "2022-12-19T10:30+",                 // sign without hours
      "2022-12-19T10:30+1",                // one-digit offset hour
      "2022-12-19T10:30+01:",              // dangling offset colon
      "2022-12-19T10:30+01:0",             // one-digit offset minute
      "2022-12-19T10:30+010",              // three-digit offset
      "2022-12-19T10:30+01:00Z",           // offset then Z
      "2022-12-19T10:30ZZ",                // two Zs
      "2022-12-19T10:30:05Zjunk",          // trailing garbage
      "2022-12-19junk",                    // trailing garbage
      "2022-12-19 x",                      // trailing garbage after whitespace
      "2022junk",                          // trailing garbage
      "+2022-12-19",                       // expanded year
      "-2022",                             // negative year
      "2022-W51",                          // week date
      "2022-353",                          // ordinal date
      "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa2",  // Arabic-Indic digits are not ASCII digits
  };
  for (const char* text : kCases) {
    EXPECT_EQ(ParseIsoDate(text), std::nullopt) << text;
  }
}

TEST(ParseIsoDateTest, EmbeddedNulIsRejected) {
  using std::string_literals::operator""s;
  const std::string text = "2022-12-19\0"s;
  EXPECT_EQ(ParseIsoDate(text), std::nullopt);
}

TEST(ParseIsoDateTest, OrderingFollowsTime) {
  // A date-only value is the start of its day, so it sorts before a later time that day.
  const std::optional<UnixSeconds> day = ParseIsoDate("2022-12-19");
  const std::optional<UnixSeconds> morning = ParseIsoDate("2022-12-19T10:30");
  const std::optional<UnixSeconds> later = ParseIsoDate("2022-12-19T10:30:05");
  const std::optional<UnixSeconds> month = ParseIsoDate("2022-12");
  const std::optional<UnixSeconds> year = ParseIsoDate("2022");
  const std::optional<UnixSeconds> next_year = ParseIsoDate("2023");
  ASSERT_TRUE(day && morning && later && month && year && next_year);
  EXPECT_LT(*day, *morning);
  EXPECT_LT(*morning, *later);
  EXPECT_LT(*year, *month);
  EXPECT_LT(*month, *day);
  EXPECT_LT(*later, *next_year);
  // Midnight with no time is the same instant as midnight written out.
  EXPECT_EQ(ParseIsoDate("2022-12-19T00:00:00Z"), day);
  // An offset east of UTC makes the same wall-clock time earlier.
  const std::optional<UnixSeconds> east = ParseIsoDate("2022-12-19T10:30+01:00");
  const std::optional<UnixSeconds> west = ParseIsoDate("2022-12-19T10:30-01:00");
  ASSERT_TRUE(east && west);
  EXPECT_LT(*east, *morning);
  EXPECT_GT(*west, *morning);
}

// Regression (fuzz_date, tests/fuzz/corpus/date/regression-roundtrip-year-*): an offset carried a time
// in year 0000 or 9999 outside the range, and FormatIsoDate printed what ParseIsoDate refused.
TEST(ParseIsoDateTest, Regression_AnOffsetMayNotLeaveYears0000To9999) {
  EXPECT_EQ(ParseIsoDate("0000-01-01T00:00+01:00"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("9999-12-31T23:59:59-00:01"), std::nullopt);
  const std::optional<UnixSeconds> first = ParseIsoDate("0000-01-01T01:00+01:00");
  const std::optional<UnixSeconds> last = ParseIsoDate("9999-12-31T23:59:59Z");
  ASSERT_TRUE(first && last);
  EXPECT_EQ(FormatIsoDate(*first), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoDate(*last), "9999-12-31T23:59:59Z");
  EXPECT_EQ(ParseIsoDate(FormatIsoDate(*first)), first);
  EXPECT_EQ(ParseIsoDate(FormatIsoDate(*last)), last);
}

// Regression (fuzz_date, regression-format-int64-min-overflow): FormatIsoDate computed t - 86399, an
// overflow (undefined behaviour) for t near INT64_MIN. Any int64 formats; the day is floored.
TEST(FormatIsoDateTest, Regression_ExtremeTimesFormatWithoutOverflow) {
  EXPECT_EQ(FormatIsoDate(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoDate(-86400), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatIsoDate(0), "1970-01-01T00:00:00Z");
  const std::string low = FormatIsoDate(std::numeric_limits<int64_t>::min());
  const std::string high = FormatIsoDate(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(low.substr(low.size() - 10), "T08:29:52Z") << low;
  EXPECT_EQ(high.substr(high.size() - 10), "T15:30:07Z") << high;
}

}  // namespace
}  // namespace samestory
