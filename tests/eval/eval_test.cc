#include "samestory/eval.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test_temp.h"

namespace samestory {
namespace {

using Labels = std::vector<std::string>;

constexpr double kExact = 1e-12;  // tolerance for hand-computed rationals and sklearn literals

ClusteringScores MustScore(const Labels& gold, const Labels& pred) {
  Result<ClusteringScores> r = ScoreClustering(gold, pred);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : ClusteringScores{};
}

void ExpectAllPerfect(const ClusteringScores& s) {
  EXPECT_DOUBLE_EQ(s.pair_p, 1.0);
  EXPECT_DOUBLE_EQ(s.pair_r, 1.0);
  EXPECT_DOUBLE_EQ(s.pair_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_p, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_r, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.ari, 1.0);
  EXPECT_DOUBLE_EQ(s.nmi, 1.0);
}

// --- ScoreClustering: hand-computed values -------------------------------------------------------

// gold {0,1,2} {3,4} {5}; pred {0,1,2,3} {4,5}. Contingency cells: (a,x)=3 (b,x)=1 (b,y)=1 (c,y)=1.
// Pairs: tp = 3, gold pairs = 3+1 = 4, pred pairs = 6+1 = 7, all pairs = 15, so fp = 4, fn = 1,
// tn = 7. B-cubed P = (9/4 + 1/4 + 1/2 + 1/2) / 6 = 7/12, R = (9/3 + 1/2 + 1/2 + 1) / 6 = 5/6.
// ARI = 2 (3*7 - 1*4) / ((3+1)(1+7) + (3+4)(4+7)) = 34/109.
TEST(ScoreClusteringTest, HandComputedAsymmetricExample) {
  ClusteringScores s = MustScore({"a", "a", "a", "b", "b", "c"}, {"x", "x", "x", "x", "y", "y"});
  EXPECT_EQ(s.documents, 6u);
  EXPECT_EQ(s.gold_clusters, 3u);
  EXPECT_EQ(s.pred_clusters, 2u);
  EXPECT_EQ(s.missing_in_pred, 0u);
  EXPECT_NEAR(s.pair_p, 3.0 / 7, kExact);
  EXPECT_NEAR(s.pair_r, 3.0 / 4, kExact);
  EXPECT_NEAR(s.pair_f1, 6.0 / 11, kExact);
  EXPECT_NEAR(s.bcubed_p, 7.0 / 12, kExact);
  EXPECT_NEAR(s.bcubed_r, 5.0 / 6, kExact);
  EXPECT_NEAR(s.bcubed_f1, 35.0 / 51, kExact);
  EXPECT_NEAR(s.ari, 34.0 / 109, kExact);
  // sklearn 1.2.1: /usr/bin/python3 -c 'import sklearn.metrics as m;
  //   print(repr(m.normalized_mutual_info_score(list("aaabbc"), list("xxxxyy"))))'
  EXPECT_NEAR(s.nmi, 0.49209366190472337, kExact);
}

// gold {0,1} {2,3}; pred {0,1} {2} {3}: tp = 1, gold pairs 2, pred pairs 1.
// B-cubed P = (4/2 + 1 + 1) / 4 = 1, R = (4/2 + 1/2 + 1/2) / 4 = 3/4.
TEST(ScoreClusteringTest, HandComputedSplitCluster) {
  ClusteringScores s = MustScore({"0", "0", "1", "1"}, {"0", "0", "1", "2"});
  EXPECT_NEAR(s.pair_p, 1.0, kExact);
  EXPECT_NEAR(s.pair_r, 0.5, kExact);
  EXPECT_NEAR(s.pair_f1, 2.0 / 3, kExact);
  EXPECT_NEAR(s.bcubed_p, 1.0, kExact);
  EXPECT_NEAR(s.bcubed_r, 0.75, kExact);
  EXPECT_NEAR(s.bcubed_f1, 6.0 / 7, kExact);
  // sklearn 1.2.1: /usr/bin/python3 -c 'import sklearn.metrics as m;
  //   a=[0,0,1,1]; b=[0,0,1,2]; print(repr(m.adjusted_rand_score(a,b)),
  //   repr(m.normalized_mutual_info_score(a,b)))'  ->  0.5714285714285714 0.7999999999999999
  EXPECT_NEAR(s.ari, 0.5714285714285714, kExact);
  EXPECT_NEAR(s.nmi, 0.7999999999999999, kExact);
}

// --- ScoreClustering: scikit-learn reference values ----------------------------------------------

// sklearn 1.2.1: /usr/bin/python3 -c 'import sklearn.metrics as m;
//   a=[0,0,0,0,1,1,1,1,2,2,2,2]; b=[0,0,1,1,1,1,2,2,2,3,3,0];
//   print(repr(m.adjusted_rand_score(a,b)), repr(m.normalized_mutual_info_score(a,b)),
//   m.cluster.pair_confusion_matrix(a,b).tolist())'
//   ->  0.12167300380228137 0.44721024852495844 [[80, 16], [26, 10]]
// The pair confusion matrix counts ordered pairs: tp = 10/2, fp = 16/2, fn = 26/2.
TEST(ScoreClusteringTest, MatchesSklearnTwelveDocuments) {
  ClusteringScores s = MustScore({"0", "0", "0", "0", "1", "1", "1", "1", "2", "2", "2", "2"},
                                 {"0", "0", "1", "1", "1", "1", "2", "2", "2", "3", "3", "0"});
  EXPECT_EQ(s.gold_clusters, 3u);
  EXPECT_EQ(s.pred_clusters, 4u);
  EXPECT_NEAR(s.ari, 0.12167300380228137, kExact);
  EXPECT_NEAR(s.nmi, 0.44721024852495844, kExact);
  EXPECT_NEAR(s.pair_p, 5.0 / 13, kExact);
  EXPECT_NEAR(s.pair_r, 5.0 / 18, kExact);
}

// sklearn 1.2.1: /usr/bin/python3 -c 'import sklearn.metrics as m;
//   a=["us","us","us","eu","eu","asia","asia","asia","asia","eu"];
//   b=["k1","k1","k2","k2","k2","k3","k3","k3","k1","k4"];
//   print(repr(m.adjusted_rand_score(a,b)), repr(m.normalized_mutual_info_score(a,b)),
//   m.cluster.pair_confusion_matrix(a,b).tolist())'
//   ->  0.32098765432098764 0.5884891726309152 [[58, 8], [14, 10]]
TEST(ScoreClusteringTest, MatchesSklearnStringLabels) {
  Labels gold = {"us", "us", "us", "eu", "eu", "asia", "asia", "asia", "asia", "eu"};
  Labels pred = {"k1", "k1", "k2", "k2", "k2", "k3", "k3", "k3", "k1", "k4"};
  ClusteringScores s = MustScore(gold, pred);
  EXPECT_NEAR(s.ari, 0.32098765432098764, kExact);
  EXPECT_NEAR(s.nmi, 0.5884891726309152, kExact);
  EXPECT_NEAR(s.pair_p, 5.0 / 9, kExact);
  EXPECT_NEAR(s.pair_r, 5.0 / 12, kExact);
}

// ARI and NMI are symmetric; swapping the sides swaps precision and recall.
TEST(ScoreClusteringTest, SwappingSidesSwapsPrecisionAndRecall) {
  Labels a = {"us", "us", "us", "eu", "eu", "asia", "asia", "asia", "asia", "eu"};
  Labels b = {"k1", "k1", "k2", "k2", "k2", "k3", "k3", "k3", "k1", "k4"};
  ClusteringScores ab = MustScore(a, b);
  ClusteringScores ba = MustScore(b, a);
  EXPECT_NEAR(ab.pair_p, ba.pair_r, kExact);
  EXPECT_NEAR(ab.pair_r, ba.pair_p, kExact);
  EXPECT_NEAR(ab.bcubed_p, ba.bcubed_r, kExact);
  EXPECT_NEAR(ab.bcubed_r, ba.bcubed_p, kExact);
  EXPECT_NEAR(ab.ari, ba.ari, kExact);
  EXPECT_NEAR(ab.nmi, ba.nmi, kExact);
  EXPECT_NE(ab.pair_p, ab.pair_r);  // the example is not symmetric, so the check above has teeth
}

// --- ScoreClustering: degenerate cases -----------------------------------------------------------

TEST(ScoreClusteringTest, IdenticalPartitionsUnderRenamingArePerfect) {
  // sklearn 1.2.1: adjusted_rand_score([0,0,1,1],[1,1,0,0]) == 1.0, NMI == 1.0.
  ClusteringScores s = MustScore({"a", "a", "b", "b", "c"}, {"z", "z", "y", "y", "x"});
  EXPECT_EQ(s.gold_clusters, 3u);
  EXPECT_EQ(s.pred_clusters, 3u);
  ExpectAllPerfect(s);
}

TEST(ScoreClusteringTest, AllSingletonsOnBothSidesArePerfect) {
  ClusteringScores s = MustScore({"1", "2", "3", "4"}, {"a", "b", "c", "d"});
  EXPECT_EQ(s.gold_clusters, 4u);
  EXPECT_EQ(s.pred_clusters, 4u);
  ExpectAllPerfect(s);
}

TEST(ScoreClusteringTest, OneClusterOnBothSidesIsPerfect) {
  ClusteringScores s = MustScore({"g", "g", "g"}, {"p", "p", "p"});
  EXPECT_EQ(s.gold_clusters, 1u);
  EXPECT_EQ(s.pred_clusters, 1u);
  ExpectAllPerfect(s);
}

// sklearn 1.2.1: /usr/bin/python3 -c 'import sklearn.metrics as m;
//   print(m.adjusted_rand_score([0,0,0,0],[0,1,2,3]),
//   m.normalized_mutual_info_score([0,0,0,0],[0,1,2,3]))'  ->  0.0 0.0
TEST(ScoreClusteringTest, OneGoldClusterPredictedAsSingletons) {
  ClusteringScores s = MustScore({"g", "g", "g", "g"}, {"1", "2", "3", "4"});
  EXPECT_DOUBLE_EQ(s.pair_p, 1.0);  // no predicted pair: vacuously precise
  EXPECT_DOUBLE_EQ(s.pair_r, 0.0);
  EXPECT_DOUBLE_EQ(s.pair_f1, 0.0);
  EXPECT_DOUBLE_EQ(s.bcubed_p, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_r, 0.25);
  EXPECT_NEAR(s.ari, 0.0, kExact);
  EXPECT_NEAR(s.nmi, 0.0, kExact);
}

TEST(ScoreClusteringTest, SingletonsPredictedAsOneCluster) {
  ClusteringScores s = MustScore({"1", "2", "3", "4"}, {"p", "p", "p", "p"});
  EXPECT_DOUBLE_EQ(s.pair_p, 0.0);
  EXPECT_DOUBLE_EQ(s.pair_r, 1.0);  // no gold pair: vacuously complete
  EXPECT_DOUBLE_EQ(s.bcubed_p, 0.25);
  EXPECT_DOUBLE_EQ(s.bcubed_r, 1.0);
  EXPECT_NEAR(s.ari, 0.0, kExact);
  EXPECT_NEAR(s.nmi, 0.0, kExact);
}

TEST(ScoreClusteringTest, SingleDocumentAndEmptyInputArePerfect) {
  ClusteringScores one = MustScore({"a"}, {"b"});
  EXPECT_EQ(one.documents, 1u);
  ExpectAllPerfect(one);
  ClusteringScores none = MustScore({}, {});
  EXPECT_EQ(none.documents, 0u);
  EXPECT_EQ(none.gold_clusters, 0u);
  ExpectAllPerfect(none);  // as sklearn: ARI and NMI of two empty labelings are 1
}

TEST(ScoreClusteringTest, SizeMismatchIsInvalidArgument) {
  Result<ClusteringScores> r = ScoreClustering({"a", "a", "b"}, {"x", "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find('3'), std::string::npos) << r.status().ToString();
}

// --- ReadLabels ----------------------------------------------------------------------------------

class ReadLabelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = testing_util::TestTempDir() + "samestory_eval_" + info->name() + ".jsonl";
  }
  void TearDown() override { std::remove(path_.c_str()); }

  void Write(const std::string& content) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << content;
    ASSERT_TRUE(out.good());
  }

