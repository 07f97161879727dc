// A run's file read back: the same summary values, per replication, as the run collected in memory.
#include "run/results_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "output/hdf5_writer.hpp"
#include "run/runner.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {
namespace {

TEST(ResultsFile, ReadsBackEverySummaryEntryOfTheRun) {
  Scenario scenario = testing::small_scenario(400, 16, 3);
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("sellershock-results-file-" + std::to_string(::getpid()) + ".h5");
  SummaryCollector collected;
  {
    Hdf5Writer file_writer(path.string(), true);
    FanOutWriter writer({&file_writer, &collected});
    Provenance provenance;
    provenance.scenario_file = "scenario.yaml";
    run_scenario(scenario, to_yaml(scenario), writer, provenance);
  }
  const RunFile file = read_run_file(path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(file.with_counterfactual);
  EXPECT_FALSE(file.dose_response);
  EXPECT_EQ(file.scenario_file, "scenario.yaml");
  EXPECT_EQ(to_yaml(file.scenario), to_yaml(scenario));
  ASSERT_EQ(file.collected.summary().size(), collected.summary().size());
  for (std::size_t k = 0; k < collected.summary().size(); ++k) {
    const std::size_t elements = collected.layout().element_count(collected.summary()[k].dims);
    for (std::size_t e = 0; e < elements; ++e)
      EXPECT_EQ(file.collected.values(k, e), collected.values(k, e)) << collected.summary()[k].name;
  }
  const std::string json = format_summaries_json(file);
  EXPECT_NE(json.find("\"attributable_loss_cents\""), std::string::npos);
  const std::string csv = format_summaries_csv(file);
  EXPECT_EQ(csv.rfind("entry,unit,measure,element,replication,value\n", 0), 0u);
}

TEST(ResultsFile, AMissingOrForeignFileIsAnInputError) {
  EXPECT_THROW(read_run_file("/nonexistent/run.h5"), InputError);
  const std::filesystem::path text =
      std::filesystem::temp_directory_path() / ("sellershock-not-hdf5-" + std::to_string(::getpid()) + ".h5");
  { std::FILE* f = std::fopen(text.c_str(), "w"); std::fputs("hello", f); std::fclose(f); }
  EXPECT_THROW(read_run_file(text.string()), InputError);
  std::filesystem::remove(text);
}

}  // namespace
}  // namespace sellershock
