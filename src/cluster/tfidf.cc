#include "samestory/tfidf.h"

// Inlined: terms are short, and a call into the shared library costs more than hashing them.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "cluster/document_frequencies.h"
#include "io/binary_file.h"

namespace samestory {

Status TfidfOptions::Validate() const {
  if (!(title_weight >= 0 && title_weight <= 100)) {
    return Status::InvalidArgument("title_weight must be in [0, 100]");
  }
  if (!(capital_weight >= 0 && capital_weight <= 100)) {
    return Status::InvalidArgument("capital_weight must be in [0, 100]");
  }
  if (!(max_df > 0 && max_df <= 1)) return Status::InvalidArgument("max_df must be in (0, 1]");
  if (min_df < 1) return Status::InvalidArgument("min_df must be at least 1");
  if (max_df_min_documents < 0) {
    return Status::InvalidArgument("max_df_min_documents must be >= 0");
  }
  if (min_term_bytes < 1 || min_term_bytes > 64) {
    return Status::InvalidArgument("min_term_bytes must be in [1, 64]");
  }
  return Status::OK();
}

namespace {

bool IsDigit(char c) { return static_cast<unsigned>(c - '0') < 10u; }

}  // namespace

struct TermScratch::Impl {
  std::map<std::string, std::unique_ptr<Stemmer>, std::less<>> stemmers;  // null: none exists
  std::vector<TermCount> raw;
  // XXH3(token, seed = language) -> hash of the stem. Words follow Zipf's law, so nearly every
  // token is a hit and is neither stemmed nor hashed again; its spelling was recorded at the miss.
  // Open addressing with linear probing (key 0 marks an empty slot), grown to at most kMaxSlots
  // and cleared when that is half full.
  // Key and stem side by side: a lookup touches one cache line (the table outgrows L2).
  struct Slot {
    uint64_t key = 0;
    uint64_t stem = 0;
  };
  std::vector<Slot> slots;
  size_t cached = 0;
  static constexpr size_t kMaxSlots = size_t{1} << 21;