  std::string path_;
};

TEST_F(ReadLabelsTest, ReadsStringNumberAndBooleanValues) {
  Write(
      "{\"id\": \"d1\", \"topic\": \"sports\"}\n"
      "{\"id\": 2, \"topic\": 7}\n"
      "\n"
      "   \r\n"
      "{\"topic\": \"x\", \"extra\": {\"n\": [1, 2.5e3, \"s\\n\", true, null, {}]}, \"id\": "
      "\"d5\"}\n"
      "{\"id\": -6.5, \"topic\": true}\n"
      "{\"i\\u0064\": \"d\\u0037\", \"topic\": 12345678901234567890123456789}\r\n"
      "{\"id\": \"d8\", \"topic\": 1.50 }");  // no final newline
  size_t skipped = 99;
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "topic", &skipped);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::vector<LabeledId>& v = r.value();
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0].id, "d1");
  EXPECT_EQ(v[0].label, "sports");
  EXPECT_EQ(v[1].id, "2");
  EXPECT_EQ(v[1].label, "7");  // a number label is kept as its JSON text
  EXPECT_EQ(v[2].id, "d5");
  EXPECT_EQ(v[2].label, "x");
  EXPECT_EQ(v[3].id, "-6.5");
  EXPECT_EQ(v[3].label, "true");
  EXPECT_EQ(v[4].id, "d7");                                // escaped key and value
  EXPECT_EQ(v[4].label, "12345678901234567890123456789");  // beyond 64 bits, still kept
  EXPECT_EQ(v[5].id, "d8");
  EXPECT_EQ(v[5].label, "1.50");  // JSON text, not reformatted; trailing space trimmed
  EXPECT_EQ(skipped, 0u);         // blank lines are not records
}

