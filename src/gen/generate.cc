// The corpus generator (issue 5). How an article comes about:
//   thread   : an ongoing topic: a background base article and a cast (organisation, place, lead
//              person). Most events open their own thread; a follow-up joins a recent one.
//   event e  : a focus base article (the background's language), its own term and second person,
//              a date, k reports, a number of copies per report. Planned in date order.
//   report r : sentences sampled from the focus article (and a few from the background and the
//              language's pool), each rewritten (synonyms, dropped words, clauses moved), plus 1-3
//              template sentences naming the entities, grouped into paragraphs under a headline.
//   copy c   : the report with the edits its outlet made.
// Every choice comes from a SplitMix64 stream seeded by (seed, what, e, r, c), so an article's text
// can be rebuilt from its plan alone: the reorder buffer that puts articles in date order holds
// 48-byte plans, not texts. Only integer arithmetic and IEEE comparisons of exact draws are used
// (no libm, no std:: distributions): the output is the same on every machine.
#include "samestory/generate.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/json_writer.h"
#include "samestory/reader.h"

namespace samestory {

std::string_view CopyKindName(CopyKind kind) {
  switch (kind) {
    case CopyKind::kOriginal:
      return "original";
    case CopyKind::kExact:
      return "exact";
    case CopyKind::kReheadlined:
      return "reheadlined";
    case CopyKind::kTruncated:
      return "truncated";
    case CopyKind::kReordered:
      return "reordered";
    case CopyKind::kBoilerplate:
      return "boilerplate";
    case CopyKind::kEdited:
      return "edited";
    case CopyKind::kNoisy:
      return "noisy";
    case CopyKind::kCombined:
      return "combined";
  }
  return "unknown";
}

Status GeneratorOptions::Validate() const {
  auto rate = [](double r, double hi) { return r >= 0 && r <= hi; };  // false for NaN too
  if (articles < 1 || articles > 10'000'000'000ULL) {
    return Status::InvalidArgument("articles must be in [1, 10^10]");
  }
  if (!ParseIsoDate(start))
    return Status::InvalidArgument("start is not an ISO 8601 date: " + start);
  if (days < 1 || days > 36500) return Status::InvalidArgument("days must be in [1, 36500]");
  if (min_reports < 1 || max_reports > 32 || min_reports > max_reports) {
    return Status::InvalidArgument("reports per event must satisfy 1 <= min <= max <= 32");
  }
  if (!rate(report_spread_days, 60)) {
    return Status::InvalidArgument("report_spread_days must be in [0, 60]");
  }
  if (!rate(follow_up_rate, 1)) return Status::InvalidArgument("follow_up_rate must be in [0, 1]");
  if (!(thread_days > 0 && thread_days <= 365)) {
    return Status::InvalidArgument("thread_days must be in (0, 365]");
  }
  if (!rate(copy_rate, 0.95)) return Status::InvalidArgument("copy_rate must be in [0, 0.95]");
  if (!rate(copy_delay_hours, 720)) {
    return Status::InvalidArgument("copy_delay_hours must be in [0, 720]");
  }
  for (double r : {reheadline_rate, truncate_rate, reorder_rate, boilerplate_rate, word_edit_rate,
                   noise_rate}) {
    if (!rate(r, 1)) return Status::InvalidArgument("edit rates must be in [0, 1]");
  }
  if (!rate(noise_chars, 0.1)) return Status::InvalidArgument("noise_chars must be in [0, 0.1]");
  return Status::OK();
}

namespace {

// --- Randomness ----------------------------------------------------------------------------------

// 128-bit products: GCC and Clang have them on every 64-bit target.
__extension__ using Uint128 = unsigned __int128;

// SplitMix64's output function (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014).
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// What a random stream is for: streams of different purposes never share draws.
enum Stream : uint64_t {
  kEventStream = 1,
  kEntityStream,
  kReportStream,
  kCopyStream,
  kThreadStream,
  kRemapStream
};

uint64_t StreamSeed(uint64_t seed, Stream what, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  uint64_t h = Mix64(seed + 0x9E3779B97F4A7C15ULL);
  for (uint64_t x : {static_cast<uint64_t>(what), a, b, c}) h = Mix64(h ^ Mix64(x + 0x632BE5AB));
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_ += 0x9E3779B97F4A7C15ULL); }
  // Uniform in [0, n) by multiply-shift (Lemire 2019); the bias of at most n / 2^64 is the same
  // everywhere, which is what matters here. REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // True with probability p: a 53-bit draw compared with p, exact in IEEE arithmetic.
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&items)[N]) {
  return items[rng.Below(N)];
}

// --- Word lists ----------------------------------------------------------------------------------

constexpr std::string_view kFirstNames[] = {
    "Anna",  "Marco",  "Priya",  "Lukas",  "Sofia",  "Tomas",   "Amara",  "Kenji",
    "Elena", "Rafael", "Ingrid", "Omar",   "Chloe",  "Dmitri",  "Leila",  "Mateo",
    "Hana",  "Viktor", "Nadia",  "Samuel", "Yara",   "Felix",   "Ines",   "Jonas",
    "Mira",  "Pablo",  "Zofia",  "Arjun",  "Clara",  "Emeka",   "Freya",  "Hugo",
    "Ilse",  "Julien", "Kaia",   "Luca",   "Maren",  "Nikolai", "Olga",   "Pieter",
    "Rosa",  "Stefan", "Tala",   "Umar",   "Vera",   "Wen",     "Xavier", "Yusuf",
    "Zara",  "Bruno",  "Celine", "Diego",  "Esther", "Farid",   "Greta",  "Henrik",
    "Irene", "Joao",   "Katya",  "Lars",   "Malik",  "Noor",    "Oscar",  "Paula"};
constexpr std::string_view kSyllables[] = {"var",  "len", "kor", "mi",  "tan",  "bel", "sor", "dri",
                                           "ka",   "lo",  "ven", "tis", "ma",   "rin", "gol", "ze",
                                           "pa",   "nor", "vik", "sa",  "ter",  "lun", "do",  "ri",
                                           "bran", "ho",  "mel", "qua", "sten", "fa",  "gri", "el"};
constexpr std::string_view kNameEndings[] = {"ov",  "ez", "son", "ani", "berg", "ski", "ard", "ini",
                                             "ova", "ek", "as",  "ton", "ell",  "ada", "ius", "e"};
constexpr std::string_view kOrgSuffixes[] = {
    "Holdings", "Group",  "Industries", "Bank",      "Energy",  "Systems", "Foundation", "Partners",
    "Capital",  "Motors", "Pharma",     "Logistics", "Telecom", "Mining",  "Airlines",   "Foods"};
constexpr std::string_view kPlaceSuffixes[] = {"burg",  "ford", "field", "ia",   "ville",
                                               "mouth", "stad", "ton",   "dale", "port"};
constexpr std::string_view kTermNounsEn[] = {
    "accord", "plan",     "project", "reform", "merger", "pipeline", "treaty", "programme",
    "bill",   "contract", "inquiry", "deal",   "scheme", "strike",   "tariff", "recall"};
constexpr std::string_view kTermNounsFr[] = {
    "l'accord",   "le plan",   "le projet",    "la réforme", "la fusion", "le traité",
    "le contrat", "l'enquête", "le programme", "la grève",   "le tarif",  "le rappel"};

constexpr std::string_view kOutletPlaces[] = {
    "Northfield", "Riverside", "Harbor",     "Eastbrook",  "Westmoor",  "Pinecrest",
    "Lakeshore",  "Summit",    "Redwood",    "Granite",    "Silverton", "Bayview",
    "Oakridge",   "Meadow",    "Ironbridge", "Clearwater", "Stonegate", "Brightwater",
    "Fairhaven",  "Kingsport", "Ashford",    "Maplewood",  "Highland",  "Coastal"};
constexpr std::string_view kOutletKinds[] = {
    "Herald",   "Times",   "Post", "Ledger",  "Wire",    "Daily",    "Gazette",  "Chronicle",
    "Observer", "Tribune", "News", "Journal", "Courier", "Dispatch", "Standard", "Telegraph"};
constexpr uint64_t kOutlets = std::size(kOutletPlaces) * std::size(kOutletKinds);

// Sentences naming the event's entities. {P1} {P2}: full names; {L1} {L2}: last names; {O}: an
// organisation; {C}: a place; {T}: the key term as a noun phrase ("the Velkora accord").
constexpr std::string_view kEntitySentencesEn[] = {
    "{P1}, a spokesperson for {O}, said {T} would be reviewed in {C} next week.",
    "Officials in {C} confirmed that {O} had been in talks about {T} for several months.",
    "{L1} told reporters that {T} was \"a first step\" and that more details would follow.",
    "The announcement came after {P2} of {O} met regional officials in {C}.",
    "Shares of {O} moved sharply after news of {T} reached investors.",
    "According to {P2}, {T} could affect thousands of workers across {C}.",
    "{L2} declined to comment on the timing of {T}.",
    "Critics in {C} said {O} had not explained how {T} would be funded.",
    "{P1} of {O} said the company expected {T} to be completed by the end of the year.",
    "Residents of {C} were told that {T} would not change existing arrangements.",
    "First proposed by {L1}, {T} has drawn support from {O}.",
    "{O} said in a statement that it remained committed to {T} despite objections raised in {C}.",
    "Analysts said {T} was the most significant move by {O} in years.",
    "{L2} said talks with {O} would resume in {C} on Monday.",
    "A source familiar with {T} said {L1} had pushed for faster approval.",
    "{T} was discussed at a meeting in {C} attended by {P1} and {P2}.",
    "In {C}, union leaders said they would study {T} before taking a position.",
    "{P2} warned that delays to {T} would cost {O} dearly.",
    "{O} has hired advisers to manage {T}, {L2} said.",
    "Local media in {C} reported that {L1} would lead the work on {T}."};
