#include "pipeline/writers.h"

#include "cluster/term_note.h"
#include "io/json_writer.h"

namespace samestory {
namespace internal {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

void AppendRecordLines(const DedupResult& result, const std::vector<uint32_t>* story,
                       size_t begin, size_t end, std::string* buf) {
  for (size_t i = begin; i < end; ++i) {
    if (!result.errors[i].empty()) {
      AppendRecordError(result.ids[i], result.lines[i], result.errors[i], story != nullptr, buf);
    } else {
      buf->append("{\"id\":");
      AppendJsonString(result.ids[i], buf);
      AppendRecordDup(result.ids[result.representative[i]], result.score[i],
                      DupKindName(result.kind[i]), buf);
      if (story) {
        buf->append(",\"story\":");
        AppendJsonString(result.ids[(*story)[i]], buf);
      }
      if (result.is_short[i]) buf->append(",\"short\":true");
    }
    if (!result.warnings[i].empty()) {
      buf->append(",\"warning\":");
      AppendJsonString(result.warnings[i], buf);
    }
    buf->append("}\n");
  }
}

Status WriteRecords(const std::string& path, const DedupResult& result,
                    const std::vector<uint32_t>* story) {
  auto out = OutputFile::Open(path);
  if (!out.ok()) return out.status();
  std::string buf;
  constexpr size_t kStep = 4096;
  for (size_t i = 0; i < result.size(); i += kStep) {
    AppendRecordLines(result, story, i, std::min(result.size(), i + kStep), &buf);
    if (buf.size() > kFlushBytes) {
      if (Status s = out.value()->Write(buf); !s.ok()) return s;
      buf.clear();
    }
  }
  if (Status s = out.value()->Write(buf); !s.ok()) return s;
  return out.value()->Close();
}

void AppendPairLines(const DedupResult& result, size_t begin, size_t end, std::string* buf) {
  for (size_t i = begin; i < end; ++i) {
    const JudgedPair& p = result.pairs[i];
    AppendTsvField(result.ids[p.a], buf);
    buf->push_back('\t');
    AppendTsvField(result.ids[p.b], buf);
    buf->push_back('\t');
    const std::string_view kind = DupKindName(p.verdict.kind);
    buf->append(kind.empty() ? "different" : kind);
    buf->push_back('\t');
    buf->append(CopyReasonName(p.verdict.reason));
    buf->push_back('\t');
    AppendFixed4(p.verdict.containment, buf);
    buf->push_back('\t');
    AppendFixed4(p.verdict.resemblance, buf);
    buf->append("\t" + std::to_string(p.verdict.facts.agree) + "\t" +
                std::to_string(p.verdict.facts.conflict) + "\n");
  }
}

Status WritePairs(const std::string& path, const DedupResult& result) {
  auto out = OutputFile::Open(path);
  if (!out.ok()) return out.status();
  std::string buf(kPairsHeader);
  constexpr size_t kStep = 4096;
  for (size_t i = 0; i < result.pairs.size(); i += kStep) {
    AppendPairLines(result, i, std::min(result.pairs.size(), i + kStep), &buf);
    if (buf.size() > kFlushBytes) {
      if (Status s = out.value()->Write(buf); !s.ok()) return s;
      buf.clear();
    }
  }
  if (Status s = out.value()->Write(buf); !s.ok()) return s;
  return out.value()->Close();
}

Status WriteStories(const std::string& path, const DedupResult& result,
                    const std::vector<StorySummary>& stories) {
  auto out = OutputFile::Open(path);
  if (!out.ok()) return out.status();
  std::string buf;
  for (const StorySummary& s : stories) {
    buf.append("{\"story\":");
    AppendJsonString(result.ids[s.story], &buf);
    buf.append(",\"size\":" + std::to_string(s.size));
    buf.append(",\"first_date\":");
    if (s.first_date) AppendJsonString(FormatIsoDate(*s.first_date), &buf);
    else buf.append("null");
    buf.append(",\"last_date\":");
    if (s.last_date) AppendJsonString(FormatIsoDate(*s.last_date), &buf);
    else buf.append("null");
    buf.append(",\"title\":");
    AppendJsonString(s.title, &buf);
    buf.append(",\"top_terms\":[");
    for (size_t t = 0; t < s.top_terms.size(); ++t) {
      if (t) buf.push_back(',');
      AppendJsonString(s.top_terms[t], &buf);
    }
    buf.append("]}\n");
    if (buf.size() > kFlushBytes) {
      if (Status st = out.value()->Write(buf); !st.ok()) return st;
      buf.clear();
    }
  }
  if (Status st = out.value()->Write(buf); !st.ok()) return st;
  return out.value()->Close();
}

Status WriteDedupOutputs(const DedupOutputs& outputs, const DedupResult& result) {
  if (Status s = WriteRecords(outputs.output, result, nullptr); !s.ok()) return s;
  if (outputs.pairs.empty()) return Status::OK();
  return WritePairs(outputs.pairs, result);
}

Status WriteClusterOutputs(const ClusterOutputs& outputs, const ClusterResult& result,
                           const ClusterPipelineOptions& options) {
  if (!outputs.model.empty()) {
    const std::string note = TermNote(options.dedup.text, options.tfidf);
    if (Status s = result.model->Save(outputs.model, note); !s.ok()) return s;
  }
  if (!outputs.output.empty()) {
    if (Status s = WriteRecords(outputs.output, result.records, &result.story); !s.ok()) return s;
  }
  if (outputs.stories.empty()) return Status::OK();
  return WriteStories(outputs.stories, result.records, result.stories);
}

}  // namespace internal

std::string ToJsonLines(const DedupResult& result) {
  std::string out;
  internal::AppendRecordLines(result, nullptr, 0, result.size(), &out);
  return out;
}

std::string ToJsonLines(const ClusterResult& result) {
  std::string out;
  internal::AppendRecordLines(result.records, &result.story, 0, result.records.size(), &out);
  return out;
}

}  // namespace samestory
