// "Did you mean ...?" for misspelt keys and names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sellershock {

// Edit distance: insertions, deletions, substitutions and swaps of neighbours, each costing 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `wanted`, or "" if none is close enough to be a plausible typo
// (distance at most a third of the longer string, and at least one character in common).
std::string nearest_candidate(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace sellershock