constexpr std::string_view kEntitySentencesFr[] = {
    "{P1}, porte-parole de {O}, a déclaré que {T} serait examiné à {C} la semaine prochaine.",
    "Les autorités de {C} ont confirmé que {O} négociait depuis plusieurs mois autour de {T}.",
    "{L1} a affirmé que {T} constituait « une première étape » et que d'autres détails suivraient.",
    "L'annonce est intervenue après une rencontre entre {P2}, de {O}, et des élus de {C}.",
    "Selon {P2}, {T} pourrait toucher des milliers de salariés dans la région de {C}.",
    "{L2} n'a pas souhaité commenter le calendrier.",
    "À {C}, des opposants reprochent à {O} de ne pas avoir expliqué le financement.",
    "{P1}, de {O}, a indiqué que l'entreprise espérait conclure avant la fin de l'année.",
    "Les habitants de {C} ont été informés que rien ne changerait dans l'immédiat.",
    "{O} a réaffirmé dans un communiqué son attachement au dossier malgré les objections.",
    "Pour plusieurs analystes, il s'agit de la décision la plus importante de {O} depuis des "
    "années.",
    "{L2} a précisé que les discussions avec {O} reprendraient lundi à {C}.",
    "Une réunion s'est tenue à {C} en présence de {P1} et de {P2}.",
    "Les syndicats de {C} ont annoncé qu'ils étudieraient le texte avant de se prononcer."};
constexpr std::string_view kTitlesEn[] = {"{O} backs {T} as {C} weighs its options",
                                          "{L1} defends {T}",
                                          "{C} officials question {T}",
                                          "Talks on {T} continue, says {O}",
                                          "{O} and {C}: what {T} means",
                                          "{L2} warns over delays to {T}",
                                          "Questions mount in {C} over {T}",
                                          "{O} confirms talks on {T}"};
constexpr std::string_view kTitlesFr[] = {
    "{O} soutient {T}, {C} s'interroge", "{L1} défend {T}", "À {C}, {T} fait débat",
    "{O} confirme des discussions sur {T}", "{L2} met en garde contre les retards"};

// Lines outlets add around copied wire text. {S}: the outlet; {P}: a made-up name.
constexpr std::string_view kBoilerplateEn[] = {
    "Subscribe to our newsletter for the latest updates.",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Sign up for breaking news alerts from {S}.",
    "Read more: the stories our readers are following today.",
    "(Reporting by {P}; Editing by {Q})",
    "Copyright {S}. All rights reserved.",
    "Follow {S} on social media for more news.",
    "This article has been updated with additional information.",
    "Get the {S} app for news on the go.",
    "Related coverage is available on our website."};
constexpr std::string_view kBoilerplateFr[] = {"Abonnez-vous à notre lettre d'information.",
                                               "Publicité",
                                               "PUBLICITÉ",
                                               "Lire aussi : les articles les plus lus du jour.",
                                               "(Avec {P} et {Q})",
                                               "Tous droits réservés {S}.",
                                               "Suivez {S} sur les réseaux sociaux.",
                                               "Cet article a été mis à jour."};

constexpr std::string_view kEntitySentencesEs[] = {
    "{P1}, portavoz de {O}, dijo que {T} se revisará en {C} la próxima semana.",
    "Las autoridades de {C} confirmaron que {O} negociaba desde hace meses sobre {T}.",
    "{L1} afirmó que {T} es «un primer paso» y que pronto habrá más detalles.",
    "El anuncio llegó después de una reunión entre {P2}, de {O}, y responsables de {C}.",
    "Según {P2}, {T} podría afectar a miles de trabajadores en {C}.",
    "{L2} declinó comentar el calendario.",
    "Críticos en {C} reprochan a {O} no haber explicado cómo se financiará.",
    "{O} reiteró en un comunicado su compromiso pese a las objeciones.",
    "{L2} precisó que las conversaciones con {O} se reanudarán el lunes en {C}.",
    "La reunión en {C} contó con la presencia de {P1} y {P2}."};
constexpr std::string_view kTitlesEs[] = {"{O} respalda {T}", "{L1} defiende {T}",
                                          "En {C}, {T} genera debate",
                                          "{O} confirma conversaciones sobre {T}"};
constexpr std::string_view kBoilerplateEs[] = {"Suscríbete a nuestro boletín.",
                                               "Publicidad",
                                               "PUBLICIDAD",
                                               "Lee también: lo más leído del día.",
                                               "(Con información de {P})",
                                               "© {S}. Todos los derechos reservados."};
constexpr std::string_view kEntitySentencesDe[] = {
    "{P1}, Sprecher von {O}, sagte, {T} werde nächste Woche in {C} geprüft.",
    "Behörden in {C} bestätigten, dass {O} seit Monaten verhandelt.",
    "{L1} nannte den Schritt „einen Anfang“ und kündigte weitere Details an.",
    "Die Ankündigung folgte auf ein Treffen von {P2} ({O}) mit Vertretern aus {C}.",
    "Nach Angaben von {P2} könnte {T} Tausende Beschäftigte in {C} betreffen.",
    "{L2} wollte sich zum Zeitplan nicht äußern.",
    "Kritiker in {C} werfen {O} vor, die Finanzierung nicht erklärt zu haben.",
    "{O} bekräftigte in einer Mitteilung, trotz der Einwände festzuhalten.",
    "{L2} sagte, die Gespräche mit {O} würden am Montag in {C} fortgesetzt.",
    "An einem Treffen in {C} nahmen {P1} und {P2} teil."};
constexpr std::string_view kTitlesDe[] = {
    "{T} sorgt in {C} für Streit", "{L1} verteidigt Pläne von {O}",
    "{O} bestätigt Gespräche in {C}", "Streit in {C}: {T} auf dem Prüfstand"};
constexpr std::string_view kBoilerplateDe[] = {
    "Abonnieren Sie unseren Newsletter.",
    "Anzeige",
    "ANZEIGE",
    "Lesen Sie auch: die meistgelesenen Artikel des Tages.",
    "(Mit Material von {P})",
    "© {S}. Alle Rechte vorbehalten."};
constexpr std::string_view kTermNounsEs[] = {"el acuerdo",  "el plan",         "el proyecto",
                                             "la reforma",  "la fusión",       "el tratado",
                                             "el contrato", "la investigación"};
// German terms are compounds: "der Velkora-Plan".
constexpr std::string_view kTermNounsDe[][2] = {
    {"der", "Plan"},    {"das", "Projekt"},  {"die", "Reform"},       {"die", "Fusion"},
    {"der", "Vertrag"}, {"das", "Abkommen"}, {"die", "Untersuchung"}, {"das", "Programm"}};

// What the made-up parts of a report are written in: the base article's language when these
// lists have it, else English.
enum class Lang { kEn, kFr, kEs, kDe };

struct LangKit {
  std::span<const std::string_view> sentences, titles, boilerplate;
};

LangKit KitFor(Lang lang) {
  switch (lang) {
    case Lang::kFr:
      return {kEntitySentencesFr, kTitlesFr, kBoilerplateFr};
    case Lang::kEs:
      return {kEntitySentencesEs, kTitlesEs, kBoilerplateEs};
    case Lang::kDe:
      return {kEntitySentencesDe, kTitlesDe, kBoilerplateDe};
    case Lang::kEn:
      break;
  }
  return {kEntitySentencesEn, kTitlesEn, kBoilerplateEn};
}

Lang LangOf(std::string_view tag) {
  if (tag.size() < 2 || (tag.size() > 2 && tag[2] != '-' && tag[2] != '_')) return Lang::kEn;
  const char a = static_cast<char>(tag[0] | 0x20), b = static_cast<char>(tag[1] | 0x20);
  if (a == 'f' && b == 'r') return Lang::kFr;
  if (a == 'e' && b == 's') return Lang::kEs;
  if (a == 'd' && b == 'e') return Lang::kDe;
  return Lang::kEn;
}

// Words a report may use in place of one another: news-style near-synonyms (Reuters' own
// abbreviations among them) so that reports of one event share vocabulary but few word 5-grams.
constexpr std::string_view kSynonymGroups[][4] = {
    {"said", "stated", "noted", "explained"},
    {"rose", "climbed", "increased", "gained"},
    {"fell", "dropped", "declined", "slipped"},
    {"big", "large", "major", ""},
    {"buy", "purchase", "acquire", ""},
    {"bought", "purchased", "acquired", ""},
    {"company", "firm", "group", ""},
    {"companies", "firms", "groups", ""},
    {"expected", "anticipated", "forecast", ""},
    {"increase", "rise", "gain", ""},
    {"decrease", "decline", "drop", "fall"},
    {"help", "assist", "support", ""},
    {"plan", "proposal", "scheme", ""},
    {"plans", "proposals", "schemes", ""},
    {"agreement", "deal", "accord", ""},
    {"talks", "negotiations", "discussions", ""},
    {"officials", "authorities", "representatives", ""},
    {"announced", "unveiled", "disclosed", "revealed"},
    {"strong", "robust", "solid", ""},
    {"weak", "soft", "sluggish", ""},
    {"sales", "revenue", "turnover", ""},
    {"prices", "costs", "", ""},
    {"reported", "posted", "recorded", ""},
    {"nearly", "almost", "", ""},
    {"quickly", "rapidly", "swiftly", ""},
    {"important", "significant", "", ""},
    {"began", "started", "", ""},
    {"begin", "start", "", ""},
    {"ended", "finished", "concluded", ""},
    {"told", "informed", "", ""},
    {"mln", "million", "", ""},
    {"bln", "billion", "", ""},
    {"dlrs", "dollars", "", ""},
    {"pct", "percent", "", ""},
    {"would", "could", "might", ""},
    {"hausse", "progression", "augmentation", ""},
    {"baisse", "recul", "diminution", ""},
    {"entreprise", "société", "", ""},
    {"selon", "d'après", "", ""},
    {"projet", "dossier", "", ""}};
