#include "experiment/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "scenario/error.hpp"

namespace sellershock {

namespace {

constexpr const char* kMagic = "sellershock-sweep-journal 1";

[[noreturn]] void journal_error(const std::string& path, const std::string& what) {
  throw InputError(SourceLocation{path, 0, 0}, "journal", path + ": " + what);
}

// One record line "point replication v0 v1 ...", or false if it is malformed or torn.
bool parse_record(const std::string& line, std::size_t values, JournalRecord& record) {
  const char* p = line.data();
  const char* end = p + line.size();
  auto next = [&](auto& out) {
    while (p < end && *p == ' ') ++p;
    const auto [stop, error] = std::from_chars(p, end, out);
    if (error != std::errc() || stop == p) return false;
    p = stop;
    return true;
  };
  if (!next(record.point) || !next(record.replication)) return false;
  record.values.resize(values);
  for (std::int64_t& v : record.values)
    if (!next(v)) return false;
  return p == end;
}

// The records of the journal at path after its header; complete_end: the end of the last good line.
std::vector<JournalRecord> read_records(const std::string& path, const std::string& header, std::size_t values,
                                        std::size_t points, std::size_t replications, std::size_t& complete_end) {
  std::ifstream in(path, std::ios::binary);
  if (!in) journal_error(path, "cannot read the sweep journal");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.rfind(kMagic, 0) != 0) journal_error(path, "not a sweep journal; remove it to start the sweep over");
  if (text.rfind(header, 0) != 0)
    journal_error(path, "the journal belongs to another sweep (the sweep file, its scenario or the program "
                        "changed since it was written); remove it, or pass --force to start over");
  std::vector<JournalRecord> records;
  std::size_t start = complete_end = header.size();
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    if (newline == std::string::npos) break;  // torn last line: dropped
    JournalRecord record;
    // Appends are whole lines, so only the last line can be torn: stop at the first bad one.
    if (!parse_record(text.substr(start, newline - start), values, record) || record.point >= points ||
        record.replication >= replications)
      break;
    records.push_back(std::move(record));
    start = complete_end = newline + 1;
  }
  return records;
}

}  // namespace

std::vector<JournalRecord> read_sweep_journal(const std::string& path, const std::string& fingerprint,
                                              std::size_t values_per_record, std::size_t points,
                                              std::size_t replications) {
  if (!std::filesystem::is_regular_file(path)) journal_error(path, "no such sweep slice or journal");
  std::size_t complete_end = 0;
  return read_records(path, std::string(kMagic) + " " + fingerprint + "\n", values_per_record, points, replications,
                      complete_end);
}

std::string journal_path_for(const std::string& output_path) { return output_path + ".journal"; }

std::string fingerprint_of(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

SweepJournal::SweepJournal(std::string path, const std::string& fingerprint, std::size_t values_per_record,
                           std::size_t points, std::size_t replications, bool resume)
    : path_(std::move(path)) {
  const std::string header = std::string(kMagic) + " " + fingerprint + "\n";
  const bool fresh = !resume || !std::filesystem::exists(path_);
  if (!fresh) {
    std::size_t complete_end = 0;
    recovered_ = read_records(path_, header, values_per_record, points, replications, complete_end);
    // Cut anything after the last good line, so new records follow a clean line.
    if (complete_end < std::filesystem::file_size(path_)) std::filesystem::resize_file(path_, complete_end);
  }
  descriptor_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | (fresh ? O_TRUNC : 0), 0644);
  if (descriptor_ < 0) throw std::runtime_error("cannot open sweep journal '" + path_ + "': " + std::strerror(errno));
  if (fresh) {
    if (::write(descriptor_, header.data(), header.size()) != static_cast<ssize_t>(header.size()) ||
        ::fdatasync(descriptor_) != 0)
      throw std::runtime_error("cannot write sweep journal '" + path_ + "': " + std::strerror(errno));
  }
}

SweepJournal::~SweepJournal() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

void SweepJournal::append(std::size_t point, std::size_t replication, const std::vector<std::int64_t>& values) {
  std::string line = std::to_string(point);
  line.append(" ").append(std::to_string(replication));
  for (std::int64_t v : values) line.append(" ").append(std::to_string(v));
  line.append("\n");
  const std::lock_guard<std::mutex> lock(mutex_);
  // One write of the whole line with O_APPEND: a crash leaves at most a torn last line, never a gap.
  if (::write(descriptor_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fdatasync(descriptor_) != 0)
    throw std::runtime_error("cannot write sweep journal '" + path_ + "': " + std::strerror(errno));
}

void SweepJournal::remove() {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace sellershock
