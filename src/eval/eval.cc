#include "samestory/eval.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "io/line_reader.h"

namespace samestory {
namespace {

namespace ondemand = simdjson::ondemand;

// Cluster ids are dense uint32 so that a contingency cell key (gold << 32 | pred) fits a uint64;
// documents are capped at the same bound, which also keeps n * (n - 1) / 2 far below 2^64.
constexpr uint64_t kMaxDocuments = std::numeric_limits<uint32_t>::max();

// A label line longer than this is reported as Corruption rather than silently dropped.
constexpr size_t kMaxLineBytes = size_t{1} << 30;

// Nesting deeper than this is rejected; bounds the recursion of ValidateValue. On Demand itself
// does not enforce a depth in release builds, and asserts past its max_depth() (1024 by default)
// when SIMDJSON_DEVELOPMENT_CHECKS is on (unoptimized builds), so stay well below that.
constexpr int kMaxDepth = 1000;
static_assert(kMaxDepth + 2 < static_cast<int>(simdjson::DEFAULT_MAX_DEPTH));

// x * (x - 1) / 2 without overflow for any x < 2^32 (halve the even factor first).
uint64_t Pairs(uint64_t x) {
  if (x < 2) return 0;
  return (x % 2 == 0) ? (x / 2) * (x - 1) : x * ((x - 1) / 2);
}

double HarmonicMean(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

// Scores two partitions given as dense cluster ids: gold[i] < gold_bound, pred[i] < pred_bound.
// REQUIRES: gold.size() == pred.size() <= kMaxDocuments; bounds <= 2^32.
ClusteringScores ScoreIds(const std::vector<uint32_t>& gold, const std::vector<uint32_t>& pred,
                          size_t gold_bound, size_t pred_bound) {
  const uint64_t n = gold.size();
  ClusteringScores s;
  s.documents = gold.size();

  // Marginals (cluster sizes) and the sparse contingency table n_ij: O(n) memory.
  std::vector<uint64_t> gold_size(gold_bound, 0), pred_size(pred_bound, 0);
  std::unordered_map<uint64_t, uint64_t> cell;
  cell.reserve(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    ++gold_size[gold[i]];
    ++pred_size[pred[i]];
    ++cell[(uint64_t{gold[i]} << 32) | pred[i]];
  }

  // Pair counts: tp = pairs together in both; gold_pairs / pred_pairs = pairs together in one.
  uint64_t gold_pairs = 0, pred_pairs = 0, tp = 0;
  for (uint64_t a : gold_size) {
    if (a > 0) ++s.gold_clusters;
    gold_pairs += Pairs(a);
  }
  for (uint64_t b : pred_size) {
    if (b > 0) ++s.pred_clusters;
    pred_pairs += Pairs(b);
  }
  const long double nl = static_cast<long double>(n);
  long double bcubed_p_sum = 0, bcubed_r_sum = 0, mi = 0;
  for (const auto& [key, nij] : cell) {
    const uint64_t a = gold_size[key >> 32];
    const uint64_t b = pred_size[key & 0xffffffffu];
    tp += Pairs(nij);
    const long double x = static_cast<long double>(nij);
    // B-cubed (Bagga & Baldwin 1998): each of the n_ij documents in cell (i, j) has precision
    // n_ij / |pred_j| and recall n_ij / |gold_i|.
    bcubed_p_sum += x * x / static_cast<long double>(b);
    bcubed_r_sum += x * x / static_cast<long double>(a);
    // Mutual information term p_ij log(p_ij / (p_i p_j)). Both products are exact in long double
    // (64-bit mantissa, operands < 2^32), so a cell with n * n_ij == a * b contributes exactly 0.
    mi += (x / nl) * std::log((nl * x) / (static_cast<long double>(a) * b));
  }

  // Pairwise precision/recall; no pair on one side is vacuously perfect (see eval.h).
  s.pair_p = pred_pairs == 0 ? 1.0 : static_cast<double>(static_cast<long double>(tp) / pred_pairs);
  s.pair_r = gold_pairs == 0 ? 1.0 : static_cast<double>(static_cast<long double>(tp) / gold_pairs);
  s.pair_f1 = HarmonicMean(s.pair_p, s.pair_r);

  s.bcubed_p = n == 0 ? 1.0 : static_cast<double>(bcubed_p_sum / nl);
  s.bcubed_r = n == 0 ? 1.0 : static_cast<double>(bcubed_r_sum / nl);
  s.bcubed_f1 = HarmonicMean(s.bcubed_p, s.bcubed_r);

  // ARI from the pair confusion matrix, as scikit-learn 1.2 adjusted_rand_score:
  // 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)); 1 when fn = fp = 0, i.e. the
  // partitions are identical (the denominator is positive otherwise).
  const uint64_t fp = pred_pairs - tp;
  const uint64_t fn = gold_pairs - tp;
  // tn: pairs apart in gold, minus those of them together in pred (fp); never negative.
  const uint64_t tn = (Pairs(n) - gold_pairs) - fp;
  if (fp == 0 && fn == 0) {
    s.ari = 1.0;
  } else {
    const long double ltp = tp, lfp = fp, lfn = fn, ltn = tn;
    s.ari = static_cast<double>(2 * (ltp * ltn - lfn * lfp) /
                                ((ltp + lfn) * (lfn + ltn) + (ltp + lfp) * (lfp + ltn)));
  }

  // NMI = MI / ((H(gold) + H(pred)) / 2), scikit-learn's normalized_mutual_info_score with
  // average_method="arithmetic", including its special cases: 1 when both sides are one cluster
  // (or empty), 0 when MI is 0, and the normalizer floored at double epsilon.
  if (s.gold_clusters == s.pred_clusters && s.gold_clusters <= 1) {
    s.nmi = 1.0;
  } else if (mi <= 0) {
    s.nmi = 0.0;
  } else {
    auto entropy = [nl](const std::vector<uint64_t>& sizes) {
      long double h = 0;
      for (uint64_t c : sizes) {
        if (c == 0) continue;
        const long double p = static_cast<long double>(c) / nl;
        h -= p * std::log(p);
      }
      return h;
    };
    const long double normalizer = std::max<long double>(
        (entropy(gold_size) + entropy(pred_size)) / 2, std::numeric_limits<double>::epsilon());
    s.nmi = static_cast<double>(std::min<long double>(1, mi / normalizer));
  }
  return s;
}

// Maps each string to a dense id in order of first appearance. Views point into `labels`.
std::vector<uint32_t> DenseIds(const std::vector<std::string>& labels, size_t* bound) {
  std::unordered_map<std::string_view, uint32_t> ids;
  ids.reserve(labels.size());
  std::vector<uint32_t> out;
  out.reserve(labels.size());
  for (const std::string& label : labels) {
    out.push_back(ids.emplace(label, static_cast<uint32_t>(ids.size())).first->second);
  }
  *bound = ids.size();
  return out;
}

Status TooMany(size_t n) {
  return Status::InvalidArgument("too many documents to score: " + std::to_string(n) +
                                 " (at most " + std::to_string(kMaxDocuments) + ")");
}

// Converts an escaping exception into a Status; the library never throws.
Status FromException() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected exception: ") + e.what());
  } catch (...) {
    return Status::Internal("unexpected exception");
  }
}

// --- JSON Lines ----------------------------------------------------------------------------------

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimTrailingSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. Checked on the token
// rather than with get_number() so that integers beyond 64 bits stay valid ids and labels.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Walks a whole value so that a syntax error anywhere in the line is found (On Demand only checks
// what it is asked for). Numbers are checked with IsJsonNumber, strings are unescaped.
simdjson::error_code ValidateValue(ondemand::value value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  ondemand::json_type type;
  if (auto e = value.type().get(type)) return e;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto e = value.get_object().get(object)) return e;
      for (auto field_result : object) {
        ondemand::field field;
        if (auto e = std::move(field_result).get(field)) return e;
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        if (auto e = ValidateValue(field.value(), depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto e = value.get_array().get(array)) return e;
      for (auto element_result : array) {
        ondemand::value element;
        if (auto e = std::move(element_result).get(element)) return e;
        if (auto e = ValidateValue(element, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number:
      return IsJsonNumber(TrimTrailingSpace(value.raw_json_token())) ? simdjson::SUCCESS
                                                                     : simdjson::NUMBER_ERROR;
    case ondemand::json_type::string: {
      std::string_view unused;
      return value.get_string().get(unused);
    }
    case ondemand::json_type::boolean: {
      bool unused;
      return value.get_bool().get(unused);
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

// Validates a scalar root document (a line that is a lone string, number, boolean or null). The
// root getters reject trailing content themselves; a number is checked on the whole line.
simdjson::error_code ValidateScalarDocument(ondemand::document& doc, ondemand::json_type type,
                                            std::string_view line) {
  switch (type) {
    case ondemand::json_type::number: {
      while (!line.empty() && IsJsonSpace(line.front())) line.remove_prefix(1);
      return IsJsonNumber(TrimTrailingSpace(line)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    }
    case ondemand::json_type::string: {
      std::string_view unused;
      return doc.get_string().get(unused);
    }
    case ondemand::json_type::boolean: {
      bool unused;
      return doc.get_bool().get(unused);
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (auto e = doc.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    default:
      return simdjson::TAPE_ERROR;
  }
}

// One of the two fields we extract from a record.
struct Wanted {
  std::string_view name;
  std::string* out;
  bool found = false;  // a string, number or boolean value was stored in *out
  bool seen = false;   // the key appeared (the first occurrence wins)
};

// Stores a string as is, a number or boolean as its JSON text; leaves null, objects and arrays
// unstored (the record is then skipped) but still validates them.
simdjson::error_code Extract(ondemand::value value, Wanted* wanted) {
  ondemand::json_type type;
  if (auto e = value.type().get(type)) return e;
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view text;
      if (auto e = value.get_string().get(text)) return e;
      wanted->out->assign(text);
      wanted->found = true;
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      std::string_view token = TrimTrailingSpace(value.raw_json_token());
      if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
      wanted->out->assign(token);
      wanted->found = true;
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool b;
      if (auto e = value.get_bool().get(b)) return e;
      wanted->out->assign(b ? "true" : "false");
      wanted->found = true;
      return simdjson::SUCCESS;
    }
    default:
      return ValidateValue(value, 1);
  }
}

// Parses one non-blank line. Sets *complete when both fields were found.
simdjson::error_code ParseRecord(ondemand::parser& parser, std::string_view line, Wanted* id,
                                 Wanted* label, bool* complete) {
  *complete = false;
  ondemand::document doc;
  if (auto e = parser
                   .iterate(simdjson::padded_string_view(line.data(), line.size(),
                                                         line.size() + internal::kLinePadding))
                   .get(doc)) {
    return e;
  }
  ondemand::json_type type;
  if (auto e = doc.type().get(type)) return e;
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    if (auto e = doc.get_object().get(object)) return e;
    for (auto field_result : object) {
      ondemand::field field;
      if (auto e = std::move(field_result).get(field)) return e;
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return e;
      Wanted* wanted = nullptr;
      // Compare before the next string is unescaped: `key` lives in the parser's string buffer.
      if (!id->seen && key == id->name) {
        wanted = id;
      } else if (!label->seen && key == label->name) {
        wanted = label;
      }
      if (wanted != nullptr) {
        wanted->seen = true;
        if (auto e = Extract(field.value(), wanted)) return e;
      } else if (auto e = ValidateValue(field.value(), 1)) {
        return e;
      }
    }
    *complete = id->found && label->found;
  } else if (type == ondemand::json_type::array) {
    // Valid JSON but not a record (an array or a scalar): validated, then skipped.
    ondemand::array array;
    if (auto e = doc.get_array().get(array)) return e;
    for (auto element_result : array) {
      ondemand::value element;
      if (auto e = std::move(element_result).get(element)) return e;
      if (auto e = ValidateValue(element, 1)) return e;
    }
  } else {
    return ValidateScalarDocument(doc, type, line);
  }
  // A second value after the first (`{...} {...}`): On Demand stops after the first one, and
  // current_location() is OUT_OF_BOUNDS only once every token has been consumed.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS) return simdjson::SUCCESS;
  return simdjson::TRAILING_CONTENT;
}

bool IsBlank(std::string_view line) { return std::all_of(line.begin(), line.end(), IsJsonSpace); }

// `status` with "<path>: " in front of its message, same code.
Status WithPath(std::string_view path, const Status& status) {
  if (status.ok()) return status;
  return Status::FromCode(status.code(), std::string(path) + ": " + status.message());
}

Result<std::vector<LabeledId>> ReadLabelsImpl(std::string_view path, std::string_view id_field,
                                              std::string_view label_field, size_t* skipped) {
  Result<std::unique_ptr<internal::LineReader>> opened = internal::LineReader::Open(path);
  if (!opened.ok()) return opened.status();  // LineReader names the path already
  internal::LineReader& reader = **opened;

  std::vector<LabeledId> out;
  ondemand::parser parser;
  internal::LineReader::Line line;
  LabeledId record;
  while (reader.Next(kMaxLineBytes, &line)) {
    if (line.skipped) {
      return Status::Corruption(std::string(path) + ": line " + std::to_string(line.number) +
                                " is longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    if (IsBlank(line.text)) continue;
    Wanted id{id_field, &record.id};
    Wanted label{label_field, &record.label};
    bool complete = false;
    if (simdjson::error_code e = ParseRecord(parser, line.text, &id, &label, &complete)) {
      if (e == simdjson::MEMALLOC) return Status::Internal("out of memory");
      return Status::Corruption(std::string(path) + ": line " + std::to_string(line.number) +
                                ": invalid JSON: " + simdjson::error_message(e));
    }
    if (complete) {
      out.push_back(std::move(record));
      record = LabeledId();
    } else if (skipped != nullptr) {
      ++*skipped;
    }
  }
  if (!reader.status().ok()) return WithPath(path, reader.status());
  return out;
}

}  // namespace

Result<ClusteringScores> ScoreClustering(const std::vector<std::string>& gold,
                                         const std::vector<std::string>& pred) {
  if (gold.size() != pred.size()) {
    return Status::InvalidArgument("gold has " + std::to_string(gold.size()) +
                                   " labels but the prediction has " + std::to_string(pred.size()));
  }
  if (gold.size() > kMaxDocuments) return TooMany(gold.size());
  try {
    size_t gold_bound = 0, pred_bound = 0;
    std::vector<uint32_t> gold_ids = DenseIds(gold, &gold_bound);
    std::vector<uint32_t> pred_ids = DenseIds(pred, &pred_bound);
    return ScoreIds(gold_ids, pred_ids, gold_bound, pred_bound);
  } catch (...) {
    return FromException();
  }
}

Result<std::vector<LabeledId>> ReadLabels(std::string_view path, std::string_view id_field,
                                          std::string_view label_field, size_t* skipped) {
  if (skipped != nullptr) *skipped = 0;
  try {
    return ReadLabelsImpl(path, id_field, label_field, skipped);
  } catch (...) {
    return FromException();
  }
}

Result<ClusteringScores> ScoreLabeled(const std::vector<LabeledId>& gold,
                                      const std::vector<LabeledId>& pred) {
  if (gold.size() > kMaxDocuments) return TooMany(gold.size());
  if (pred.size() > kMaxDocuments) return TooMany(pred.size());
  try {
    // Predicted cluster id of every predicted document, keyed by document id.
    std::unordered_map<std::string_view, uint32_t> pred_label_ids;
    std::unordered_map<std::string_view, uint32_t> pred_cluster_of;
    pred_label_ids.reserve(pred.size());
    pred_cluster_of.reserve(pred.size());
    for (const LabeledId& p : pred) {
      uint32_t cluster =
          pred_label_ids.emplace(p.label, static_cast<uint32_t>(pred_label_ids.size()))
              .first->second;
      if (!pred_cluster_of.emplace(p.id, cluster).second) {
        return Status::InvalidArgument("duplicate id in the prediction: " + p.id);
      }
    }

    std::unordered_map<std::string_view, uint32_t> gold_label_ids;
    std::unordered_set<std::string_view> gold_seen;
    gold_label_ids.reserve(gold.size());
    gold_seen.reserve(gold.size());
    std::vector<uint32_t> gold_ids, pred_ids;
    gold_ids.reserve(gold.size());
    pred_ids.reserve(gold.size());
    // A gold document missing from the prediction gets a fresh cluster id past every real one, so
    // it is a singleton whatever strings the real labels are.
    size_t next_singleton = pred_label_ids.size();
    size_t missing = 0;
    std::string first_missing;
    for (const LabeledId& g : gold) {
      if (!gold_seen.insert(g.id).second) {
        return Status::InvalidArgument("duplicate id in the gold labels: " + g.id);
      }
      gold_ids.push_back(
          gold_label_ids.emplace(g.label, static_cast<uint32_t>(gold_label_ids.size()))
              .first->second);
      auto it = pred_cluster_of.find(g.id);
      if (it != pred_cluster_of.end()) {
        pred_ids.push_back(it->second);
      } else {
        pred_ids.push_back(static_cast<uint32_t>(next_singleton++));
        if (missing++ == 0) first_missing = g.id;
      }
    }
    // next_singleton <= |pred| + |gold| < 2^33 could exceed a uint32 cluster id.
    if (next_singleton > kMaxDocuments) return TooMany(next_singleton);
    ClusteringScores scores = ScoreIds(gold_ids, pred_ids, gold_label_ids.size(), next_singleton);
    scores.missing_in_pred = missing;
    scores.first_missing_id = std::move(first_missing);
    return scores;
  } catch (...) {
    return FromException();
  }
}

}  // namespace samestory
