#include "samestory/dedup.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "io/temp_file.h"
#include "samestory/minhash.h"

namespace samestory {

Status DedupOptions::Validate() const {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1]");
  }
  if (!(verify_margin >= 0.0 && verify_margin <= 1.0)) {
    return Status::InvalidArgument("verify_margin must be in [0, 1]");
  }
  return Status::OK();
}

// A file of 32-bit values: the shingle sets, the signatures.
class DuplicateFinder::SpillFile {
 public:
  static Result<std::unique_ptr<SpillFile>> Create(const std::string& what) {
    auto file = internal::TempFile::Create(what);
    if (!file.ok()) return file.status();
    return std::unique_ptr<SpillFile>(new SpillFile(std::move(file.value())));
  }
  // Appends `values`; returns the offset (in values) of the first one.
  uint64_t Append(std::span<const uint32_t> values) {
    return file_->Append(values.data(), values.size_bytes()) / sizeof(uint32_t);
  }
  // Reads `count` values from `offset` into *out.
  Status Read(uint64_t offset, uint32_t count, std::vector<uint32_t>* out) {
    if (!flushed_) {
      if (Status s = file_->Flush(); !s.ok()) return s;
      flushed_ = true;
    }
    out->resize(count);
    return file_->Read(offset * sizeof(uint32_t), size_t{count} * sizeof(uint32_t), out->data());
  }
  uint64_t bytes() const { return file_->size(); }

 private:
  explicit SpillFile(std::unique_ptr<internal::TempFile> file) : file_(std::move(file)) {}
  std::unique_ptr<internal::TempFile> file_;
  bool flushed_ = false;  // reads start once every document was added
};

DuplicateFinder::DuplicateFinder(const DedupOptions& options, int num_perm,
                                 std::optional<LshBanding> banding,
                                 std::unique_ptr<SpillFile> spill)
    : options_(options),
      num_perm_(num_perm),
      banding_(std::move(banding)),
      spill_(std::move(spill)) {}
DuplicateFinder::~DuplicateFinder() = default;
DuplicateFinder::DuplicateFinder(DuplicateFinder&&) noexcept = default;
DuplicateFinder& DuplicateFinder::operator=(DuplicateFinder&&) noexcept = default;

Result<DuplicateFinder> DuplicateFinder::Create(const DedupOptions& options, int num_perm) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (options.mode == DedupMode::kExact) {
    return DuplicateFinder(options, num_perm, std::nullopt, nullptr);
  }
  LshOptions lsh;
  lsh.threshold = options.threshold;
  lsh.recall_at_threshold = options.recall_at_threshold;
  lsh.bands = options.bands;
  lsh.rows = options.rows;
  auto banding = LshBanding::Create(lsh, num_perm);
  if (!banding.ok()) return banding.status();
  auto spill = SpillFile::Create("shingle sets");
  if (!spill.ok()) return spill.status();
  auto signatures = SpillFile::Create("MinHash signatures");
  if (!signatures.ok()) return signatures.status();
  DuplicateFinder finder(options, num_perm, std::move(banding.value()), std::move(spill.value()));
  finder.signature_spill_ = std::move(signatures.value());
  return finder;
}

void DuplicateFinder::AddCommon(Kind kind, std::optional<UnixSeconds> date) {
  kinds_.push_back(kind);
  dates_.push_back(date ? *date : std::numeric_limits<int64_t>::max());
  sequence_hash_.push_back(0);
  shingle_begin_.push_back(spill_ ? spill_->bytes() / sizeof(uint32_t) : shingles_.size());
  shingle_count_.push_back(0);
  if (options_.mode == DedupMode::kLsh) {
    band_keys_.resize(band_keys_.size() + static_cast<size_t>(banding_->params().bands), 0);
    if (kind != Kind::kFull) {
      scratch_b_.assign(static_cast<size_t>(num_perm_), 0);
      signature_spill_->Append(scratch_b_);
    }
  }
}

std::span<const uint64_t> DuplicateFinder::SortedShingles(uint32_t d) {
  if (shingle_count_[d] == 0) {
    uint64_t* begin = shingles_.data() + shingle_begin_[d];
    uint64_t* end = shingles_.data() + shingle_begin_[d + 1];
    std::sort(begin, end);
    shingle_count_[d] = static_cast<uint32_t>(std::unique(begin, end) - begin);
  }
  return {shingles_.data() + shingle_begin_[d], shingle_count_[d]};
}

