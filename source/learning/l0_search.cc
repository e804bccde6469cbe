#include <weaklink/core/large_array.h>
#include <weaklink/learning/l0_search.h>
#include <weaklink/statistics/ranks.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>

extern "C" void dgemm_(const char *transa, const char *transb, const int *m, const int *n,
                       const int *k, const double *alpha, const double *a, const int *lda,
                       const double *b, const int *ldb, const double *beta, double *c,
                       const int *ldc);

namespace weaklink
{
  namespace
  {
    bool better(const L0Model &a, const L0Model &b)
    {
      return a.rss != b.rss ? a.rss < b.rss : a.features < b.features;
    }

    struct Worse
    {
      bool operator()(const L0Model &a, const L0Model &b) const { return better(a, b); }
    };

    class Search
    {
    public:
      Search(const std::vector<const double *> &gram_rows, const std::vector<double> &projection,
             double target_norm2, std::size_t p, unsigned int dimension, unsigned int n_best,
             double tolerance, int rank, int n_ranks)
          : gram_rows(gram_rows)
          , b(projection)
          , p(p)
          , dimension(dimension)
          , n_best(n_best)
          , tolerance(tolerance)
          , rank(rank)
          , n_ranks(n_ranks)
          , w(dimension, std::vector<double>(p))
          , sum_of_squares(dimension, std::vector<double>(p, 0.0))
          , cross(dimension, std::vector<double>(p, 0.0))
          , rss(dimension + 1, target_norm2)
          , chosen(dimension)
          , buffer(p)
      {
      }

      void run() { descend(0, 0); }

      /**
       * The first level of a two-term search for i in [begin, end) only: each row of the Gram
       * matrix is read once, so the rows can be computed block by block and dropped (the
       * same models, in the same order, as run()).
       */
      void run_pairs(const std::size_t begin, const std::size_t end) { descend(0, begin, end); }

      std::priority_queue<L0Model, std::vector<L0Model>, Worse> best;
      std::uint64_t                                             scored = 0;

    private:
      double threshold() const
      {
        return best.size() < n_best ? std::numeric_limits<double>::infinity() : best.top().rss;
      }

      void innermost(const unsigned int level, const std::size_t start)
      {
        const double *s   = sum_of_squares[level].data();
        const double *c   = cross[level].data();
        const double  r   = rss[level];
        double       *out = buffer.data();
        const double  tol = tolerance;
#pragma omp simd
        for (std::size_t k = start; k < p; ++k)
          {
            const double denominator = 1 - s[k];
            const double numerator   = b[k] - c[k];
            out[k]                   = denominator > tol ? r - numerator * numerator / denominator
                                                         : std::numeric_limits<double>::infinity();
          }
        scored += p - start;
        double limit = threshold();
        for (std::size_t k = start; k < p; ++k)
          if (out[k] < limit)
            {
              chosen[level] = k;
              // Rounding can make a perfect fit slightly negative.
              best.push(L0Model{std::max(out[k], 0.0), chosen});
              if (best.size() > n_best)
                best.pop();
              limit = threshold();
            }
      }

      // Features i >= start (and < stop) at this level, then the levels below each.
      void descend(const unsigned int level, const std::size_t start,
                   const std::size_t stop = std::numeric_limits<std::size_t>::max())
      {
        if (level + 1 == dimension)
          {
            if (dimension == 1)
              {
                // Nothing to split above the last level: split the last level itself.
                for (std::size_t k = rank; k < p; k += n_ranks)
                  {
                    const double r = rss[0] - b[k] * b[k];
                    ++scored;
                    if (r < threshold())
                      {
                        best.push(L0Model{std::max(r, 0.0), {std::uint32_t(k)}});
                        if (best.size() > n_best)
                          best.pop();
                      }
                  }
                return;
              }
            innermost(level, start);
            return;
          }
        for (std::size_t i = start; i < stop && i + (dimension - 1 - level) < p; ++i)
          {
            if (level + 2 == dimension && (node_counter++ % n_ranks) != std::uint64_t(rank))
              continue;
            const double pivot2 = 1 - sum_of_squares[level][i];
            if (pivot2 <= tolerance)
              continue;
            const double pivot = std::sqrt(pivot2);
            const double z     = (b[i] - cross[level][i]) / pivot;
            rss[level + 1]     = rss[level] - z * z;
            const double *g    = gram_rows[i]; // g[k - i] = G(i, k)
            double       *wl   = w[level].data();
            for (std::size_t k = i + 1; k < p; ++k)
              {
                double value = g[k - i];
                for (unsigned int m = 0; m < level; ++m)
                  value -= w[m][i] * w[m][k];
                wl[k] = value / pivot;
              }
            const double *s_in  = sum_of_squares[level].data();
            const double *c_in  = cross[level].data();
            double       *s_out = sum_of_squares[level + 1].data();
            double       *c_out = cross[level + 1].data();
#pragma omp simd
            for (std::size_t k = i + 1; k < p; ++k)
              {
                s_out[k] = s_in[k] + wl[k] * wl[k];
                c_out[k] = c_in[k] + wl[k] * z;
              }
            chosen[level] = i;
            descend(level + 1, i + 1);
          }
      }