// Words a word edit may insert or substitute.
constexpr std::string_view kFillerWords[] = {"also",       "now",   "still",  "further",  "already",
                                             "reportedly", "again", "so far", "initially"};
// Small words a rewrite may drop without changing the facts.
constexpr std::string_view kDroppableWords[] = {
    "also",    "very",     "still",     "just", "now", "already", "really", "only",   "even",
    "further", "recently", "currently", "some", "its", "their",   "total",  "overall"};
// Sentence-initial words that are lowercased when a clause rotation moves them inside.
constexpr std::string_view kLowercaseOpeners[] = {"The",  "A",   "An",    "In",    "On",  "It",
                                                  "This", "He",  "She",   "They",  "We",  "At",
                                                  "For",  "Its", "Their", "There", "But", "And"};

// Synonym lookup: word -> group index.
const std::unordered_map<std::string_view, int>& SynonymIndex() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, int>();
    for (size_t g = 0; g < std::size(kSynonymGroups); ++g) {
      for (std::string_view w : kSynonymGroups[g]) {
        if (!w.empty()) m->emplace(w, static_cast<int>(g));
      }
    }
    return m;
  }();
  return *index;
}

// A group member other than `word`, at random. REQUIRES: the group has 2+ members.
std::string_view OtherSynonym(int group, std::string_view word, Rng& rng) {
  const auto& g = kSynonymGroups[group];
  int n = 0;
  while (n < 4 && !g[n].empty()) ++n;
  for (;;) {
    std::string_view w = g[rng.Below(static_cast<uint64_t>(n))];
    if (w != word) return w;
  }
}

// --- Text helpers --------------------------------------------------------------------------------

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsTerminal(char c) { return c == '.' || c == '!' || c == '?'; }
bool IsClosingQuote(char c) { return c == '"' || c == '\'' || c == ')'; }

void SplitWords(std::string_view s, std::vector<std::string_view>* words) {
  words->clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words->push_back(s.substr(i, j - i));
    i = j;
  }
}

// The word without trailing punctuation, and that punctuation.
std::pair<std::string_view, std::string_view> SplitPunct(std::string_view w) {
  size_t n = w.size();
  while (n > 0 && (w[n - 1] == ',' || w[n - 1] == '.' || w[n - 1] == ';' || w[n - 1] == ':' ||
                   w[n - 1] == '!' || w[n - 1] == '?' || IsClosingQuote(w[n - 1]))) {
    --n;
  }
  return {w.substr(0, n), w.substr(n)};
}

bool IsAbbreviation(std::string_view word) {
  static constexpr std::string_view kAbbreviations[] = {
      "Mr",   "Mrs", "Ms",  "Dr",  "Prof", "Inc", "Co",  "Corp", "Ltd", "Jr",  "Sr",  "St",  "No",
      "Gen",  "Sen", "Rep", "Gov", "vs",   "Jan", "Feb", "Mar",  "Apr", "Jun", "Jul", "Aug", "Sep",
      "Sept", "Oct", "Nov", "Dec", "Mt",   "Ft",  "Ave", "Bros", "Mme", "Cie", "etc"};
  if (word.size() <= 1) return true;                          // initials: "J. Smith"
  if (word.find('.') != std::string_view::npos) return true;  // "U.S."
  for (std::string_view a : kAbbreviations) {
    if (word == a) return true;
  }
  return false;
}

// Splits `text` into sentences with whitespace collapsed. A sentence ends at . ! or ? (and any
// closing quotes) followed by a space and an upper-case letter, digit, quote or non-ASCII byte,
// unless the word before the period is an abbreviation; a blank line always ends one.
void SplitSentences(std::string_view text, std::vector<std::string>* out) {
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == ' ') cur.pop_back();
    if (!cur.empty()) out->push_back(std::move(cur));
    cur.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsSpace(c)) {
      size_t j = i;
      int newlines = 0;
      while (j < text.size() && IsSpace(text[j])) newlines += text[j++] == '\n';
      if (newlines >= 2) {
        flush();
      } else if (!cur.empty()) {
        cur.push_back(' ');
      }
      i = j;
      continue;
    }
    cur.push_back(c);
    ++i;
    if (!IsTerminal(c)) continue;
    size_t j = i;
    while (j < text.size() && IsClosingQuote(text[j])) cur.push_back(text[j++]);
    if (j >= text.size() || !IsSpace(text[j])) continue;
    size_t k = j;
    while (k < text.size() && IsSpace(text[k])) ++k;
    if (k < text.size()) {
      char next = text[k];
      const bool opens = IsAsciiUpper(next) || IsAsciiDigit(next) || next == '"' || next == '\'' ||
                         static_cast<unsigned char>(next) >= 0x80;
      if (!opens) continue;
    }
    if (c == '.') {
      size_t end = cur.size() - (j - i) - 1;  // the period's position in cur
      size_t start = cur.rfind(' ', end);
      start = start == std::string::npos ? 0 : start + 1;
      if (IsAbbreviation(std::string_view(cur).substr(start, end - start))) continue;
    }
    i = j;
    flush();
  }
  flush();
}

// A sentence worth reusing: 6..80 words, at least 70% of them starting with a letter, not shouting,
// opening like a sentence and ending with sentence punctuation.
bool UsableSentence(std::string_view s) {
  if (s.size() < 20) return false;
  const char first = s.front();
  if (!(IsAsciiUpper(first) || first == '"' || static_cast<unsigned char>(first) >= 0x80))
    return false;
  size_t end = s.size();
  while (end > 0 && IsClosingQuote(s[end - 1])) --end;
  if (end == 0 || !IsTerminal(s[end - 1])) return false;
  int words = 0, letter_words = 0, upper = 0, lower = 0;
  bool start = true;
  for (char c : s) {
    if (c == ' ') {
      start = true;
      continue;
    }
    if (start) {
      ++words;
      letter_words +=
          IsAsciiUpper(c) || IsAsciiLower(c) || c == '"' || static_cast<unsigned char>(c) >= 0x80;
      start = false;
    }
    upper += IsAsciiUpper(c);
    lower += IsAsciiLower(c);
  }
  if (words < 6 || words > 80) return false;
  if (letter_words * 10 < words * 7) return false;
  return upper * 2 < lower + upper;
}

// "BAHIA COCOA REVIEW" -> "Bahia Cocoa Review"; titles with lower case are kept.
std::string TitleCase(std::string_view title) {
  std::string out(title);
  bool has_lower = std::any_of(out.begin(), out.end(), IsAsciiLower);
  if (has_lower) return out;
  bool start = true;
  for (char& c : out) {
    if (IsAsciiUpper(c) && !start) c = static_cast<char>(c - 'A' + 'a');
    start = c == ' ' || c == '-' || c == '/' || c == '(';
  }
  return out;
}

void Capitalize(std::string* s) {
  if (!s->empty() && IsAsciiLower((*s)[0])) (*s)[0] = static_cast<char>((*s)[0] - 'a' + 'A');
}

// --- The base corpus -----------------------------------------------------------------------------

constexpr int kMinSeedSentences = 3;

}  // namespace

struct CorpusGenerator::Base {
  // One word of a sentence, analysed once: what a rewrite may do with it.
  struct Word {
    uint32_t begin = 0;   // byte offset in the sentence
    uint16_t size = 0;    // bytes, trailing punctuation included
    uint16_t core = 0;    // bytes without trailing punctuation
    int8_t synonym = -1;  // kSynonymGroups index of a lower-case word that has synonyms
    uint8_t flags = 0;    // WordFlag bits
    uint32_t hash = 0;    // FNV-1a of the word without punctuation (kNameLike words only)
  };
  struct Article {
    std::string title;
    uint32_t lang = 0;   // index into langs
    uint32_t first = 0;  // sentences [first, first + count)
    uint32_t count = 0;
  };
  std::vector<std::string> sentences;
  std::vector<Word> words;              // the words of every sentence, back to back
  std::vector<uint32_t> word_begin{0};  // sentence s has words [word_begin[s], word_begin[s + 1])
  std::vector<uint32_t> name_hashes;    // Word::hash of every name, sorted (for headlines)
  std::vector<Article> articles;        // base articles with at least one usable sentence
  std::vector<std::string> langs;
  std::vector<std::vector<uint32_t>> seeds_by_lang;  // articles that can seed an event, per lang
  std::vector<std::vector<uint32_t>> pool_by_lang;   // sentence indices, per lang
  std::vector<uint32_t> seeds;                       // all articles that can seed an event
};

