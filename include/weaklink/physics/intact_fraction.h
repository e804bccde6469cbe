#pragma once

namespace weaklink
{
  /**
   * (1 − d)², the share of the solid that damage d leaves intact: it degrades
   * the stiffness and the ionic conductivity, and 1 − (1 − d)² is the void
   * indicator χ(d) through which pressure acts and lithium enters.
   *
   * AT1 does not keep d ≤ 1 by itself: a Newton iterate, or a linear element
   * beside a crack that has just broken, overshoots. Beyond 1 the parabola
   * would rise again and its slope change sign, so the elastic and the
   * pressure drive would push a node further past 1 (doc/lithium.md, the
   * microstructure case). The law therefore stays at 0 beyond 1; value and
   * slope are 0 at d = 1 from both sides, so it is C¹ and Newton keeps its
   * rate. There the crack density alone acts, pulling d back to 1.
   */
  template <typename Number> void intact_fraction(const Number &d, Number &value, Number &slope)
  {
    if (d >= 1.0)
      {
        value = 0.0;
        slope = 0.0;
        return;
      }
    value = (1.0 - d) * (1.0 - d);
    slope = -2.0 * (1.0 - d);
  }

  /** The law above with its second derivative, for hand-written Jacobians. */
  struct IntactFraction
  {
    double value = 0, slope = 0, curvature = 0;

    explicit IntactFraction(const double d)
    {
      intact_fraction(d, value, slope);
      curvature = d >= 1 ? 0.0 : 2.0;
    }
  };
} // namespace weaklink
