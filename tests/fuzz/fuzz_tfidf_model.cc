// Fuzz target for TfidfModel::Load and Save (samestory/tfidf.h).
//
// Input: byte 0 bit 0 picks how the other bytes become the model file: 0 as they are; 1 as the
// payload, after a header the harness writes (magic "SSTFIDF\n", version 1, CRC-32 and size of the
// payload, as TfidfModel::Save does), so that mutations get past the checksum into the parser.
// The harness knows that header layout (src/cluster/tfidf.cc) and must follow it if it changes.
// Properties, besides no crash, leak, UB, hang or unbounded allocation:
//   - Load returns a Status or a model;
//   - a loaded model saved again (Save) loads again with the same note, options, documents,
//     terms and idfs, and saving that one gives the same bytes;
//   - Transform of the model's own first terms is empty or has L2 norm 1.
#include <zlib.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "samestory/tfidf.h"

namespace samestory::fuzz {
namespace {

std::string WithHeader(std::string_view payload) {
  std::string file("SSTFIDF\n", 8);
  auto put = [&](const void* p, size_t n) { file.append(static_cast<const char*>(p), n); };
  const uint32_t version = 1;
  const uint32_t crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size())));
  const uint64_t size = payload.size();
  put(&version, 4);
  put(&crc, 4);
  put(&size, 8);
  file += payload;
  return file;
}

// Bitwise equality, so that NaN, -0.0 and +0.0 count as what the file holds.
template <typename T>
bool SameBits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

bool SameOptions(const TfidfOptions& a, const TfidfOptions& b) {
  return a.stemming == b.stemming && SameBits(a.title_weight, b.title_weight) &&
         SameBits(a.capital_weight, b.capital_weight) && a.sublinear_tf == b.sublinear_tf &&
         SameBits(a.max_df, b.max_df) && a.max_df_min_documents == b.max_df_min_documents &&
         a.min_df == b.min_df && a.min_term_bytes == b.min_term_bytes;
}

void CheckSameModel(const TfidfModel& a, const TfidfModel& b) {
  FUZZ_CHECK(SameOptions(a.options(), b.options()), "options changed by Save + Load");
  FUZZ_CHECK(a.num_documents() == b.num_documents(), "documents %zu became %zu",
             a.num_documents(), b.num_documents());
  FUZZ_CHECK(a.num_terms() == b.num_terms(), "terms %zu became %zu", a.num_terms(), b.num_terms());
  for (uint32_t id = 0; id < a.num_terms(); ++id) {
    FUZZ_CHECK(a.term_hash(id) == b.term_hash(id) && SameBits(a.idf(id), b.idf(id)),
               "term %u changed by Save + Load", id);
  }
}

void CheckTransform(const TfidfModel& model) {
  std::vector<TermCount> terms;
  for (uint32_t id = 0; id < model.num_terms() && id < 16; ++id) {
    terms.push_back({model.term_hash(id), static_cast<float>(1 + id % 3)});
  }
  const SparseVector v = model.Transform(terms);
  FUZZ_CHECK(v.ids.size() == terms.size() && v.weights.size() == terms.size(),
             "Transform kept %zu of %zu known terms", v.ids.size(), terms.size());
  double norm = 0;
  for (size_t i = 0; i < v.ids.size(); ++i) {
    FUZZ_CHECK(v.ids[i] == i, "Transform id %u at %zu", v.ids[i], i);
    norm += double{v.weights[i]} * v.weights[i];
  }
  FUZZ_CHECK(v.ids.empty() || std::fabs(norm - 1) < 1e-3, "Transform norm^2 %g", norm);
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  using samestory::TfidfModel;
  if (size == 0) return 0;
  static const ScratchDir dir("fuzz_tfidf_model");
  static const std::string input_path = dir.File("input.model");
  static const std::string saved_path = dir.File("saved.model");
  static const std::string resaved_path = dir.File("resaved.model");
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  WriteFileOrDie(input_path, (data[0] & 1) != 0 ? WithHeader(bytes) : std::string(bytes));

  std::string note;
  auto model = TfidfModel::Load(input_path, &note);
  if (!model.ok()) {
    FUZZ_CHECK(!model.status().message().empty(), "an error without a message");
    return 0;
  }
  CheckTransform(model.value());
  samestory::Status s = model->Save(saved_path, note);
  FUZZ_CHECK(s.ok(), "Save: %s", s.ToString().c_str());
  std::string note2;
  auto again = TfidfModel::Load(saved_path, &note2);
  FUZZ_CHECK(again.ok(), "a saved model does not load: %s", again.status().ToString().c_str());
  FUZZ_CHECK(note2 == note, "the note changed by Save + Load");
  CheckSameModel(model.value(), again.value());
  s = again->Save(resaved_path, note2);
  FUZZ_CHECK(s.ok(), "Save: %s", s.ToString().c_str());
  FUZZ_CHECK(ReadFileBytes(saved_path) == ReadFileBytes(resaved_path),
             "saving a loaded model gives other bytes");
  return 0;
}