      const std::vector<const double *> &gram_rows; ///< row i holds G(i, k) at [k - i]
      const std::vector<double>         &b;
      std::size_t                        p;
      unsigned int                       dimension, n_best;
      double                             tolerance;
      int                                rank, n_ranks;
      std::uint64_t                      node_counter = 0;
      std::vector<std::vector<double>>   w, sum_of_squares, cross;
      std::vector<double>                rss;
      std::vector<std::uint32_t>         chosen;
      std::vector<double>                buffer;
    };
  } // namespace

  L0SearchResult search_l0(const std::vector<std::vector<double>> &pool,
                           const std::vector<double> &target, const unsigned int dimension,
                           const unsigned int n_best, const bool fit_intercept,
                           MPI_Comm communicator, const double collinearity_tolerance)
  {
    const int         rank = ranks::this_rank(communicator), n_ranks = ranks::count(communicator);
    const std::size_t p = pool.size();
    const std::size_t n = target.size();
    if (dimension == 0 || dimension > p)
      throw std::runtime_error("L0 search of dimension " + std::to_string(dimension) + " over " +
                               std::to_string(p) + " features");

    // Standardised pool (centred when fitting an intercept, unit norm), row i = feature i.
    LargeArray<double> x(p * n);
    for (std::size_t i = 0; i < p; ++i)
      {
        const double mean =
            fit_intercept ? std::accumulate(pool[i].begin(), pool[i].end(), 0.0) / n : 0.0;
        double norm = 0;
        for (std::size_t s = 0; s < n; ++s)
          {
            x[i * n + s] = pool[i][s] - mean;
            norm += x[i * n + s] * x[i * n + s];
          }
        norm = std::sqrt(norm);
        for (std::size_t s = 0; s < n; ++s)
          x[i * n + s] /= norm;
      }
    std::vector<double> y(target);
    if (fit_intercept)
      {
        const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
        for (double &v : y)
          v -= mean;
      }
    const double target_norm2 = std::inner_product(y.begin(), y.end(), y.begin(), 0.0);

    // The upper triangle of the pool's Gram matrix, row i holding G(i, i..p-1), which is what
    // the search reads; a one-term search needs none of it. Computed by BLAS in blocks of
    // rows, the same bits on every rank. Packed, it touches half the memory of a full p x p
    // matrix (64 MB instead of 128 MB at p = 4000): on a VM, handing out fresh memory costs
    // more than the products themselves.
    // A two-term search reads each row once: it runs block by block on the rows just computed
    // and stores no matrix at all (no 64 MB of fresh pages at p = 4000).
    const bool                  by_blocks = dimension == 2;
    const std::size_t           block     = 256;
    const std::size_t           stored    = dimension > 2 ? p * (p + 1) / 2 : 0;
    LargeArray<double>          gram(stored);
    LargeArray<double>          rows(dimension > 1 ? std::min(block, p) * p : 0);
    std::vector<const double *> gram_rows(p, nullptr);
    std::vector<double>         projection(p);
    for (std::size_t i = 0; i < p; ++i)
      {
        const double *xi  = x.data() + i * n;
        double        dot = 0;
        for (std::size_t s = 0; s < n; ++s)
          dot += xi[s] * y[s];
        projection[i] = dot;
      }
    Search search(gram_rows, projection, target_norm2, p, dimension, n_best, collinearity_tolerance,
                  rank, n_ranks);
    if (dimension > 1)
      {
        const char   transposed = 'T', plain = 'N';
        const double one = 1, zero = 0;
        const int    n_int  = static_cast<int>(n);
        std::size_t  offset = 0;
        for (std::size_t first = 0; first < p; first += block)
          {
            // rows(k - first, i - first) = G(k, i) for k >= first, i in the block
            const std::size_t count = std::min(block, p - first), width = p - first;
            const int         m_int = static_cast<int>(width), count_int = static_cast<int>(count);
            const double     *block_columns = x.data() + first * n;
            dgemm_(&transposed, &plain, &m_int, &count_int, &n_int, &one, block_columns, &n_int,
                   block_columns, &n_int, &zero, rows.data(), &m_int);
            for (std::size_t i = first; i < first + count; ++i)
              {
                const double *row = rows.data() + (i - first) * width + (i - first);
                if (by_blocks)
                  gram_rows[i] = row;
                else
                  {
                    std::copy(row, row + (p - i), gram.data() + offset);
                    gram_rows[i] = gram.data() + offset;
                    offset += p - i;
                  }
              }
            if (by_blocks)
              search.run_pairs(first, first + count);
          }
      }
    if (!by_blocks)
      search.run();

    // Union of the local bests, sorted identically on every rank.
    std::vector<double> packed;
    for (auto queue = search.best; !queue.empty(); queue.pop())
      {
        packed.push_back(queue.top().rss);
        for (const auto index : queue.top().features)
          packed.push_back(index);
      }
    const auto gathered = ranks::gather(std::move(packed), communicator);

    L0SearchResult result;
    for (std::size_t k = 0; k < gathered.size(); k += dimension + 1)
      {
        L0Model model{gathered[k], {}};
        for (unsigned int d = 0; d < dimension; ++d)
          model.features.push_back(std::uint32_t(gathered[k + 1 + d]));
        result.best.push_back(model);
      }
    std::sort(result.best.begin(), result.best.end(), better);
    if (result.best.size() > n_best)
      result.best.resize(n_best);
    result.models_scored = search.scored;
    ranks::sum(&result.models_scored, 1, communicator);
    return result;
  }
} // namespace weaklink
