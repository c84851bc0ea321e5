// AddBoilerplate (src/gen/edit_boilerplate.cc): 1-4 boilerplate lines (at most max_lines) of the
// report's language, each a paragraph of its own, around the untouched text; the same seed adds the
// same lines.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;

// The paragraphs of `body` that are not in `original`, and whether the others are `original`
// in order.
bool SplitAdded(const Body& original, const Body& body, std::vector<std::string>* added) {
  size_t next = 0;
  for (const Paragraph& p : body) {
    if (next < original.size() && p == original[next]) {
      ++next;
    } else {
      if (p.size() != 1) return false;
      added->push_back(p[0]);
    }
  }
  return next == original.size();
}

TEST(AddBoilerplateTest, AddsOneToFourLinesAroundTheText) {
  const uint64_t outlet = 5;
  std::string outlet_name;
  AppendOutlet(outlet, &outlet_name);
  for (Lang lang : {Lang::kEn, Lang::kFr, Lang::kEs, Lang::kDe}) {
    const LangKit kit = KitFor(lang);
    int with_outlet = 0;
    std::set<size_t> counts;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      const Body original = MakeBody(4, 2);
      Body body = original;
      Rng rng(seed);
      ASSERT_TRUE(AddBoilerplate(&body, lang, outlet, 4, rng));
      std::vector<std::string> added;
      ASSERT_TRUE(SplitAdded(original, body, &added)) << "the text was changed";
      ASSERT_GE(added.size(), 1u);
      ASSERT_LE(added.size(), 4u);
      counts.insert(added.size());
      EXPECT_EQ(std::set<std::string>(added.begin(), added.end()).size(), added.size())
          << "a line twice";
      for (const std::string& line : added) {
        EXPECT_EQ(line.find('{'), std::string::npos) << line;
        with_outlet += line.find(outlet_name) != std::string::npos;
        // A line of the kit: its text before the first placeholder opens the line.
        bool from_kit = false;
        for (std::string_view tpl : kit.boilerplate) {
          from_kit |= line.rfind(tpl.substr(0, tpl.find('{')), 0) == 0;
        }
        EXPECT_TRUE(from_kit) << line;
      }
    }
    EXPECT_GT(with_outlet, 0) << "the outlet is never named";
    EXPECT_EQ(counts, (std::set<size_t>{1, 2, 3, 4}));
  }
  // max_lines caps it.
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Body body = MakeBody(2, 2);
    Rng rng(seed);
    AddBoilerplate(&body, Lang::kEn, 3, 1, rng);
    EXPECT_EQ(body.size(), 3u);
  }
}

TEST(AddBoilerplateTest, SameSeedSameLines) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = MakeBody(3, 2), b = MakeBody(3, 2);
    Rng ra(seed), rb(seed);
    AddBoilerplate(&a, Lang::kEn, 7, 4, ra);
    AddBoilerplate(&b, Lang::kEn, 7, 4, rb);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
