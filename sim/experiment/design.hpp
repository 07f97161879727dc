// Experimental designs for sweeps: which points of the factor space to run. Every design is first a set
// of points in the unit cube [0, 1]^k (one coordinate per factor); Factor::value_at maps a coordinate to
// the factor's value (linear or logarithmic between low and high, or one of a list of values).
// Documented for users in docs/SWEEPS.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sellershock {

// One factor of a sweep: a scenario key and the values it takes.
struct Factor {
  std::string key;             // a valid --set key of the scenario, e.g. "enforcement.waves[0].recall"
  double low = 0.0;            // range of a continuous factor (values empty)
  double high = 1.0;
  bool log = false;            // spread logarithmically between low and high (both > 0)
  bool integer = false;        // the parameter takes integers: values are rounded to the nearest
  std::vector<double> values;  // a list of values instead of a range (taken in equal shares of [0, 1))

  // The factor's value at unit coordinate u in [0, 1].
  double value_at(double u) const;
  // The same as --set text: integers without a decimal point, reals exactly (shortest round trip).
  std::string text_at(double u) const;
};

// Points of a design in the unit cube, row-major (point, factor).
struct UnitDesign {
  std::size_t factors = 0;
  std::vector<double> coordinates;

  std::size_t size() const { return factors == 0 ? 0 : coordinates.size() / factors; }
  double at(std::size_t point, std::size_t factor) const { return coordinates[point * factors + factor]; }
};

// Every combination of levels_per_factor[j] levels of each factor (the last factor varies fastest):
// coordinates j/(n-1) for n >= 2, 0.5 for n = 1. Throws std::invalid_argument for a level count of 0.
UnitDesign grid_design(const std::vector<std::size_t>& levels_per_factor);

// A Latin hypercube of `points` points: for each factor, each of the `points` equal strata of [0, 1)
// holds exactly one point, at a uniform position within it; strata are matched across factors by
// independent random permutations. Draws come from the Philox streams keyed by (seed, factor).
UnitDesign latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed);

// Saltelli's scheme (Saltelli et al. 2010) on a 2k-dimensional Sobol sequence (Boost.Random): base
// sample s gives matrix rows A_s (the first k coordinates) and B_s (the last k), and AB_s^i = A_s with
// coordinate i taken from B_s. Points are blocked by base sample, k + 2 per block, in the order
// A_s, B_s, AB_s^0 ... AB_s^(k-1), so that any whole block range is a self-contained design.
// The all-zero first point of the sequence is skipped.
UnitDesign saltelli_design(std::size_t base_samples, std::size_t factors);
// Position of a point within its Saltelli block of factors + 2.
inline std::size_t saltelli_block_size(std::size_t factors) { return factors + 2; }

// Morris's elementary-effect trajectories (Morris 1991; Campolongo et al. 2007 for mu*): each of the
// `trajectories` trajectories has factors + 1 points on a grid of `levels` levels per factor (even, >= 2);
// it starts at a random grid point and moves one factor at a time, in random order, by
// delta = levels / (2 (levels - 1)) up, or down where up would leave [0, 1]. Random draws from the
// Philox streams keyed by (seed, trajectory). Throws std::invalid_argument for an odd or small levels.
UnitDesign morris_design(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed);

}  // namespace sellershock
