#include "samestory/feed.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/utils/distances.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <deque>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "cluster/document_frequencies.h"
#include "cluster/knn_index.h"
#include "cluster/projection.h"
#include "cluster/story_linkage.h"
#include "feed/log.h"
#include "io/binary_file.h"
#include "io/json_writer.h"
#include "io/line_reader.h"
#include "samestory/lsh.h"
#include "samestory/fingerprint.h"
#include "samestory/text.h"

// BLAS (Fortran interface, present in every BLAS; FAISS links one): y = A^T x.
extern "C" void sgemv_(const char* trans, const int* m, const int* n, const float* alpha,
                       const float* a, const int* lda, const float* x, const int* incx,
                       const float* beta, float* y, const int* incy);

namespace samestory {

Status FeedOptions::Validate() const {
  if (Status s = dedup.Validate(); !s.ok()) return s;
  if (dedup.dedup.mode != DedupMode::kLsh) {
    return Status::InvalidArgument("the feed finds near-duplicates with LSH only (no --exact)");
  }
  if (Status s = tfidf.Validate(); !s.ok()) return s;
  if (Status s = cluster.Validate(); !s.ok()) return s;
  if (!(dup_window_days > 0) || !(story_window_days > 0)) {
    return Status::InvalidArgument("windows must be positive");
  }
  if (dup_window_days > story_window_days) {
    return Status::InvalidArgument("the duplicate window must not be longer than the story window");
  }
  if (snapshot_every < 1) return Status::InvalidArgument("snapshot_every must be >= 1");
  if (merge_every < 1) return Status::InvalidArgument("merge_every must be >= 1");
  if (sync_every < 1) return Status::InvalidArgument("sync_every must be >= 1");
  return Status::OK();
}

namespace {

constexpr char kSnapshotMagic[8] = {'S', 'S', 'S', 'N', 'A', 'P', '0', '2'};
constexpr int64_t kUndated = INT64_MAX;
constexpr uint32_t kNoNode = UINT32_MAX;
// A log entry's too-large length that marks a merge pass (Feed::Flush), not a record.
constexpr uint64_t kMergePassEntry = UINT64_MAX;

std::string OptionsText(const FeedOptions& o) {
  std::ostringstream s;
  s.precision(17);
  const DedupPipelineOptions& d = o.dedup;
  s << "format 2\n"
    << "id_field " << d.reader.id_field << "\nmax_record_bytes " << d.reader.max_record_bytes
    << "\naccents " << static_cast<int>(d.text.accents) << "\nelisions "
    << static_cast<int>(d.text.elisions) << "\ngram " << d.fingerprint.gram_bytes << " "
    << d.fingerprint.sketch_bins << " " << d.fingerprint.sample_rate << " "
    << d.fingerprint.min_sample << " " << d.fingerprint.short_words << " "
    << d.fingerprint.max_facts << " " << d.fingerprint.seed << "\ncopy_rule "
    << d.dedup.rule.threshold << " " << d.dedup.rule.partial_below << " "
    << d.dedup.rule.window_hours << " " << d.dedup.rule.short_words << " "
    << d.dedup.rule.short_window_hours << " " << d.dedup.rule.correction_hours << " "
    << d.dedup.rule.correction_ratio << " " << d.dedup.rule.name_ratio << " "
    << d.dedup.rule.short_threshold << " " << d.dedup.rule.min_compared << " "
    << d.dedup.rule.check_facts << " " << d.dedup.rule.check_titles << " "
    << d.fingerprint.anchors << " " << d.fingerprint.anchor_words << "\nlsh " << d.dedup.lsh_threshold << " "
    << d.dedup.recall_at_threshold << " " << d.dedup.bands << " " << d.dedup.rows << " "
    << d.dedup.bucket_window
    << "\nstemming " << static_cast<int>(o.tfidf.stemming) << "\ntitle_weight "
    << o.tfidf.title_weight << "\ncapital_weight " << o.tfidf.capital_weight << "\nsublinear_tf "
    << o.tfidf.sublinear_tf << "\nmax_df " << o.tfidf.max_df << " "
    << o.tfidf.max_df_min_documents << "\nmin_term_bytes " << o.tfidf.min_term_bytes
    << "\nstory_threshold " << o.cluster.threshold << "\njoin " << o.cluster.join_threshold << " "
    << o.cluster.join_min_size << "\ncandidates " << o.cluster.candidates
    << "\nknn " << o.cluster.knn << "\nedge_floor " << o.cluster.edge_floor << "\ndim "
    << o.cluster.dim << "\nwindow_days " << o.cluster.window_days << "\ndate_slack_days "
    << o.cluster.date_slack_days << "\nprojection_seed " << o.cluster.seed
    << "\ndup_window_days " << o.dup_window_days << "\nstory_window_days "
    << o.story_window_days << "\nmerge_every " << o.merge_every << "\n";
  return s.str();
}

using internal::Crc;
using internal::Cursor;
using internal::FsyncPath;
using internal::PutStr;
using internal::PutU32;
using internal::PutU64;
using internal::ReadWholeFile;
// Bounds on the state's files, checked before they are read: a snapshot or log holds a few
// hundred bytes an answered article, the options file a few lines.
constexpr uint64_t kMaxStateFileBytes = uint64_t{1} << 40;
constexpr uint64_t kMaxOptionsFileBytes = uint64_t{1} << 20;
using internal::WriteFileAtomically;

}  // namespace

// The stateless part of one record: what the parser, tokenizer, shingler, MinHash and term
// extractor make of it.
struct PreparedRecord::Impl {
  std::string line;
  uint64_t line_no = 0;
  bool blank = false;
  uint64_t too_large = 0;           // a line over max_record_bytes: its length (`line` is empty)
  Document doc;
  uint64_t content_hash = 0;
  CopyFingerprint fingerprint;
  std::vector<TermCount> terms;     // sorted by term hash
};

namespace {

using Prepared = PreparedRecord::Impl;

// One article inside the story window.
struct Article {
  uint64_t seq = 0;
  std::string id;
  int64_t time = 0;                  // date, or the clock when it arrived undated
  std::optional<UnixSeconds> date;
  uint64_t content_hash = 0;
  std::string record;                // the input line, for snapshots
  std::string decision;              // the answer, repeated for a replayed record
  bool bad = false;
  bool copy = false;
  bool in_dup_window = false;
  // Copy matching (while in the duplicate window): the fingerprint (its sketch dropped once the
  // band keys are made) and the band keys.
  CopyFingerprint fingerprint;
  std::vector<uint32_t> band_keys;
  std::string dup_rep;               // id of its group's representative (itself for an original)
  // Its story: its node in the story linkage (an original's own; a copy's is its original's).
  uint32_t node = kNoNode;
  bool new_story = false;            // it started a story when it was answered
  std::vector<float> row;            // an original's projected vector, until it is indexed
  std::vector<std::pair<uint32_t, float>> terms;    // (term slot, count)
  std::vector<std::pair<uint64_t, float>> arrival;  // (term hash, weight) projected into the index
};

}  // namespace

struct Feed::Impl {
  std::string dir;
  FeedOptions options;
  FeedStats stats;
  int lock_fd = -1;
  internal::LogWriter log;
  uint64_t since_snapshot = 0;