namespace {

using Base = CorpusGenerator::Base;
using Word = Base::Word;

enum WordFlag : uint8_t {
  kDropThe = 1,        // "the": dropped now and then
  kDropSmall = 2,      // one of kDroppableWords
  kLeadingClause = 4,  // opens a clause that can move to the end ("Under the deal, ...")
  kAttribution = 8,    // "said" and the like: a trailing attribution can move to the front
  kOpener = 16,        // a sentence opener lowercased when moved inside ("The")
  kName = 32,          // a name: capitalized, and rarely seen in lower case in the corpus
  kDigits = 64,        // a number, not a year: remapped
  kNameLike = 128,     // capitalized like a name (kName when not first); `hash` is set
};

// Capitalized words that are not names of anything an event owns: kept when names are remapped.
constexpr std::string_view kCommonCapitalized[] = {
    "January",    "February",   "March",      "April",         "May",       "June",
    "July",       "August",     "September",  "October",       "November",  "December",
    "Monday",     "Tuesday",    "Wednesday",  "Thursday",      "Friday",    "Saturday",
    "Sunday",     "The",        "President",  "Minister",      "Chairman",  "Governor",
    "Senator",    "Secretary",  "Prime",      "Chief",         "Executive", "Officer",
    "Department", "Ministry",   "Bank",       "Corp",          "Inc",       "Ltd",
    "Group",      "Company",    "Union",      "Committee",     "Exchange",  "Board",
    "Council",    "Party",      "University", "International", "National",  "Federal",
    "Central",    "State",      "City",       "North",         "South",     "East",
    "West",       "New",        "United",     "States",        "Kingdom",   "Treasury",
    "Congress",   "Parliament", "Reuters",    "Street",        "Stock",     "Market",
    "Government", "European",   "American",   "World",         "Trade",     "Association",
    "Agency",     "Court",      "Commission", "Office"};

uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

// Digits with , and . between them, but not a year (19xx, 20xx).
bool IsPlainNumber(std::string_view core) {
  if (core.empty() || !IsAsciiDigit(core[0])) return false;
  for (char c : core) {
    if (!IsAsciiDigit(c) && c != ',' && c != '.') return false;
  }
  return !(core.size() == 4 && (core.substr(0, 2) == "19" || core.substr(0, 2) == "20"));
}

bool LooksLikeName(std::string_view core) {
  if (core.size() < 3 || !IsAsciiUpper(core[0])) return false;
  for (size_t i = 1; i < core.size(); ++i) {
    if (!IsAsciiLower(core[i])) return false;
  }
  return std::find(std::begin(kCommonCapitalized), std::end(kCommonCapitalized), core) ==
         std::end(kCommonCapitalized);
}

bool OneOf(std::string_view w, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Appends the words of `s` (split at spaces) to *out.
void AnalyzeWords(std::string_view s, std::vector<Word>* out) {
  static constexpr std::string_view kLeadingClauses[] = {
      "After", "Although", "While",  "When",      "Despite", "In",    "On",   "According", "Since",
      "Under", "With",     "During", "Following", "Before",  "Until", "Amid", "Without",   "Once"};
  static constexpr std::string_view kAttributions[] = {"said",  "says",      "added",   "stated",
                                                       "noted", "explained", "reported"};
  const auto& synonyms = SynonymIndex();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j == i) break;
    const std::string_view w = s.substr(i, j - i);
    const std::string_view core = SplitPunct(w).first;
    Word word;
    word.begin = static_cast<uint32_t>(i);
    word.size = static_cast<uint16_t>(std::min<size_t>(w.size(), 0xFFFF));
    word.core = static_cast<uint16_t>(std::min<size_t>(core.size(), 0xFFFF));
    if (!core.empty() && IsAsciiLower(core[0])) {
      auto it = synonyms.find(core);
      if (it != synonyms.end()) word.synonym = static_cast<int8_t>(it->second);
      if (core == "the") word.flags |= kDropThe;
      if (OneOf(core, kDroppableWords)) word.flags |= kDropSmall;
      if (OneOf(core, kAttributions)) word.flags |= kAttribution;
    }
    if (OneOf(w, kLeadingClauses)) word.flags |= kLeadingClause;
    if (OneOf(w, kLowercaseOpeners)) word.flags |= kOpener;
    if (LooksLikeName(core)) {
      word.flags |= kNameLike | (i > 0 ? kName : 0);  // MarkNames decides for base sentences
      word.hash = Fnv1a(core);
    } else if (IsPlainNumber(core)) {
      word.flags |= kDigits;
    }
    out->push_back(word);
    i = j;
  }
}

// --- Events and their plans ----------------------------------------------------------------------

struct EventPlan {
  uint64_t index = 0;
  uint64_t first_seq = 0;   // generation number of its first article
  uint64_t thread = 0;      // the event that opened its thread (itself unless a follow-up)
  uint32_t focus = 0;       // the base article its reports are mostly made of
  uint32_t background = 0;  // the thread's base article, a few sentences of which every report has
  UnixSeconds date = 0;
  int reports = 0;
  uint8_t copies[32] = {};
  uint64_t count() const {
    uint64_t n = 0;
    for (int r = 0; r < reports; ++r) n += 1 + copies[r];
    return n;
  }
};

// One article waiting in the reorder buffer: everything needed to rebuild it.
struct ArticlePlan {
  UnixSeconds date = 0;
  uint64_t seq = 0;  // generation number; the id is "g<seq + 1>"
  uint64_t event = 0;
  uint64_t thread = 0;
  uint32_t focus = 0, background = 0;
  uint16_t report = 0;
  uint16_t copy = 0;  // 0 for the report itself; its original is seq - copy
};

struct LaterFirst {
  bool operator()(const ArticlePlan& a, const ArticlePlan& b) const {
    return a.date != b.date ? a.date > b.date : a.seq > b.seq;
  }
};

// --- Building texts ------------------------------------------------------------------------------

// What makes one event's use of a base article its own: the names and numbers of the base text
// replaced consistently (one made-up name per base name, one digit permutation), so that two
// events drawn from the same article read like two earnings reports of different companies.
struct Remap {
  uint64_t seed = 0;
  char digits[10] = {};  // digit d becomes digits[d]
};

Remap MakeRemap(uint64_t seed, uint64_t owner) {
  Rng rng(StreamSeed(seed, kRemapStream, owner));
  Remap r;
  r.seed = rng.Next();
  for (int d = 0; d < 10; ++d) r.digits[d] = static_cast<char>('0' + d);
  for (int d = 9; d > 0; --d)
    std::swap(r.digits[d], r.digits[rng.Below(static_cast<uint64_t>(d) + 1)]);
  return r;
}

// The names a report mentions. The organisation, the place and the first person belong to the
// event's thread (follow-up events share them); the second person and the term to the event.
struct Entities {
  std::string person[2], last[2], org, place, term;
  Lang lang = Lang::kEn;
  Remap focus_remap;   // the event's: for its focus article
  Remap thread_remap;  // the thread's: for the background article its events share
};

std::string MadeUpName(Rng& rng, int syllables, std::string_view ending) {
  std::string s;
  for (int i = 0; i < syllables; ++i) s += Pick(rng, kSyllables);
  s += ending;
  Capitalize(&s);
  return s;
}

void MakeEntities(uint64_t seed, uint64_t thread, uint64_t event, Lang lang, Entities* e) {
  e->lang = lang;
  e->focus_remap = MakeRemap(seed, event);
  e->thread_remap = MakeRemap(seed ^ 0x7468726561640000ULL, thread);
  Rng cast(StreamSeed(seed, kEntityStream, thread, 0));
  e->last[0] = MadeUpName(cast, cast.Between(1, 2), Pick(cast, kNameEndings));
  e->person[0] = std::string(Pick(cast, kFirstNames)) + " " + e->last[0];
  e->org = MadeUpName(cast, cast.Between(2, 3), "") + " " + std::string(Pick(cast, kOrgSuffixes));
  e->place = MadeUpName(cast, 2, Pick(cast, kPlaceSuffixes));
  Rng rng(StreamSeed(seed, kEntityStream, event, 1));
  e->last[1] = MadeUpName(rng, rng.Between(1, 2), Pick(rng, kNameEndings));
  e->person[1] = std::string(Pick(rng, kFirstNames)) + " " + e->last[1];
  const std::string name = MadeUpName(rng, 2, Pick(rng, kNameEndings));
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
      e->term = std::string(noun[0]) + " " + name + "-" + std::string(noun[1]);
      break;
    }
  }
}

void FillTemplate(std::string_view tpl, const Entities& e, std::string* out) {
  out->clear();
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{') {
      out->push_back(tpl[i]);
      continue;
    }
    size_t close = tpl.find('}', i);
    std::string_view key = tpl.substr(i + 1, close - i - 1);
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
    i = close;
  }
  Capitalize(out);  // "{T} was discussed" opens with "the"
}

// A paragraph is a list of sentences; a text is a list of paragraphs.
using Paragraph = std::vector<std::string>;
using Body = std::vector<Paragraph>;

struct Report {
  std::string title;
  Body body;
  uint64_t outlet = 0;
};

// Per-call working memory, reused so that building an article allocates little.
struct Scratch {
  std::vector<std::string_view> words;
  std::vector<Word> line_words;
  std::vector<uint32_t> indices;
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  std::vector<std::string> sentences;
  std::string line, tmp;
  Entities entities;
  Report report;
  Body body;
  std::string title, text, id, dup, story, date, edits;
};

