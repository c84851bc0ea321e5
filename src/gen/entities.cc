// Made-up entities and remapping (entities.h).
#include "gen/entities.h"

#include <utility>

#include "gen/text_util.h"

namespace samestory::gen {

Remap MakeRemap(uint64_t seed, uint64_t owner) {
  Rng rng(StreamSeed(seed, kRemapStream, owner));
  Remap r;
  r.seed = rng.Next();
  for (int d = 0; d < 10; ++d) r.digits[d] = static_cast<char>('0' + d);
  for (int d = 9; d > 0; --d)
    std::swap(r.digits[d], r.digits[rng.Below(static_cast<uint64_t>(d) + 1)]);
  return r;
}

std::string MadeUpName(Rng& rng, int syllables, std::string_view ending) {
  std::string s;
  for (int i = 0; i < syllables; ++i) s += Pick(rng, kSyllables);
  s += ending;
  Capitalize(&s);
  return s;
}

namespace {

// The event's own part of its entities: the second person, then the key term, from the event's
// entity stream.
void MakeEventEntities(uint64_t seed, uint64_t event, Lang lang, Entities* e) {
  Rng rng(StreamSeed(seed, kEntityStream, event, 1));
  e->last[1] = MadeUpName(rng, rng.Between(1, 2), Pick(rng, kNameEndings));
  e->person[1] = std::string(Pick(rng, kFirstNames)) + " " + e->last[1];
  const std::string name = MadeUpName(rng, 2, Pick(rng, kNameEndings));
  e->term_name = name;
  switch (lang) {
    case Lang::kEn:
      e->term = "the " + name + " " + std::string(Pick(rng, kTermNounsEn));
      break;
    case Lang::kFr:
      e->term = std::string(Pick(rng, kTermNounsFr)) + " " + name;
      break;
    case Lang::kEs:
      e->term = std::string(Pick(rng, kTermNounsEs)) + " " + name;
      break;
    case Lang::kDe: {
      const auto& noun = Pick(rng, kTermNounsDe);
      e->term = std::string(noun.article) + " " + name + "-" + std::string(noun.noun);
      break;
    }
  }
}

}  // namespace

void MakeEntities(uint64_t seed, uint64_t thread, uint64_t event, Lang lang, Entities* e) {
  MakeEntities(seed, thread, event, event, lang, e);
}

void MakeEntities(uint64_t seed, uint64_t thread, uint64_t event, uint64_t term_event, Lang lang,
                  Entities* e) {
  e->lang = lang;
  e->focus_remap = MakeRemap(seed, event);
  e->thread_remap = MakeRemap(seed ^ 0x7468726561640000ULL, thread);
  Rng cast(StreamSeed(seed, kEntityStream, thread, 0));
  e->last[0] = MadeUpName(cast, cast.Between(1, 2), Pick(cast, kNameEndings));
  e->person[0] = std::string(Pick(cast, kFirstNames)) + " " + e->last[0];
  e->org = MadeUpName(cast, cast.Between(2, 3), "") + " " + std::string(Pick(cast, kOrgSuffixes));
  e->place = MadeUpName(cast, 2, Pick(cast, kPlaceSuffixes));
  MakeEventEntities(seed, event, lang, e);
  if (term_event != event) {
    Entities big;
    MakeEventEntities(seed, term_event, lang, &big);
    e->term = std::move(big.term);
    e->term_name = std::move(big.term_name);
  }
}

bool AppendEntity(std::string_view key, const Entities& e, std::string* out) {
  if (key == "P1")
    out->append(e.person[0]);
  else if (key == "P2")
    out->append(e.person[1]);
  else if (key == "L1")
    out->append(e.last[0]);
  else if (key == "L2")
    out->append(e.last[1]);
  else if (key == "O")
    out->append(e.org);
  else if (key == "C")
    out->append(e.place);
  else if (key == "T")
    out->append(e.term);
  else
    return false;
  return true;
}

void FillTemplate(std::string_view tpl, const Entities& e, std::string* out) {
  out->clear();
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{') {
      out->push_back(tpl[i]);
      continue;
    }
    size_t close = tpl.find('}', i);
    AppendEntity(tpl.substr(i + 1, close - i - 1), e, out);
    i = close;
  }
  Capitalize(out);  // "{T} was discussed" opens with "the"
}

void AppendRemapped(const Remap& remap, const Word& w, std::string_view core, std::string* out) {
  if (w.flags & kName) {
    Rng rng(Mix64(remap.seed ^ w.hash));
    out->append(MadeUpName(rng, rng.Between(1, 2), Pick(rng, kNameEndings)));
  } else {
    for (char c : core) out->push_back(IsAsciiDigit(c) ? remap.digits[c - '0'] : c);
  }
}

}  // namespace samestory::gen
