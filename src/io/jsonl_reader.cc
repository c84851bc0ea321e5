// JSON Lines reader: LineReader for bytes, simdjson On-Demand for records.
#include <simdjson.h>
#include <xxhash.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "io/line_reader.h"
#include "samestory/reader.h"

namespace samestory {

Status ReaderOptions::Validate() const {
  if (id_field.empty()) return Status::InvalidArgument("id_field must not be empty");
  if (max_record_bytes < 1024 || max_record_bytes > (size_t{1} << 30)) {
    return Status::InvalidArgument("max_record_bytes must be in [1 KiB, 1 GiB]");
  }
  return Status::OK();
}

namespace {

using internal::LineReader;
namespace dom = simdjson::dom;

std::string JsonError(simdjson::error_code e) {
  if (e == simdjson::UTF8_ERROR) return "invalid UTF-8";
  return std::string("invalid JSON: ") + simdjson::error_message(e);
}

// A field's value as the record parser needs it: its JSON type and, for a string or an integer,
// the value. Other values (objects, arrays, booleans, floats) are only typed.
struct FieldValue {
  enum class Type { kNull, kString, kInt, kUint, kOther } type = Type::kOther;
  std::string_view string;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
};

// A UTF-8 byte order mark before the first record is an encoding marker, not content.
std::string_view StripBom(std::string_view text, uint64_t line_no) {
  if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// "...; the input looks like UTF-16" when `text` has the NULs of UTF-16 text, else "".
std::string Utf16Hint(std::string_view text) {
  const bool bom = text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF";
  size_t nuls = 0;
  const size_t n = std::min<size_t>(text.size(), 256);
  for (size_t i = 0; i < n; ++i) nuls += text[i] == '\0';
  if (!bom && (n < 4 || nuls * 3 < n)) return "";
  return " (the input looks like UTF-16; samestory reads UTF-8: convert it first, e.g. "
         "iconv -f UTF-16 -t UTF-8)";
}

// Record parsing shared by JsonlReader and RecordParser.
class RecordParserCore {
 public:
  explicit RecordParserCore(const ReaderOptions& options) : options_(options) {}
  const ReaderOptions& options() const { return options_; }

  // Fills *d from one JSON line; sets d->error on a bad record. The DOM API is used first on
  // purpose: it dispatches at run time to the best kernel (AVX2/AVX-512), while On-Demand is
  // compiled for the build's -march, which for a portable build is the scalar fallback. The DOM
  // parses every number, so a record with a number no double or 64-bit integer holds
  // (1e400, 30 digits) in a field we ignore is read again with On-Demand, which skips what it is
  // not asked for (issue 14 #14). `padded`: at least simdjson::SIMDJSON_PADDING readable bytes
  // follow `text` (no copy needed). A UTF-8 byte order mark on line 1 is an encoding marker.
  void Parse(std::string_view text, uint64_t line_no, Document* d, bool padded) {
    text = StripBom(text, line_no);  // the end does not move: its padding still follows
    dom::element root;
    auto err = parser_.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
    if (err == simdjson::NUMBER_ERROR) return ParseOnDemand(text, d, padded);
    if (err) return void(d->error = JsonError(err) + Utf16Hint(text));
    dom::object obj;
    if (root.get_object().get(obj)) return void(d->error = "record is not a JSON object");
    Fields fields;
    for (dom::key_value_pair field : obj) {
      if (!Wanted(field.key)) continue;  // unknown fields are allowed
      if (!Apply(field.key, FromDom(field.value), &fields, d)) return;
    }
    Finish(fields, d);
  }

 private:
  // What Apply gathers over a record's fields.
  struct Fields {
    std::string_view date_text;
    bool have_id = false;
    int body_rank = 0;  // 3 text, 2 body, 1 content: the first non-empty in that order wins
  };

  bool Wanted(std::string_view key) const {
    return key == options_.id_field || key == "text" || key == "body" || key == "content" ||
           key == "title" || key == "lang" || key == "source" || key == "date";
  }

  static FieldValue FromDom(dom::element value) {
    FieldValue v;
    if (value.is_null()) {
      v.type = FieldValue::Type::kNull;
    } else if (!value.get_string().get(v.string)) {
      v.type = FieldValue::Type::kString;
    } else if (!value.get_int64().get(v.int_value)) {
      v.type = FieldValue::Type::kInt;
    } else if (!value.get_uint64().get(v.uint_value)) {
      v.type = FieldValue::Type::kUint;
    }
    return v;
  }

  static FieldValue FromOnDemand(simdjson::ondemand::value value) {
    FieldValue v;
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) return v;
    if (type == simdjson::ondemand::json_type::null) {
      v.type = FieldValue::Type::kNull;
    } else if (type == simdjson::ondemand::json_type::string) {
      if (!value.get_string().get(v.string)) v.type = FieldValue::Type::kString;
    } else if (type == simdjson::ondemand::json_type::number) {
      if (!value.get_int64().get(v.int_value)) {
        v.type = FieldValue::Type::kInt;
      } else if (!value.get_uint64().get(v.uint_value)) {
        v.type = FieldValue::Type::kUint;
      }
    }
    return v;
  }

  // The DOM refused a number: reads the record again, parsing only the fields we use.
  void ParseOnDemand(std::string_view text, Document* d, bool padded) {
    simdjson::padded_string copy;
    simdjson::padded_string_view view(text.data(), text.size(),
                                      text.size() + simdjson::SIMDJSON_PADDING);
    if (!padded) {
      copy = simdjson::padded_string(text);
      view = copy;
    }
    simdjson::ondemand::document doc;
    auto fail = [&](simdjson::error_code e) { d->error = JsonError(e); };
    if (auto e = ondemand_.iterate(view).get(doc)) return fail(e);
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) return void(d->error = "record is not a JSON object");
    Fields fields;
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail(e);
      if (!Wanted(key)) continue;  // its value is skipped, never parsed
      // The key's bytes live in the parser's string buffer, which the value's string does not
      // overwrite; copy it anyway, as Apply keeps no view of it.
      const std::string key_copy(key);
      simdjson::ondemand::value value;
      if (auto e = field.value().get(value)) return fail(e);
      if (!Apply(key_copy, FromOnDemand(value), &fields, d)) return;
    }
    const char* rest = nullptr;  // past the object: OUT_OF_BOUNDS, or the trailing bytes
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      return fail(simdjson::TRAILING_CONTENT);
    }
    Finish(fields, d);
  }

  // Takes one wanted field into *d. Returns false when it makes the record bad (d->error set).
  bool Apply(std::string_view key, const FieldValue& value, Fields* f, Document* d) const {
    using Type = FieldValue::Type;
    if (key == options_.id_field) {
      if (value.type == Type::kString) d->id.assign(value.string);
      else if (value.type == Type::kInt) d->id = std::to_string(value.int_value);
      else if (value.type == Type::kUint) d->id = std::to_string(value.uint_value);
      else return d->error = "id must be a string or an integer", false;
      if (d->id.empty()) return d->error = "empty id", false;
      f->have_id = true;
      return true;
    }
    if (key == "date" && value.type != Type::kNull && value.type != Type::kString) {
      // An unusable date costs the record its date, not its place in the output.
      d->warning = "date is not a string; ignored";
      return true;
    }
    // A string, or null (read as ""). Anything else is a bad record.
    if (value.type != Type::kNull && value.type != Type::kString) {
      return d->error = "field \"" + std::string(key) + "\" is not a string", false;
    }
    const std::string_view s = value.string;
    const int rank = key == "text" ? 3 : key == "body" ? 2 : key == "content" ? 1 : 0;
    if (key == "date") {
      f->date_text = s;
    } else if (rank > 0) {
      if (!s.empty() && rank > f->body_rank) {
        d->text.assign(s);
        f->body_rank = rank;
      }
    } else if (key == "title") {
      d->title.assign(s);
    } else if (key == "lang") {
      d->lang.assign(s);
    } else {
      d->source.assign(s);
    }
    return true;
  }

  void Finish(const Fields& f, Document* d) const {
    if (!f.have_id) return void(d->error = "missing id (field \"" + options_.id_field + "\")");
    if (d->title.empty() && d->text.empty()) {
      return void(d->error = "empty article: no title and no text");
    }
    if (!f.date_text.empty()) {
      d->date = ParseIsoDate(f.date_text);
      if (!d->date) d->warning = "unparseable date \"" + std::string(f.date_text) + "\" ignored";
    }
  }

  ReaderOptions options_;
  dom::parser parser_;
  simdjson::ondemand::parser ondemand_;
};

