// Made-up entities of the generator: the people, organisation, place and key term a report names,
// and the remapping that makes an event's use of a base article its own (every base name replaced
// by one made-up name, digits permuted). Everything is drawn from streams keyed by (seed, thread)
// and (seed, event), so any article of an event rebuilds the same names from its plan alone.
// Internal. Pure functions; thread-safe.
#ifndef SAMESTORY_GEN_ENTITIES_H_
#define SAMESTORY_GEN_ENTITIES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "gen/random.h"
#include "gen/word_lists.h"
#include "gen/words.h"

namespace samestory::gen {

// What makes one event's use of a base article its own: the names and numbers of the base text
// replaced consistently (one made-up name per base name, one digit permutation), so that two
// events drawn from the same article read like two earnings reports of different companies.
struct Remap {
  uint64_t seed = 0;
  char digits[10] = {};  // digit d becomes digits[d]
};

// The remapping of `owner` (an event or a thread) under `seed`.
Remap MakeRemap(uint64_t seed, uint64_t owner);

// Appends the remapped form of word `w` (kName: a made-up name; else its digits permuted);
// `core` is the word without its punctuation.
void AppendRemapped(const Remap& remap, const Word& w, std::string_view core, std::string* out);

// The names a report mentions. The organisation, the place and the first person belong to the
// event's thread (follow-up events share them); the second person and the term to the event.
struct Entities {
  std::string person[2], last[2], org, place, term;
  std::string term_name;  // the made-up name in `term`: "Velkora" in "the Velkora accord"
  Lang lang = Lang::kEn;
  Remap focus_remap;   // the event's: for its focus article
  Remap thread_remap;  // the thread's: for the background article its events share
};

// `syllables` syllables and `ending`, capitalized: "Velkorov".
std::string MadeUpName(Rng& rng, int syllables, std::string_view ending);

// The entities of `event` in `thread` (the event that opened the thread, or itself).
void MakeEntities(uint64_t seed, uint64_t thread, uint64_t event, Lang lang, Entities* e);

// The same, with the key term of `term_event` (a sub-event names its big event's term; the second
// person stays its own).
void MakeEntities(uint64_t seed, uint64_t thread, uint64_t event, uint64_t term_event, Lang lang,
                  Entities* e);

// Replaces *out with `tpl`, its {P1} {P2} {L1} {L2} {O} {C} {T} filled from `e` (word_lists.h),
// capitalized.
void FillTemplate(std::string_view tpl, const Entities& e, std::string* out);

// Appends the entity that placeholder `key` ("P1", "O", ...; no braces) names; false when `key` is
// not an entity's.
bool AppendEntity(std::string_view key, const Entities& e, std::string* out);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_ENTITIES_H_