void Decapitalize(std::string* s, size_t at) {
  char& c = (*s)[at];
  if (IsAsciiUpper(c)) c = static_cast<char>(c - 'A' + 'a');
}

// Appends the remapped form of `word` (without its punctuation).
void AppendRemapped(const Remap& remap, const Word& w, std::string_view core, std::string* out) {
  if (w.flags & kName) {
    Rng rng(Mix64(remap.seed ^ w.hash));
    out->append(MadeUpName(rng, rng.Between(1, 2), Pick(rng, kNameEndings)));
  } else {
    for (char c : core) out->push_back(IsAsciiDigit(c) ? remap.digits[c - '0'] : c);
  }
}

// Rewrites one sentence the way another reporter would tell the same fact: about half of the known
// synonyms swapped, some small words dropped, and now and then a clause moved: "Under the deal, X
// commits." -> "X commits under the deal."; "X rose, the company said." -> "The company said that
// X rose." Sentences with quotes keep their order.
// With `remap` (may be null), names and numbers are remapped.
void RewriteSentence(std::string_view s, std::span<const Word> words, const Remap* remap, Rng& rng,
                     std::string* out) {
  out->clear();
  const size_t n = words.size();
  if (n == 0) return;
  auto text = [&](size_t i) { return s.substr(words[i].begin, words[i].size); };
  auto ends_with_comma = [&](size_t i) { return s[words[i].begin + words[i].size - 1] == ','; };
  enum { kKeep, kLeading, kTrailing } move = kKeep;
  size_t comma = 0;  // the word ending with the comma where the clauses part
  if (n >= 7 && rng.Chance(0.5) && s.find('"') == std::string_view::npos) {
    if (words[0].flags & kLeadingClause) {
      for (size_t i = 1; i + 4 < n && move == kKeep; ++i) {
        if (ends_with_comma(i)) move = kLeading, comma = i;
      }
    } else if (words[n - 1].flags & kAttribution) {
      for (size_t i = n - 2; i >= 3 && i + 6 >= n && move == kKeep; --i) {
        if (ends_with_comma(i)) move = kTrailing, comma = i;
      }
    }
  }
  // Appends words [from, to), the last without its punctuation when `strip`; inner words (not
  // the first or last of the range, without punctuation) may be dropped or swapped.
  auto emit_range = [&](size_t from, size_t to, bool strip) {
    for (size_t i = from; i < to; ++i) {
      const Word& w = words[i];
      std::string_view piece = text(i);
      if (i > from && i + 1 < to && w.core == w.size) {
        if ((w.flags & kDropThe) ? rng.Chance(0.08) : (w.flags & kDropSmall) && rng.Chance(0.3)) {
          continue;  // dropped
        }
        if (w.synonym >= 0 && rng.Chance(0.5)) piece = OtherSynonym(w.synonym, piece, rng);
      }
      const bool cut = strip && i + 1 == to;
      if (!out->empty()) out->push_back(' ');
      if (remap != nullptr && (w.flags & (kName | kDigits))) {
        AppendRemapped(*remap, w, piece.substr(0, w.core), out);
        if (!cut) out->append(piece.substr(w.core));
      } else {
        out->append(cut ? piece.substr(0, w.core) : piece);
      }
    }
  };
  const std::string_view last = text(n - 1);
  const std::string_view final_punct = last.substr(words[n - 1].core);
  switch (move) {
    case kKeep:
      emit_range(0, n, false);
      break;
    case kLeading: {  // "Under the deal, X commits." -> "X commits under the deal."
      emit_range(comma + 1, n, true);
      const size_t head = out->size() + 1;
      emit_range(0, comma + 1, true);
      Decapitalize(out, head);
      out->append(final_punct);
      break;
    }
    case kTrailing: {  // "X rose, the company said." -> "The company said that X rose."
      emit_range(comma + 1, n, true);
      out->append(" that");
      const size_t head = out->size() + 1;
      emit_range(0, comma + 1, true);
      if (words[0].flags & kOpener) Decapitalize(out, head);
      out->append(final_punct);
      break;
    }
  }
  Capitalize(out);
}

// RewriteSentence of a base sentence.
void RewriteBase(const Base& base, uint32_t sentence, const Remap* remap, Rng& rng,
                 std::string* out) {
  const std::span<const Word> words(base.words.data() + base.word_begin[sentence],
                                    base.word_begin[sentence + 1] - base.word_begin[sentence]);
  RewriteSentence(base.sentences[sentence], words, remap, rng, out);
}

// A base headline as an event tells it: ALL-CAPS headlines title-cased, the corpus's names and the
// numbers remapped like the text's.
void RemapTitle(const Base& base, const std::string& title, const Remap& remap,
                std::vector<Word>* words, std::string* out) {
  const std::string cased = TitleCase(title);
  words->clear();
  AnalyzeWords(cased, words);
  out->clear();
  for (const Word& w : *words) {
    const std::string_view piece = std::string_view(cased).substr(w.begin, w.size);
    if (!out->empty()) out->push_back(' ');
    const bool name = (w.flags & kNameLike) &&
                      std::binary_search(base.name_hashes.begin(), base.name_hashes.end(), w.hash);
    if (name || (w.flags & kDigits)) {
      Word as = w;
      as.flags = name ? kName : kDigits;
      AppendRemapped(remap, as, piece.substr(0, w.core), out);
      out->append(piece.substr(w.core));
    } else {
      out->append(piece);
    }
  }
}

// A headline for a report (or a reheadlined copy) of an event.
void MakeTitle(const Base& base, uint32_t focus, const Entities& e, Rng& rng, Scratch* sc,
               std::string* out) {
  // The focus article's headline (30%), the same after a place name (15%), or one naming
  // entities (55%).
  const std::string& base_title = base.articles[focus].title;
  const int form = static_cast<int>(rng.Below(20));
  if (form < 9 && !base_title.empty()) {
    RemapTitle(base, base_title, e.focus_remap, &sc->line_words, out);
    if (form >= 6) *out = e.place + ": " + *out;
  } else {
    const LangKit kit = KitFor(e.lang);
    FillTemplate(kit.titles[rng.Below(kit.titles.size())], e, out);
  }
}

// Builds report `r` of an event into sc->report.
void BuildReport(const Base& base, uint64_t seed, const ArticlePlan& p, const Entities& e,
                 Scratch* sc) {
  Rng rng(StreamSeed(seed, kReportStream, p.event, p.report));
  const Base::Article& focus = base.articles[p.focus];
  // Which base sentences: 30-60% of the focus article's (at most 14, at least 2), in roughly
  // their order; 0-2 of the thread's background article; 0-2 from the language's pool.
  auto& keyed = sc->keyed;
  keyed.clear();
  auto& idx = sc->indices;
  idx.resize(focus.count);
  for (uint32_t i = 0; i < focus.count; ++i) idx[i] = i;
  const uint32_t want = std::max<uint32_t>(
      std::min<uint32_t>(focus.count, 2),
      std::min<uint32_t>(14,
                         (focus.count * static_cast<uint32_t>(rng.Between(30, 60)) + 50) / 100));
  for (uint32_t i = 0; i < want; ++i) {
    uint32_t j = i + static_cast<uint32_t>(rng.Below(focus.count - i));
    std::swap(idx[i], idx[j]);
    // Key: position with jitter (neighbours may swap), made unique by the index itself.
    keyed.push_back({((uint64_t{idx[i]} * 4 + rng.Below(6)) << 32) | idx[i], focus.first + idx[i]});
  }
  std::sort(keyed.begin(), keyed.end());
  auto& sentences = sc->sentences;
  sentences.clear();
  for (const auto& [key, s] : keyed) {
    sentences.emplace_back();
    RewriteBase(base, s, &e.focus_remap, rng, &sentences.back());
  }
  // Extra sentences go anywhere but first.
  auto insert = [&](std::string s) {
    size_t at = 1 + rng.Below(sentences.size());
    sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(at), std::move(s));
  };
  if (p.background != p.focus) {
    const Base::Article& second = base.articles[p.background];
    for (int k = rng.Between(0, 2); k > 0; --k) {
      RewriteBase(base, second.first + static_cast<uint32_t>(rng.Below(second.count)),
                  &e.thread_remap, rng, &sc->tmp);
      insert(sc->tmp);
    }
  }
  const auto& pool = base.pool_by_lang[focus.lang];
  for (int k = rng.Between(0, 2); k > 0; --k) {
    RewriteBase(base, pool[rng.Below(pool.size())], nullptr, rng, &sc->tmp);
    insert(sc->tmp);
  }
  // Entity sentences: 1-3 distinct templates, the first one leading half of the time.
  const std::span<const std::string_view> templates = KitFor(e.lang).sentences;
  const int entity_count = rng.Between(1, 3);
  uint64_t used = 0;
  for (int k = 0; k < entity_count; ++k) {
    uint64_t t;
    do t = rng.Below(templates.size());
    while (used >> t & 1);
    used |= uint64_t{1} << t;
    FillTemplate(templates[t], e, &sc->line);
    sc->line_words.clear();
    AnalyzeWords(sc->line, &sc->line_words);
    RewriteSentence(sc->line, sc->line_words, nullptr, rng, &sc->tmp);
    if (k == 0 && rng.Chance(0.5)) {
      sentences.insert(sentences.begin(), sc->tmp);
    } else {
      insert(sc->tmp);
    }
  }
  // Paragraphs of 1-3 sentences.
  Report& report = sc->report;
  report.body.clear();
  for (size_t i = 0; i < sentences.size();) {
    size_t take = std::min<size_t>(sentences.size() - i, static_cast<size_t>(rng.Between(1, 3)));
    report.body.emplace_back(
        std::make_move_iterator(sentences.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(sentences.begin() + static_cast<std::ptrdiff_t>(i + take)));
    i += take;
  }
  MakeTitle(base, p.focus, e, rng, sc, &report.title);
  report.outlet = rng.Below(kOutlets);
}

