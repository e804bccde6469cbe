#include <weaklink/core/input_error.h>
#include <weaklink/learning/feature_operator.h>

#include <array>
#include <cmath>
#include <limits>

namespace weaklink
{
  namespace
  {
    struct OperatorToken
    {
      FeatureOperator op;
      const char     *token;
    };
    constexpr std::array<OperatorToken, 18> operator_tokens{
        {{FeatureOperator::add, "+"},
         {FeatureOperator::subtract, "-"},
         {FeatureOperator::multiply, "*"},
         {FeatureOperator::divide, "/"},
         {FeatureOperator::absolute_difference, "|-|"},
         {FeatureOperator::exp, "exp"},
         {FeatureOperator::exp_negative, "exp-"},
         {FeatureOperator::log, "log"},
         {FeatureOperator::sqrt, "sqrt"},
         {FeatureOperator::cbrt, "cbrt"},
         {FeatureOperator::inverse, "^-1"},
         {FeatureOperator::square, "^2"},
         {FeatureOperator::cube, "^3"},
         {FeatureOperator::sixth_power, "^6"},
         {FeatureOperator::absolute, "abs"},
         {FeatureOperator::sin, "sin"},
         {FeatureOperator::cos, "cos"},
         {FeatureOperator::cauchy, "scd"}}};

    FeatureOperator operator_from_token(const std::string &token)
    {
      for (const auto &entry : operator_tokens)
        if (token == entry.token)
          return entry.op;
      std::string known;
      for (const auto &entry : operator_tokens)
        known += std::string(known.empty() ? "" : " ") + entry.token;
      throw InputError("unknown operator '" + token + "' (known: " + known + ")");
    }

