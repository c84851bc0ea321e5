// Word lists of the corpus generator: what made-up names are built from (first names, syllables,
// endings), outlet names, sentences and headlines naming an event's entities, boilerplate lines,
// per language (English, French, Spanish, German), and the words a rewrite or a word edit may swap,
// drop or insert. Data only, plus the lookups over it. Internal. Immutable; thread-safe.
#ifndef SAMESTORY_GEN_WORD_LISTS_H_
#define SAMESTORY_GEN_WORD_LISTS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "gen/random.h"

namespace samestory::gen {

using WordList = std::span<const std::string_view>;

// --- Made-up names -------------------------------------------------------------------------------
extern const WordList kFirstNames;     // "Anna", "Marco", ...
extern const WordList kSyllables;      // made-up names are 1-3 of these ...
extern const WordList kNameEndings;    // ... and one of these: "Velkorov"
extern const WordList kOrgSuffixes;    // "Holdings", "Group", ...
extern const WordList kPlaceSuffixes;  // "burg", "ford", ...

// --- Key terms: "the Velkora accord", "l'accord Velkora", "der Velkora-Plan" ---------------------
extern const WordList kTermNounsEn;  // "accord": after the name
extern const WordList kTermNounsFr;  // "l'accord": before it
extern const WordList kTermNounsEs;  // "el acuerdo": before it
struct CompoundNoun {
  std::string_view article, noun;  // "der", "Plan": "der Velkora-Plan"
};
extern const std::span<const CompoundNoun> kTermNounsDe;

// --- Outlets: a place and a kind, "Riverside Herald" ---------------------------------------------
inline constexpr uint64_t kOutlets = 24 * 16;  // distinct outlet names
// Appends outlet `outlet`'s name. REQUIRES: outlet < kOutlets.
void AppendOutlet(uint64_t outlet, std::string* out);

// --- Per language --------------------------------------------------------------------------------

// What the made-up parts of a report are written in: the base article's language when these
// lists have it, else English.
enum class Lang { kEn, kFr, kEs, kDe };

// "fr", "fr-CA", "FR_fr" -> kFr; anything unknown -> kEn.
Lang LangOf(std::string_view tag);

// A short recurring notice (a dividend, a weekly figures report, an auction): a headline and a
// body whose sentences are separated by "\n" and paragraphs by "\n\n". Placeholders as below,
// plus figures {N1}..{N6} and dates {D1} {D2} (notice.h).
struct Notice {
  std::string_view title, body;
};

// Templates of one language. {P1} {P2}: full names; {L1} {L2}: last names; {O}: an organisation;
// {C}: a place; {T}: the key term. Boilerplate: {S} the outlet, {P} {Q} made-up people.
struct LangKit {
  WordList sentences;                // sentences naming the event's entities
  WordList titles;                   // headlines naming them
  WordList boilerplate;              // lines outlets add around wire text: ads, credits
  std::span<const Notice> notices;   // recurring notices
  WordList months;                   // month names, January first
  std::string_view correction_mark;  // what a corrected copy's title opens with: "CORRECTED-"
  WordList varied_titles;            // headlines naming them, `titles` and more (varied style)
};
LangKit KitFor(Lang lang);

// --- Rewriting and word edits --------------------------------------------------------------------
extern const WordList kFillerWords;        // what a word edit may insert: "also", "reportedly"
extern const WordList kDroppableWords;     // small words a rewrite may drop: "very", "still"
extern const WordList kLowercaseOpeners;   // sentence openers lowercased when moved inside
extern const WordList kCommonCapitalized;  // capitalized words that are not names: "Monday"
extern const WordList kHeadlineTailWords;  // words a headline cut from a sentence drops at its end

// The group of near-synonyms `word` belongs to ("said", "stated", "noted", ...), or -1.
int SynonymGroup(std::string_view word);
// A member of `group` other than `word`, at random. REQUIRES: group >= 0.
std::string_view OtherSynonym(int group, std::string_view word, Rng& rng);

bool OneOf(std::string_view word, WordList list);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_WORD_LISTS_H_
