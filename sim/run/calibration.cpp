#include "run/calibration.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "output/results.hpp"
#include "run/report.hpp"
#include "scenario/input_file.hpp"
#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

const std::vector<std::string> kColumns = {"id", "description", "metric", "low", "high", "unit", "source", "status"};
const std::string kStatusLegend =
    "status: V found in the named source; W only in a weak or interested source; "
    "A only the article's claim, unconfirmed (FACTS.md)";

std::string joined_columns() {
  std::string out;
  for (const std::string& c : kColumns) out += (out.empty() ? "" : ",") + c;
  return out;
}

[[noreturn]] void fail(const SourceLocation& where, const std::string& key, const std::string& what) {
  throw InputError(where, key, format_input_error(where, key, what));
}

// Splits one CSV record (RFC 4180 quoting, no line breaks inside fields). Throws InputError at `where`.
std::vector<std::string> split_csv_line(const std::string& line, SourceLocation where) {
  std::vector<std::string> fields;
  std::string field;
  std::size_t k = 0;
  while (true) {
    field.clear();
    if (k < line.size() && line[k] == '"') {
      const std::size_t opening = k++;
      bool closed = false;
      while (k < line.size()) {
        if (line[k] == '"') {
          if (k + 1 < line.size() && line[k + 1] == '"') {
            field += '"';
            k += 2;
            continue;
          }
          closed = true;
          ++k;
          break;
        }
        field += line[k++];
      }
      where.column = static_cast<int>(opening) + 1;
      if (!closed) fail(where, "", "unterminated quoted field (a field cannot span lines)");
      if (k < line.size() && line[k] != ',') {
        where.column = static_cast<int>(k) + 1;
        fail(where, "", "expected ',' or the end of the line after a closing quote");
      }
    } else {
      while (k < line.size() && line[k] != ',') {
        if (line[k] == '"') {
          where.column = static_cast<int>(k) + 1;
          fail(where, "", "a quote inside an unquoted field (quote the whole field and double the quote)");
        }
        field += line[k++];
      }
    }
    fields.push_back(field);
    if (k >= line.size()) break;
    ++k;  // the comma
  }
  return fields;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

double parse_bound(const std::string& field, const std::string& column, const SourceLocation& where,
                   const std::string& id) {
  const std::string text = trimmed(field);
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value))
    fail(where, column, "target '" + id + "': expected a finite number, found '" + field + "'");
  return value;
}

bool ends_with_cents(const std::string& metric) {
  constexpr std::string_view suffix = "_cents";
  return metric.size() > suffix.size() && metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whole numbers with thousands separators; small fractional values (shares) with three significant digits.
std::string format_number(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::fabs(value) >= 1000 || value == std::round(value)) return with_thousands_separators(std::llround(value));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string format_percent(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, percent < 10 ? "%.1f%%" : "%.0f%%", percent);
  return buffer;
}

std::string verdict(double mean, double low, double high) {
  if (std::isnan(mean)) return "no replications";
  if (mean >= low && mean <= high) return "inside";
  const bool below = mean < low;
  const double bound = below ? low : high;
  const double gap = std::fabs(mean - bound);
  if (bound == 0) return std::string(below ? "below" : "above") + " by " + format_number(gap) + " (bound 0)";
  return std::string(below ? "below" : "above") + " by " + format_percent(100.0 * gap / std::fabs(bound));
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}
std::string pad_right(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::vector<CalibrationTarget> load_calibration_targets(const std::string& csv_path) {
  SourceLocation where{csv_path, 0, 0};
  // A regular file of bounded size: a FIFO or /dev/zero here would hang or fill the memory.
  std::istringstream in(read_input_file(csv_path, "calibration targets file"));

  std::vector<CalibrationTarget> targets;
  std::set<std::string> seen;
  std::string line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++where.line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (where.line == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte order mark
    if (trimmed(line).empty()) continue;
    std::vector<std::string> fields = split_csv_line(line, where);
    if (!header_seen) {
      std::vector<std::string> names;
      for (const std::string& f : fields) names.push_back(trimmed(f));
      if (names != kColumns) fail(where, "", "expected the header '" + joined_columns() + "', found '" + line + "'");
      header_seen = true;
      continue;
    }
    if (fields.size() != kColumns.size())
      fail(where, "", "expected " + std::to_string(kColumns.size()) + " fields (" + joined_columns() + "), found " +
                          std::to_string(fields.size()));
    CalibrationTarget t;
    t.where = where;
    t.id = trimmed(fields[0]);
    t.description = fields[1];
    t.metric = trimmed(fields[2]);
    t.unit = trimmed(fields[5]);
    t.source = fields[6];
    t.status = trimmed(fields[7]);
    if (t.id.empty()) fail(where, "id", "expected a target id, found an empty field");
    if (!seen.insert(t.id).second) fail(where, "id", "target id '" + t.id + "' appears twice; ids must be unique");
    t.low = parse_bound(fields[3], "low", where, t.id);
    t.high = parse_bound(fields[4], "high", where, t.id);
    if (t.low > t.high)
      fail(where, "low", "target '" + t.id + "': low (" + trimmed(fields[3]) + ") is above high (" +
                             trimmed(fields[4]) + ")");
    if (t.status != "V" && t.status != "W" && t.status != "A")
      fail(where, "status", "target '" + t.id + "': expected V, W or A (FACTS.md's grades), found '" + t.status + "'");
    targets.push_back(std::move(t));
  }
  if (in.bad()) fail(where, "", "cannot read the calibration targets file");
  if (!header_seen) fail(SourceLocation{csv_path, 1, 0}, "", "expected the header '" + joined_columns() + "', found an empty file");
  return targets;
}

std::vector<CalibrationTarget> select_calibration_targets(const std::vector<CalibrationTarget>& all,
                                                          const std::vector<std::string>& ids,
                                                          const std::string& scenario_file) {
  std::vector<std::string> selectable;
  for (const CalibrationTarget& t : all)
    if (!t.metric.empty()) selectable.push_back(t.id);
  const std::string targets_file = all.empty() ? std::string("the calibration targets file") : all.front().where.file;

  std::vector<CalibrationTarget> chosen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const SourceLocation where{scenario_file, 0, 0};
    const std::string key = "calibration.targets[" + std::to_string(i) + "]";
    const auto found = std::find_if(all.begin(), all.end(), [&](const CalibrationTarget& t) { return t.id == ids[i]; });
    if (found == all.end()) {
      std::string what = "no calibration target '" + ids[i] + "' in " + targets_file;
      const std::string nearest = nearest_candidate(ids[i], selectable);
      if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
      fail(where, key, what);
    }
    if (found->metric.empty())
      fail(where, key, "calibration target '" + ids[i] + "' has no model metric (it is listed for reference only, " +
                           found->where.file + ":" + std::to_string(found->where.line) +
                           "); choose a target with a metric");
    chosen.push_back(*found);
  }
  return chosen;
}