TEST_F(ReadLabelsTest, RecordsMissingAFieldAreSkippedAndCounted) {
  Write(
      "{\"id\": \"a\", \"story\": 1}\n"
      "{\"id\": \"b\"}\n"
      "{\"story\": 3}\n"
      "{\"id\": \"d\", \"story\": null}\n"
      "{\"id\": null, \"story\": 5}\n"
      "{\"id\": \"f\", \"story\": [1]}\n"
      "[1, 2]\n"
      "12\n"
      "\"a string\"\n"
      "null\n"
      "{}\n"
      "{\"id\": \"h\", \"story\": \"s\"}\n");
  size_t skipped = 0;
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "story", &skipped);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_EQ(r.value()[0].id, "a");
  EXPECT_EQ(r.value()[1].id, "h");
  EXPECT_EQ(skipped, 10u);
  // `skipped` may be null.
  EXPECT_TRUE(ReadLabels(path_, "id", "story", nullptr).ok());
}

TEST_F(ReadLabelsTest, OtherFieldNamesSelectOtherValues) {
  // A key that repeats keeps its first value.
  Write(
      "{\"doc\": \"x1\", \"id\": \"ignored\", \"gold\": \"g\", \"story\": \"s\", "
      "\"gold\": \"2nd\", \"doc\": \"x2\"}\n");
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "doc", "gold", nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_EQ(r.value()[0].id, "x1");
  EXPECT_EQ(r.value()[0].label, "g");
}

