// Copy edit: boilerplate lines (copy_edits.h).
#include <algorithm>

#include "gen/copy_edits.h"
#include "gen/entities.h"

namespace samestory::gen {

bool AddBoilerplate(Body* body, Lang lang, uint64_t outlet, int max_lines, Rng& rng) {
  const std::span<const std::string_view> lines = KitFor(lang).boilerplate;
  uint64_t used = 0;
  const int most = std::min(max_lines, static_cast<int>(lines.size()));
  for (int k = rng.Between(1, most); k > 0; --k) {
    uint64_t pick;
    do pick = rng.Below(lines.size());
    while (used >> pick & 1);
    used |= uint64_t{1} << pick;
    const std::string_view tpl = lines[pick];
    std::string line;
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
    body->insert(body->begin() + static_cast<std::ptrdiff_t>(at), Paragraph{std::move(line)});
  }
  return true;
}

}  // namespace samestory::gen
