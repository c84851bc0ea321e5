#include "samestory/dedup.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>

#include "dedup/evidence.h"
#include "io/temp_file.h"

namespace samestory {

Result<LshBanding> DedupBanding(const DedupOptions& options,
                                const FingerprintOptions& fingerprint) {
  LshOptions lsh;
  lsh.threshold = options.lsh_threshold;
  lsh.recall_at_threshold = options.recall_at_threshold;
  lsh.bands = options.bands;
  lsh.rows = options.rows;
  lsh.bucket_window = options.bucket_window;
  // Pairs further apart than the copy window are never copies: not even candidates.
  lsh.max_gap = static_cast<int64_t>(options.rule.window_hours * 3600.0);
  return LshBanding::Create(lsh, fingerprint.sketch_bins);
}

size_t CandidateKeyCount(const LshBanding& banding, const FingerprintOptions& fingerprint) {
  return static_cast<size_t>(banding.params().bands) + static_cast<size_t>(fingerprint.anchors);
}

void CandidateKeys(const LshBanding& banding, const CopyFingerprint& fp, uint32_t* keys) {
  banding.BandKeys(fp.sketch, keys);
  // Anchors, made distinct from band keys of the same value; 0 stays "no key".
  uint32_t* anchors = keys + banding.params().bands;
  for (size_t i = 0; i < fp.anchors.size(); ++i) {
    anchors[i] = fp.anchors[i] == 0 ? 0 : fp.anchors[i] ^ 0x1ead1eaeu;
  }
}

Status DedupOptions::Validate() const {
  if (Status s = rule.Validate(); !s.ok()) return s;
  if (!(lsh_threshold > 0.0 && lsh_threshold <= 1.0)) {
    return Status::InvalidArgument("lsh_threshold must be in (0, 1]");
  }
  return Status::OK();
}

namespace {

constexpr uint8_t kExcluded = 0, kShort = 1, kFull = 2;
constexpr int64_t kUndated = std::numeric_limits<int64_t>::max();

}  // namespace


struct DuplicateFinder::Impl {
  DedupOptions options;
  FingerprintOptions fingerprint;
  std::optional<LshBanding> banding;  // LSH mode only
  std::vector<int64_t> dates;         // kUndated when undated
  std::vector<uint64_t> text_hash;    // short documents' identity (0 otherwise)
  std::vector<uint32_t> words;        // the fingerprinted text's words (for the date rule)
  std::vector<uint32_t> band_keys;    // (size, CandidateKeyCount): band keys, then anchors; 0 is
                                      // no key (all of them unless kFull)
  std::vector<uint64_t> offset;       // evidence record of each document in the spill file
  std::vector<uint32_t> bytes;        // its size (0 for excluded documents)
  std::unordered_map<uint32_t, uint32_t> title_df;  // title token -> documents
  std::unique_ptr<internal::TempFile> spill;
  Status spill_status;  // the first spill file error, reported by Finish
  std::string record;   // scratch

