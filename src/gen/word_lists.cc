// The generator's word lists (word_lists.h). Kept apart from the code that uses them so that a
// list can grow without touching any rule; the golden hash in tests/gen moves when one does.
#include "gen/word_lists.h"

#include <algorithm>
#include <iterator>
#include <unordered_map>

namespace samestory::gen {
namespace {

constexpr std::string_view kFirstNamesList[] = {
    "Anna",  "Marco",  "Priya",  "Lukas",  "Sofia",  "Tomas",   "Amara",  "Kenji",
    "Elena", "Rafael", "Ingrid", "Omar",   "Chloe",  "Dmitri",  "Leila",  "Mateo",
    "Hana",  "Viktor", "Nadia",  "Samuel", "Yara",   "Felix",   "Ines",   "Jonas",
    "Mira",  "Pablo",  "Zofia",  "Arjun",  "Clara",  "Emeka",   "Freya",  "Hugo",
    "Ilse",  "Julien", "Kaia",   "Luca",   "Maren",  "Nikolai", "Olga",   "Pieter",
    "Rosa",  "Stefan", "Tala",   "Umar",   "Vera",   "Wen",     "Xavier", "Yusuf",
    "Zara",  "Bruno",  "Celine", "Diego",  "Esther", "Farid",   "Greta",  "Henrik",
    "Irene", "Joao",   "Katya",  "Lars",   "Malik",  "Noor",    "Oscar",  "Paula"};
constexpr std::string_view kSyllablesList[] = {
    "var", "len", "kor",  "mi",  "tan", "bel", "sor",  "dri", "ka",  "lo",  "ven",
    "tis", "ma",  "rin",  "gol", "ze",  "pa",  "nor",  "vik", "sa",  "ter", "lun",
    "do",  "ri",  "bran", "ho",  "mel", "qua", "sten", "fa",  "gri", "el"};
constexpr std::string_view kNameEndingsList[] = {"ov",  "ez",  "son", "ani", "berg", "ski",
                                                 "ard", "ini", "ova", "ek",  "as",   "ton",
                                                 "ell", "ada", "ius", "e"};
constexpr std::string_view kOrgSuffixesList[] = {
    "Holdings", "Group",  "Industries", "Bank",      "Energy",  "Systems", "Foundation", "Partners",
    "Capital",  "Motors", "Pharma",     "Logistics", "Telecom", "Mining",  "Airlines",   "Foods"};
constexpr std::string_view kPlaceSuffixesList[] = {"burg",  "ford", "field", "ia",   "ville",
                                                   "mouth", "stad", "ton",   "dale", "port"};
constexpr std::string_view kTermNounsEnList[] = {
    "accord", "plan",     "project", "reform", "merger", "pipeline", "treaty", "programme",
    "bill",   "contract", "inquiry", "deal",   "scheme", "strike",   "tariff", "recall"};
constexpr std::string_view kTermNounsFrList[] = {
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

// Varied headlines (GeneratorOptions::titles_only, kHeavyTailed): the forms above and more, so that
// the many outlets covering one event write many headlines that share its names, not their words.
constexpr std::string_view kVariedTitlesEn[] = {
    "{O} backs {T} as {C} weighs its options",
    "{L1} defends {T}",
    "{C} officials question {T}",
    "Talks on {T} continue, says {O}",
    "{O} and {C}: what {T} means",
    "{L2} warns over delays to {T}",
    "Questions mount in {C} over {T}",
    "{O} confirms talks on {T}",
    "{O} pushes ahead with {T}",
    "{T}: {O} under pressure in {C}",
    "{L1} says {T} is on track",
    "{C} braces for {T}",
    "What {T} means for {C}",
    "{O} faces backlash over {T}",
    "{L2} calls for review of {T}",
    "Investors weigh {O} after {T} move",
    "Unions in {C} weigh response to {T}",
    "{P1} of {O} sets out {T}",
    "{O} to press on with {T} despite objections",
    "{C} residents react to {T}",
    "Critics round on {O} over {T}",
    "{L1} and {L2} meet in {C} as {T} stalls",
    "{O} under fire in {C}",
    "{T} hits snag, {L2} says",
    "{O} chief {L1} defends {T}",
    "Explainer: {T} and what comes next",
    "{C} awaits details of {T}",
    "{L2} rejects criticism of {T}"};
constexpr std::string_view kVariedTitlesFr[] = {"{O} soutient {T}, {C} s'interroge",
                                                "{L1} défend {T}",
                                                "À {C}, {T} fait débat",
                                                "{O} confirme des discussions sur {T}",
                                                "{L2} met en garde contre les retards",
                                                "{T} : {O} sous pression à {C}",
                                                "{C} attend des précisions sur {T}",
                                                "{O} maintient {T} malgré les critiques",
                                                "{L2} réclame un réexamen de {T}",
                                                "Ce que {T} change pour {C}"};
constexpr std::string_view kVariedTitlesEs[] = {"{O} respalda {T}",
                                                "{L1} defiende {T}",
                                                "En {C}, {T} genera debate",
                                                "{O} confirma conversaciones sobre {T}",
                                                "{O}, bajo presión en {C} por {T}",
                                                "{L2} pide revisar {T}",
                                                "{C} espera detalles sobre {T}",
                                                "{O} mantiene {T} pese a las críticas"};
constexpr std::string_view kVariedTitlesDe[] = {"{T} sorgt in {C} für Streit",
                                                "{L1} verteidigt Pläne von {O}",
                                                "{O} bestätigt Gespräche in {C}",
                                                "Streit in {C}: {T} auf dem Prüfstand",
                                                "{O} hält an Plänen fest",
                                                "{L2} fordert Überprüfung in {C}",
                                                "{C} wartet auf Details von {O}",
                                                "Kritik an {O} wächst"};
// Words a headline cut from a sentence does not end with.
constexpr std::string_view kHeadlineTailWordsList[] = {
    "a",    "an",  "the",  "of",  "on",  "in",  "to",   "and",  "for",  "at",  "by",  "with",
    "from", "that", "as",  "its", "is",  "was", "were", "has",  "have", "had", "would", "will",
    "be",   "but", "or",   "their", "de", "des", "du",  "la",   "le",   "les", "el",   "los", "las",  "en",  "y",   "et",  "à",    "que",  "qui",  "der", "die", "das",
    "den",  "dem", "und",  "von", "im",  "zu",  "mit",  "ein",  "eine", "del", "al",  "un",
    "una",  "une", "dass", "sur", "por", "para"};

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
// Short recurring notices: the templates of templated negatives (a dividend notice about another
// company, a weekly figures report with other figures, a weekly auction notice a week later).
// Sentences are separated by "\n", paragraphs by "\n\n". {N1}: 10-95; {N2} {N3}: 10,000-990,000;
// {N4} {N5}: 1,000-99,000; {N6}: 28-364; {D1}: a date within a week of the notice; {D2}: 2-6 weeks
// after {D1}.
constexpr Notice kNoticesEn[] = {
    {"{O} declares quarterly dividend of {N1} cents",
     "{O} said its board of directors had declared a regular quarterly dividend of {N1} cents a "
     "share.\nThe dividend is payable on {D2} to shareholders of record at the close of business "
     "on {D1}.\n\nThe company, based in {C}, said the payment was unchanged from the previous "
     "quarter."},
    {"{C} grain stocks at {N2} tonnes in week to {D1}",
     "Grain stocks held at the port of {C} stood at {N2} tonnes in the week ended {D1}, against "
     "{N3} tonnes a week earlier, {O} said in its weekly report.\n\nArrivals during the week "
     "totalled {N4} tonnes and shipments {N5} tonnes, the report showed."},
    {"{O} to auction {N1} mln dlrs of bills on {D1}",
     "{O} said it would offer {N1} million dollars of {N6}-day bills at its regular weekly "
     "auction in {C} on {D1}.\nBids must be received by noon local time on the day of the "
     "auction.\n\nThe bills will be issued on {D2}, {O} said in a statement."},
    {"{O} sets annual meeting for {D1}",
     "{O} said it would hold its annual meeting of shareholders in {C} on {D1}.\n{P1}, the "
     "company's secretary, said shareholders would be asked to approve a dividend of {N1} cents a "
     "share, payable on {D2}."}};
constexpr Notice kNoticesFr[] = {
    {"{O} verse un dividende trimestriel de {N1} centimes",
     "{O} a annoncé que son conseil d'administration avait décidé le versement d'un dividende "
     "trimestriel de {N1} centimes par action.\nLe dividende sera payé le {D2} aux actionnaires "
     "inscrits au {D1}.\n\nLa société, dont le siège est à {C}, a indiqué que le montant était "
     "inchangé par rapport au trimestre précédent."},
    {"Stocks de céréales à {C} : {N2} tonnes dans la semaine au {D1}",
     "Les stocks de céréales du port de {C} s'élevaient à {N2} tonnes dans la semaine close le "
     "{D1}, contre {N3} tonnes une semaine plus tôt, selon le rapport hebdomadaire de {O}.\n\nLes "
     "arrivées de la semaine ont atteint {N4} tonnes et les expéditions {N5} tonnes."},
    {"{O} émettra {N1} millions d'euros de bons le {D1}",
     "{O} a annoncé qu'il émettrait {N1} millions d'euros de bons à {N6} jours lors de son "
     "adjudication hebdomadaire à {C} le {D1}.\nLes offres doivent parvenir avant midi le jour de "
     "l'adjudication.\n\nLes bons seront émis le {D2}, a précisé {O} dans un communiqué."},
    {"{O} tiendra son assemblée générale le {D1}",
     "{O} tiendra son assemblée générale annuelle à {C} le {D1}.\n{P1}, secrétaire général, a "
     "indiqué que les actionnaires seraient invités à approuver un dividende de {N1} centimes par "
     "action, payable le {D2}."}};
constexpr Notice kNoticesEs[] = {
    {"{O} pagará un dividendo trimestral de {N1} céntimos",
     "{O} informó de que su consejo de administración aprobó un dividendo trimestral de {N1} "
     "céntimos por acción.\nEl dividendo se pagará el {D2} a los accionistas registrados al cierre "
     "del {D1}.\n\nLa empresa, con sede en {C}, indicó que el pago no varía respecto al trimestre "
     "anterior."},
    {"Las existencias de grano en {C} suman {N2} toneladas en la semana al {D1}",
     "Las existencias de grano en el puerto de {C} sumaban {N2} toneladas en la semana cerrada el "
     "{D1}, frente a {N3} toneladas una semana antes, según el informe semanal de {O}.\n\nLas "
     "llegadas de la semana alcanzaron {N4} toneladas y los embarques {N5} toneladas."},
    {"{O} subastará {N1} millones de euros en letras el {D1}",
     "{O} anunció que ofrecerá {N1} millones de euros en letras a {N6} días en su subasta semanal "
     "en {C} el {D1}.\nLas pujas deben presentarse antes del mediodía del día de la "
     "subasta.\n\nLas letras se emitirán el {D2}, según un comunicado de {O}."},
    {"{O} celebrará su junta de accionistas el {D1}",
     "{O} celebrará su junta general anual de accionistas en {C} el {D1}.\n{P1}, secretario del "
     "consejo, indicó que se propondrá un dividendo de {N1} céntimos por acción, pagadero el "
     "{D2}."}};
constexpr Notice kNoticesDe[] = {
    {"{O} zahlt Quartalsdividende von {N1} Cent",
     "{O} teilte mit, der Vorstand habe eine reguläre Quartalsdividende von {N1} Cent je Aktie "
     "beschlossen.\nDie Dividende wird am {D2} an die am {D1} eingetragenen Aktionäre "
     "ausgezahlt.\n\nDas Unternehmen mit Sitz in {C} erklärte, die Zahlung sei gegenüber dem "
     "Vorquartal unverändert."},
    {"Getreidebestände in {C} bei {N2} Tonnen in der Woche bis {D1}",
     "Die Getreidebestände im Hafen von {C} lagen in der Woche bis zum {D1} bei {N2} Tonnen, nach "
     "{N3} Tonnen eine Woche zuvor, wie {O} in seinem Wochenbericht mitteilte.\n\nDie "
     "Anlieferungen der Woche beliefen sich auf {N4} Tonnen, die Verschiffungen auf {N5} Tonnen."},
    {"{O} versteigert am {D1} Schatzwechsel über {N1} Mio Euro",
     "{O} kündigte an, bei seiner wöchentlichen Auktion in {C} am {D1} Schatzwechsel mit einer "
     "Laufzeit von {N6} Tagen über {N1} Millionen Euro anzubieten.\nGebote müssen bis zum Mittag "
     "des Auktionstages eingehen.\n\nDie Papiere werden am {D2} begeben, teilte {O} mit."},
    {"{O} lädt zur Hauptversammlung am {D1}",
     "{O} hält seine ordentliche Hauptversammlung am {D1} in {C} ab.\n{P1}, Sekretär des "
     "Vorstands, sagte, den Aktionären werde eine Dividende von {N1} Cent je Aktie vorgeschlagen, "
     "zahlbar am {D2}."}};

// Month names, January first.
constexpr std::string_view kMonthsEn[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
constexpr std::string_view kMonthsFr[] = {"janvier",   "février", "mars",     "avril",
                                          "mai",       "juin",    "juillet",  "août",
                                          "septembre", "octobre", "novembre", "décembre"};
constexpr std::string_view kMonthsEs[] = {"enero",      "febrero", "marzo",     "abril",
                                          "mayo",       "junio",   "julio",     "agosto",
                                          "septiembre", "octubre", "noviembre", "diciembre"};
constexpr std::string_view kMonthsDe[] = {"Januar",    "Februar", "März",     "April",
                                          "Mai",       "Juni",    "Juli",     "August",
                                          "September", "Oktober", "November", "Dezember"};
constexpr std::string_view kTermNounsEsList[] = {"el acuerdo",  "el plan",         "el proyecto",
                                                 "la reforma",  "la fusión",       "el tratado",
                                                 "el contrato", "la investigación"};
// German terms are compounds: "der Velkora-Plan".
constexpr CompoundNoun kTermNounsDeList[] = {
    {"der", "Plan"},    {"das", "Projekt"},  {"die", "Reform"},       {"die", "Fusion"},
    {"der", "Vertrag"}, {"das", "Abkommen"}, {"die", "Untersuchung"}, {"das", "Programm"}};

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
constexpr std::string_view kFillerWordsList[] = {
    "also", "now", "still", "further", "already", "reportedly", "again", "so far", "initially"};
// Small words a rewrite may drop without changing the facts.
constexpr std::string_view kDroppableWordsList[] = {
    "also",    "very",     "still",     "just", "now", "already", "really", "only",   "even",
    "further", "recently", "currently", "some", "its", "their",   "total",  "overall"};
// Sentence-initial words that are lowercased when a clause rotation moves them inside.
constexpr std::string_view kLowercaseOpenersList[] = {
    "The",  "A",  "An", "In",  "On",  "It",    "This",  "He",  "She",
    "They", "We", "At", "For", "Its", "Their", "There", "But", "And"};

// Capitalized words that are not names of anything an event owns: kept when names are remapped.
constexpr std::string_view kCommonCapitalizedList[] = {
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

}  // namespace

const WordList kFirstNames = kFirstNamesList;
const WordList kSyllables = kSyllablesList;
const WordList kNameEndings = kNameEndingsList;
const WordList kOrgSuffixes = kOrgSuffixesList;
const WordList kPlaceSuffixes = kPlaceSuffixesList;
const WordList kTermNounsEn = kTermNounsEnList;
const WordList kTermNounsFr = kTermNounsFrList;
const WordList kTermNounsEs = kTermNounsEsList;
const std::span<const CompoundNoun> kTermNounsDe = kTermNounsDeList;
const WordList kFillerWords = kFillerWordsList;
const WordList kDroppableWords = kDroppableWordsList;
const WordList kLowercaseOpeners = kLowercaseOpenersList;
const WordList kCommonCapitalized = kCommonCapitalizedList;
const WordList kHeadlineTailWords = kHeadlineTailWordsList;

static_assert(kOutlets == std::size(kOutletPlaces) * std::size(kOutletKinds));

void AppendOutlet(uint64_t outlet, std::string* out) {
  out->append(kOutletPlaces[outlet / std::size(kOutletKinds)]);
  out->push_back(' ');
  out->append(kOutletKinds[outlet % std::size(kOutletKinds)]);
}

LangKit KitFor(Lang lang) {
  switch (lang) {
    case Lang::kFr:
      return {kEntitySentencesFr, kTitlesFr,       kBoilerplateFr,  kNoticesFr,
              kMonthsFr,          "RECTIFICATIF-", kVariedTitlesFr};
    case Lang::kEs:
      return {kEntitySentencesEs, kTitlesEs,    kBoilerplateEs, kNoticesEs,
              kMonthsEs,          "CORREGIDO-", kVariedTitlesEs};
    case Lang::kDe:
      return {kEntitySentencesDe, kTitlesDe,    kBoilerplateDe, kNoticesDe,
              kMonthsDe,          "KORREKTUR-", kVariedTitlesDe};
    case Lang::kEn:
      break;
  }
  return {kEntitySentencesEn, kTitlesEn,    kBoilerplateEn, kNoticesEn,
          kMonthsEn,          "CORRECTED-", kVariedTitlesEn};
}

Lang LangOf(std::string_view tag) {
  if (tag.size() < 2 || (tag.size() > 2 && tag[2] != '-' && tag[2] != '_')) return Lang::kEn;
  const char a = static_cast<char>(tag[0] | 0x20), b = static_cast<char>(tag[1] | 0x20);
  if (a == 'f' && b == 'r') return Lang::kFr;
  if (a == 'e' && b == 's') return Lang::kEs;
  if (a == 'd' && b == 'e') return Lang::kDe;
  return Lang::kEn;
}

int SynonymGroup(std::string_view word) {
  // word -> group index, built once.
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, int>();
    for (size_t g = 0; g < std::size(kSynonymGroups); ++g) {
      for (std::string_view w : kSynonymGroups[g]) {
        if (!w.empty()) m->emplace(w, static_cast<int>(g));
      }
    }
    return m;
  }();
  auto it = index->find(word);
  return it == index->end() ? -1 : it->second;
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

bool OneOf(std::string_view word, WordList list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace samestory::gen