    std::string trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t'\"");
      const auto last  = text.find_last_not_of(" \t'\"");
      return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }
  } // namespace

  bool is_binary(const FeatureOperator op)
  {
    return op == FeatureOperator::add || op == FeatureOperator::subtract ||
           op == FeatureOperator::multiply || op == FeatureOperator::divide ||
           op == FeatureOperator::absolute_difference;
  }

  std::string operator_token(const FeatureOperator op)
  {
    for (const auto &entry : operator_tokens)
      if (entry.op == op)
        return entry.token;
    return "primary";
  }

  std::vector<FeatureOperator> parse_operators(const std::string &raw_text)
  {
    const std::string            text = trim(raw_text);
    std::vector<FeatureOperator> operators;
    const auto                   add_unique = [&](const FeatureOperator op) {
      for (const auto existing : operators)
        if (existing == op)
          return;
      operators.push_back(op);
    };
    if (!text.empty() && text[0] == '(')
      {
        std::size_t position = 0;
        while (position < text.size())
          {
            if (text[position] == ' ')
              {
                ++position;
                continue;
              }
            const auto close = text.find(')', position);
            if (text[position] != '(' || close == std::string::npos)
              throw InputError("operator list '" + text + "' is malformed at '" +
                               text.substr(position) + "'");
            add_unique(operator_from_token(trim(text.substr(position + 1, close - position - 1))));
            position = close + 1;
          }
      }
    else
      {
        std::size_t start = 0;
        while (start <= text.size())
          {
            const auto comma = std::min(text.find(',', start), text.size());
            const auto token = trim(text.substr(start, comma - start));
            if (!token.empty())
              add_unique(operator_from_token(token));
            start = comma + 1;
          }
      }
    if (operators.empty())
      throw InputError("the operator list '" + text + "' is empty");
    return operators;
  }

  std::string operator_formula(const FeatureOperator op, const std::string &a, const std::string &b)
  {
    switch (op)
      {
      case FeatureOperator::primary:
        return a;
      case FeatureOperator::add:
        return "(" + a + "+" + b + ")";
      case FeatureOperator::subtract:
        return "(" + a + "-" + b + ")";
      case FeatureOperator::multiply:
        return "(" + a + "*" + b + ")";
      case FeatureOperator::divide:
        return "(" + a + "/" + b + ")";
      case FeatureOperator::absolute_difference:
        return "|" + a + "-" + b + "|";
      case FeatureOperator::exp:
        return "exp(" + a + ")";
      case FeatureOperator::exp_negative:
        return "exp(-" + a + ")";
      case FeatureOperator::log:
        return "log(" + a + ")";
      case FeatureOperator::sqrt:
        return "sqrt(" + a + ")";
      case FeatureOperator::cbrt:
        return "cbrt(" + a + ")";
      case FeatureOperator::inverse:
        return "(" + a + ")^-1";
      case FeatureOperator::square:
        return "(" + a + ")^2";
      case FeatureOperator::cube:
        return "(" + a + ")^3";
      case FeatureOperator::sixth_power:
        return "(" + a + ")^6";
      case FeatureOperator::absolute:
        return "|" + a + "|";
      case FeatureOperator::sin:
        return "sin(" + a + ")";
      case FeatureOperator::cos:
        return "cos(" + a + ")";
      case FeatureOperator::cauchy:
        return "scd(" + a + ")";
      }
    return a;
  }

  std::optional<PhysicalUnit> operator_unit(const FeatureOperator op, const PhysicalUnit &a,
                                            const PhysicalUnit &b, const bool strict_transcendental)
  {
    switch (op)
      {
      case FeatureOperator::primary:
        return a;
      case FeatureOperator::add:
      case FeatureOperator::subtract:
      case FeatureOperator::absolute_difference:
        if (a != b)
          return std::nullopt;
        return a;
      case FeatureOperator::multiply:
        return a * b;
      case FeatureOperator::divide:
        return a / b;
      case FeatureOperator::exp:
      case FeatureOperator::exp_negative:
      case FeatureOperator::log:
      case FeatureOperator::sin:
      case FeatureOperator::cos:
      case FeatureOperator::cauchy:
        if (strict_transcendental && !a.is_dimensionless())
          return std::nullopt;
        return PhysicalUnit();
      case FeatureOperator::sqrt:
        return a.power(0.5);
      case FeatureOperator::cbrt:
        return a.power(1.0 / 3.0);
      case FeatureOperator::inverse:
        return a.power(-1);
      case FeatureOperator::square:
        return a.power(2);
      case FeatureOperator::cube:
        return a.power(3);
      case FeatureOperator::sixth_power:
        return a.power(6);
      case FeatureOperator::absolute:
        return a;
      }
    return std::nullopt;
  }

  double apply_operator(const FeatureOperator op, const double a, const double b)
  {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    switch (op)
      {
      case FeatureOperator::primary:
        return a;
      case FeatureOperator::add:
        return a + b;
      case FeatureOperator::subtract:
        return a - b;
      case FeatureOperator::multiply:
        return a * b;
      case FeatureOperator::divide:
        return a / b;
      case FeatureOperator::absolute_difference:
        return std::abs(a - b);
      case FeatureOperator::exp:
        return std::exp(a);
      case FeatureOperator::exp_negative:
        return std::exp(-a);
      case FeatureOperator::log:
        return a > 0 ? std::log(a) : nan;
      case FeatureOperator::sqrt:
        return a >= 0 ? std::sqrt(a) : nan;
      case FeatureOperator::cbrt:
        return std::cbrt(a);
      case FeatureOperator::inverse:
        return 1 / a;
      case FeatureOperator::square:
        return a * a;
      case FeatureOperator::cube:
        return a * a * a;
      case FeatureOperator::sixth_power:
        return (a * a * a) * (a * a * a);
      case FeatureOperator::absolute:
        return std::abs(a);
      case FeatureOperator::sin:
        return std::sin(a);
      case FeatureOperator::cos:
        return std::cos(a);
      case FeatureOperator::cauchy:
        return 1 / (M_PI * (1 + a * a));
      }
    return nan;
  }
} // namespace weaklink