  FeedPreparer preparer;
  std::optional<LshBanding> banding;  // the batch's banding, for the same options

  // State.
  uint64_t next_seq = 1;     // sequence number of the next record answered (1-based)
  std::string last_answer;   // the decision of record next_seq - 1
  uint64_t digest = 0;       // Feed::ChainDigest over every record answered
  int64_t clock = INT64_MIN;
  std::unordered_map<uint64_t, Article> articles;         // seq -> article (story window)
  std::set<std::pair<int64_t, uint64_t>> dup_by_time, story_by_time;
  std::unordered_map<uint64_t, uint64_t> by_content;      // content hash -> seq
  std::unordered_map<uint64_t, uint64_t> by_id;           // id hash -> seq (valid records)
  // (column, key) -> seqs, in arrival order: evictions (in time order) take them from the front.
  std::unordered_map<uint64_t, std::deque<uint64_t>> buckets;
  std::unordered_map<uint64_t, uint64_t> short_seq;       // short text hash -> latest seq
  std::unordered_map<uint32_t, uint32_t> title_df;        // title token -> articles (dup window)
  uint64_t dup_window_articles = 0;
  // The originals of the story window, counted by the batch's TF-IDF rule.
  std::optional<internal::DocumentFrequencies> frequencies;
  // Stories: the batch's rule (internal::StoryLinkage) over the kNN edges each original brings
  // when it arrives. A cluster's size counts every original it ever held (the average-link
  // denominator: as in the batch, members out of reach count as similarity 0). Per cluster root:
  // its story id (the id it was first answered under; a merge keeps the id of the story whose
  // earliest article is earliest) and the articles of the story window that belong to it (at 0
  // the cluster is forgotten).
  std::optional<internal::StoryLinkage> linkage;
  std::unordered_map<uint32_t, std::string> label;
  std::unordered_map<uint32_t, uint32_t> live;
  uint64_t pending_merges = 0;                            // articles since the last merge pass
  bool broken = false;                                    // a log write failed: reopen the state
  std::unique_ptr<faiss::IndexIDMap2> index;
  std::vector<faiss::Index::idx_t> dead;                  // evicted, not yet removed
  std::vector<int64_t> row_time;    // per index row: the article's date, kUndated if none
  std::vector<uint8_t> row_alive;   // per index row: 0 once evicted (removed later, in bulk)
  std::vector<int64_t> prefix_max;  // running max of row_time (binary-searched for reach)
  std::vector<float> dense;                               // scatter array over term slots
  // One query at a time: BLAS's own threads would only spin (and yield) around each product.
  internal::SingleThreadedBlas single_threaded_blas{true};
  std::vector<float> scores;                              // search scratch
  std::vector<int> order;

  explicit Impl(FeedPreparer p) : preparer(std::move(p)) {}

  ~Impl() {
    if (lock_fd >= 0) ::close(lock_fd);
  }

  std::string LogPath() const { return dir + "/log"; }
  std::string SnapshotPath() const { return dir + "/snapshot"; }

  // ---- stateless preparation ----
  Prepared Prepare(std::string_view line, uint64_t line_no) {
    PreparedRecord r = preparer.Prepare(line, line_no);
    return std::move(*r.impl_);
  }
  Prepared PrepareTooLarge(uint64_t line_no, uint64_t bytes) {
    PreparedRecord r = preparer.PrepareTooLarge(line_no, bytes);
    return std::move(*r.impl_);
  }

  // Keys join documents column by column, as in the batch.
  static uint64_t ColumnKey(size_t column, uint32_t key) { return (uint64_t{column} << 32) | key; }
  std::vector<uint32_t> BandKeys(const CopyFingerprint& fp) const {
    std::vector<uint32_t> keys(CandidateKeyCount(*banding, options.dedup.fingerprint));
    CandidateKeys(*banding, fp, keys.data());
    return keys;
  }
  std::vector<uint32_t> TitleDf(const CopyFingerprint& fp) const {
    std::vector<uint32_t> df(fp.title.size());
    for (size_t i = 0; i < df.size(); ++i) {
      auto it = title_df.find(fp.title[i] & CopyFingerprint::kTitleWord);
      df[i] = it == title_df.end() ? 0 : it->second;
    }
    return df;
  }

  // ---- TF-IDF under the current document frequencies ----
  void AddTerms(Article& a, const std::vector<TermCount>& terms) {
    frequencies->Add(terms, &a.terms);
    if (dense.size() < frequencies->slots()) dense.resize(frequencies->slots(), 0.0f);
  }
  void RemoveTerms(const Article& a) { frequencies->Remove(a.terms); }
  double Idf(uint32_t slot) const {  // 0 for a term the rule drops
    return frequencies->Dropped(slot) ? 0.0 : frequencies->Idf(slot);
  }

  // The batch's projection (cluster/projection.h) of (term hash, weight) pairs.
  std::vector<float> Project(const std::vector<std::pair<uint64_t, float>>& v) const {
    const int dim = options.cluster.dim;
    std::vector<float> row(static_cast<size_t>(dim), 0.0f);
    for (const auto& [hash, w] : v) {
      internal::AddProjectedTerm(hash, w, dim, options.cluster.seed, row.data());
    }
    internal::NormalizeRow(dim, row.data());
    return row;
  }

  // The story a node belongs to now.
  const std::string& StoryOf(uint32_t node) {
    static const std::string kNone;
    auto it = label.find(linkage->Find(node));
    return it == label.end() ? kNone : it->second;
  }

