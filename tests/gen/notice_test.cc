// BuildNotice and AppendDay (src/gen/notice.cc): a notice's placeholders are all filled; the same
// notice with other entities, other figures or a later anchor keeps its wording and changes only
// those; dates are written the way each language writes them.
#include "gen/notice.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "gen/body.h"

namespace samestory::gen {
namespace {

std::string Text(const Report& r) {
  std::string text;
  JoinBody(r.body, &text);
  return r.title + "\n" + text;
}

TEST(NoticeTest, FillsEveryPlaceholder) {
  const UnixSeconds anchor = *ParseIsoDate("2024-03-10T09:00:00Z");
  for (Lang lang : {Lang::kEn, Lang::kFr, Lang::kEs, Lang::kDe}) {
    for (uint64_t event = 0; event < 40; ++event) {
      Entities e;
      MakeEntities(1, event, event, lang, &e);
      Report r;
      BuildNotice(1, event, event, anchor, e, &r);
      const std::string text = Text(r);
      EXPECT_EQ(text.find('{'), std::string::npos) << text;
      EXPECT_NE(text.find(e.org), std::string::npos) << text;
      ASSERT_GE(r.body.size(), 1u);
      for (const Paragraph& p : r.body) {
        ASSERT_GE(p.size(), 1u);
        for (const std::string& s : p) EXPECT_FALSE(s.empty());
      }
    }
  }
}

TEST(NoticeTest, OtherEntitiesFiguresOrDatesKeepTheWording) {
  const UnixSeconds anchor = *ParseIsoDate("2024-03-10T09:00:00Z");
  for (uint64_t event = 0; event < 40; ++event) {
    Entities e, other;
    MakeEntities(1, event, event, Lang::kEn, &e);
    MakeEntities(1, event + 1000, event + 1000, Lang::kEn, &other);
    Report base, names, figures, later, again;
    BuildNotice(1, event, event, anchor, e, &base);
    BuildNotice(1, event, event, anchor, other, &names);
    BuildNotice(1, event, event + 1000, anchor, e, &figures);
    BuildNotice(1, event, event, anchor + 7 * 86400, e, &later);
    BuildNotice(1, event, event, anchor, e, &again);
    EXPECT_EQ(Text(base), Text(again)) << "not deterministic";
    EXPECT_EQ(base.outlet, names.outlet);
    EXPECT_NE(Text(base), Text(names));
    EXPECT_NE(Text(base), Text(later));
    // Other names: the text with each entity replaced back is the template's.
    std::string renamed = Text(names);
    auto replace_all = [&](const std::string& from, const std::string& to) {
      for (size_t at = renamed.find(from); at != std::string::npos; at = renamed.find(from, at)) {
        renamed.replace(at, from.size(), to);
        at += to.size();
      }
    };
    replace_all(other.org, e.org);
    replace_all(other.place, e.place);
    replace_all(other.person[0], e.person[0]);
    EXPECT_EQ(renamed, Text(base));
    // Other figures and a later date change digits (and month names) only: same length in words.
    for (const Report* r : {&figures, &later}) {
      const std::string a = Text(base), b = Text(*r);
      EXPECT_EQ(std::count(a.begin(), a.end(), ' '), std::count(b.begin(), b.end(), ' ')) << b;
    }
    // Other figures keep the dates ("March 14"): the days come from the notice, not the figures.
    const std::string a = Text(base), b = Text(figures);
    int dates = 0;
    for (const char* month : {"March ", "April ", "May "}) {
      for (size_t at = a.find(month); at != std::string::npos; at = a.find(month, at + 1)) {
        const size_t end = a.find_first_not_of("0123456789", at + std::strlen(month));
        EXPECT_NE(b.find(a.substr(at, end - at)), std::string::npos) << a.substr(at, end - at);
        ++dates;
      }
    }
    EXPECT_GT(dates, 0) << a;
  }
}

TEST(NoticeTest, DatesAsEachLanguageWritesThem) {
  auto day = [](const char* iso, Lang lang) {
    std::string out;
    AppendDay(*ParseIsoDate(iso), lang, &out);
    return out;
  };
  EXPECT_EQ(day("2024-03-12T23:59:59Z", Lang::kEn), "March 12");
  EXPECT_EQ(day("2024-03-12", Lang::kFr), "12 mars");
  EXPECT_EQ(day("2024-03-01", Lang::kFr), "1er mars");
  EXPECT_EQ(day("2024-08-05", Lang::kEs), "5 de agosto");
  EXPECT_EQ(day("2024-03-12", Lang::kDe), "12. März");
  EXPECT_EQ(day("2024-12-31", Lang::kEn), "December 31");
}

}  // namespace
}  // namespace samestory::gen
