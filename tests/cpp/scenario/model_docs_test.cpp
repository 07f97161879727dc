// docs/MODEL.md, the ODD model description, stays in step with the code: its parameter dictionary is
// the generated reference. (Every output is documented by its declaration in the output catalogue, whose
// dictionary in docs/FORMAT.md is checked by tests/cpp/run/catalogue_test.cpp.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace
}  // namespace sellershock
