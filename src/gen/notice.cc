// Notice building (notice.h).
#include "gen/notice.h"

#include <string_view>

#include "gen/random.h"
#include "gen/text_util.h"
#include "gen/word_lists.h"

namespace samestory::gen {
namespace {

struct Figures {
  int n[6] = {};
  int d1 = 0, d2 = 0;  // days after the anchor
};

// The numbers come from the stream of `owner`; the days from the notice's own, so that the same
// notice with other numbers keeps its dates, and its dates move only with its anchor.
Figures DrawFigures(uint64_t seed, uint64_t notice_event, uint64_t owner) {
  Rng rng(StreamSeed(seed, kFigureStream, owner));
  Figures f;
  f.n[0] = rng.Between(10, 95);
  f.n[1] = rng.Between(100, 9900) * 100;
  f.n[2] = rng.Between(100, 9900) * 100;
  f.n[3] = rng.Between(100, 9900) * 10;
  f.n[4] = rng.Between(100, 9900) * 10;
  f.n[5] = rng.Between(28, 364);
  Rng days(StreamSeed(seed, kFigureStream, notice_event, 1));
  f.d1 = days.Between(0, 6);
  f.d2 = f.d1 + days.Between(14, 42);
  return f;
}

// A figure with the language's thousands separator: "12,400", "12 400", "12.400".
void AppendNumber(int n, Lang lang, std::string* out) {
  const std::string digits = std::to_string(n);
  const char separator = lang == Lang::kEn ? ',' : lang == Lang::kFr ? ' ' : '.';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out->push_back(separator);
    out->push_back(digits[i]);
  }
}

// Fills a notice template: entities, {N1}..{N6}, {D1} {D2}.
void FillNotice(std::string_view tpl, const Entities& e, const Figures& f, UnixSeconds anchor,
                std::string* out) {
  out->clear();
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{') {
      out->push_back(tpl[i]);
      continue;
    }
    const size_t close = tpl.find('}', i);
    const std::string_view key = tpl.substr(i + 1, close - i - 1);
    i = close;
    if (AppendEntity(key, e, out)) continue;
    if (key.size() == 2 && key[0] == 'N' && key[1] >= '1' && key[1] <= '6') {
      AppendNumber(f.n[key[1] - '1'], e.lang, out);
    } else if (key == "D1" || key == "D2") {
      AppendDay(anchor + int64_t{key == "D1" ? f.d1 : f.d2} * 86400, e.lang, out);
    }
  }
}

}  // namespace

void AppendDay(UnixSeconds t, Lang lang, std::string* out) {
  const std::string iso = FormatIsoDate(t);  // "YYYY-MM-DDT..."
  const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  const int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  const std::string_view name = KitFor(lang).months[static_cast<size_t>(month - 1)];
  switch (lang) {
    case Lang::kEn:
      out->append(name);
      out->push_back(' ');
      out->append(std::to_string(day));
      break;
    case Lang::kFr:
      out->append(day == 1 ? "1er" : std::to_string(day));
      out->push_back(' ');
      out->append(name);
      break;
    case Lang::kEs:
      out->append(std::to_string(day));
      out->append(" de ");
      out->append(name);
      break;
    case Lang::kDe:
      out->append(std::to_string(day));
      out->append(". ");
      out->append(name);
      break;
  }
}

void BuildNotice(uint64_t seed, uint64_t notice_event, uint64_t figures_owner, UnixSeconds anchor,
                 const Entities& e, Report* out) {
  const LangKit kit = KitFor(e.lang);
  Rng rng(StreamSeed(seed, kNoticeStream, notice_event));
  const Notice& notice = kit.notices[rng.Below(kit.notices.size())];
  out->outlet = rng.Below(kOutlets);
  const Figures f = DrawFigures(seed, notice_event, figures_owner);
  FillNotice(notice.title, e, f, anchor, &out->title);
  Capitalize(&out->title);
  // Paragraphs are separated by "\n\n", sentences by "\n".
  std::string body;
  FillNotice(notice.body, e, f, anchor, &body);
  out->body.clear();
  out->body.emplace_back();
  size_t i = 0;
  while (i <= body.size()) {
    size_t end = body.find('\n', i);
    if (end == std::string::npos) end = body.size();
    if (end == i) {  // the empty line between paragraphs
      out->body.emplace_back();
    } else {
      out->body.back().push_back(body.substr(i, end - i));
      Capitalize(&out->body.back().back());
    }
    i = end + 1;
  }
}

}  // namespace samestory::gen