size_t SentenceCount(const Body& body) {
  size_t n = 0;
  for (const auto& para : body) n += para.size();
  return n;
}

// A random sentence position (paragraph, sentence), skipping the first `skip` sentences.
std::pair<size_t, size_t> RandomSentence(const Body& body, Rng& rng, size_t skip) {
  size_t total = SentenceCount(body);
  size_t k = skip + rng.Below(total - skip);
  for (size_t p = 0;; ++p) {
    if (k < body[p].size()) return {p, k};
    k -= body[p].size();
  }
}

void DropEmptyParagraphs(Body* body) {
  body->erase(
      std::remove_if(body->begin(), body->end(), [](const Paragraph& p) { return p.empty(); }),
      body->end());
}

// Swaps two neighbouring paragraphs (not the first), or drops one sentence (not the lead; the
// shortest of three picked at random) from a text of 6+ sentences; a short text of one or two
// paragraphs gets two of its sentences swapped instead. Each breaks a dozen 5-shingles or so.
void Reorder(Body* body, Rng& rng) {
  const size_t sentences = SentenceCount(*body);
  const bool can_move = body->size() >= 3;
  const bool can_drop = sentences >= 6;
  if (!can_move && !can_drop) {
    if (sentences < 3) return;
    // Sentences 1 .. total-1 as (paragraph, sentence); two distinct ones swapped.
    auto a = RandomSentence(*body, rng, 1);
    auto b = RandomSentence(*body, rng, 1);
    while (b == a) b = RandomSentence(*body, rng, 1);
    std::swap((*body)[a.first][a.second], (*body)[b.first][b.second]);
    return;
  }
  if (can_move && (!can_drop || rng.Chance(0.5))) {
    const size_t first = 1 + rng.Below(body->size() - 2);
    std::swap((*body)[first], (*body)[first + 1]);
    return;
  }
  auto drop = RandomSentence(*body, rng, 1);
  for (int k = 0; k < 2; ++k) {
    auto other = RandomSentence(*body, rng, 1);
    if ((*body)[other.first][other.second].size() < (*body)[drop.first][drop.second].size()) {
      drop = other;
    }
  }
  (*body)[drop.first].erase((*body)[drop.first].begin() + static_cast<std::ptrdiff_t>(drop.second));
  DropEmptyParagraphs(body);
}

// Keeps the first 40-90% of the sentences (at least one).
void Truncate(Body* body, Rng& rng) {
  const size_t total = SentenceCount(*body);
  size_t keep = std::max<size_t>(1, (total * static_cast<size_t>(rng.Between(40, 90)) + 99) / 100);
  for (auto& para : *body) {
    if (para.size() <= keep) {
      keep -= para.size();
    } else {
      para.resize(keep);
      keep = 0;
    }
  }
  DropEmptyParagraphs(body);
}

// 1 .. max(1, words / 60) word edits, each in a random sentence: a small word deleted, a word
// swapped for a synonym, or an adverb inserted (the fallback when the sentence has nothing to
// delete or swap). Each touches at most 5 word 5-shingles, so the copy stays above Jaccard 0.8.
void EditWords(Body* body, Rng& rng, Scratch* sc) {
  const auto& synonyms = SynonymIndex();
  size_t word_count = 0;
  for (const auto& para : *body) {
    for (const auto& sentence : para)
      word_count += 1 + std::count(sentence.begin(), sentence.end(), ' ');
  }
  for (int k = rng.Between(1, static_cast<int>(std::max<size_t>(1, word_count / 60))); k > 0; --k) {
    auto [p, s] = RandomSentence(*body, rng, 0);
    std::string& sentence = (*body)[p][s];
    SplitWords(sentence, &sc->words);
    auto& words = sc->words;
    if (words.size() < 4) continue;
    const size_t inner = words.size() - 2;  // never the first or the last word
    const size_t start = rng.Below(inner);
    const int op = static_cast<int>(rng.Below(3));
    size_t at = 0;  // the word edited; 0: none found, insert instead
    for (size_t j = 0; j < inner && at == 0 && op < 2; ++j) {
      const size_t i = 1 + (start + j) % inner;
      auto [core, punct] = SplitPunct(words[i]);
      if (!punct.empty() || core.empty() || !IsAsciiLower(core[0])) continue;
      const bool fits = op == 0 ? core == "the" || core == "a" || OneOf(core, kDroppableWords)
                                : synonyms.count(core) > 0;
      if (fits) at = i;
    }
    std::string& out = sc->tmp;
    out.clear();
    const size_t insert_at = 1 + start;
    for (size_t i = 0; i < words.size(); ++i) {
      if (!out.empty()) out.push_back(' ');
      if (at != 0 && i == at) {
        if (op == 0) {  // deleted
          if (!out.empty()) out.pop_back();
          continue;
        }
        out.append(OtherSynonym(synonyms.at(words[i]), words[i], rng));
        continue;
      }
      if (at == 0 && i == insert_at) {
        out.append(Pick(rng, kFillerWords));
        out.push_back(' ');
      }
      out.append(words[i]);
    }
    sentence = out;
  }
}

void AppendOutlet(uint64_t outlet, std::string* out) {
  out->append(kOutletPlaces[outlet / std::size(kOutletKinds)]);
  out->push_back(' ');
  out->append(kOutletKinds[outlet % std::size(kOutletKinds)]);
}

// 1-2 boilerplate lines, each its own paragraph: at the top or the end (40% each) or in between.
void AddBoilerplate(Body* body, Lang lang, uint64_t outlet, Rng& rng, Scratch* sc) {
  const std::span<const std::string_view> lines = KitFor(lang).boilerplate;
  uint64_t used = 0;
  for (int k = rng.Between(1, 2); k > 0; --k) {
    uint64_t pick;
    do pick = rng.Below(lines.size());
    while (used >> pick & 1);
    used |= uint64_t{1} << pick;
    const std::string_view tpl = lines[pick];
    std::string& line = sc->line;
    line.clear();
    for (size_t i = 0; i < tpl.size(); ++i) {
      if (tpl[i] == '{' && i + 2 < tpl.size() && tpl[i + 2] == '}') {
        if (tpl[i + 1] == 'S') {
          AppendOutlet(outlet, &line);
        } else {  // a made-up reporter or editor
          line.append(Pick(rng, kFirstNames));
          line.push_back(' ');
          line.append(MadeUpName(rng, 2, Pick(rng, kNameEndings)));
        }
        i += 2;
      } else {
        line.push_back(tpl[i]);
      }
    }
    const int where = static_cast<int>(rng.Below(5));
    size_t at = where < 2 ? 0 : where < 4 ? body->size() : rng.Below(body->size() + 1);
    body->insert(body->begin() + static_cast<std::ptrdiff_t>(at), Paragraph{line});
  }
}

// OCR-like noise: each ASCII letter or digit is, with probability `rate`, confused with a
// look-alike ("m" -> "rn", "l" -> "1", "O" -> "0", "e" -> "c", ...) or dropped. Other bytes (UTF-8
// sequences among them) are never touched, so the text stays valid UTF-8.
void AddNoise(std::string* text, double rate, Rng& rng, Scratch* sc) {
  std::string& out = sc->tmp;
  out.clear();
  const std::string& in = *text;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (!(IsAsciiLower(c) || IsAsciiUpper(c) || IsAsciiDigit(c)) || !rng.Chance(rate)) {
      out.push_back(c);
      continue;
    }
    if (c == 'r' && i + 1 < in.size() && in[i + 1] == 'n') {
      out.push_back('m');
      ++i;
      continue;
    }
    switch (c) {
      case 'm':
        out.append("rn");
        break;
      case 'l':
        out.push_back('1');
        break;
      case '1':
        out.push_back('l');
        break;
      case 'I':
        out.push_back('l');
        break;
      case 'O':
        out.push_back('0');
        break;
      case '0':
        out.push_back('O');
        break;
      case 'o':
        out.push_back('a');
        break;
      case 'a':
        out.push_back('o');
        break;
      case 'e':
        out.push_back('c');
        break;
      case 'c':
        out.push_back('e');
        break;
      case 'i':
        out.push_back('l');
        break;
      case 'S':
        out.push_back('5');
        break;
      case '5':
        out.push_back('S');
        break;
      case 'B':
        out.push_back('8');
        break;
      case 'g':
        out.push_back('q');
        break;
      case 'h':
        out.push_back('b');
        break;
      case 'u':
        out.push_back('v');
        break;
      case 'n':
        out.push_back('h');
        break;
      case 't':
        out.push_back('f');
        break;
      default:
        break;  // dropped
    }
  }
  text->swap(out);
}

void JoinBody(const Body& body, std::string* out) {
  out->clear();
  for (const auto& para : body) {
    if (!out->empty()) out->append("\n\n");
    for (size_t s = 0; s < para.size(); ++s) {
      if (s > 0) out->push_back(' ');
      out->append(para[s]);
    }
  }
}

// --- Planning ------------------------------------------------------------------------------------