class JsonlReaderImpl final : public JsonlReader {
 public:
  // Reads `lines`, or when it is null, the records `supplier` gives.
  JsonlReaderImpl(std::unique_ptr<LineReader> lines, RecordSupplier supplier,
                  const ReaderOptions& options)
      : lines_(std::move(lines)), supplier_(std::move(supplier)), options_(options),
        parser_(options) {}

  Status ReadBatch(size_t max_docs, std::vector<Document>* docs) override {
    assert(max_docs > 0);
    docs->clear();
    if (lines_ == nullptr) return ReadSupplied(max_docs, docs);
    LineReader::Line line;
    while (docs->size() < max_docs && lines_->Next(options_.max_record_bytes, &line)) {
      std::string_view text = line.text;
      // A blank line is not a record, however long (fuzz_jsonl_reader: 1,100 spaces over the
      // limit were "record too large").
      if (line.skipped ? line.blank : internal::IsBlankLine(StripBom(text, line.number))) continue;
      Document& d = docs->emplace_back();
      d.line = line.number;
      if (line.skipped) {
        d.error = internal::RecordTooLargeError(line.size, options_.max_record_bytes);
      } else {
        parser_.Parse(text, line.number, &d, /*padded=*/true);
      }
      Count(&d);
    }
    stats_.bytes = lines_->bytes();
    return lines_->status();
  }