void DuplicateFinder::AddExcluded() { AddCommon(Kind::kExcluded, std::nullopt); }

void DuplicateFinder::AddShort(std::optional<UnixSeconds> date, uint64_t sequence_hash) {
  AddCommon(Kind::kShort, date);
  sequence_hash_.back() = sequence_hash;
}

void DuplicateFinder::Add(std::optional<UnixSeconds> date, std::span<const uint64_t> shingles,
                          std::span<const uint32_t> signature) {
  assert(!shingles.empty());
  if (spill_) {
    // Sorted, distinct, 32 bits: the form ShingleJaccard reads back.
    // (Callers may pass them ordered by their low 32 bits already: the sort is then skipped.)
    scratch_a_.clear();
    for (uint64_t h : shingles) scratch_a_.push_back(static_cast<uint32_t>(h));
    if (!std::is_sorted(scratch_a_.begin(), scratch_a_.end())) {
      std::sort(scratch_a_.begin(), scratch_a_.end());
    }
    scratch_a_.erase(std::unique(scratch_a_.begin(), scratch_a_.end()), scratch_a_.end());
    spill_->Append(scratch_a_);
    AddCommon(Kind::kFull, date);
    shingle_count_.back() = static_cast<uint32_t>(scratch_a_.size());
  } else {
    shingles_.insert(shingles_.end(), shingles.begin(), shingles.end());
    AddCommon(Kind::kFull, date);
  }
  if (options_.mode == DedupMode::kLsh) {
    assert(signature.size() == static_cast<size_t>(num_perm_));
    banding_->BandKeys(signature, band_keys_.data() + band_keys_.size() -
                                      static_cast<size_t>(banding_->params().bands));
    signature_spill_->Append(signature);
  }
}

double DuplicateFinder::EstimateFromSpill(uint32_t a, uint32_t b) {
  const uint32_t k = static_cast<uint32_t>(num_perm_);
  Status s = signature_spill_->Read(uint64_t{a} * k, k, &signature_a_);
  if (s.ok()) s = signature_spill_->Read(uint64_t{b} * k, k, &signature_b_);
  if (!s.ok()) {
    if (spill_status_.ok()) spill_status_ = s;
    return 0.0;
  }
  return EstimateJaccard(signature_a_, signature_b_);
}

double DuplicateFinder::ShingleJaccard(uint32_t a, uint32_t b) {
  if (!spill_) return ExactJaccard(SortedShingles(a), SortedShingles(b));
  // Document d's values start at shingle_begin_[d] in the file (AddCommon records each end).
  Status s = spill_->Read(shingle_begin_[a], shingle_count_[a], &scratch_a_);
  if (s.ok()) s = spill_->Read(shingle_begin_[b], shingle_count_[b], &scratch_b_);
  if (!s.ok()) {
    if (spill_status_.ok()) spill_status_ = s;
    return 0.0;
  }
  return ExactJaccard(std::span<const uint32_t>(scratch_a_), std::span<const uint32_t>(scratch_b_));
}

void DuplicateFinder::VerifyLshCandidates(DuplicateGroups* out, std::vector<ScoredPair>* accepted,
                                          int threads, uint64_t memory_budget) {
  std::vector<bool> eligible(kinds_.size());
  for (size_t d = 0; d < kinds_.size(); ++d) eligible[d] = kinds_[d] == Kind::kFull;
  auto found = banding_->CandidatesFromKeys(band_keys_, kinds_.size(), eligible, threads,
                                            static_cast<size_t>(memory_budget / 16));
  std::vector<uint64_t>().swap(band_keys_);  // not needed any more
  if (!found.ok()) {
    spill_status_ = found.status();
    return;
  }
  std::vector<CandidatePair> candidates = std::move(found.value());
  out->candidates = candidates.size();
  const double t = options_.threshold, m = options_.verify_margin;
  for (const CandidatePair& c : candidates) {
    const double estimate = EstimateFromSpill(c.a, c.b);
    if (estimate >= t + m) {
      accepted->push_back({c.a, c.b, static_cast<float>(estimate), false});
    } else if (estimate >= t - m) {
      ++out->exact_checks;
      const double exact = ShingleJaccard(c.a, c.b);
      if (exact >= t) accepted->push_back({c.a, c.b, static_cast<float>(exact), true});
    }
  }
}

