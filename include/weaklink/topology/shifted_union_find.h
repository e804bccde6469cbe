#pragma once

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace weaklink
{
  /** Periods by which an element is moved in its unwrapped cluster, per axis. */
  using PeriodShift = std::array<std::int32_t, 3>;

  inline PeriodShift operator+(const PeriodShift &a, const PeriodShift &b)
  {
    return {{a[0] + b[0], a[1] + b[1], a[2] + b[2]}};
  }
  inline PeriodShift operator-(const PeriodShift &a, const PeriodShift &b)
  {
    return {{a[0] - b[0], a[1] - b[1], a[2] - b[2]}};
  }
  /** Bit d set where the component d is non-zero. */
  inline std::uint8_t nonzero_axes(const PeriodShift &s)
  {
    return (s[0] != 0) | (s[1] != 0) << 1 | (s[2] != 0) << 2;
  }

  /**
   * Union-find over elements of a periodic domain that keeps each element's
   * shift relative to its parent, so that every set can be unwrapped:
   * joining two elements of one set with a shift that disagrees with the one
   * the set already implies closes a loop around the domain, and the set is
   * marked as wrapping along the axes where the two differ. Roots are the
   * smallest elements of their sets.
   */
  class ShiftedUnionFind
  {
  public:
    explicit ShiftedUnionFind(const std::size_t n)
        : wraps(n, 0)
        , parent(n)
        , offset(n, PeriodShift{{0, 0, 0}})
    {
      std::iota(parent.begin(), parent.end(), 0u);
    }

    /** Root of @p i; @p to_root = shift(i) - shift(root). */
    unsigned int find(const unsigned int i, PeriodShift &to_root)
    {
      PeriodShift  total{{0, 0, 0}};
      unsigned int root = i;
      for (; parent[root] != root; root = parent[root])
        total = total + offset[root];
      PeriodShift remaining = total;
      for (unsigned int x = i; parent[x] != x;)
        {
          const unsigned int next = parent[x];
          const PeriodShift  own  = offset[x];
          parent[x]               = root;
          offset[x]               = remaining;
          remaining               = remaining - own;
          x                       = next;
        }
      to_root = total;
      return root;
    }

    /** Join a and b with shift(b) - shift(a) = delta. */
    void join(const unsigned int a, const unsigned int b, const PeriodShift &delta)
    {
      PeriodShift        to_a, to_b;
      const unsigned int ra = find(a, to_a), rb = find(b, to_b);
      if (ra == rb)
        {
          wraps[ra] |= nonzero_axes(to_a + delta - to_b);
          return;
        }
      const PeriodShift rb_from_ra = delta - to_b + to_a; // shift(rb) - shift(ra)
      if (ra < rb)
        {
          parent[rb] = ra;
          offset[rb] = rb_from_ra;
          wraps[ra] |= wraps[rb];
        }
      else
        {
          parent[ra] = rb;
          offset[ra] = PeriodShift{{0, 0, 0}} - rb_from_ra;
          wraps[rb] |= wraps[ra];
        }
    }

    /** Bit d set: the set of this root wraps around axis d (valid for roots). */
    std::vector<std::uint8_t> wraps;

  private:
    std::vector<unsigned int> parent;
    std::vector<PeriodShift>  offset;
  };
} // namespace weaklink
