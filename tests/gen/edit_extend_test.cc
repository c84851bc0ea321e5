// Extend (src/gen/edit_extend.cc): 1..max paragraphs of 1-3 further sentences after the untouched
// text, from the thread's background article (or the language's pool); the same seed extends the
// same way.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;

Document Doc(std::string title, std::string text) {
  Document d;
  d.id = d.title = std::move(title);
  d.text = std::move(text);
  return d;
}

std::shared_ptr<const BaseCorpus> Base() {
  auto base = BuildBaseCorpus(std::vector<Document>{
      Doc("Port strike",
          "Dock workers at the port of Velmar walked out on Monday over a pay dispute. The union "
          "said the strike would last until the port authority agreed to a new contract. "
          "Exporters said several ships were waiting offshore and that delays would cost them."),
      Doc("Rates",
          "The central bank raised its main interest rate by half a point on Thursday. Analysts "
          "had expected a smaller move but said the bank wanted to show it was serious. The "
          "governor said further increases could not be ruled out if prices kept climbing.")});
  EXPECT_TRUE(base.ok()) << base.status().ToString();
  return base.value();
}

TEST(ExtendTest, AddsParagraphsAfterTheText) {
  const auto base = Base();
  Entities e;
  MakeEntities(1, 1, 1, Lang::kEn, &e);
  std::string tmp;
  std::set<size_t> added_counts;
  for (uint32_t background : {0u, 1u}) {  // the thread's own article, or the pool
    for (uint64_t seed = 0; seed < 200; ++seed) {
      const Body original = MakeBody(3, 2);
      Body body = original;
      Rng rng(seed);
      ASSERT_TRUE(Extend(&body, *base, 1, background, e, 3, rng, &tmp));
      ASSERT_GT(body.size(), original.size());
      const size_t added = body.size() - original.size();
      EXPECT_LE(added, 3u);
      added_counts.insert(added);
      EXPECT_TRUE(std::equal(original.begin(), original.end(), body.begin()))
          << "the report's text changed";
      for (size_t p = original.size(); p < body.size(); ++p) {
        EXPECT_GE(body[p].size(), 1u);
        EXPECT_LE(body[p].size(), 3u);
        for (const std::string& s : body[p]) EXPECT_GT(s.size(), 20u) << s;
      }
    }
  }
  EXPECT_EQ(added_counts, (std::set<size_t>{1, 2, 3}));
}

TEST(ExtendTest, SameSeedSameParagraphs) {
  const auto base = Base();
  Entities e;
  MakeEntities(1, 1, 1, Lang::kEn, &e);
  std::string tmp;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = MakeBody(2, 2), b = MakeBody(2, 2);
    Rng ra(seed), rb(seed);
    Extend(&a, *base, 1, 0, e, 3, ra, &tmp);
    Extend(&b, *base, 1, 0, e, 3, rb, &tmp);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