TEST_F(ReadLabelsTest, MalformedLineIsCorruptionWithLineNumber) {
  Write(
      "{\"id\": \"a\", \"topic\": 1}\n"
      "\n"
      "{\"id\": \"b\", \"topic\": }\n"
      "{\"id\": \"c\", \"topic\": 3}\n");
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "topic", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find(path_), std::string::npos) << r.status().ToString();
}

// On Demand parses lazily; errors in fields we do not extract, or after the record, still count.
TEST_F(ReadLabelsTest, ErrorsOutsideTheExtractedFieldsAreCorruption) {
  const char* kBad[] = {
      "{\"id\": \"a\", \"topic\": 1, \"text\": [1,,2]}",
      "{\"id\": \"a\", \"topic\": 1, \"text\": tru}",
      "{\"id\": \"a\", \"topic\": 1, \"n\": 01}",
      "{\"id\": \"a\", \"topic\": 1} trailing",
      "{\"id\": \"a\" \"topic\": 1}",
      "{\"id\": \"a\", \"topic\": 1",
      "{\"id\": \"a\", \"topic\": 1, \"s\": \"bad \\q escape\"}",
      "{\"id\": \"a\", \"topic\": 1, \"s\": \"raw\ttab\"}",
      "{\"id\": \"a\", \"topic\": 1} {\"id\": \"b\", \"topic\": 2}",
      "{\"id\": \"a\", \"topic\": 1}}",
      "{\"id\": \"a\", \"topic\": \"\xff\"}",  // invalid UTF-8
      "nul",
      "12 13",
  };
  // Nesting deeper than the reader's limit is refused, not recursed into until the stack ends.
  const std::string deep = "{\"id\": \"a\", \"topic\": 1, \"x\": " + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  std::vector<std::string> cases(std::begin(kBad), std::end(kBad));
  cases.push_back(deep);
  for (const std::string& bad : cases) {
    Write("{\"id\": \"ok\", \"topic\": 0}\n" + bad + "\n");
    Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "topic", nullptr);
    ASSERT_FALSE(r.ok()) << bad.substr(0, 80);
    EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << bad.substr(0, 80);
    EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().ToString();
  }
}