  const ReaderStats& stats() const override { return stats_; }

 private:
  // The caller's records: numbered 1, 2, ... as lines are; read as a file's lines are.
  Status ReadSupplied(size_t max_docs, std::vector<Document>* docs) {
    while (status_.ok() && docs->size() < max_docs) {
      record_.text.clear();
      record_.line = 0;
      record_.too_large_bytes = 0;
      bool done = false;
      status_ = supplier_(&record_, &done);
      if (!status_.ok() || done) break;
      number_ = record_.line != 0 ? record_.line : number_ + 1;
      const uint64_t size = record_.too_large_bytes != 0 ? record_.too_large_bytes
                                                         : record_.text.size();
      stats_.bytes += size + 1;
      if (record_.too_large_bytes == 0 && internal::IsBlankLine(record_.text)) continue;
      Document& d = docs->emplace_back();
      d.line = number_;
      if (size > options_.max_record_bytes || record_.too_large_bytes != 0) {
        d.error = internal::RecordTooLargeError(size, options_.max_record_bytes);
      } else {
        parser_.Parse(record_.text, number_, &d, /*padded=*/false);
      }
      Count(&d);
    }
    return status_;
  }

  // Checks a parsed record's id against the ids seen, and counts it.
  void Count(Document* d) {
    if (d->error.empty()) CheckDuplicateId(d);
    ++stats_.lines;
    if (!d->error.empty()) ++stats_.bad_records;
    if (!d->warning.empty()) ++stats_.warnings;
  }

  void CheckDuplicateId(Document* d) {
    if (options_.reject_duplicate_ids) d->error = ids_.Check(d->id, d->line);
  }

  std::unique_ptr<LineReader> lines_;
  RecordSupplier supplier_;
  SuppliedRecord record_;
  uint64_t number_ = 0;
  Status status_;
  ReaderOptions options_;
  RecordParserCore parser_;
  ReaderStats stats_;
  IdRegistry ids_;
};

}  // namespace

struct IdRegistry::Impl {
  // Ids are remembered by their 64-bit XXH3 hash, 16 bytes an id whatever its length; a false
  // "duplicate" needs a hash collision: about n^2 / 2^65, 3e-6 for ten million ids.
  std::unordered_map<uint64_t, uint64_t> first_line;  // XXH3 of id -> first line
};

IdRegistry::IdRegistry() : impl_(std::make_unique<Impl>()) {}
IdRegistry::~IdRegistry() = default;
IdRegistry::IdRegistry(IdRegistry&&) noexcept = default;
IdRegistry& IdRegistry::operator=(IdRegistry&&) noexcept = default;