  // The slot of `key`: where it is, or the empty slot where it belongs.
  size_t Find(uint64_t key) const {
    const size_t mask = slots.size() - 1;
    size_t i = static_cast<size_t>(key * 0x9E3779B97F4A7C15ULL >> 20) & mask;
    while (slots[i].key != 0 && slots[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Insert(uint64_t key, uint64_t stem) {
    if (slots.empty()) {
      slots.assign(4096, Slot());
    } else if (2 * (cached + 1) > slots.size()) {
      if (slots.size() >= kMaxSlots) {
        std::fill(slots.begin(), slots.end(), Slot());
        cached = 0;
      } else {
        std::vector<Slot> old(2 * slots.size());
        old.swap(slots);
        for (const Slot& e : old) {
          if (e.key != 0) slots[Find(e.key)] = e;
        }
      }
    }
    slots[Find(key)] = {key, stem};
    ++cached;
  }
};

TermScratch::TermScratch() : impl_(std::make_unique<Impl>()) {}
TermScratch::~TermScratch() = default;
TermScratch::TermScratch(TermScratch&&) noexcept = default;
TermScratch& TermScratch::operator=(TermScratch&&) noexcept = default;

Result<TermExtractor> TermExtractor::Create(const TfidfOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  return TermExtractor(options);
}

std::string_view TermExtractor::Extract(const TokenList& title, const TokenList& body,
                                        std::string_view lang, TermScratch* scratch,
                                        std::vector<TermCount>* out,
                                        std::unordered_map<uint64_t, std::string>* spellings) const {
  TermScratch::Impl& s = *scratch->impl_;
  std::string language;
  Stemmer* stemmer = nullptr;
  if (options_.stemming == Stemming::kByLanguage) {
    language = NormalizeLanguageTag(lang);
    if (language.empty()) language = std::string(DetectLanguage(body.empty() ? title : body));
    if (!language.empty()) {
      auto it = s.stemmers.find(language);
      if (it == s.stemmers.end()) {
        auto created = Stemmer::Create(language);
        it = s.stemmers
                 .emplace(language, created.ok()
                                        ? std::make_unique<Stemmer>(std::move(created.value()))
                                        : nullptr)
                 .first;
      }
      stemmer = it->second.get();
      if (stemmer == nullptr) language.clear();
    }
  }
  s.raw.clear();
  const uint64_t language_seed = XXH3_64bits(language.data(), language.size());
  auto add_term = [&](std::string_view t, float w) {
    uint64_t key = XXH3_64bits_withSeed(t.data(), t.size(), language_seed);
    key += key == 0;  // 0 marks an empty slot
    uint64_t h;
    const size_t at = s.slots.empty() ? 0 : s.Find(key);
    if (!s.slots.empty() && s.slots[at].key == key) {
      h = s.slots[at].stem;
    } else {
      std::string_view stem = stemmer ? stemmer->Stem(t) : t;
      h = XXH3_64bits(stem.data(), stem.size());
      if (spellings && !spellings->count(h)) spellings->emplace(h, std::string(stem));
      s.Insert(key, h);
    }
    s.raw.push_back({h, w});
  };
  auto add = [&](const TokenList& tokens, float weight, size_t first) {
    for (size_t i = first; i < tokens.size(); ++i) {
      std::string_view t = tokens[i];
      const float w =
          tokens.capitalized(i) ? weight * static_cast<float>(options_.capital_weight) : weight;
      if (std::none_of(t.begin(), t.end(), IsDigit)) {
        if (t.size() >= static_cast<size_t>(options_.min_term_bytes)) add_term(t, w);
        continue;
      }
      // UAX #29 keeps digits joined across '.' ',' ';' '\'' (WB11/12): "4,9", "29.000". Split
      // there, so a number's terms do not depend on the separator convention: "29.000",
      // "29,000" and "29 000" (French; the space already splits) all give "29", "000", and
      // "4,9" and "4.9" both "4", "9".
      size_t begin = 0;
      for (size_t k = 1; k + 1 < t.size(); ++k) {
        if (std::strchr(".,;'", t[k]) != nullptr && IsDigit(t[k - 1]) && IsDigit(t[k + 1])) {
          add_term(t.substr(begin, k - begin), w);
          begin = k + 1;
        }
      }
      add_term(t.substr(begin), w);
    }
  };
  // Many feeds repeat the headline as the body's first line: counted once, as the title.
  size_t body_start = 0;
  if (!title.empty() && body.size() >= title.size()) {
    body_start = title.size();
    for (size_t i = 0; i < title.size(); ++i) {
      if (title[i] != body[i]) {
        body_start = 0;
        break;
      }
    }
  }
  add(title, static_cast<float>(options_.title_weight), 0);
  add(body, 1.0f, body_start);
  std::sort(s.raw.begin(), s.raw.end(),
            [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
  out->clear();
  for (const TermCount& t : s.raw) {
    if (!out->empty() && out->back().term == t.term) {
      out->back().count += t.count;
    } else if (t.count > 0) {
      out->push_back(t);
    }
  }
  // The returned view must outlive `language`: hand back the scratch's key.
  if (language.empty()) return "";
  return s.stemmers.find(language)->first;
}

double SparseDot(const SparseVector& a, const SparseVector& b) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.ids.size() && j < b.ids.size()) {
    if (a.ids[i] < b.ids[j]) {
      ++i;
    } else if (b.ids[j] < a.ids[i]) {
      ++j;
    } else {
      dot += static_cast<double>(a.weights[i]) * b.weights[j];
      ++i;
      ++j;
    }
  }
  return dot;
}

void TfidfBuilder::Add(std::span<const TermCount> terms) {
  ++documents_;
  for (const TermCount& t : terms) ++df_[t.term];
}

void TfidfBuilder::AddFrequencies(size_t documents,
                                  std::span<const std::pair<uint64_t, uint32_t>> df) {
  documents_ += documents;
  for (const auto& [hash, count] : df) df_[hash] += count;
}

TfidfModel TfidfBuilder::Finish() {
  TfidfModel model;
  model.options_ = options_;
  model.documents_ = documents_;
  for (const auto& [hash, df] : df_) {
    if (!internal::DroppedTerm(options_, documents_, df)) model.hashes_.push_back(hash);
  }
  std::sort(model.hashes_.begin(), model.hashes_.end());  // ids independent of hash-map order
  model.idf_.resize(model.hashes_.size());
  const double n = static_cast<double>(documents_);
  for (uint32_t id = 0; id < model.hashes_.size(); ++id) {
    const double df = df_[model.hashes_[id]];
    model.idf_[id] = static_cast<float>(internal::SmoothedIdf(n, df));
    model.ids_.emplace(model.hashes_[id], id);
  }
  return model;
}

SparseVector TfidfModel::Transform(std::span<const TermCount> terms) const {
  SparseVector v;
  double norm = 0;
  for (const TermCount& t : terms) {
    auto it = ids_.find(t.term);
    if (it == ids_.end()) continue;
    // 1 + ln(tf) for tf >= 1; a count below 1 (title_weight < 1) stays as it is, never negative.
    const double tf = internal::TermWeight(options_, static_cast<double>(t.count));
    const double w = tf * idf_[it->second];
    v.ids.push_back(it->second);
    v.weights.push_back(static_cast<float>(w));
    norm += w * w;
  }
  // Ids ascend with hashes and the terms came sorted by hash, so v.ids is already sorted.
  if (norm > 0) {
    const float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& w : v.weights) w *= inv;
  }
  return v;
}

namespace {

// Model file: magic, format version, CRC-32 of the payload, payload size, payload (little-endian).
constexpr char kModelMagic[8] = {'S', 'S', 'T', 'F', 'I', 'D', 'F', '\n'};
constexpr uint32_t kModelVersion = 1;
constexpr size_t kModelHeader = sizeof(kModelMagic) + 4 + 4 + 8;

}  // namespace

Status TfidfModel::Save(const std::string& path, std::string_view note) const {
  std::string payload;
  internal::PutStr(&payload, note);
  internal::PutU32(&payload, static_cast<uint32_t>(options_.stemming));
  internal::PutF64(&payload, options_.title_weight);
  internal::PutF64(&payload, options_.capital_weight);
  internal::PutU32(&payload, options_.sublinear_tf ? 1 : 0);
  internal::PutF64(&payload, options_.max_df);
  internal::PutU32(&payload, static_cast<uint32_t>(options_.max_df_min_documents));
  internal::PutU32(&payload, static_cast<uint32_t>(options_.min_df));
  internal::PutU32(&payload, static_cast<uint32_t>(options_.min_term_bytes));
  internal::PutU64(&payload, documents_);
  internal::PutU64(&payload, hashes_.size());
  for (size_t id = 0; id < hashes_.size(); ++id) {
    internal::PutU64(&payload, hashes_[id]);
    internal::PutF32(&payload, idf_[id]);
  }
  std::string file(kModelMagic, sizeof(kModelMagic));
  internal::PutU32(&file, kModelVersion);
  internal::PutU32(&file, internal::Crc(payload));
  internal::PutU64(&file, payload.size());
  file += payload;
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (Status s = internal::WriteFileAtomically(path, file, dir); !s.ok()) {
    return Status::IOError("cannot save the TF-IDF model: " + s.message());
  }
  return Status::OK();
}

Result<TfidfModel> TfidfModel::Load(const std::string& path, std::string* note) {
  // The largest model the format holds: 2^32 terms of 12 bytes, plus options and the note.
  constexpr uint64_t kMaxModelBytes = (uint64_t{12} << 32) + (uint64_t{1} << 20);
  auto read = internal::ReadWholeFile(path, kMaxModelBytes);
  if (!read.ok()) {
    if (read.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("no TF-IDF model file " + path);
    }
    return read.status();
  }
  const std::string& file = read.value();
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("TF-IDF model " + path + " is corrupted (" + why +
                                   "); save it again");
  };
  if (file.size() < kModelHeader || std::memcmp(file.data(), kModelMagic, sizeof(kModelMagic))) {
    return Status::InvalidArgument(path + " is not a samestory TF-IDF model (saved with --save-model)");
  }
  internal::Cursor header{std::string_view(file).substr(sizeof(kModelMagic), kModelHeader)};
  const uint32_t version = header.U32();
  const uint32_t crc = header.U32();
  const uint64_t size = header.U64();
  if (version != kModelVersion) {
    return Status::InvalidArgument("TF-IDF model " + path + " has format version " +
                                   std::to_string(version) + "; this build reads version " +
                                   std::to_string(kModelVersion));
  }
  if (size != file.size() - kModelHeader) return corrupt("its size does not match its header");
  const std::string_view payload = std::string_view(file).substr(kModelHeader);
  if (internal::Crc(payload) != crc) return corrupt("checksum mismatch");

  internal::Cursor in{payload};
  TfidfModel model;
  const std::string_view stored_note = in.Str();
  TfidfOptions& o = model.options_;
  const uint32_t stemming = in.U32();
  o.stemming = stemming == 0 ? Stemming::kByLanguage : Stemming::kNone;
  o.title_weight = in.F64();
  o.capital_weight = in.F64();
  o.sublinear_tf = in.U32() != 0;
  o.max_df = in.F64();
  o.max_df_min_documents = static_cast<int>(in.U32());
  o.min_df = static_cast<int>(in.U32());
  o.min_term_bytes = static_cast<int>(in.U32());
  model.documents_ = in.U64();
  const uint64_t terms = in.U64();
  if (!in.ok || stemming > 1 || !o.Validate().ok()) return corrupt("bad options");
  if (terms > (payload.size() - in.pos) / 12) return corrupt("truncated term table");
  const float max_idf =
      static_cast<float>(1.0 + std::log(1.0 + static_cast<double>(model.documents_))) * 1.0001f;
  model.hashes_.resize(terms);
  model.idf_.resize(terms);
  for (uint64_t id = 0; id < terms; ++id) {
    model.hashes_[id] = in.U64();
    model.idf_[id] = in.F32();
    if (id > 0 && model.hashes_[id] <= model.hashes_[id - 1]) return corrupt("terms out of order");
    // A fitted idf is 1 + ln((1 + n) / (1 + df)), in [1, 1 + ln(1 + n)]; anything else (a
    // crafted file with a valid checksum: fuzz_tfidf_model) made Transform return inf weights.
    if (!(model.idf_[id] >= 1.0f && model.idf_[id] <= max_idf)) return corrupt("bad idf");
  }
  if (!in.AtEnd()) return corrupt("trailing bytes");
  model.ids_.reserve(terms);
  for (uint32_t id = 0; id < terms; ++id) model.ids_.emplace(model.hashes_[id], id);
  if (note != nullptr) *note = std::string(stored_note);
  return model;
}

}  // namespace samestory
