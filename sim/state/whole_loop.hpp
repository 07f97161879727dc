// The task context of every parallel loop that changes a world: one of its own, isolated.
//
// A oneTBB loop started inside another one's task is, by default, bound to that task's context. When the
// enclosing loop is cancelled, because one of its other iterations threw (a replication stopped by a
// signal throws RunCancelled; a sweep point that fails throws its error), every loop bound to it stops
// handing out iterations and returns as if it had finished: no exception, no flag. Another replication
// still running then goes on with a week, a set-up or a fork's copy that was cut short, and its next step
// can read a column never resized or a list never filled (a run stopped by SIGHUP crashed that way).
//
// An isolated context is not reached by the enclosing loop's cancellation, so such a loop always runs
// every iteration, or throws its own exception to its caller. A replication stops at the start of a week
// (RunProgress::cancel_requested), never in the middle of one.
#pragma once

#include <tbb/task_group.h>

namespace sellershock {

struct WholeLoop : tbb::task_group_context {
  WholeLoop() : tbb::task_group_context(tbb::task_group_context::isolated) {}
};

}  // namespace sellershock