void DuplicateFinder::ExactAllPairs(DuplicateGroups* out, std::vector<ScoredPair>* accepted) {
  const double t = options_.threshold;
  // Make every set sorted and distinct, and compact the storage.
  {
    std::vector<uint64_t> begin(1, 0);
    size_t w = 0;
    for (uint32_t d = 0; d < kinds_.size(); ++d) {
      auto s = SortedShingles(d);
      std::copy(s.begin(), s.end(), shingles_.begin() + static_cast<ptrdiff_t>(w));
      w += s.size();
      begin.push_back(w);
    }
    shingles_.resize(w);
    shingle_begin_ = std::move(begin);
    for (uint32_t d = 0; d < kinds_.size(); ++d) {
      shingle_count_[d] = static_cast<uint32_t>(shingle_begin_[d + 1] - shingle_begin_[d]);
    }
  }
  // Global order of shingles: rarest first (then by hash), so prefixes hold rare shingles.
  std::vector<uint64_t> all(shingles_);
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> unique_hash;
  std::vector<uint32_t> df;
  for (size_t i = 0; i < all.size();) {
    size_t j = i + 1;
    while (j < all.size() && all[j] == all[i]) ++j;
    unique_hash.push_back(all[i]);
    df.push_back(static_cast<uint32_t>(j - i));
    i = j;
  }
  std::vector<uint32_t> order(unique_hash.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return df[x] != df[y] ? df[x] < df[y] : x < y;
  });
  std::vector<uint32_t> rank_of(unique_hash.size());
  for (uint32_t r = 0; r < order.size(); ++r) rank_of[order[r]] = r;
  // Each document as ascending ranks.
  const size_t n = kinds_.size();
  std::vector<uint32_t> ranks(shingles_.size());
  for (uint32_t d = 0; d < n; ++d) {
    auto s = shingles(d);
    uint32_t* r = ranks.data() + shingle_begin_[d];
    for (size_t i = 0; i < s.size(); ++i) {
      size_t u = std::lower_bound(unique_hash.begin(), unique_hash.end(), s[i]) - unique_hash.begin();
      r[i] = rank_of[u];
    }
    std::sort(r, r + s.size());
  }
  auto prefix_length = [&](size_t size) {
    size_t need = static_cast<size_t>(std::ceil(t * static_cast<double>(size) - 1e-9));
    return std::min(size, size - std::min(size, need) + 1);
  };
  // Inverted index of prefixes, CSR.
  std::vector<uint32_t> post_begin(unique_hash.size() + 1, 0);
  for (uint32_t d = 0; d < n; ++d) {
    size_t size = shingle_begin_[d + 1] - shingle_begin_[d];
    for (size_t i = 0; i < prefix_length(size); ++i) ++post_begin[ranks[shingle_begin_[d] + i] + 1];
  }
  for (size_t i = 1; i < post_begin.size(); ++i) post_begin[i] += post_begin[i - 1];
  std::vector<uint32_t> postings(post_begin.back());
  std::vector<uint32_t> fill(post_begin.begin(), post_begin.end() - 1);
  for (uint32_t d = 0; d < n; ++d) {
    size_t size = shingle_begin_[d + 1] - shingle_begin_[d];
    for (size_t i = 0; i < prefix_length(size); ++i) {
      postings[fill[ranks[shingle_begin_[d] + i]]++] = d;
    }
  }
  std::vector<uint32_t> seen(n, std::numeric_limits<uint32_t>::max());
  std::vector<uint32_t> candidates;
  for (uint32_t x = 0; x < n; ++x) {
    const size_t xs = shingle_begin_[x + 1] - shingle_begin_[x];
    if (xs == 0) continue;
    candidates.clear();
    for (size_t i = 0; i < prefix_length(xs); ++i) {
      const uint32_t r = ranks[shingle_begin_[x] + i];
      for (uint32_t p = post_begin[r]; p < post_begin[r + 1]; ++p) {
        const uint32_t y = postings[p];
        if (y <= x || seen[y] == x) continue;
        seen[y] = x;
        candidates.push_back(y);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    for (uint32_t y : candidates) {
      const size_t ys = shingle_begin_[y + 1] - shingle_begin_[y];
      ++out->candidates;
      // Size filter: J <= min/max.
      if (static_cast<double>(std::min(xs, ys)) < t * static_cast<double>(std::max(xs, ys)) - 1e-9) {
        continue;
      }
      ++out->exact_checks;
      std::span<const uint32_t> a(ranks.data() + shingle_begin_[x], xs);
      std::span<const uint32_t> b(ranks.data() + shingle_begin_[y], ys);
      size_t i = 0, j = 0, common = 0;
      while (i < a.size() && j < b.size()) {
        if (a[i] < b[j]) ++i;
        else if (b[j] < a[i]) ++j;
        else ++common, ++i, ++j;
      }
      const double jac = static_cast<double>(common) / static_cast<double>(xs + ys - common);
      if (jac >= t) accepted->push_back({x, y, static_cast<float>(jac), true});
    }
  }
}

DuplicateGroups DuplicateFinder::Finish(int threads, uint64_t memory_budget) {
  DuplicateGroups out;
  if (banding_) out.lsh = banding_->params();
  const size_t n = kinds_.size();
  std::vector<ScoredPair> accepted;
  if (options_.mode == DedupMode::kLsh) {
    VerifyLshCandidates(&out, &accepted, threads, memory_budget);
  } else {
    ExactAllPairs(&out, &accepted);
  }
  // Union-find; the root of a set is always its earliest member (date, then index).
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto earlier = [&](uint32_t x, uint32_t y) {
    return dates_[x] != dates_[y] ? dates_[x] < dates_[y] : x < y;
  };
  auto unite = [&](uint32_t x, uint32_t y) {
    x = find(x);
    y = find(y);
    if (x == y) return;
    if (earlier(x, y)) parent[y] = x;
    else parent[x] = y;
  };
  for (const ScoredPair& p : accepted) unite(p.a, p.b);
  std::unordered_map<uint64_t, uint32_t> first_short;
  for (uint32_t d = 0; d < n; ++d) {
    if (kinds_[d] != Kind::kShort) continue;
    auto [it, inserted] = first_short.try_emplace(sequence_hash_[d], d);
    if (!inserted) {
      unite(it->second, d);
      // Identical short texts: listed as exact pairs with the first of them.
      accepted.push_back({it->second, d, 1.0f, true});
    }
  }
  out.representative.resize(n);
  out.score.resize(n);
  std::vector<uint32_t> group_size(n, 0);
  for (uint32_t d = 0; d < n; ++d) {
    const uint32_t r = find(d);
    out.representative[d] = r;
    ++group_size[r];
    float score = 1.0f;
    if (r != d && kinds_[d] == Kind::kFull) {
      // The estimate, or the exact value where the estimate is too close to the threshold to
      // be told apart from it (as in verification).
      double s = options_.mode == DedupMode::kLsh ? EstimateFromSpill(d, r) : -1.0;
      if (s < 0 || std::abs(s - options_.threshold) < options_.verify_margin) {
        s = ShingleJaccard(d, r);
      }
      score = static_cast<float>(s);
    }
    out.score[d] = score;
  }
  for (uint32_t d = 0; d < n; ++d) {
    if (group_size[d] >= 2) {
      ++out.groups;
      out.documents_in_groups += group_size[d];
    }
  }
  if (options_.collect_pairs) {
    std::sort(accepted.begin(), accepted.end(), [](const ScoredPair& l, const ScoredPair& r) {
      return l.a != r.a ? l.a < r.a : l.b < r.b;
    });
    out.pairs = std::move(accepted);
  }
  out.band_key_bytes = static_cast<uint64_t>(kinds_.size()) *
                       (banding_ ? static_cast<uint64_t>(banding_->params().bands) : 0) *
                       sizeof(uint64_t);
  out.spilled_signature_bytes = signature_spill_ ? signature_spill_->bytes() : 0;
  out.spilled_shingle_bytes = spill_ ? spill_->bytes() : 0;
  out.status = spill_status_;
  return out;
}

}  // namespace samestory
