#include "dedup/evidence.h"

#include <algorithm>
#include <cstring>

namespace samestory::internal {

namespace {

void Put(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutU64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }

}  // namespace

void EncodeEvidence(const CopyFingerprint& fp, std::string* out) {
  Put(out, static_cast<uint32_t>(fp.kind));
  Put(out, fp.words);
  PutU64(out, fp.text_hash);
  Put(out, fp.sample_limit);
  Put(out, static_cast<uint32_t>(fp.sample.size()));
  Put(out, static_cast<uint32_t>(fp.facts.size()));
  Put(out, static_cast<uint32_t>(fp.title.size()));
  out->append(reinterpret_cast<const char*>(fp.sample.data()), fp.sample.size() * 4);
  for (const Fact& f : fp.facts) {
    Put(out, f.context);
    Put(out, f.value);
    PutU64(out, f.shape);
  }
  out->append(reinterpret_cast<const char*>(fp.title.data()), fp.title.size() * 4);
}

bool DecodeEvidence(std::string_view bytes, CopyFingerprint* fp) {
  constexpr size_t kHeader = 4 * 7 + 4;
  if (bytes.size() < kHeader) return false;
  uint32_t h[8];
  std::memcpy(h, bytes.data(), kHeader);
  const uint32_t kind = h[0], words = h[1], limit = h[4], samples = h[5], facts = h[6], titles = h[7];
  uint64_t text_hash;
  std::memcpy(&text_hash, bytes.data() + 8, 8);
  if (kind > 1 || bytes.size() != kHeader + (uint64_t{samples} + 4ull * facts + titles) * 4) {
    return false;
  }
  fp->kind = static_cast<CopyFingerprint::Kind>(kind);
  fp->words = words;
  fp->text_hash = text_hash;
  fp->sample_limit = limit;
  const char* p = bytes.data() + kHeader;
  fp->sample.resize(samples);
  if (samples > 0) std::memcpy(fp->sample.data(), p, samples * 4ull);  // no null data to memcpy
  p += samples * 4ull;
  fp->facts.resize(facts);
  for (Fact& f : fp->facts) {
    std::memcpy(&f.context, p, 4);
    std::memcpy(&f.value, p + 4, 4);
    std::memcpy(&f.shape, p + 8, 8);
    p += 16;
  }
  fp->title.resize(titles);
  if (titles > 0) std::memcpy(fp->title.data(), p, titles * 4ull);
  fp->sketch.clear();
  return true;
}

void FillTitleDf(const std::unordered_map<uint32_t, uint32_t>& title_df, Evidence* e) {
  e->title_df.resize(e->fingerprint.title.size());
  for (size_t i = 0; i < e->title_df.size(); ++i) {
    auto it = title_df.find(e->fingerprint.title[i] & CopyFingerprint::kTitleWord);
    e->title_df[i] = it == title_df.end() ? 0 : it->second;
  }
}

DupKind MemberKind(const SampleOverlap& o, double partial_below) {
  const uint32_t smaller = std::min(o.a, o.b), larger = std::max(o.a, o.b);
  return larger > 0 && static_cast<double>(smaller) < partial_below * larger ? DupKind::kPartial
                                                                              : DupKind::kCopy;
}

}  // namespace samestory::internal