  // ---- decisions ----
  struct Decision {
    std::string json;
    std::optional<Article> article;  // what to add to the state; none for a repeated record
    std::vector<TermCount> terms;    // an original's terms (added to the document frequencies)
    uint64_t merges = 0;             // merge records in json
  };

  static std::string ErrorJson(const Document& d, std::string_view error) {
    std::string j;
    internal::AppendRecordError(d.id, d.line, error, /*with_story=*/true, &j);
    j += "}";
    return j;
  }

  Decision Decide(std::string_view line, Prepared& p) {
    Decision out;
    if (auto it = line.empty() ? by_content.end() : by_content.find(p.content_hash);
        it != by_content.end()) {
      const Article& seen = articles.at(it->second);
      if (seen.record == line) {
        out.json = seen.decision;
        return out;
      }
    }
    Article a;
    a.seq = next_seq;
    a.content_hash = p.content_hash;
    a.record.assign(line);
    a.id = p.doc.id;
    a.date = p.doc.error.empty() ? p.doc.date : std::nullopt;
    const int64_t now = a.date && *a.date > clock ? *a.date : clock;
    a.time = a.date ? *a.date : now;
    std::string error = p.doc.error;
    if (error.empty()) {
      if (auto it = by_id.find(XXH3_64bits(a.id.data(), a.id.size())); it != by_id.end()) {
        error = "duplicate id (already answered as article " + std::to_string(it->second) +
                " of this feed)";
      }
    }
    if (!error.empty()) {
      a.bad = true;
      out.json = ErrorJson(p.doc, error);
      a.decision = out.json;
      out.article = std::move(a);
      return out;
    }
    // 1. Copy: the batch's copy rule against the candidates of the duplicate window (the latest
    // bucket_window of each bucket, as the batch windows big buckets); the best is the one that
    // holds the most of the shorter text, ties the earliest.
    const Article* best = nullptr;
    double best_score = 0;
    DupKind best_kind = DupKind::kNone;
    a.fingerprint = std::move(p.fingerprint);
    std::vector<uint64_t> candidates;
    if (a.fingerprint.kind == CopyFingerprint::Kind::kShort) {
      if (auto it = short_seq.find(a.fingerprint.text_hash); it != short_seq.end()) {
        candidates.push_back(it->second);
      }
    } else {
      a.band_keys = BandKeys(a.fingerprint);
      std::vector<uint32_t>().swap(a.fingerprint.sketch);
      const size_t window = static_cast<size_t>(options.dedup.dedup.bucket_window);
      for (size_t column = 0; column < a.band_keys.size(); ++column) {
        if (a.band_keys[column] == 0) continue;  // no key
        auto it = buckets.find(ColumnKey(column, a.band_keys[column]));
        if (it == buckets.end()) continue;
        const auto& members = it->second;
        const size_t from = members.size() > window ? members.size() - window : 0;
        candidates.insert(candidates.end(), members.begin() + static_cast<ptrdiff_t>(from),
                          members.end());
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    }
    if (!candidates.empty()) {
      ++dup_window_articles;  // the article counts in the title frequencies it is judged with
      for (uint32_t t : a.fingerprint.title) ++title_df[t & CopyFingerprint::kTitleWord];
      const std::vector<uint32_t> df = TitleDf(a.fingerprint);
      const uint32_t rare = static_cast<uint32_t>(dup_window_articles / 1000);
      stats.copy_candidates += candidates.size();
      for (uint64_t c : candidates) {
        const Article& o = articles.at(c);
        const std::vector<uint32_t> odf = TitleDf(o.fingerprint);
        const CopyVerdict v = JudgeCopy(a.fingerprint, {a.date, df}, o.fingerprint, {o.date, odf},
                                        options.dedup.dedup.rule, rare);
        if (v.kind == DupKind::kNone) continue;
        if (best == nullptr || v.containment > best_score) {  // ascending seq: ties keep the earliest
          best = &o;
          best_score = v.containment;
          best_kind = v.kind;
        }
      }
      for (uint32_t t : a.fingerprint.title) {
        const uint32_t w = t & CopyFingerprint::kTitleWord;
        if (--title_df[w] == 0) title_df.erase(w);
      }
      --dup_window_articles;
    }
    std::string j = "{\"id\":";
    internal::AppendJsonString(a.id, &j);
    std::string merges;
    if (best != nullptr) {
      a.copy = true;
      a.dup_rep = best->dup_rep;
      a.node = best->node;
      internal::AppendRecordDup(a.dup_rep, best_score, DupKindName(best_kind), &j);
      j += ",\"story\":";
      internal::AppendJsonString(StoryOf(a.node), &j);
      j += ",\"story_score\":null,\"new_story\":false}";
    } else {
      a.dup_rep = a.id;
      // 2. Story. The article counts in the document frequencies it is weighed with (as in the
      // batch, where it is part of the fitted corpus).
      out.terms = std::move(p.terms);
      out.merges = PlaceInStory(a, out.terms, &j, &merges);
    }
    a.decision = std::move(j);
    out.json = a.decision + merges;
    out.article = std::move(a);
    return out;
  }

  // Places the article in a story (appending "dup", "story", "story_score", "new_story" to *j):
  // its node and kNN edges go into the story linkage, which merges by the batch's rule; merges
  // of stories answered before are appended to *merges as merge records, one per line, each
  // after a newline. Returns how many. Fills a.arrival, a.terms (so AddTerms must not be called
  // again), a.row and a.node.
  uint64_t PlaceInStory(Article& a, const std::vector<TermCount>& terms, std::string* j,
                        std::string* merges) {
    AddTerms(a, terms);
    double norm = 0;
    for (size_t i = 0; i < terms.size(); ++i) {
      const uint32_t s = a.terms[i].first;
      const double w = static_cast<double>(a.terms[i].second) * Idf(s);
      norm += w * w;
    }
    const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    for (size_t i = 0; i < terms.size(); ++i) {
      const uint32_t s = a.terms[i].first;
      const double idf = Idf(s);
      if (idf == 0) continue;
      const float w = static_cast<float>(static_cast<double>(a.terms[i].second) * idf * inv);
      dense[s] = w;
      a.arrival.emplace_back(terms[i].term, w);
    }
    // Candidates from the index (alive ones: evicted entries may still be there).
    struct Edge {
      double sim;
      uint64_t seq;
    };
    std::vector<Edge> edges;
    const faiss::Index::idx_t alive = index->ntotal - static_cast<faiss::Index::idx_t>(dead.size());
    if (norm > 0) a.row = Project(a.arrival);
    if (alive > 0 && norm > 0) {
      // Inner products with every vector the index stores, in one BLAS matrix-vector product
      // (FAISS's own search packs the whole base for a single query: several times slower).
      const std::vector<float>& q = a.row;
      const auto* flat = static_cast<const faiss::IndexFlat*>(index->index);
      // Dated query: rows before `lo` are all dated beyond reach (before the query's date minus
      // the reach, past which damping puts any similarity under the edge floor), so they are not
      // scanned; other out-of-reach rows are skipped below. Candidates are the best in-reach rows.
      const int64_t reach = static_cast<int64_t>(internal::DateReachSeconds(options.cluster));
      size_t lo = 0;
      if (a.date) {
        lo = static_cast<size_t>(
            std::lower_bound(prefix_max.begin(), prefix_max.end(), *a.date - reach) -
            prefix_max.begin());
      }
      const int dim = options.cluster.dim, one = 1;
      const int rows = static_cast<int>(index->ntotal - static_cast<faiss::Index::idx_t>(lo));
      const float alpha = 1.0f, beta = 0.0f;
      scores.resize(static_cast<size_t>(std::max(rows, 0)));
      order.clear();
      if (rows > 0) {
        sgemv_("T", &dim, &rows, &alpha, flat->get_xb() + lo * static_cast<size_t>(dim), &dim,
               q.data(), &one, &beta, scores.data(), &one);
        for (int r = 0; r < rows; ++r) {
          const size_t row = lo + static_cast<size_t>(r);
          if (!row_alive[row]) continue;  // evicted, not yet removed from the index
          const int64_t t = row_time[row];
          if (a.date && t != kUndated && std::abs(t - *a.date) > reach) continue;
          order.push_back(r);
        }
      }
      const size_t k = std::min<size_t>(order.size(), static_cast<size_t>(options.cluster.candidates));
      // Best first; equal scores by article sequence number, so ties do not depend on positions.
      auto better = [&](int l, int r) {
        const float sl = scores[static_cast<size_t>(l)], sr = scores[static_cast<size_t>(r)];
        if (sl != sr) return sl > sr;
        return index->id_map[lo + static_cast<size_t>(l)] < index->id_map[lo + static_cast<size_t>(r)];
      };
      if (k < order.size()) {
        std::nth_element(order.begin(), order.begin() + static_cast<ptrdiff_t>(k), order.end(),
                         better);
      }
      std::sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(k), better);
      int taken = 0;
      for (size_t r = 0; r < k && taken < options.cluster.candidates; ++r) {
        const uint64_t seq =
            static_cast<uint64_t>(index->id_map[lo + static_cast<size_t>(order[r])]);
        auto it = articles.find(seq);
        if (it == articles.end() || it->second.copy || it->second.bad) continue;  // evicted
        ++taken;
        const Article& o = it->second;
        double dot = 0, onorm = 0;
        for (const auto& [s, tf] : o.terms) {
          const double w = tf * Idf(s);
          onorm += w * w;
          dot += static_cast<double>(dense[s]) * w;
        }
        if (onorm <= 0) continue;
        const double sim =
            dot / std::sqrt(onorm) * internal::DateDamping(options.cluster, a.date, o.date);
        if (sim >= options.cluster.edge_floor && sim > 0) edges.push_back({sim, o.seq});
      }
    }
    for (const auto& [s, c] : a.terms) dense[s] = 0.0f;
    std::sort(edges.begin(), edges.end(), [](const Edge& l, const Edge& r) {
      return l.sim != r.sim ? l.sim > r.sim : l.seq < r.seq;
    });
    if (edges.size() > static_cast<size_t>(options.cluster.knn)) edges.resize(options.cluster.knn);
    a.node = linkage->AddNode(a.date);
    label.emplace(a.node, a.id);
    for (const Edge& e : edges) linkage->AddEdge(a.node, articles.at(e.seq).node, e.sim);
    if (!a.row.empty()) linkage->AddRow(a.node, a.row.data());
    std::optional<double> joined;  // the link with which the article joined a story
    uint64_t count = 0;
    if (++pending_merges >= options.merge_every) count = MergePass(a.node, &joined, merges);
    internal::AppendRecordDup(a.id, 1.0, "", j);
    *j += ",\"story\":";
    internal::AppendJsonString(StoryOf(a.node), j);
    if (joined) {
      *j += ",\"story_score\":";
      internal::AppendFixed4(*joined, j);
      *j += ",\"new_story\":false}";
    } else {
      a.new_story = true;
      *j += ",\"story_score\":null,\"new_story\":true}";
    }
    return count;
  }

