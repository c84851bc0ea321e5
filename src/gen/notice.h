// Notice building: a short recurring notice (a dividend, a weekly figures report, an auction, an
// annual meeting; word_lists.h) as a report, its placeholders filled with the event's entities,
// figures drawn from a figures stream and dates counted from an anchor date. The templates of
// templated articles: the same notice with other entities, other figures or a later anchor has
// the same wording. Internal. Pure functions; thread-safe.
#ifndef SAMESTORY_GEN_NOTICE_H_
#define SAMESTORY_GEN_NOTICE_H_

#include <cstdint>
#include <string>

#include "gen/entities.h"
#include "gen/report.h"
#include "samestory/document.h"

namespace samestory::gen {

// Builds the notice of event `notice_event` into *out: which notice, its outlet and its day
// offsets come from the event's streams, its figures from the stream of `figures_owner`; {D1} is
// 0-6 days after `anchor`'s day, {D2} 2-6 weeks after {D1}, written the way e.lang writes dates.
void BuildNotice(uint64_t seed, uint64_t notice_event, uint64_t figures_owner, UnixSeconds anchor,
                 const Entities& e, Report* out);

// Appends the day of `t` (UTC) as `lang` writes it in running text: "March 12", "12 mars",
// "12 de marzo", "12. März".
void AppendDay(UnixSeconds t, Lang lang, std::string* out);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_NOTICE_H_
