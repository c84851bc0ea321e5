// Language guess from stop-word hits, and Snowball stemming through libstemmer.
#include <libstemmer.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <string>

#include "samestory/text.h"

namespace samestory {
namespace {

struct StopList {
  std::string_view language;
  std::string_view words;  // space-separated, lowercase, as the tokenizer emits them
};

// The most frequent function words of each language (elided forms as the tokenizer splits them).
// Words shared by two lists count for both, so shared words only blur, never decide.
constexpr std::array<StopList, 7> kStopLists = {{
    {"en", "the of and to in a is that for it on was with as by at from he his be are this "
           "have has not but they which an were said its their had will been would"},
    {"fr", "le la les de des du un une et est en que qui dans pour pas sur au aux par plus ce "
           "il elle ne se sont avec l d qu a été ont mais ou cette"},
    {"es", "el la los las de del y en que un una es por con para no se al lo su como más pero "
           "sus ha fue este esta entre"},
    {"de", "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es "
           "an als wird bei wurde sind nach aus"},
    {"it", "il di che e la un una per non sono del della le si con gli da al nel è lo anche "
           "come più ma ha alla"},
    {"pt", "o a os as de do da dos das e em um uma que não para com por no na se é ao mais "
           "foi pelo pela"},
    {"nl", "de het een en van in is dat op te zijn niet met voor die er aan ook als bij door "
           "werd maar om"},
}};

// Stop word -> bit l set when the word is in list l. Every stop word is at most 8 bytes, so a
// word is its bytes packed into one integer (tokens hold no NUL), looked up in a small
// open-addressing table: no string hashing or comparing for the many tokens of an article.
class StopWords {
 public:
  StopWords() {
    for (size_t l = 0; l < kStopLists.size(); ++l) {
      std::string_view w = kStopLists[l].words;
      while (!w.empty()) {
        const size_t sp = w.find(' ');
        const std::string_view word = w.substr(0, sp);
        if (word.empty() || word.size() > 8) std::abort();  // the lists above break the rule
        Slot& slot = slots_[Find(Pack(word))];
        slot.key = Pack(word);
        slot.bits |= static_cast<uint8_t>(1u << l);
        if (sp == std::string_view::npos) break;
        w.remove_prefix(sp + 1);
      }
    }
  }

  // The lists `token` is in, as bits; 0 for none.
  uint8_t Lookup(std::string_view token) const {
    if (token.empty() || token.size() > 8) return 0;
    const Slot& slot = slots_[Find(Pack(token))];
    return slot.key != 0 ? slot.bits : 0;
  }

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty
    uint8_t bits = 0;
  };
  static constexpr size_t kSlots = 1024;  // power of two, over 4x the ~210 words

  static uint64_t Pack(std::string_view word) {
    uint64_t key = 0;
    std::memcpy(&key, word.data(), word.size());
    return key;
  }
  // The slot holding `key`, or the empty one where it belongs.
  size_t Find(uint64_t key) const {
    size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 54) & (kSlots - 1);
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & (kSlots - 1);
    return i;
  }

  std::array<Slot, kSlots> slots_{};
};

const StopWords& StopWordBits() {
  static const auto* words = new StopWords();
  return *words;
}

}  // namespace

std::string_view DetectLanguage(const TokenList& tokens) {
  const auto& bits = StopWordBits();
  std::array<size_t, kStopLists.size()> hits{};
  for (size_t i = 0; i < tokens.size(); ++i) {
    const uint8_t in = bits.Lookup(tokens[i]);
    if (in == 0) continue;
    for (size_t l = 0; l < kStopLists.size(); ++l) hits[l] += (in >> l) & 1u;
  }
  size_t best = 0;
  for (size_t l = 1; l < hits.size(); ++l) {
    if (hits[l] > hits[best]) best = l;
  }
  if (hits[best] < 3 || hits[best] * 20 < tokens.size()) return "";
  return kStopLists[best].language;
}

std::string NormalizeLanguageTag(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

struct Stemmer::Impl {
  sb_stemmer* stemmer = nullptr;
  ~Impl() {
    if (stemmer) sb_stemmer_delete(stemmer);
  }
};

Stemmer::Stemmer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Stemmer::~Stemmer() = default;
Stemmer::Stemmer(Stemmer&&) noexcept = default;
Stemmer& Stemmer::operator=(Stemmer&&) noexcept = default;

Result<Stemmer> Stemmer::Create(std::string_view language) {
  auto impl = std::make_unique<Impl>();
  impl->stemmer = sb_stemmer_new(std::string(language).c_str(), "UTF_8");
  if (!impl->stemmer) {
    return Status::NotFound("no Snowball stemmer for language \"" + std::string(language) + "\"");
  }
  return Stemmer(std::move(impl));
}

std::string_view Stemmer::Stem(std::string_view token) {
  const sb_symbol* out = sb_stemmer_stem(impl_->stemmer,
                                         reinterpret_cast<const sb_symbol*>(token.data()),
                                         static_cast<int>(token.size()));
  if (out == nullptr) return token;  // out of memory inside libstemmer: leave the word whole
  return {reinterpret_cast<const char*>(out), static_cast<size_t>(sb_stemmer_length(impl_->stemmer))};
}

}  // namespace samestory
