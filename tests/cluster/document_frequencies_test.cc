// Tests for the TF-IDF rule shared by the fitted model and the feed (cluster/document_frequencies.h).
#include "cluster/document_frequencies.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "samestory/tfidf.h"

namespace samestory::internal {
namespace {

std::vector<TermCount> Doc(std::initializer_list<uint64_t> terms) {
  std::vector<TermCount> d;
  for (uint64_t t : terms) d.push_back({t, 1.0f});
  return d;
}

// The running counts give the fitted model's idf (TfidfBuilder over the same documents), and
// the model drops exactly the terms the running counts drop.
TEST(DocumentFrequenciesTest, RunningCountsGiveTheFittedModelsWeights) {
  TfidfOptions o;
  o.max_df = 0.5;
  o.max_df_min_documents = 4;
  std::mt19937_64 rng(5);
  std::vector<std::vector<TermCount>> docs;
  for (int i = 0; i < 40; ++i) {
    std::vector<TermCount> d;
    for (uint64_t t = 1; t <= 30; ++t) {
      if (t == 1 || rng() % 5 == 0) d.push_back({t * 1000003, static_cast<float>(1 + rng() % 4)});
    }
    docs.push_back(d);
  }
  DocumentFrequencies running(o);
  TfidfBuilder builder(o);
  std::vector<DocumentFrequencies::Terms> slots(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    running.Add(docs[i], &slots[i]);
    builder.Add(docs[i]);
  }
  const TfidfModel model = builder.Finish();
  for (size_t i = 0; i < docs.size(); ++i) {
    const SparseVector v = model.Transform(docs[i]);
    double norm = 0;
    std::vector<double> w;
    for (size_t k = 0; k < docs[i].size(); ++k) {
      const uint32_t s = slots[i][k].first;
      w.push_back(running.Dropped(s) ? 0.0 : slots[i][k].second * running.Idf(s));
      norm += w.back() * w.back();
    }
    size_t j = 0;
    for (size_t k = 0; k < docs[i].size(); ++k) {
      if (w[k] == 0) continue;
      ASSERT_LT(j, v.weights.size()) << "document " << i;
      EXPECT_NEAR(v.weights[j], w[k] / std::sqrt(norm), 1e-5) << "document " << i << " term " << k;
      ++j;
    }
    EXPECT_EQ(j, v.weights.size()) << "document " << i;
  }
  // Term 1 is in every document: over max_df, dropped by both.
  EXPECT_TRUE(running.Dropped(slots[0][0].first));
}

// Removing documents gives the counts of the documents left, and the slot of a term gone is
// reused for the next new term.
TEST(DocumentFrequenciesTest, RemovingUndoesAddingAndSlotsAreReused) {
  TfidfOptions o;
  DocumentFrequencies f(o);
  DocumentFrequencies::Terms a, b, c;
  f.Add(Doc({10, 20}), &a);
  f.Add(Doc({20, 30}), &b);
  EXPECT_EQ(f.documents(), 2u);
  EXPECT_EQ(f.df(a[1].first), 2u);  // term 20
  EXPECT_NEAR(f.Idf(a[0].first), SmoothedIdf(2, 1), 1e-12);
  f.Remove(a);
  EXPECT_EQ(f.documents(), 1u);
  EXPECT_EQ(f.df(b[0].first), 1u);  // term 20 left in b only
  EXPECT_NEAR(f.Idf(b[0].first), SmoothedIdf(1, 1), 1e-12);
  const size_t slots = f.slots();
  f.Add(Doc({40}), &c);  // term 10 is gone: its slot serves term 40
  EXPECT_EQ(f.slots(), slots);
  EXPECT_EQ(c[0].first, a[0].first);
  EXPECT_EQ(f.df(c[0].first), 1u);
}

TEST(DocumentFrequenciesTest, SublinearTermWeight) {
  TfidfOptions o;
  EXPECT_NEAR(TermWeight(o, 4.0), 1.0 + std::log(4.0), 1e-12);
  EXPECT_EQ(TermWeight(o, 0.5), 0.5);  // a title weight under 1 stays as it is
  o.sublinear_tf = false;
  EXPECT_EQ(TermWeight(o, 4.0), 4.0);
}

}  // namespace
}  // namespace samestory::internal
