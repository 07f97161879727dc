// A cross-field rule of scenarios: the counterfactual must take away a shock that happens inside the
// run, or every loss it measures is 0 by construction (a table of zeros that looks like an answer).
#pragma once

#include <functional>
#include <string>

#include "scenario/error.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

// Throws InputError, located by where(key path), when
//  - the scenario has suspension waves but counterfactual.remove names none of them, or
//  - a wave counterfactual.remove names is in force on no day of the run (it starts after the run ends
//    or ends before it starts).
// Names that match no wave are the loader's own check (check_counterfactual), run before this one.
void check_counterfactual_removes_a_shock(const Scenario& scenario,
                                          const std::function<SourceLocation(const std::string&)>& where);

}  // namespace sellershock