class Planner {
 public:
  Planner(const GeneratorOptions& o, const Base& base)
      : o_(o),
        base_(base),
        start_(*ParseIsoDate(o.start)),
        period_(static_cast<int64_t>(o.days) * 86400),
        spread_(static_cast<int64_t>(o.report_spread_days * 86400.0)),
        delay_(static_cast<int64_t>(o.copy_delay_hours * 3600.0)),
        recent_threads_(ThreadWindow(o)) {}

  // Plans event e, whose articles are numbered from `planned`, and appends its articles.
  // REQUIRES: events are planned in order 0, 1, 2...; planned < o.articles.
  EventPlan Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out) {
    Rng rng(StreamSeed(o_.seed, kEventStream, e));
    EventPlan ev;
    ev.index = e;
    ev.first_seq = planned;
    // A follow-up joins the thread of one of the events of the last thread_days.
    const bool follow_up = rng.Chance(o_.follow_up_rate);
    const uint64_t window = recent_threads_.size();
    const uint64_t back = 1 + rng.Below(std::min<uint64_t>(std::max<uint64_t>(e, 1), window));
    ev.thread = follow_up && e > 0 ? recent_threads_[(e - back) % window] : e;
    recent_threads_[e % window] = ev.thread;
    ev.background = ThreadBackground(ev.thread);
    const auto& same_lang = base_.seeds_by_lang[base_.articles[ev.background].lang];
    ev.focus = same_lang[rng.Below(same_lang.size())];
    if (same_lang.size() > 1) {
      while (ev.focus == ev.background) ev.focus = same_lang[rng.Below(same_lang.size())];
    }
    ev.reports = rng.Between(o_.min_reports, o_.max_reports);
    for (int r = 0; r < ev.reports; ++r) {
      int c = 0;
      while (c < 255 && rng.Chance(o_.copy_rate)) ++c;
      ev.copies[r] = static_cast<uint8_t>(c);
    }
    // Land on N exactly: trim the last event (copies first, then reports), and never leave a
    // single article for an event of its own.
    const uint64_t remaining = o_.articles - planned;
    for (int r = ev.reports - 1; r >= 0 && ev.count() > remaining; --r) {
      ev.copies[r] = static_cast<uint8_t>(std::max<int64_t>(
          0, static_cast<int64_t>(ev.copies[r]) - static_cast<int64_t>(ev.count() - remaining)));
    }
    if (ev.count() > remaining) ev.reports = static_cast<int>(remaining);
    if (remaining - ev.count() == 1) {
      int r = 0;
      while (r < ev.reports && ev.copies[r] == 255) ++r;
      if (r < ev.reports) {
        ++ev.copies[r];
      } else if (ev.reports < 32) {
        ev.copies[ev.reports++] = 0;  // every report has 255 copies already: one report more
      }
    }
    // The event's date: its share of the articles placed on the period, so dates are
    // non-decreasing in event order and the last event ends inside the period.
    const uint64_t n = ev.count();
    constexpr uint64_t kFine = 1024;
    const Uint128 pos = static_cast<Uint128>(planned) * kFine + rng.Below(n * kFine);
    ev.date = start_ + static_cast<int64_t>(pos * static_cast<uint64_t>(period_) /
                                            (static_cast<Uint128>(o_.articles) * kFine));
    // Articles: report r at the event's date plus up to spread (early days likelier); its copies
    // a minute to copy_delay later (early hours likelier).
    uint64_t seq = planned;
    for (int r = 0; r < ev.reports; ++r) {
      UnixSeconds report_date = ev.date + static_cast<int64_t>(rng.Below(7200));
      if (r > 0 && spread_ > 0) {
        const int64_t a = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(spread_) + 1));
        report_date = ev.date + a * a / spread_;
      }
      out->push_back(
          {report_date, seq++, e, ev.thread, ev.focus, ev.background, static_cast<uint16_t>(r), 0});
      for (int c = 1; c <= ev.copies[r]; ++c) {
        int64_t lag = 60;
        if (delay_ > 0) {
          const int64_t b = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(delay_) + 1));
          lag += b * b / delay_;
        }
        out->push_back({report_date + lag, seq++, e, ev.thread, ev.focus, ev.background,
                        static_cast<uint16_t>(r), static_cast<uint16_t>(c)});
      }
    }
    return ev;
  }

 private:
  // Events in thread_days, at the expected rate of events: how far back a follow-up may reach.
  static size_t ThreadWindow(const GeneratorOptions& o) {
    const double per_event = (o.min_reports + o.max_reports) / 2.0 / (1.0 - o.copy_rate);
    const double events_per_day = static_cast<double>(o.articles) / per_event / o.days;
    const double window = o.thread_days * events_per_day;
    return static_cast<size_t>(std::clamp(window, 1.0, 1048576.0));
  }

  // The base article a thread's events share: drawn from the thread's own stream, so any event of
  // the thread finds it again.
  uint32_t ThreadBackground(uint64_t thread) const {
    Rng rng(StreamSeed(o_.seed, kThreadStream, thread));
    return base_.seeds[rng.Below(base_.seeds.size())];
  }

  const GeneratorOptions& o_;
  const Base& base_;
  const UnixSeconds start_;
  const int64_t period_, spread_, delay_;
  std::vector<uint64_t> recent_threads_;  // thread of event e at e % size(): a ring
};

void AppendNumberedId(char prefix, uint64_t n, std::string* out) {
  out->clear();
  out->push_back(prefix);
  out->append(std::to_string(n));
}

// Builds the article of plan `p` and hands it to the sink.
Status Emit(const Base& base, const GeneratorOptions& o, const ArticlePlan& p, Scratch* sc,
            const ArticleSink& sink, GeneratorSummary* summary) {
  const std::string& lang = base.langs[base.articles[p.focus].lang];
  MakeEntities(o.seed, p.thread, p.event, LangOf(lang), &sc->entities);
  BuildReport(base, o.seed, p, sc->entities, sc);
  const Report& report = sc->report;

  GeneratedArticle a;
  CopyKind kind = CopyKind::kOriginal;
  uint64_t outlet = report.outlet;
  sc->edits.clear();
  if (p.copy == 0) {
    sc->title = report.title;
    JoinBody(report.body, &sc->text);
  } else {
    Rng rng(StreamSeed(o.seed, kCopyStream, p.event, p.report, p.copy));
    // Every decision is drawn whatever the rates, so a rate changes only its own edit.
    const bool reheadline = rng.Chance(o.reheadline_rate);
    const bool truncate = rng.Chance(o.truncate_rate);
    const bool reorder = rng.Chance(o.reorder_rate);
    const bool boilerplate = rng.Chance(o.boilerplate_rate);
    const bool word_edits = rng.Chance(o.word_edit_rate);
    const bool noise = rng.Chance(o.noise_rate);
    outlet = rng.Below(kOutlets - 1);
    if (outlet >= report.outlet) ++outlet;  // never the report's own outlet
    Body& body = sc->body;
    body = report.body;
    int edits = 0;
    auto note = [&](bool on, CopyKind k) {
      if (!on) return;
      if (!sc->edits.empty()) sc->edits.push_back('+');
      sc->edits.append(CopyKindName(k));
      kind = k;
      ++edits;
    };
    if (reorder) Reorder(&body, rng);
    if (truncate) Truncate(&body, rng);
    if (word_edits) EditWords(&body, rng, sc);
    if (boilerplate) AddBoilerplate(&body, sc->entities.lang, outlet, rng, sc);
    sc->title = report.title;
    if (reheadline) {
      for (int tries = 0; tries < 8 && sc->title == report.title; ++tries) {
        MakeTitle(base, p.focus, sc->entities, rng, sc, &sc->title);
      }
    }
    JoinBody(body, &sc->text);
    if (noise) {
      AddNoise(&sc->text, o.noise_chars, rng, sc);
      AddNoise(&sc->title, o.noise_chars, rng, sc);
    }
    note(reheadline, CopyKind::kReheadlined);
    note(truncate, CopyKind::kTruncated);
    note(reorder, CopyKind::kReordered);
    note(boilerplate, CopyKind::kBoilerplate);
    note(word_edits, CopyKind::kEdited);
    note(noise, CopyKind::kNoisy);
    if (edits == 0) kind = CopyKind::kExact;
    if (edits < 2) sc->edits.clear();
    if (edits >= 2) kind = CopyKind::kCombined;
  }
  AppendNumberedId('g', p.seq + 1, &sc->id);
  AppendNumberedId('g', p.seq - p.copy + 1, &sc->dup);
  AppendNumberedId('e', p.event + 1, &sc->story);
  sc->date = FormatIsoDate(p.date);
  sc->line.clear();
  AppendOutlet(outlet, &sc->line);
  a.id = sc->id;
  a.title = sc->title;
  a.text = sc->text;
  a.date = sc->date;
  a.lang = lang;
  a.source = sc->line;
  a.dup = sc->dup;
  a.story = sc->story;
  a.copy_kind = kind;
  a.edits = sc->edits;
  a.time = p.date;
  if (summary) {
    ++summary->articles;
    ++summary->by_kind[static_cast<int>(kind)];
  }
  return sink(a);
}

