#include "distributed/record_codec.h"

#include <cstring>

#include "dedup/evidence.h"

namespace samestory::internal {
namespace {

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(v));
}
void PutString(std::string* out, std::string_view s) {
  Put(out, static_cast<uint64_t>(s.size()));
  out->append(s);
}
template <typename T>
void PutVector(std::string* out, const std::vector<T>& v) {
  Put(out, static_cast<uint64_t>(v.size()));
  out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <typename T>
bool Get(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}
bool GetString(std::string_view* in, std::string* s) {
  uint64_t n;
  if (!Get(in, &n) || in->size() < n) return false;
  s->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}
template <typename T>
bool GetVector(std::string_view* in, std::vector<T>* v) {
  uint64_t n;
  if (!Get(in, &n) || in->size() / sizeof(T) < n) return false;
  v->resize(n);
  std::memcpy(v->data(), in->data(), n * sizeof(T));
  in->remove_prefix(n * sizeof(T));
  return true;
}

enum : uint8_t { kHasFingerprint = 1, kHasDate = 2, kHasTerms = 4 };

}  // namespace

void EncodeRecord(const Document& doc, const CopyFingerprint* fp,
                  const std::vector<TermCount>* terms, std::string* out) {
  uint8_t flags = 0;
  if (fp != nullptr) flags |= kHasFingerprint;
  if (doc.date) flags |= kHasDate;
  if (terms != nullptr) flags |= kHasTerms;
  Put(out, flags);
  Put(out, doc.line);
  Put(out, doc.date.value_or(0));
  PutString(out, doc.id);
  PutString(out, doc.error);
  PutString(out, doc.warning);
  PutString(out, doc.title);
  if (fp != nullptr) {
    std::string evidence;
    EncodeEvidence(*fp, &evidence);
    PutString(out, evidence);
    PutVector(out, fp->sketch);
    PutVector(out, fp->anchors);
  }
  if (terms != nullptr) {
    Put(out, static_cast<uint64_t>(terms->size()));
    for (const TermCount& t : *terms) {
      Put(out, t.term);
      Put(out, t.count);
    }
  }
}

bool DecodeRecord(std::string_view* in, DecodedRecord* out) {
  uint8_t flags;
  int64_t date;
  *out = DecodedRecord();
  if (!Get(in, &flags) || !Get(in, &out->doc.line) || !Get(in, &date)) return false;
  if (flags & kHasDate) out->doc.date = date;
  if (!GetString(in, &out->doc.id) || !GetString(in, &out->doc.error) ||
      !GetString(in, &out->doc.warning) || !GetString(in, &out->doc.title)) {
    return false;
  }
  out->has_fingerprint = (flags & kHasFingerprint) != 0;
  if (out->has_fingerprint) {
    std::string evidence;
    if (!GetString(in, &evidence) || !DecodeEvidence(evidence, &out->fingerprint) ||
        !GetVector(in, &out->fingerprint.sketch) || !GetVector(in, &out->fingerprint.anchors)) {
      return false;
    }
  }
  out->has_terms = (flags & kHasTerms) != 0;
  if (out->has_terms) {
    uint64_t n;
    if (!Get(in, &n) || in->size() / (sizeof(uint64_t) + sizeof(float)) < n) return false;
    out->terms.resize(n);
    for (TermCount& t : out->terms) {
      if (!Get(in, &t.term) || !Get(in, &t.count)) return false;
    }
  }
  return true;
}

std::string EncodeSpellings(const std::unordered_map<uint64_t, std::string>& spellings) {
  std::string out;
  for (const auto& [hash, text] : spellings) {
    const uint32_t n = static_cast<uint32_t>(text.size());
    out.append(reinterpret_cast<const char*>(&hash), sizeof(hash));
    out.append(reinterpret_cast<const char*>(&n), sizeof(n));
    out.append(text);
  }
  return out;
}

void DecodeSpellings(std::string_view in, std::unordered_map<uint64_t, std::string>* out) {
  while (in.size() >= 12) {
    uint64_t hash;
    uint32_t n;
    std::memcpy(&hash, in.data(), 8);
    std::memcpy(&n, in.data() + 8, 4);
    in.remove_prefix(12);
    if (in.size() < n) return;
    out->try_emplace(hash, std::string(in.substr(0, n)));
    in.remove_prefix(n);
  }
}

}  // namespace samestory::internal