  // Merges what the edges added since the last pass make mergeable, by the batch's rule. A merge
  // of the `arriving` node while it is alone is its answer (*joined: the link); every other merge
  // is appended to *merges as a merge record (after a newline). Returns how many.
  uint64_t MergePass(uint32_t arriving, std::optional<double>* joined, std::string* merges) {
    pending_merges = 0;
    uint64_t count = 0;
    const auto report = [&](uint32_t keep, uint32_t gone, double link, bool) {
      const bool arrival = arriving != kNoNode && (gone == arriving || keep == arriving) &&
                           linkage->ClusterSize(arriving) == 1 &&
                           linkage->Find(arriving) == arriving;
      std::string survivor;
      if (arrival) {  // the article joins a story: its answer, not a merge
        *joined = link;
        survivor = label[keep == arriving ? gone : keep];
      } else {
        const bool keep_first = linkage->Before(linkage->Earliest(keep), linkage->Earliest(gone));
        survivor = label[keep_first ? keep : gone];
        *merges += "\n{\"merge\":";
        internal::AppendJsonString(label[keep_first ? gone : keep], merges);
        *merges += ",\"into\":";
        internal::AppendJsonString(survivor, merges);
        *merges += ",\"score\":";
        internal::AppendFixed4(link, merges);
        *merges += "}";
        ++count;
      }
      label[keep] = std::move(survivor);
      label.erase(gone);
      if (auto it = live.find(gone); it != live.end()) {
        live[keep] += it->second;
        live.erase(gone);
      }
    };
    linkage->MergeGraph(report);
    linkage->MergeJoin(report);
    return count;
  }