TEST_F(ReadLabelsTest, ReadsGzipInput) {
  gzFile f = gzopen(path_.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const std::string content =
      "{\"id\": \"z1\", \"topic\": \"t\"}\n{\"id\": \"z2\", \"topic\": 4}\n";
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "topic", nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_EQ(r.value()[1].id, "z2");
  EXPECT_EQ(r.value()[1].label, "4");
}

TEST_F(ReadLabelsTest, MissingFileIsNotFound) {
  std::remove(path_.c_str());
  size_t skipped = 7;
  Result<std::vector<LabeledId>> r = ReadLabels(path_, "id", "topic", &skipped);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find(path_), std::string::npos) << r.status().ToString();
}

// --- ScoreLabeled --------------------------------------------------------------------------------

TEST(ScoreLabeledTest, JoinsOnIdInAnyOrderAndIgnoresPredictionOnlyIds) {
  std::vector<LabeledId> gold = {{"d1", "A"}, {"d2", "A"}, {"d3", "B"}, {"d4", "B"}};
  std::vector<LabeledId> pred = {
      {"d9", "only-in-pred"}, {"d4", "y"}, {"d2", "x"}, {"d3", "y"}, {"d8", "x"}, {"d1", "x"}};
  Result<ClusteringScores> r = ScoreLabeled(gold, pred);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->documents, 4u);
  EXPECT_EQ(r->gold_clusters, 2u);
  EXPECT_EQ(r->pred_clusters, 2u);
  EXPECT_EQ(r->missing_in_pred, 0u);
  ExpectAllPerfect(r.value());
}

TEST(ScoreLabeledTest, MissingGoldDocumentIsAPredictedSingleton) {
  // d3 is missing. The real predicted labels are the strings a careless implementation might use
  // for a missing document (its id, the empty string): d3 must still be alone.
  std::vector<LabeledId> gold = {{"d1", "A"}, {"d2", "A"}, {"d3", "A"}};
  std::vector<LabeledId> pred = {{"d1", "d3"}, {"d2", ""}, {"d7", "d3"}};
  Result<ClusteringScores> r = ScoreLabeled(gold, pred);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->documents, 3u);
  EXPECT_EQ(r->missing_in_pred, 1u);
  EXPECT_EQ(r->gold_clusters, 1u);
  EXPECT_EQ(r->pred_clusters, 3u);
  EXPECT_DOUBLE_EQ(r->pair_p, 1.0);
  EXPECT_DOUBLE_EQ(r->pair_r, 0.0);
  EXPECT_NEAR(r->bcubed_r, 1.0 / 3, kExact);
}

TEST(ScoreLabeledTest, MissingDocumentsScoreAsSingletons) {
  // Same as ScoreClustering over gold {d1,d2,d3} {d4} with pred {d1,d2} {d3} {d4} {d5?}: d4 and
  // d5 are missing and become two separate singletons.
  std::vector<LabeledId> gold = {{"d1", "A"}, {"d2", "A"}, {"d3", "A"}, {"d4", "B"}, {"d5", "B"}};
  std::vector<LabeledId> pred = {{"d1", "x"}, {"d2", "x"}, {"d3", "y"}};
  Result<ClusteringScores> r = ScoreLabeled(gold, pred);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->missing_in_pred, 2u);
  ClusteringScores expected = MustScore({"A", "A", "A", "B", "B"}, {"x", "x", "y", "m1", "m2"});
  EXPECT_EQ(r->pred_clusters, 4u);
  EXPECT_NEAR(r->pair_p, expected.pair_p, kExact);
  EXPECT_NEAR(r->pair_r, expected.pair_r, kExact);
  EXPECT_NEAR(r->bcubed_f1, expected.bcubed_f1, kExact);
  EXPECT_NEAR(r->ari, expected.ari, kExact);
  EXPECT_NEAR(r->nmi, expected.nmi, kExact);
  EXPECT_NEAR(r->pair_r, 1.0 / 4, kExact);  // gold pairs: 3 in A + 1 in B; only (d1,d2) kept
}

TEST(ScoreLabeledTest, DuplicateGoldIdIsInvalidArgument) {
  Result<ClusteringScores> r =
      ScoreLabeled({{"d1", "A"}, {"dup-7", "A"}, {"dup-7", "B"}}, {{"d1", "x"}, {"dup-7", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("dup-7"), std::string::npos) << r.status().ToString();
}

TEST(ScoreLabeledTest, DuplicatePredictedIdIsInvalidArgument) {
  // The duplicate is a prediction-only id: it is still an error.
  Result<ClusteringScores> r =
      ScoreLabeled({{"d1", "A"}}, {{"d1", "x"}, {"extra-3", "x"}, {"extra-3", "y"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("extra-3"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace samestory
