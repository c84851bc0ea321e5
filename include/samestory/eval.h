// Clustering evaluation: compares a predicted partition of documents with a gold one.
//
// Last stage of every pipeline, and what `samestory eval` prints. Pairwise precision/recall/F1,
// B-cubed precision/recall/F1 (Bagga & Baldwin 1998), the adjusted Rand index (Hubert & Arabie
// 1985) and normalized mutual information (arithmetic-mean normalization, as scikit-learn's
// default). Thread-safety: pure functions.
#ifndef SAMESTORY_EVAL_H_
#define SAMESTORY_EVAL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/status.h"

namespace samestory {

struct ClusteringScores {
  size_t documents = 0;        // documents scored (those with a gold label)
  size_t gold_clusters = 0;
  size_t pred_clusters = 0;
  size_t missing_in_pred = 0;  // gold documents absent from the prediction (scored as singletons)
  std::string first_missing_id;  // the first of those in gold order ("" when none)
  double pair_p = 0, pair_r = 0, pair_f1 = 0;
  double bcubed_p = 0, bcubed_r = 0, bcubed_f1 = 0;
  double ari = 0, nmi = 0;
};

// Scores `pred` against `gold`: label i of each names document i's cluster (any string).
// Conventions for degenerate cases: pairwise precision (recall) is 1 when the prediction (gold)
// has no within-cluster pair; ARI is 1 when both partitions are identical; NMI is 1 when both are a
// single cluster. Errors: InvalidArgument when the sizes differ.
Result<ClusteringScores> ScoreClustering(const std::vector<std::string>& gold,
                                         const std::vector<std::string>& pred);

// One document's label as read from a JSON Lines file.
struct LabeledId {
  std::string id;
  std::string label;  // a string value as is; a number or boolean as its JSON text
};

// Reads `id_field` and `label_field` of every record of a JSON Lines file ("-" is stdin, .gz is
// recognised). Records where either field is missing or null are skipped and counted in
// *skipped (may be null). Errors: NotFound/IOError when the file cannot be read, Corruption when
// a line is not valid JSON (with its line number).
Result<std::vector<LabeledId>> ReadLabels(std::string_view path, std::string_view id_field,
                                          std::string_view label_field, size_t* skipped);

// Joins gold and predicted labels on id and scores them. Documents only in `pred` are ignored;
// documents only in `gold` count as predicted singletons (reported in missing_in_pred).
// Errors: InvalidArgument when an id repeats within `gold` or within `pred`.
Result<ClusteringScores> ScoreLabeled(const std::vector<LabeledId>& gold,
                                      const std::vector<LabeledId>& pred);

}  // namespace samestory

#endif  // SAMESTORY_EVAL_H_