  void AddRow(Article& a) {
    const std::vector<float> v = a.row.empty() ? Project(a.arrival) : std::move(a.row);
    std::vector<float>().swap(a.row);
    const faiss::Index::idx_t id = static_cast<faiss::Index::idx_t>(a.seq);
    index->add_with_ids(1, v.data(), &id);
    const int64_t t = a.date ? *a.date : kUndated;
    row_time.push_back(t);
    row_alive.push_back(1);
    prefix_max.push_back(prefix_max.empty() ? t : std::max(prefix_max.back(), t));
  }

  // ---- state changes ----
  // Records a logged decision: counts it and applies its article, if a new one.
  // `count`: false while recovering (the stats describe this run's answers).
  void Commit(Decision d, bool count, const Prepared& p) {
    digest = Feed::ChainDigest(digest, p.line, p.too_large);
    ++since_snapshot;
    last_answer = std::move(d.json);
    if (count) {
      ++stats.records;
      if (!d.article) {
        ++stats.replayed;
      } else if (d.article->bad) {
        ++stats.bad_records;
      } else if (d.article->copy) {
        ++stats.duplicates;
      } else if (d.article->new_story) {
        ++stats.new_stories;
      }
      stats.merges += d.merges;
    }
    if (d.article) {
      Apply(std::move(*d.article));
    } else {
      ++next_seq;
    }
    stats.dup_window_articles = dup_by_time.size();
    stats.story_window_articles = story_by_time.size();
  }

  // Adds a decided article (terms already counted for an original) and evicts what the clock
  // leaves behind.
  void Apply(Article a) {
    next_seq = a.seq + 1;
    if (a.date && *a.date > clock) clock = *a.date;
    Insert(std::move(a), /*dup_window=*/true);
    Evict();
  }

  // Puts an article into the indexes. `dup_window`: it is still in the duplicate window (a bad
  // record never is).
  void Insert(Article a, bool dup_window) {
    const uint64_t seq = a.seq;
    if (!a.record.empty()) by_content[a.content_hash] = seq;
    story_by_time.emplace(a.time, seq);
    if (!a.bad) {
      by_id[XXH3_64bits(a.id.data(), a.id.size())] = seq;
      if (dup_window) {
        a.in_dup_window = true;
        dup_by_time.emplace(a.time, seq);
        ++dup_window_articles;
        for (uint32_t t : a.fingerprint.title) ++title_df[t & CopyFingerprint::kTitleWord];
        if (a.fingerprint.kind == CopyFingerprint::Kind::kShort) {
          short_seq[a.fingerprint.text_hash] = seq;
        } else {
          for (size_t column = 0; column < a.band_keys.size(); ++column) {
            if (a.band_keys[column] != 0) buckets[ColumnKey(column, a.band_keys[column])].push_back(seq);
          }
        }
      }
      ++live[linkage->Find(a.node)];
      if (!a.copy && !a.arrival.empty()) AddRow(a);
    }
    articles.emplace(seq, std::move(a));
  }

  void Evict() {
    if (clock == INT64_MIN) return;
    const int64_t dup_limit = clock - static_cast<int64_t>(options.dup_window_days * 86400.0);
    while (!dup_by_time.empty() && dup_by_time.begin()->first < dup_limit) {
      Article& a = articles.at(dup_by_time.begin()->second);
      dup_by_time.erase(dup_by_time.begin());
      LeaveDupWindow(a);
    }
    const int64_t story_limit = clock - static_cast<int64_t>(options.story_window_days * 86400.0);
    while (!story_by_time.empty() && story_by_time.begin()->first < story_limit) {
      const uint64_t seq = story_by_time.begin()->second;
      story_by_time.erase(story_by_time.begin());
      Article& a = articles.at(seq);
      if (a.in_dup_window) {
        dup_by_time.erase({a.time, seq});
        LeaveDupWindow(a);
      }
      if (auto it = by_content.find(a.content_hash); it != by_content.end() && it->second == seq) {
        by_content.erase(it);
      }
      if (!a.bad) {
        if (auto it = by_id.find(XXH3_64bits(a.id.data(), a.id.size()));
            it != by_id.end() && it->second == seq) {
          by_id.erase(it);
        }
        const uint32_t root = linkage->Find(a.node);
        if (auto it = live.find(root); it != live.end() && --it->second == 0) {
          // No article of the story is left in the window: no edge can reach it any more.
          live.erase(it);
          label.erase(root);
          linkage->Forget(root);
        }
        if (!a.copy) {
          RemoveTerms(a);
          if (!a.arrival.empty()) {
            dead.push_back(static_cast<faiss::Index::idx_t>(seq));
            row_alive[static_cast<size_t>(index->rev_map.at(static_cast<faiss::Index::idx_t>(seq)))] = 0;
          }
        }
      }
      articles.erase(seq);
    }
    // Evicted vectors are removed in bulk (a flat index compacts on every removal); searches ask
    // for as many extra neighbours as there are dead entries, so results do not depend on when.
    if (dead.size() >= 256 && dead.size() * 8 >= static_cast<size_t>(index->ntotal)) {
      faiss::IDSelectorBatch selector(dead.size(), dead.data());
      index->remove_ids(selector);
      dead.clear();
      row_time.clear();
      row_alive.assign(index->id_map.size(), 1);
      prefix_max.clear();
      for (faiss::Index::idx_t id : index->id_map) {
        const Article& o = articles.at(static_cast<uint64_t>(id));
        const int64_t t = o.date ? *o.date : kUndated;
        row_time.push_back(t);
        prefix_max.push_back(prefix_max.empty() ? t : std::max(prefix_max.back(), t));
      }
    }
  }

  void LeaveDupWindow(Article& a) {
    a.in_dup_window = false;
    --dup_window_articles;
    for (uint32_t t : a.fingerprint.title) {
      const uint32_t w = t & CopyFingerprint::kTitleWord;
      if (--title_df[w] == 0) title_df.erase(w);
    }
    if (a.fingerprint.kind == CopyFingerprint::Kind::kShort) {
      if (auto it = short_seq.find(a.fingerprint.text_hash);
          it != short_seq.end() && it->second == a.seq) {
        short_seq.erase(it);
      }
    } else {
      for (size_t column = 0; column < a.band_keys.size(); ++column) {
        if (a.band_keys[column] == 0) continue;
        auto it = buckets.find(ColumnKey(column, a.band_keys[column]));
        if (it == buckets.end()) continue;
        auto& v = it->second;
        if (!v.empty() && v.front() == a.seq) {
          v.pop_front();
        } else {
          v.erase(std::remove(v.begin(), v.end(), a.seq), v.end());
        }
        if (v.empty()) buckets.erase(it);
      }
    }
    a.fingerprint = CopyFingerprint();
    std::vector<uint32_t>().swap(a.band_keys);
  }