// Decides which capitalized words of the base sentences are names: those whose lower-case form
// is rare in the corpus ("Coleman", but not "Analysts" opening a sentence) and that are seen
// capitalized twice or inside a sentence once (one "Exporters said" proves nothing).
void MarkNames(Base* base) {
  struct Counts {
    uint32_t capitalized = 0, inside = 0, lower = 0;
  };
  std::unordered_map<uint32_t, Counts> counts;  // by the hash of the lower-case form
  auto lower_hash = [](std::string_view core) {
    std::string lower(core);
    lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
    return Fnv1a(lower);
  };
  for (size_t s = 0; s < base->sentences.size(); ++s) {
    const std::string_view text = base->sentences[s];
    for (uint32_t i = base->word_begin[s]; i < base->word_begin[s + 1]; ++i) {
      const Word& w = base->words[i];
      const std::string_view core = text.substr(w.begin, w.core);
      if (w.flags & kNameLike) {
        Counts& c = counts[lower_hash(core)];
        ++c.capitalized;
        c.inside += i > base->word_begin[s];
      } else if (!core.empty() && IsAsciiLower(core[0])) {
        ++counts[Fnv1a(core)].lower;
      }
    }
  }
  for (size_t s = 0; s < base->sentences.size(); ++s) {
    const std::string_view text = base->sentences[s];
    for (uint32_t i = base->word_begin[s]; i < base->word_begin[s + 1]; ++i) {
      Word& w = base->words[i];
      if (!(w.flags & kNameLike)) continue;
      const Counts& c = counts[lower_hash(text.substr(w.begin, w.core))];
      const bool name = c.lower * 4 <= c.capitalized && (c.inside > 0 || c.capitalized >= 2);
      w.flags = static_cast<uint8_t>(name ? (w.flags | kName) : (w.flags & ~kName));
      if (name) base->name_hashes.push_back(w.hash);
    }
  }
  std::sort(base->name_hashes.begin(), base->name_hashes.end());
  base->name_hashes.erase(std::unique(base->name_hashes.begin(), base->name_hashes.end()),
                          base->name_hashes.end());
}

}  // namespace

Result<CorpusGenerator> CorpusGenerator::Create(const GeneratorOptions& options,
                                                std::span<const Document> docs) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto base = std::make_shared<Base>();
  std::unordered_map<std::string, uint32_t> lang_index;
  std::vector<std::string> split;
  for (const Document& d : docs) {
    if (!d.error.empty() || d.text.empty()) continue;
    split.clear();
    SplitSentences(d.text, &split);
    Base::Article a;
    a.title = d.title;
    a.first = static_cast<uint32_t>(base->sentences.size());
    for (std::string& s : split) {
      if (!UsableSentence(s)) continue;
      AnalyzeWords(s, &base->words);
      base->word_begin.push_back(static_cast<uint32_t>(base->words.size()));
      base->sentences.push_back(std::move(s));
    }
    a.count = static_cast<uint32_t>(base->sentences.size()) - a.first;
    if (a.count == 0) continue;
    auto [it, added] = lang_index.emplace(d.lang, static_cast<uint32_t>(base->langs.size()));
    if (added) {
      base->langs.push_back(d.lang);
      base->seeds_by_lang.emplace_back();
      base->pool_by_lang.emplace_back();
    }
    a.lang = it->second;
    const uint32_t index = static_cast<uint32_t>(base->articles.size());
    for (uint32_t s = a.first; s < a.first + a.count; ++s) base->pool_by_lang[a.lang].push_back(s);
    if (a.count >= kMinSeedSentences) {
      base->seeds.push_back(index);
      base->seeds_by_lang[a.lang].push_back(index);
    }
    base->articles.push_back(std::move(a));
  }
  MarkNames(base.get());
  if (base->seeds.empty()) {
    return Status::InvalidArgument("the base corpus has no article with " +
                                   std::to_string(kMinSeedSentences) + " usable sentences (of " +
                                   std::to_string(docs.size()) +
                                   " records): give a corpus of real news text");
  }
  return CorpusGenerator(options, std::move(base));
}

Status CorpusGenerator::Generate(const ArticleSink& sink, GeneratorSummary* summary) const {
  const Base& base = *base_;
  if (summary) {
    *summary = GeneratorSummary{};
    summary->base_articles = base.seeds.size();
    summary->base_sentences = base.sentences.size();
  }
  Planner planner(options_, base);
  Scratch scratch;
  // Articles wait here until no later event can produce an earlier one: every article of event
  // e + 1 or later is dated at or after that event's date, which is non-decreasing in e.
  std::priority_queue<ArticlePlan, std::vector<ArticlePlan>, LaterFirst> pending;
  std::vector<ArticlePlan> planned_articles;
  uint64_t planned = 0;
  for (uint64_t e = 0; planned < options_.articles; ++e) {
    planned_articles.clear();
    const EventPlan ev = planner.Plan(e, planned, &planned_articles);
    if (summary && ev.thread != ev.index) ++summary->follow_ups;
    while (!pending.empty() && pending.top().date < ev.date) {
      if (Status s = Emit(base, options_, pending.top(), &scratch, sink, summary); !s.ok())
        return s;
      pending.pop();
    }
    for (const ArticlePlan& p : planned_articles) pending.push(p);
    planned += ev.count();
    if (summary) {
      ++summary->events;
      summary->reports += static_cast<uint64_t>(ev.reports);
      summary->max_pending = std::max<uint64_t>(summary->max_pending, pending.size());
    }
  }
  while (!pending.empty()) {
    if (Status s = Emit(base, options_, pending.top(), &scratch, sink, summary); !s.ok()) return s;
    pending.pop();
  }
  return Status::OK();
}

void AppendJsonLine(const GeneratedArticle& a, std::string* out) {
  using internal::AppendJsonString;
  out->append("{\"id\":");
  AppendJsonString(a.id, out);
  out->append(",\"title\":");
  AppendJsonString(a.title, out);
  out->append(",\"text\":");
  AppendJsonString(a.text, out);
  out->append(",\"date\":");
  AppendJsonString(a.date, out);
  if (!a.lang.empty()) {
    out->append(",\"lang\":");
    AppendJsonString(a.lang, out);
  }
  out->append(",\"source\":");
  AppendJsonString(a.source, out);
  out->append(",\"dup\":");
  AppendJsonString(a.dup, out);
  out->append(",\"story\":");
  AppendJsonString(a.story, out);
  out->append(",\"copy_kind\":");
  AppendJsonString(CopyKindName(a.copy_kind), out);
  if (!a.edits.empty()) {
    out->append(",\"edits\":");
    AppendJsonString(a.edits, out);
  }
  out->append("}\n");
}

Result<std::vector<Document>> ReadBaseCorpus(std::string_view path, uint64_t* skipped) {
  ReaderOptions options;
  options.reject_duplicate_ids = false;  // ids play no part in the generated corpus
  auto reader = JsonlReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  std::vector<Document> out, batch;
  uint64_t bad = 0;
  for (;;) {
    if (Status s = reader.value()->ReadBatch(4096, &batch); !s.ok()) return s;
    if (batch.empty()) break;
    for (Document& d : batch) {
      if (!d.error.empty() || d.text.empty()) {
        ++bad;
        continue;
      }
      out.push_back(std::move(d));
    }
  }
  if (skipped) *skipped = bad;
  return out;
}

namespace {

// Where WriteCorpus puts its bytes: a buffered plain file or a gzip stream.
class CorpusOutput {
 public:
  static Result<std::unique_ptr<CorpusOutput>> Open(const std::string& path) {
    auto out = std::unique_ptr<CorpusOutput>(new CorpusOutput(path));
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
      out->gz_ = gzopen(path.c_str(), "wb1");
      if (!out->gz_) return Status::IOError(path + ": " + std::strerror(errno));
      gzbuffer(out->gz_, 1 << 20);
    } else {
      auto file = internal::OutputFile::Open(path);
      if (!file.ok()) return file.status();
      out->file_ = std::move(file).value();
    }
    return out;
  }
  ~CorpusOutput() {
    if (gz_) gzclose(gz_);
  }
  Status Write(std::string_view bytes) {
    if (file_) return file_->Write(bytes);
    if (gzwrite(gz_, bytes.data(), static_cast<unsigned>(bytes.size())) !=
        static_cast<int>(bytes.size())) {
      int errnum = 0;
      return Status::IOError(path_ + ": " + gzerror(gz_, &errnum));
    }
    return Status::OK();
  }
  Status Close() {
    if (file_) return file_->Close();
    const int rc = gzclose(gz_);
    gz_ = nullptr;
    if (rc != Z_OK) return Status::IOError(path_ + ": gzip write failed");
    return Status::OK();
  }

 private:
  explicit CorpusOutput(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::unique_ptr<internal::OutputFile> file_;
  gzFile gz_ = nullptr;
};

}  // namespace

Status WriteCorpus(const CorpusGenerator& generator, const std::string& path,
                   GeneratorSummary* summary) {
  auto output = CorpusOutput::Open(path);
  if (!output.ok()) return output.status();
  CorpusOutput& out = *output.value();
  std::string buffer;
  uint64_t bytes = 0;
  auto flush = [&]() -> Status {
    bytes += buffer.size();
    Status s = out.Write(buffer);
    buffer.clear();
    return s;
  };
  Status s = generator.Generate(
      [&](const GeneratedArticle& a) -> Status {
        AppendJsonLine(a, &buffer);
        if (buffer.size() >= (size_t{1} << 20)) return flush();
        return Status::OK();
      },
      summary);
  if (s.ok()) s = flush();
  Status closed = out.Close();
  if (s.ok()) s = closed;
  if (summary) summary->bytes = bytes;
  return s;
}

}  // namespace samestory