uint64_t IdRegistry::Hash(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

std::string IdRegistry::DuplicateError(uint64_t first_line) {
  return "duplicate id (first seen on line " + std::to_string(first_line) + ")";
}

std::string IdRegistry::Check(std::string_view id, uint64_t line) {
  auto [it, inserted] = impl_->first_line.try_emplace(Hash(id), line);
  if (inserted) return std::string();
  return DuplicateError(it->second);
}

struct RecordParser::Impl {
  explicit Impl(const ReaderOptions& options) : core(options) {}
  RecordParserCore core;
};

RecordParser::RecordParser(const ReaderOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
RecordParser::~RecordParser() = default;
RecordParser::RecordParser(RecordParser&&) noexcept = default;
RecordParser& RecordParser::operator=(RecordParser&&) noexcept = default;

void RecordParser::Parse(std::string_view line, uint64_t line_no, Document* d) {
  *d = Document();
  d->line = line_no;
  const ReaderOptions& options = impl_->core.options();
  if (line.size() > options.max_record_bytes) {
    d->error = internal::RecordTooLargeError(line.size(), options.max_record_bytes);
    return;
  }
  impl_->core.Parse(line, line_no, d, /*padded=*/false);
}

struct LineSource::Impl {
  std::unique_ptr<LineReader> lines;
  // A range (OpenRange): the next line starts at byte `at`; lines from `end` on are not ours.
  uint64_t at = 0;
  uint64_t end = UINT64_MAX;
};

LineSource::LineSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LineSource::~LineSource() = default;

Result<std::unique_ptr<LineSource>> LineSource::Open(std::string_view path) {
  auto lines = LineReader::Open(path);
  if (!lines.ok()) return lines.status();
  return std::unique_ptr<LineSource>(
      new LineSource(std::unique_ptr<Impl>(new Impl{std::move(lines.value())})));
}

Result<std::unique_ptr<LineSource>> LineSource::OpenRange(std::string_view path, uint64_t begin,
                                                         uint64_t end, uint64_t first_line) {
  // Does a line start at `begin`? (At 0, or right after a newline.)
  bool at_line_start = begin == 0;
  if (!at_line_start) {
    auto probe = LineReader::Open(path);
    if (!probe.ok()) return probe.status();
    if (Status s = probe.value()->StartAt(begin - 1); !s.ok()) return s;
    LineReader::Line l;
    at_line_start = probe.value()->Next(0, &l) && l.size == 0 && l.terminated;
  }
  auto lines = LineReader::Open(path);
  if (!lines.ok()) return lines.status();
  if (Status s = lines.value()->StartAt(begin); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->lines = std::move(lines.value());
  impl->at = begin;
  impl->end = end;
  if (!at_line_start && begin < end) {  // the rest of a line that began before the range
    LineReader::Line l;
    if (impl->lines->Next(0, &l)) impl->at += l.size + (l.terminated ? 1 : 0);
  }
  impl->lines->SetLineNumber(first_line - 1);
  return std::unique_ptr<LineSource>(new LineSource(std::move(impl)));
}

bool LineSource::Next(size_t max_bytes, Line* line) {
  LineReader::Line l;
  if (impl_->at >= impl_->end) return false;
  if (!impl_->lines->Next(max_bytes, &l)) return false;
  impl_->at += l.size + (l.terminated ? 1 : 0);
  line->text = l.skipped ? std::string_view() : StripBom(l.text, l.number);
  line->number = l.number;
  line->bytes = l.size;
  line->too_large = l.skipped;
  line->blank = l.skipped ? l.blank : internal::IsBlankLine(line->text);
  line->terminated = l.terminated;
  return true;
}

const Status& LineSource::status() const { return impl_->lines->status(); }

Result<std::unique_ptr<JsonlReader>> JsonlReader::Open(std::string_view path,
                                                       const ReaderOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto lines = LineReader::Open(path);
  if (!lines.ok()) return lines.status();
  return std::unique_ptr<JsonlReader>(
      new JsonlReaderImpl(std::move(lines.value()), nullptr, options));
}

Result<std::unique_ptr<JsonlReader>> JsonlReader::FromRecords(RecordSupplier supplier,
                                                              const ReaderOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (!supplier) return Status::InvalidArgument("no record supplier");
  return std::unique_ptr<JsonlReader>(new JsonlReaderImpl(nullptr, std::move(supplier), options));
}

}  // namespace samestory
