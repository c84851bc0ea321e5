// What a rank sends rank 0 of each record it fingerprinted: the fields the output and the later
// stages need (id, line, error, warning, date, title), its copy fingerprint (the copy rule's
// evidence, sketch and anchors) and its TF-IDF terms. Internal; both ends are this build.
#ifndef SAMESTORY_DISTRIBUTED_RECORD_CODEC_H_
#define SAMESTORY_DISTRIBUTED_RECORD_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "samestory/document.h"
#include "samestory/fingerprint.h"
#include "samestory/tfidf.h"

namespace samestory::internal {

// Appends one record. `fp` and `terms` may be null.
void EncodeRecord(const Document& doc, const CopyFingerprint* fp,
                  const std::vector<TermCount>* terms, std::string* out);

struct DecodedRecord {
  Document doc;
  bool has_fingerprint = false;
  CopyFingerprint fingerprint;
  bool has_terms = false;
  std::vector<TermCount> terms;
};

// Reads the record at the front of *in and advances it; false when the bytes are not a record.
bool DecodeRecord(std::string_view* in, DecodedRecord* out);

// Term spellings (term hash -> a stem's spelling, for story summaries) in a message, and back
// (the first spelling of a hash is kept).
std::string EncodeSpellings(const std::unordered_map<uint64_t, std::string>& spellings);
void DecodeSpellings(std::string_view in, std::unordered_map<uint64_t, std::string>* out);

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_RECORD_CODEC_H_