  size_t Columns() const { return CandidateKeyCount(*banding, fingerprint); }
  std::optional<UnixSeconds> Date(uint32_t d) const {
    return dates[d] == kUndated ? std::nullopt : std::optional<UnixSeconds>(dates[d]);
  }
  // Reads document d's evidence into *e (with its title tokens' document frequencies).
  Status Load(uint32_t d, internal::Evidence* e, std::string* buffer) const {
    buffer->resize(bytes[d]);
    if (Status s = spill->Read(offset[d], bytes[d], buffer->data()); !s.ok()) return s;
    if (!internal::DecodeEvidence(*buffer, &e->fingerprint)) {
      return Status::Internal("a fingerprint read back from the temporary file is damaged");
    }
    internal::FillTitleDf(title_df, e);
    return Status::OK();
  }
  // Title words of at most this many documents name something (see JudgeCopy): one in 1,000 of
  // the run's documents (0 in a run of fewer than 1,000: then no shared word is known to be a
  // name, and any substitution in the titles of short texts tells them apart).
  uint32_t RareTitleDf() const { return static_cast<uint32_t>(dates.size() / 1000); }
};

DuplicateFinder::DuplicateFinder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DuplicateFinder::~DuplicateFinder() = default;
DuplicateFinder::DuplicateFinder(DuplicateFinder&&) noexcept = default;
DuplicateFinder& DuplicateFinder::operator=(DuplicateFinder&&) noexcept = default;

Result<DuplicateFinder> DuplicateFinder::Create(const DedupOptions& options,
                                                const FingerprintOptions& fingerprint) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (Status s = fingerprint.Validate(); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->fingerprint = fingerprint;
  if (options.mode == DedupMode::kLsh) {
    auto banding = DedupBanding(options, fingerprint);
    if (!banding.ok()) return banding.status();
    impl->banding = std::move(banding.value());
  }
  auto spill = internal::TempFile::Create("fingerprints");
  if (!spill.ok()) return spill.status();
  impl->spill = std::move(spill.value());
  return DuplicateFinder(std::move(impl));
}

size_t DuplicateFinder::size() const { return impl_->dates.size(); }

void DuplicateFinder::AddExcluded() {
  Impl& m = *impl_;
  kinds_.push_back(kExcluded);
  m.dates.push_back(kUndated);
  m.text_hash.push_back(0);
  m.words.push_back(0);
  m.offset.push_back(0);
  m.bytes.push_back(0);
  if (m.banding) m.band_keys.resize(m.band_keys.size() + m.Columns(), 0);
}

void DuplicateFinder::Add(std::optional<UnixSeconds> date, const CopyFingerprint& fp) {
  Impl& m = *impl_;
  const bool full = fp.kind == CopyFingerprint::Kind::kFull;
  kinds_.push_back(full ? kFull : kShort);
  m.dates.push_back(date ? *date : kUndated);
  m.text_hash.push_back(full ? 0 : fp.text_hash);
  m.words.push_back(fp.words);
  m.record.clear();
  internal::EncodeEvidence(fp, &m.record);
  m.offset.push_back(m.spill->Append(m.record.data(), m.record.size()));
  m.bytes.push_back(static_cast<uint32_t>(m.record.size()));
  for (uint32_t t : fp.title) ++m.title_df[t & CopyFingerprint::kTitleWord];
  if (m.banding) {
    const size_t columns = m.Columns();
    m.band_keys.resize(m.band_keys.size() + columns, 0);
    if (full) {
      assert(fp.sketch.size() == static_cast<size_t>(m.fingerprint.sketch_bins));
      assert(fp.anchors.size() == static_cast<size_t>(m.fingerprint.anchors));
      CandidateKeys(*m.banding, fp, m.band_keys.data() + m.band_keys.size() - columns);
    }
  }
}

namespace {

// Candidates in exact mode: every pair of fingerprinted documents whose samples could reach the
// containment threshold. For a pair, let s be the smaller of the two samples restricted to their
// common limit; containment >= t leaves at most (1 - t)|s| of s outside the other, so the first
// floor((1 - t)|s|) + 1 keys of s (in ascending order, a prefix of the document's own sorted
// sample) meet the other sample (prefix filtering: Bayardo, Ma, Srikant, WWW 2007). Every document
// probes an inverted index of all samples with that prefix of its own.
std::vector<CandidatePair> ExactCandidates(const std::vector<internal::Evidence>& all,
                                           const std::vector<uint8_t>& kinds, double t) {
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
  for (uint32_t d = 0; d < all.size(); ++d) {
    if (kinds[d] != kFull) continue;
    for (uint32_t key : all[d].fingerprint.sample) postings[key].push_back(d);
  }
  std::vector<CandidatePair> pairs;
  std::vector<uint32_t> seen(all.size(), UINT32_MAX);
  for (uint32_t x = 0; x < all.size(); ++x) {
    if (kinds[x] != kFull) continue;
    const std::vector<uint32_t>& sample = all[x].fingerprint.sample;
    const size_t prefix = std::min(
        sample.size(), static_cast<size_t>(std::floor((1.0 - t) * static_cast<double>(sample.size()) + 1e-9)) + 1);
    for (size_t i = 0; i < prefix; ++i) {
      for (uint32_t y : postings[sample[i]]) {
        if (y == x || seen[y] == x) continue;
        seen[y] = x;
        pairs.push_back(x < y ? CandidatePair{x, y} : CandidatePair{y, x});
      }
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const CandidatePair& l, const CandidatePair& r) {
    return l.a != r.a ? l.a < r.a : l.b < r.b;
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace

DuplicateGroups DuplicateFinder::Finish(int threads, uint64_t memory_budget) {
  Impl& m = *impl_;
  DuplicateGroups out;
  threads = std::max(1, threads);
  const size_t n = kinds_.size();
  if (Status s = m.spill->Flush(); !s.ok()) {
    out.status = s;
    return out;
  }
  const uint32_t rare = m.RareTitleDf();
  // Order: by date (undated last), then input order. Buckets are windowed in it, and a group's
  // representative is its first member in it.
  std::vector<uint32_t> by_date(n), rank(n);
  for (uint32_t d = 0; d < n; ++d) by_date[d] = d;
  std::stable_sort(by_date.begin(), by_date.end(),
                   [&](uint32_t a, uint32_t b) { return m.dates[a] < m.dates[b]; });
  for (uint32_t r = 0; r < n; ++r) rank[by_date[r]] = r;

  // Candidates.
  std::vector<CandidatePair> candidates;
  std::vector<internal::Evidence> all;  // exact mode: every document's evidence, in memory
  if (m.banding) {
    out.lsh = m.banding->params();
    std::vector<bool> eligible(n);
    for (size_t d = 0; d < n; ++d) eligible[d] = kinds_[d] == kFull;
    auto found = m.banding->Candidates(m.band_keys, rank, eligible, threads,
                                       static_cast<size_t>(memory_budget / 8), m.dates);
    std::vector<uint32_t>().swap(m.band_keys);
    if (!found.ok()) {
      out.status = found.status();
      return out;
    }
    candidates = std::move(found.value());
  } else {
    all.resize(n);
    std::string buffer;
    for (uint32_t d = 0; d < n; ++d) {
      if (kinds_[d] == kExcluded) continue;
      if (Status s = m.Load(d, &all[d], &buffer); !s.ok()) {
        out.status = s;
        return out;
      }
    }
    candidates = ExactCandidates(all, kinds_,
                                 std::min(m.options.rule.threshold, m.options.rule.short_threshold));
  }
  // Short documents: identical title and text, consecutive in date order (the rule's date window
  // then decides each link).
  {
    std::vector<uint32_t> shorts;
    for (uint32_t d : by_date) {
      if (kinds_[d] == kShort) shorts.push_back(d);
    }
    std::stable_sort(shorts.begin(), shorts.end(),
                     [&](uint32_t a, uint32_t b) { return m.text_hash[a] < m.text_hash[b]; });
    for (size_t i = 1; i < shorts.size(); ++i) {
      if (m.text_hash[shorts[i]] != m.text_hash[shorts[i - 1]]) continue;
      const uint32_t a = std::min(shorts[i], shorts[i - 1]), b = std::max(shorts[i], shorts[i - 1]);
      candidates.push_back({a, b});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const CandidatePair& l, const CandidatePair& r) {
                return l.a != r.a ? l.a < r.a : l.b < r.b;
              });
  }
  out.candidates = candidates.size();

  // Judge every candidate, in parallel: each thread reads the two documents' evidence (the first
  // kept while it stays the same, as candidates are sorted by it).
  // Each candidate's kind and reason (2 bytes), and the whole verdict only when pairs are kept.
  std::vector<DupKind> kinds(candidates.size(), DupKind::kNone);
  std::vector<CopyReason> reasons(candidates.size(), CopyReason::kTooDifferent);
  std::vector<CopyVerdict> verdicts(m.options.collect_pairs ? candidates.size() : 0);
  auto keep = [&](size_t i, const CopyVerdict& v) {
    kinds[i] = v.kind;
    reasons[i] = v.reason;
    if (!verdicts.empty()) verdicts[i] = v;
  };
  std::vector<Status> errors(static_cast<size_t>(threads));
  const int64_t count = static_cast<int64_t>(candidates.size());
#pragma omp parallel num_threads(threads)
  {
    internal::Evidence ea, eb;
    std::string buffer;
    uint32_t loaded = UINT32_MAX;
    Status& error = errors[static_cast<size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 256)
    for (int64_t i = 0; i < count; ++i) {
      const CandidatePair& c = candidates[static_cast<size_t>(i)];
      // The date rule needs only dates and word counts (in memory): a pair too far apart is
      // not read back.
      if (TooFarApart(m.options.rule, m.Date(c.a), m.words[c.a], m.Date(c.b), m.words[c.b])) {
        CopyVerdict v;
        v.reason = CopyReason::kTooFarApart;
        keep(static_cast<size_t>(i), v);
        continue;
      }
      const internal::Evidence* a = nullptr;
      const internal::Evidence* b = nullptr;
      if (!all.empty()) {
        a = &all[c.a];
        b = &all[c.b];
      } else {
        if (loaded != c.a) {
          Status s = m.Load(c.a, &ea, &buffer);
          if (!s.ok()) {
            if (error.ok()) error = s;
            continue;
          }
          loaded = c.a;
        }
        Status s = m.Load(c.b, &eb, &buffer);
        if (!s.ok()) {
          if (error.ok()) error = s;
          continue;
        }
        a = &ea;
        b = &eb;
      }
      keep(static_cast<size_t>(i),
           JudgeCopy(a->fingerprint, {m.Date(c.a), a->title_df}, b->fingerprint,
                     {m.Date(c.b), b->title_df}, m.options.rule, rare,
                     m.options.collect_pairs ? CopyScores::kExact : CopyScores::kDecision));
    }
  }
  for (const Status& s : errors) {
    if (!s.ok()) {
      out.status = s;
      return out;
    }
  }

  // Union-find; the root of a set is always its earliest member (date, then index).
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](uint32_t x, uint32_t y) {
    x = find(x);
    y = find(y);
    if (x == y) return;
    if (rank[x] < rank[y]) parent[y] = x;
    else parent[x] = y;
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (kinds[i] != DupKind::kNone) {
      ++out.accepted;
      unite(candidates[i].a, candidates[i].b);
    } else {
      ++out.rejected[static_cast<size_t>(reasons[i])];
    }
  }
  std::vector<DupKind>().swap(kinds);
  std::vector<CopyReason>().swap(reasons);
  if (m.options.collect_pairs) {
    out.pairs.resize(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      out.pairs[i] = {candidates[i].a, candidates[i].b, verdicts[i]};
    }
  }
  std::vector<CopyVerdict>().swap(verdicts);
  std::vector<CandidatePair>().swap(candidates);

  // Each member against its representative: the kind and the score the output reports.
  out.representative.resize(n);
  out.kind.assign(n, DupKind::kNone);
  out.score.assign(n, 1.0f);
  std::vector<uint32_t> group_size(n, 0);
  for (uint32_t d = 0; d < n; ++d) {
    out.representative[d] = find(d);
    ++group_size[out.representative[d]];
  }
  {
    internal::Evidence ed, er;
    std::string buffer;
    for (uint32_t d = 0; d < n && out.status.ok(); ++d) {
      const uint32_t r = out.representative[d];
      if (r == d) continue;
      if (kinds_[d] == kShort) {
        out.kind[d] = DupKind::kCopy;
        continue;
      }
      const internal::Evidence* a = nullptr;
      const internal::Evidence* b = nullptr;
      if (!all.empty()) {
        a = &all[d];
        b = &all[r];
      } else {
        Status s = m.Load(d, &ed, &buffer);
        if (s.ok()) s = m.Load(r, &er, &buffer);
        if (!s.ok()) {
          out.status = s;
          break;
        }
        a = &ed;
        b = &er;
      }
      const SampleOverlap o = CompareSamples(a->fingerprint, b->fingerprint);
      out.score[d] = static_cast<float>(o.containment());
      out.kind[d] = internal::MemberKind(o, m.options.rule.partial_below);
    }
  }
  for (uint32_t d = 0; d < n; ++d) {
    if (group_size[d] >= 2) {
      ++out.groups;
      out.documents_in_groups += group_size[d];
    }
  }
  out.band_key_bytes =
      static_cast<uint64_t>(n) * (m.banding ? m.Columns() : 0) * sizeof(uint32_t);
  out.spilled_evidence_bytes = m.spill->size();
  if (out.status.ok()) out.status = m.spill_status;
  return out;
}

}  // namespace samestory