  // Runs the merges pending (merge_every > 1) and logs the pass.
  Result<std::string> Flush() {
    if (pending_merges == 0) return std::string();
    std::optional<double> joined;
    std::string merges;
    stats.merges += MergePass(kNoNode, &joined, &merges);
    if (!options.read_only) {
      Prepared pass;
      pass.too_large = kMergePassEntry;
      if (Status s = AppendLog(next_seq, pass, merges); !s.ok()) {
        broken = true;
        return s;
      }
    }
    last_answer += merges;  // an output cut after the answer is rewritten with these too
    return merges.empty() ? std::string() : merges.substr(1);
  }

  // ---- persistence ----
  Status AppendLog(uint64_t seq, const Prepared& p, std::string_view decision) {
    std::string payload;
    PutU64(&payload, seq);
    PutU64(&payload, p.line_no);    // error answers name the input line
    PutU64(&payload, p.too_large);  // a record too large is logged by its length, not its bytes
    const std::string_view record = p.line;
    PutStr(&payload, record);
    PutStr(&payload, decision);
    return log.Append(payload, options.sync_every);
  }

  Status WriteSnapshot() {
    std::string b(kSnapshotMagic, sizeof(kSnapshotMagic));
    PutU64(&b, next_seq);
    PutU64(&b, static_cast<uint64_t>(clock));
    PutStr(&b, last_answer);
    PutU64(&b, digest);
    PutU64(&b, pending_merges);
    {  // the stories first: restoring an article looks its story up
      std::string bytes;
      linkage->Save(&bytes);
      PutStr(&b, bytes);
      std::vector<std::pair<uint32_t, std::string>> labels(label.begin(), label.end());
      std::sort(labels.begin(), labels.end());
      PutU64(&b, labels.size());
      for (const auto& [root, id] : labels) {
        PutU32(&b, root);
        PutStr(&b, id);
      }
    }
    PutU64(&b, articles.size());
    std::vector<uint64_t> seqs;
    for (const auto& entry : articles) seqs.push_back(entry.first);
    std::sort(seqs.begin(), seqs.end());  // restored in arrival order (index and bucket order)
    for (uint64_t seq : seqs) {
      const Article& a = articles.at(seq);
      PutU64(&b, seq);
      PutU64(&b, static_cast<uint64_t>(a.time));
      PutStr(&b, a.record);
      PutStr(&b, a.decision);
      PutU32(&b, (a.bad ? 1u : 0u) | (a.copy ? 2u : 0u) | (a.in_dup_window ? 4u : 0u) |
                     (a.new_story ? 8u : 0u));
      PutStr(&b, a.dup_rep);
      PutU32(&b, a.node);
      PutU32(&b, static_cast<uint32_t>(a.arrival.size()));
      for (const auto& [h, w] : a.arrival) {
        PutU64(&b, h);
        b.append(reinterpret_cast<const char*>(&w), 4);
      }
    }
    PutU32(&b, Crc(b));
    if (Status st = WriteFileAtomically(SnapshotPath(), b, dir); !st.ok()) return st;
    // The log's entries are all in the snapshot now (recovery skips entries by sequence number,
    // so a crash before this truncation is harmless).
    if (Status s = log.Truncate(); !s.ok()) return s;
    since_snapshot = 0;
    ++stats.snapshots;
    return Status::OK();
  }

  Status LoadSnapshot() {
    auto data = ReadWholeFile(SnapshotPath(), kMaxStateFileBytes);
    if (!data.ok() && data.status().code() == Status::Code::kNotFound) return Status::OK();
    if (!data.ok()) return data.status();
    const std::string& b = data.value();
    if (b.size() < sizeof(kSnapshotMagic) + 4 ||
        std::memcmp(b.data(), kSnapshotMagic, sizeof(kSnapshotMagic)) != 0) {
      return Status::Corruption(SnapshotPath() + ": not a samestory feed snapshot");
    }
    uint32_t stored = 0;
    std::memcpy(&stored, b.data() + b.size() - 4, 4);
    if (Crc(std::string_view(b).substr(0, b.size() - 4)) != stored) {
      return Status::Corruption(SnapshotPath() + ": checksum mismatch");
    }
    Cursor c{std::string_view(b).substr(0, b.size() - 4), sizeof(kSnapshotMagic)};
    const uint64_t snap_next = c.U64();
    const int64_t snap_clock = static_cast<int64_t>(c.U64());
    last_answer.assign(c.Str());
    digest = c.U64();
    pending_merges = c.U64();
    if (!c.ok || !linkage->Load(c.Str())) {
      return Status::Corruption(SnapshotPath() + ": damaged stories");
    }
    const uint64_t labels = c.U64();
    for (uint64_t i = 0; i < labels && c.ok; ++i) {
      const uint32_t root = c.U32();
      if (root >= linkage->size()) return Status::Corruption(SnapshotPath() + ": damaged stories");
      label[root].assign(c.Str());
    }
    const uint64_t count = c.U64();
    for (uint64_t i = 0; i < count && c.ok; ++i) {
      Article a;
      a.seq = c.U64();
      a.time = static_cast<int64_t>(c.U64());
      a.record.assign(c.Str());
      a.decision.assign(c.Str());
      const uint32_t flags = c.U32();
      a.dup_rep.assign(c.Str());
      a.node = c.U32();
      const uint32_t n = c.U32();
      for (uint32_t k = 0; k < n && c.ok; ++k) {
        const uint64_t h = c.U64();
        a.arrival.emplace_back(h, c.F32());
      }
      if (!c.ok) break;
      a.bad = flags & 1u;
      a.copy = flags & 2u;
      a.new_story = flags & 8u;
      if (!a.bad && a.node >= linkage->size()) break;  // damaged: reported below
      Prepared p = Prepare(a.record, 0);
      a.content_hash = p.content_hash;
      a.id = p.doc.id;
      a.date = a.bad ? std::nullopt : p.doc.date;
      if (!a.bad) {
        if (flags & 4u) {
          a.fingerprint = std::move(p.fingerprint);
          if (a.fingerprint.kind == CopyFingerprint::Kind::kFull) {
            a.band_keys = BandKeys(a.fingerprint);
            std::vector<uint32_t>().swap(a.fingerprint.sketch);
          }
        }
        if (!a.copy) {
          AddTerms(a, p.terms);
        }
      }
      const bool dup_window = flags & 4u;
      Insert(std::move(a), dup_window);
    }
    if (!c.ok || c.pos != c.data.size()) {
      return Status::Corruption(SnapshotPath() + ": truncated or malformed");
    }
    next_seq = snap_next;
    clock = snap_clock;
    return Status::OK();
  }

