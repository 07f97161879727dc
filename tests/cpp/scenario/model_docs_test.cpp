// docs/MODEL.md, the ODD model description, stays in step with the code: its parameter dictionary is
// the generated reference, and it documents every output the model records.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "run/replication.hpp"
#include "scenario/parameters.hpp"

namespace sellershock {
namespace {

const std::string kBeginMarker = "<!-- BEGIN GENERATED PARAMETERS -->\n";
const std::string kEndMarker = "<!-- END GENERATED PARAMETERS -->";

std::string read_model_docs() {
  const std::string path = std::string(SELLERSHOCK_SOURCE_DIR) + "/docs/MODEL.md";
  std::ifstream file(path);
  EXPECT_TRUE(file) << path;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(ModelDocs, ParameterDictionaryIsTheGeneratedReference) {
  const std::string docs = read_model_docs();
  const std::size_t begin = docs.find(kBeginMarker);
  const std::size_t end = docs.find(kEndMarker);
  ASSERT_NE(begin, std::string::npos) << "docs/MODEL.md has no line " << kBeginMarker;
  ASSERT_NE(end, std::string::npos) << "docs/MODEL.md has no line " << kEndMarker;
  ASSERT_LT(begin, end);
  const std::string generated = docs.substr(begin + kBeginMarker.size(), end - begin - kBeginMarker.size());
  EXPECT_EQ(generated, "\n" + parameter_reference_markdown() + "\n")
      << "docs/MODEL.md is out of date: run tools/update-docs.sh build/dev/sellershock";
}

// Every series and summary quantity is named, in code font, in the hand-written part of the page (not
// merely somewhere in the generated dictionary), so a new output cannot go undocumented.
TEST(ModelDocs, NamesEverySeriesAndSummaryQuantity) {
  const std::string docs = read_model_docs();
  const std::size_t begin = docs.find(kBeginMarker);
  ASSERT_NE(begin, std::string::npos);
  const std::string written = docs.substr(0, begin);
  const Layout layout = make_layout(default_scenario("x"), true);
  ASSERT_FALSE(layout.series.empty());
  ASSERT_FALSE(layout.summary.empty());
  for (const SeriesSpec& series : layout.series)
    EXPECT_NE(written.find("`" + series.name + "`"), std::string::npos)
        << "docs/MODEL.md does not mention the series `" << series.name << "`";
  for (const SummarySpec& summary : layout.summary)
    EXPECT_NE(written.find("`" + summary.name + "`"), std::string::npos)
        << "docs/MODEL.md does not mention the summary quantity `" << summary.name << "`";
}

}  // namespace
}  // namespace sellershock
