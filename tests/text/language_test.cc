// Tests for the language helpers of the text stage (include/samestory/text.h, src/text/language.cc):
// DetectLanguage (stop-word hits), NormalizeLanguageTag and Stemmer (Snowball through libstemmer).
//
// DetectLanguage is fed what the pipeline feeds it: the library's Tokenizer output (default
// options). Each sentence is an ordinary news sentence of its language with the usual function
// words, not a list of stop words, so a test fails when a stop list loses its common words or a
// neighbouring language (es/pt/it, nl/de) takes over.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "samestory/status.h"
#include "samestory/text.h"
#include "text/tokenize_helper.h"

namespace samestory {
namespace {

using testing::Tokenize;

// ------------------------------------------------------------------------------------------------
// DetectLanguage

struct LanguageCase {
  const char* want;
  const char* sentence;
};

TEST(LanguageDetectTest, ShortNewsSentences) {
  const LanguageCase cases[] = {
      {"en", "The minister said on Tuesday that the plan was approved by the council and that it "
             "will be published in the spring."},
      {"fr", "Le ministre a annoncé mardi que le projet de loi sera présenté au conseil des "
             "ministres dans les prochains jours et qu'il est prêt."},
      {"es", "El gobierno anunció que los precios de la vivienda subieron en el último año y que "
             "no se espera una bajada para los próximos meses."},
      {"de", "Die Regierung hat mitgeteilt, dass der Bau der neuen Brücke über den Rhein im "
             "nächsten Jahr beginnen wird und nicht verschoben ist."},
      {"it", "Il governo ha annunciato che la riforma della scuola sarà presentata al parlamento "
             "entro la fine del mese e non prima."},
      {"pt", "O governo anunciou que os preços das casas subiram no último ano e não se espera "
             "uma descida para os próximos meses."},
      {"nl", "De regering heeft gezegd dat de bouw van de nieuwe brug over de rivier in het "
             "voorjaar zal beginnen en niet wordt uitgesteld."},
  };
  for (const LanguageCase& c : cases) {
    const TokenList tokens = Tokenize(c.sentence);
    ASSERT_GT(tokens.size(), 10u) << c.sentence;
    EXPECT_EQ(DetectLanguage(tokens), c.want) << c.sentence;
  }
}

TEST(LanguageDetectTest, TooFewHitsGiveEmpty) {
  EXPECT_EQ(DetectLanguage(TokenList()), "");
  // Two hits ("the", "of") are under the minimum of three.
  EXPECT_EQ(DetectLanguage(Tokenize("The Price of Gold")), "");
  // Numbers hit no stop list.
  EXPECT_EQ(DetectLanguage(Tokenize("2024 15 300 7 1999 42 12.5 1,000")), "");
  // Names and content words only.
  EXPECT_EQ(DetectLanguage(Tokenize("Geneva Rhône glacier drought reservoir commission")), "");
}

TEST(LanguageDetectTest, HitsUnderFivePercentGiveEmpty) {
  // 3 English stop words among 100 tokens: 3 hits but 3% of the tokens.
  TokenList tokens;
  tokens.Add("the");
  tokens.Add("of");
  tokens.Add("and");
  for (int i = 0; i < 97; ++i) tokens.Add("zork" + std::to_string(i));
  EXPECT_EQ(DetectLanguage(tokens), "");
  // The same 3 hits among 50 tokens (6%) are enough: the rule, not the sentence, decides.
  TokenList fewer;
  fewer.Add("the");
  fewer.Add("of");
  fewer.Add("and");
  for (int i = 0; i < 47; ++i) fewer.Add("zork" + std::to_string(i));
  EXPECT_EQ(DetectLanguage(fewer), "en");
}

// ------------------------------------------------------------------------------------------------
// NormalizeLanguageTag

TEST(NormalizeLanguageTagTest, RegionAndCaseDropped) {
  EXPECT_EQ(NormalizeLanguageTag("fr-FR"), "fr");
  EXPECT_EQ(NormalizeLanguageTag("EN_us"), "en");
  EXPECT_EQ(NormalizeLanguageTag("FR"), "fr");
  EXPECT_EQ(NormalizeLanguageTag("fr_CA"), "fr");
  EXPECT_EQ(NormalizeLanguageTag("pt-BR"), "pt");
  EXPECT_EQ(NormalizeLanguageTag("de"), "de");
  EXPECT_EQ(NormalizeLanguageTag(""), "");
}

// ------------------------------------------------------------------------------------------------
// Stemmer

Stemmer MustStemmer(std::string_view language) {
  Result<Stemmer> r = Stemmer::Create(language);
  EXPECT_TRUE(r.ok()) << language << ": " << r.status().ToString();
  return std::move(r).value();
}

TEST(LanguageStemmerTest, CreateKnownLanguages) {
  for (std::string_view language : {"fr", "en", "french", "english", "fra", "es", "de", "it", "pt",
                                    "nl"}) {
    Result<Stemmer> r = Stemmer::Create(language);
    EXPECT_TRUE(r.ok()) << language << ": " << r.status().ToString();
  }
}

TEST(LanguageStemmerTest, CreateUnknownLanguageIsNotFound) {
  for (std::string_view language : {"xx", "", "klingon"}) {
    Result<Stemmer> r = Stemmer::Create(language);
    ASSERT_FALSE(r.ok()) << language;
    EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << language << ": "
                                                          << r.status().ToString();
    EXPECT_NE(r.status().message().find(std::string(language)), std::string::npos)
        << "the message should name the language: " << r.status().ToString();
  }
}

TEST(LanguageStemmerTest, EnglishStems) {
  Stemmer en = MustStemmer("en");
  EXPECT_EQ(en.Stem("running"), "run");
  EXPECT_EQ(en.Stem("connections"), "connect");
  EXPECT_EQ(en.Stem("connected"), "connect");
  EXPECT_EQ(en.Stem("glaciers"), "glacier");
  EXPECT_EQ(en.Stem(""), "");
}

TEST(LanguageStemmerTest, FrenchStems) {
  // Snowball French removes "-ation", then its un-accent step turns an é followed only by
  // consonants at the end of the word into e: "intégration" -> "intégr" -> "integr".
  Stemmer fr = MustStemmer("fr");
  EXPECT_EQ(fr.Stem("intégration"), "integr");
  EXPECT_EQ(fr.Stem("intégrations"), fr.Stem("intégration"));
  EXPECT_EQ(MustStemmer("french").Stem("intégration"), "integr");
  // French and English stems differ: the stemmer is the language's own.
  EXPECT_NE(MustStemmer("en").Stem("intégration"), "integr");
}

TEST(LanguageStemmerTest, ResultValidUntilNextCall) {
  Stemmer en = MustStemmer("en");
  const std::string first(en.Stem("connections"));
  const std::string second(en.Stem("running"));
  EXPECT_EQ(first, "connect");
  EXPECT_EQ(second, "run");
}

TEST(LanguageStemmerTest, Movable) {
  Stemmer a = MustStemmer("en");
  Stemmer b(std::move(a));
  EXPECT_EQ(b.Stem("running"), "run");
  Stemmer c = MustStemmer("fr");
  EXPECT_EQ(c.Stem("intégration"), "integr");
  c = std::move(b);  // the French stemmer is released, c is now English
  EXPECT_EQ(c.Stem("connections"), "connect");
  Stemmer d = MustStemmer("fr");
  std::swap(c, d);
  EXPECT_EQ(c.Stem("intégration"), "integr");
  EXPECT_EQ(d.Stem("running"), "run");
}

}  // namespace
}  // namespace samestory