  // Replays the log after the snapshot. Only a torn last entry (a kill while it was written: the
  // bytes left are a prefix of one entry) is dropped; any other damage is Corruption naming its
  // offset (dropping it and what follows would answer those records again).
  Status ReplayLog() {
    auto data = ReadWholeFile(LogPath(), kMaxStateFileBytes);
    if (!data.ok() && data.status().code() == Status::Code::kNotFound) return Status::OK();
    if (!data.ok()) return data.status();
    const std::string& b = data.value();
    size_t good = 0;
    const auto replay = [&](std::string_view payload, size_t offset) -> Status {
      Cursor c{payload};
      const uint64_t seq = c.U64();
      const uint64_t line_no = c.U64();
      const uint64_t too_large = c.U64();
      std::string_view record = c.Str();
      std::string_view decision = c.Str();
      if (!c.ok || c.pos != c.data.size()) {
        return Status::Corruption(LogPath() + ": malformed entry at byte " +
                                  std::to_string(offset));
      }
      if (seq < next_seq) return Status::OK();  // already in the snapshot
      if (seq != next_seq) {
        return Status::Corruption(LogPath() + ": entry " + std::to_string(seq) + " follows " +
                                  std::to_string(next_seq - 1));
      }
      if (too_large == kMergePassEntry) {
        // A merge pass after record seq - 1. Nothing pending: the snapshot was written after it
        // (a kill before the log was emptied); it is in the snapshot.
        if (pending_merges == 0) return Status::OK();
        std::optional<double> joined;
        std::string merges;
        MergePass(kNoNode, &joined, &merges);
        if (merges != decision) {
          return Status::Corruption(LogPath() + ": replaying the merge pass after entry " +
                                    std::to_string(seq - 1) + " gives other merges");
        }
        last_answer += merges;
        return Status::OK();
      }
      Prepared p = too_large > 0 ? PrepareTooLarge(line_no, too_large) : Prepare(record, line_no);
      Decision d = Decide(record, p);
      if (d.json != decision) {
        return Status::Corruption(LogPath() + ": replaying entry " + std::to_string(seq) +
                                  " gives another decision (state written by another version?)");
      }
      Commit(std::move(d), /*count=*/false, p);
      ++stats.recovered;
      return Status::OK();
    };
    if (Status s = internal::ReadLog(b, LogPath(), replay, &good); !s.ok()) return s;
    if (good < b.size() && !options.read_only) {
      // A torn entry from a kill mid-write: it was never answered, so it is dropped.
      if (::truncate(LogPath().c_str(), static_cast<off_t>(good)) != 0) {
        return Status::IOError("cannot truncate " + LogPath() + ": " + std::strerror(errno));
      }
    }
    return Status::OK();
  }
};

// ---- FeedPreparer ----

struct FeedPreparer::Impl {
  FeedOptions options;
  RecordParser parser;
  Tokenizer tokenizer;
  TokenizerScratch tokenizer_scratch;
  CopyFingerprinter fingerprinter;
  TermExtractor extractor;
  TermScratch term_scratch;
  TokenList body, title;
};

PreparedRecord::PreparedRecord() : impl_(std::make_unique<Impl>()) {}
PreparedRecord::~PreparedRecord() = default;
PreparedRecord::PreparedRecord(PreparedRecord&&) noexcept = default;
PreparedRecord& PreparedRecord::operator=(PreparedRecord&&) noexcept = default;

FeedPreparer::FeedPreparer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FeedPreparer::~FeedPreparer() = default;
FeedPreparer::FeedPreparer(FeedPreparer&&) noexcept = default;
FeedPreparer& FeedPreparer::operator=(FeedPreparer&&) noexcept = default;

Result<FeedPreparer> FeedPreparer::Create(const FeedOptions& options) {
  auto tokenizer = Tokenizer::Create(options.dedup.text);
  if (!tokenizer.ok()) return tokenizer.status();
  auto scratch = tokenizer->NewScratch();
  if (!scratch.ok()) return scratch.status();
  auto fingerprinter = CopyFingerprinter::Create(options.dedup.fingerprint);
  if (!fingerprinter.ok()) return fingerprinter.status();
  auto extractor = TermExtractor::Create(options.tfidf);
  if (!extractor.ok()) return extractor.status();
  return FeedPreparer(std::unique_ptr<Impl>(new Impl{
      options, RecordParser(options.dedup.reader), std::move(tokenizer.value()),
      std::move(scratch.value()), std::move(fingerprinter.value()),
      std::move(extractor.value()), TermScratch(), TokenList(), TokenList()}));
}

FeedPreparer FeedPreparer::Clone() const {
  auto made = Create(impl_->options);
  // The options were valid when this preparer was made, so making another cannot fail short of
  // running out of memory (ICU's break iterator).
  if (!made.ok()) throw std::runtime_error(made.status().ToString());
  return std::move(made.value());
}

PreparedRecord FeedPreparer::PrepareTooLarge(uint64_t line_no, uint64_t bytes) {
  PreparedRecord r;
  Prepared& p = *r.impl_;
  p.line_no = line_no;
  p.too_large = std::max<uint64_t>(bytes, 1);
  p.doc.line = line_no;
  p.doc.error = internal::RecordTooLargeError(bytes, impl_->options.dedup.reader.max_record_bytes);
  return r;
}

std::string_view PreparedRecord::error() const { return impl_->doc.error; }

uint64_t Feed::ChainDigest(uint64_t digest, std::string_view line, uint64_t too_large_bytes) {
  if (too_large_bytes > 0) {
    return XXH3_64bits_withSeed(&too_large_bytes, sizeof(too_large_bytes), ~digest);
  }
  return XXH3_64bits_withSeed(line.data(), line.size(), digest);
}

uint64_t Feed::input_digest() const { return impl_->digest; }

PreparedRecord FeedPreparer::Prepare(std::string_view line, uint64_t line_no) {
  PreparedRecord r;
  Prepared& p = *r.impl_;
  Impl& c = *impl_;
  p.line.assign(line);
  p.line_no = line_no;
  p.blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
  if (p.blank) return r;
  p.content_hash = XXH3_64bits(line.data(), line.size());
  c.parser.Parse(line, line_no, &p.doc);
  if (!p.doc.error.empty()) return r;
  c.body.Clear();
  c.title.Clear();
  Status st = c.tokenizer.Tokenize(p.doc.text, &c.tokenizer_scratch, &c.body);
  if (st.ok()) st = c.tokenizer.Tokenize(p.doc.title, &c.tokenizer_scratch, &c.title);
  if (!st.ok()) {
    p.doc.error = "text processing failed: " + st.ToString();
    return r;
  }
  c.fingerprinter.Fingerprint(c.title, c.body, &p.fingerprint);
  c.extractor.Extract(c.title, c.body, p.doc.lang, &c.term_scratch, &p.terms, nullptr);
  return r;
}

Feed::Feed(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Feed::~Feed() = default;

Result<std::unique_ptr<Feed>> Feed::Open(const std::string& dir, const FeedOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create state directory " + dir + ": " + ec.message());
  auto preparer = FeedPreparer::Create(options);
  if (!preparer.ok()) return preparer.status();
  // The batch's banding (its band keys; the feed does not pair candidates by LshBanding).
  auto banding = DedupBanding(options.dedup.dedup, options.dedup.fingerprint);
  if (!banding.ok()) return banding.status();
  auto impl = std::make_unique<Impl>(std::move(preparer.value()));
  impl->dir = dir;
  impl->options = options;
  impl->banding = std::move(banding.value());
  // One feed per directory (readers share it, among themselves only).
  const std::string lock_path = dir + "/lock";
  const std::string options_path = dir + "/options";
  if (options.read_only && !std::filesystem::exists(options_path)) {
    return Status::NotFound("no feed state in " + dir + " (--read-only needs an existing state)");
  }
  // A reader opens the lock read-only: a read-only state directory can be answered against.
  impl->lock_fd = options.read_only ? ::open(lock_path.c_str(), O_RDONLY)
                                    : ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
  if (impl->lock_fd < 0) {
    return Status::IOError("cannot open " + lock_path + ": " + std::strerror(errno));
  }
  if (::flock(impl->lock_fd, (options.read_only ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    return Status::IOError("state directory " + dir + " is in use by another feed");
  }
  // Output-affecting options must match the state's.
  const std::string text = OptionsText(options);
  if (auto existing = ReadWholeFile(options_path, kMaxOptionsFileBytes); existing.ok()) {
    if (existing.value() != text) {
      std::istringstream was(existing.value()), now(text);
      std::string a, b, diff;
      while (std::getline(was, a) && std::getline(now, b)) {
        if (a != b) diff += (diff.empty() ? "" : "; ") + ("state has \"" + a + "\", now \"" + b + "\"");
      }
      return Status::InvalidArgument("state directory " + dir +
                                     " was written with other output-affecting options (" + diff +
                                     "): use the same options or a new --state directory");
    }
  } else if (Status st = WriteFileAtomically(options_path, text, dir); !st.ok()) {
    return st;
  }
  try {
    impl->index = std::make_unique<faiss::IndexIDMap2>(new faiss::IndexFlatIP(options.cluster.dim));
    impl->index->own_fields = true;
  } catch (const faiss::FaissException& e) {
    return Status::Internal(std::string("FAISS: ") + e.what());
  }
  impl->linkage.emplace(options.cluster);
  impl->frequencies.emplace(options.tfidf);
  if (Status s = impl->LoadSnapshot(); !s.ok()) return s;
  if (Status s = impl->log.Open(impl->LogPath(), options.read_only); !s.ok()) return s;
  if (Status s = impl->ReplayLog(); !s.ok()) return s;
  return std::unique_ptr<Feed>(new Feed(std::move(impl)));
}

Result<std::string> Feed::Process(std::string_view line, uint64_t line_no) {
  return Process(impl_->preparer.Prepare(line, line_no));
}

FeedPreparer Feed::NewPreparer() const {
  FeedPreparer copy = impl_->preparer.Clone();
  return copy;
}

Result<std::string> Feed::Process(PreparedRecord record) {
  Impl& m = *impl_;
  if (m.broken) {
    return Status::IOError("the feed's log could not be written: reopen the state (" + m.dir + ")");
  }
  try {
    Prepared& p = *record.impl_;
    if (p.blank) return std::string();
    Impl::Decision d = m.Decide(p.line, p);
    if (Status s = m.options.read_only ? Status::OK()
                                       : m.AppendLog(m.next_seq, p, d.json);
        !s.ok()) {
      // Not answered, but the decision has changed the state in memory: this feed stops, and
      // reopening the directory recovers the state from the log (which does not hold it).
      m.broken = true;
      return s;
    }
    m.Commit(std::move(d), /*count=*/true, p);
    return m.last_answer;
  } catch (const std::bad_alloc&) {
    m.broken = true;
    return Status::Internal("out of memory deciding a record: reopen the state");
  } catch (const std::exception& e) {
    m.broken = true;
    return Status::Internal(std::string("deciding a record: ") + e.what() + ": reopen the state");
  }
}

Result<std::string> Feed::Flush() {
  Impl& m = *impl_;
  if (m.broken) {
    return Status::IOError("the feed's log could not be written: reopen the state (" + m.dir + ")");
  }
  try {
    return m.Flush();
  } catch (const std::exception& e) {
    m.broken = true;
    return Status::Internal(std::string("merging stories: ") + e.what() + ": reopen the state");
  }
}

Status Feed::Checkpoint() {
  if (impl_->options.read_only) return Status::OK();
  if (impl_->since_snapshot < impl_->options.snapshot_every) return Status::OK();
  return impl_->WriteSnapshot();
}

uint64_t Feed::answered() const { return impl_->next_seq - 1; }

const std::string& Feed::last_answer() const { return impl_->last_answer; }

Status Feed::Snapshot() {
  if (impl_->options.read_only) return Status::InvalidArgument("a read-only feed writes no snapshot");
  return impl_->WriteSnapshot();
}

Status Feed::Close() { return impl_->log.Sync(); }

const FeedStats& Feed::stats() const { return impl_->stats; }

}  // namespace samestory
