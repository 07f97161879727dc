#include <gtest/gtest.h>

#include "output/writer.hpp"

namespace sellershock {
namespace {

Layout one_series_layout() {
  Layout layout;
  layout.start_date = "2021-01-04";
  layout.axes = {Axis{"week", "week", {}, {0, 1}}};
  layout.series = {SeriesSpec{"sales_cents", "USD cents", "sales", {"replication", "week"}}};
  layout.summary = {SummarySpec{"frozen_cents", "USD cents", "frozen funds"}};
  return layout;
}

ReplicationResult result(std::int64_t replication) {
  return ReplicationResult{replication, {{10 * replication, 10 * replication + 1}}, {{replication}}};
}

TEST(MemoryWriter, KeepsLayoutScenarioAndProvenance) {
  MemoryWriter writer;
  writer.begin(one_series_layout(), 1, "name: tiny\n");
  writer.add(result(0));
  Provenance provenance;
  provenance.seed = 42;
  writer.finish(provenance);
  EXPECT_TRUE(writer.finished());
  EXPECT_FALSE(writer.abandoned());
  EXPECT_EQ(writer.resolved_scenario(), "name: tiny\n");
  EXPECT_EQ(writer.layout().series.at(0).name, "sales_cents");
  EXPECT_EQ(writer.layout().start_date, "2021-01-04");
  EXPECT_EQ(writer.provenance().seed, 42u);
}

TEST(MemoryWriter, IndexesReplicationsByNumberWhateverTheOrderTheyArrive) {
  MemoryWriter writer;
  writer.begin(one_series_layout(), 3, "");
  writer.add(result(2));
  writer.add(result(0));
  writer.add(result(1));
  ASSERT_EQ(writer.replications().size(), 3u);
  for (std::int64_t r = 0; r < 3; ++r) {
    EXPECT_EQ(writer.replications()[static_cast<std::size_t>(r)].replication, r);
    EXPECT_EQ(writer.replications()[static_cast<std::size_t>(r)].series.at(0),
              (std::vector<std::int64_t>{10 * r, 10 * r + 1}));
    EXPECT_EQ(writer.replications()[static_cast<std::size_t>(r)].summary, std::vector<std::vector<std::int64_t>>{{r}});
  }
}

TEST(MemoryWriter, RejectsReplicationsOutOfRange) {
  MemoryWriter writer;
  writer.begin(one_series_layout(), 2, "");
  EXPECT_THROW(writer.add(result(2)), std::logic_error);
  EXPECT_THROW(writer.add(result(-1)), std::logic_error);
}

TEST(MemoryWriter, AbandonIsRecordedAndNothingIsFinished) {
  MemoryWriter writer;
  writer.begin(one_series_layout(), 1, "");
  writer.abandon();
  EXPECT_TRUE(writer.abandoned());
  EXPECT_FALSE(writer.finished());
}

}  // namespace
}  // namespace sellershock