std::string format_calibration_table(const std::vector<CalibrationTarget>& targets,
                                     const SummaryCollector& collected) {
  struct Row {
    std::string id, status, unit, observed, mean, interval, verdict;
  };
  std::vector<Row> rows;
  rows.push_back({"calibration target", "status", "unit", "observed range", "model mean", "model 5%..95%", "verdict"});
  for (const CalibrationTarget& t : targets) {
    if (t.metric.empty())
      fail(t.where, "metric", "calibration target '" + t.id + "' has no model metric (reference only)");
    // A metric is a scalar summary entry, or a ratio "numerator/denominator" of two, formed in each
    // replication (e.g. frozen funds per account closed), in the numerator's unit per denominator unit.
    const auto slash = t.metric.find('/');
    const std::string numerator = t.metric.substr(0, slash);
    const auto values_of = [&](const std::string& name) -> const std::vector<std::int64_t>& {
      const auto& specs = collected.summary();
      const auto spec = std::find_if(specs.begin(), specs.end(), [&](const SummarySpec& s) {
        return s.name == name && s.dims.empty();
      });
      if (spec == specs.end())
        fail(t.where, "metric",
             "calibration target '" + t.id + "' compares with metric '" + name +
                 "', which this run does not produce as a scalar summary value");
      return collected.values(static_cast<std::size_t>(spec - specs.begin()));
    };
    std::vector<std::int64_t> per_replication = values_of(numerator);
    if (slash != std::string::npos) {
      // In thousandths, so that the integer quantiles keep the ratio's precision.
      const std::vector<std::int64_t>& denominator = values_of(t.metric.substr(slash + 1));
      for (std::size_t r = 0; r < per_replication.size(); ++r)
        per_replication[r] = denominator[r] > 0 ? std::llround(1000.0 * static_cast<double>(per_replication[r]) /
                                                               static_cast<double>(denominator[r]))
                                                : 0;
    }
    const SummaryStatistics stats = summarize(per_replication);
    const double scale = (ends_with_cents(numerator) ? 0.01 : 1.0) *   // cents -> US dollars
                         (slash != std::string::npos ? 0.001 : 1.0);  // thousandths of a ratio
    const double mean = stats.mean * scale, q05 = stats.q05 * scale, q95 = stats.q95 * scale;
    rows.push_back({t.id, t.status, t.unit, format_number(t.low) + ".." + format_number(t.high), format_number(mean),
                    format_number(q05) + ".." + format_number(q95), verdict(mean, t.low, t.high)});
  }

  std::vector<std::size_t> width(7, 0);
  for (const Row& r : rows) {
    const std::string* cells[] = {&r.id, &r.status, &r.unit, &r.observed, &r.mean, &r.interval, &r.verdict};
    for (std::size_t c = 0; c < 7; ++c) width[c] = std::max(width[c], cells[c]->size());
  }
  std::string out;
  for (const Row& r : rows) {
    out += pad_right(r.id, width[0]) + "  " + pad_right(r.status, width[1]) + "  " + pad_right(r.unit, width[2]) +
           "  " + pad_left(r.observed, width[3]) + "  " + pad_left(r.mean, width[4]) + "  " +
           pad_left(r.interval, width[5]) + "  " + r.verdict + "\n";
  }
  out += kStatusLegend + "\n";
  return out;
}

}  // namespace sellershock
