using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace AutoDiff.Analyzers.Tests;

/// <summary>
/// AD2001–AD2005 fire on the exact <c>Log(…)</c> call (the {|ID:…|} markup pins the span), their fixes produce the stable
/// op named as the original was, and look-alikes that are not AutoDiff.Ops (or not the unstable shape) stay silent.
/// </summary>
public class StabilityAnalyzerTests
{
    private static string Wrap(string body, string usings = "using static AutoDiff.Ops;") => $$"""
        using System;
        using AutoDiff;
        {{usings}}

        static class C
        {
        {{body}}
        }
        """;

    // ---- AD2001: Log(Sigmoid(x)) -----------------------------------------------------------------------------------

    [Fact]
    public Task Ad2001_fires_on_log_of_sigmoid_of_double() => Verify.AnalyzerAsync(
        Wrap("    static double F(double x) => {|AD2001:Log(Sigmoid(x))|};"));

    [Fact]
    public Task Ad2001_fix_uses_LogSigmoid_with_using_static() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var x) => {|AD2001:Log(Sigmoid(x))|};"),
        Wrap("    static Var F(Var x) => LogSigmoid(x);"));

    [Fact]
    public Task Ad2001_fix_keeps_qualification_and_argument_trivia() => Verify.CodeFixAsync(
        Wrap("    static Tensor F(Tensor x) => {|AD2001:Ops.Log(Ops.Sigmoid( x /* logits */ ))|};", usings: ""),
        Wrap("    static Tensor F(Tensor x) => Ops.LogSigmoid( x /* logits */ );", usings: ""));

    [Fact]
    public Task Ad2001_fix_keeps_global_qualification() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var a, Var b) => {|AD2001:global::AutoDiff.Ops.Log(Ops.Sigmoid(a * b))|};", usings: ""),
        Wrap("    static Var F(Var a, Var b) => global::AutoDiff.Ops.LogSigmoid(a * b);", usings: ""));

    [Fact]
    public Task Ad2001_message_names_the_expression_and_the_replacement() => Verify.AnalyzerAsync(
        Wrap("    static Tensor F(Tensor X, Tensor theta) => Log(Sigmoid(X.MatMul(theta)));"),
        Verify.Diagnostic("AD2001").WithSpan(7, 48, 7, 77)
            .WithMessage("Log(Sigmoid(X.MatMul(theta))) rounds to 0 where the argument is above 37 and gives −∞ where it is below −745; use LogSigmoid(X.MatMul(theta))"));

    [Fact]
    public Task Ad2001_fix_keeps_the_comments_around_the_sigmoid() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var x) => {|AD2001:Log(/* p */ Sigmoid(x) /* logits */)|};"),
        Wrap("    static Var F(Var x) => LogSigmoid(/* p */ x /* logits */);"));

    // ---- AD2002: Log(1 - Sigmoid(x)) -------------------------------------------------------------------------------

    [Fact]
    public Task Ad2002_fires_on_log_of_one_minus_sigmoid() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => {|AD2002:Log(1 - Sigmoid(x))|};
                static Var G(Var x) => {|AD2002:Log(1.0 - Sigmoid(x))|};
                static Tensor H(Tensor x) => {|AD2002:Log(1 - Sigmoid(x))|};
            """));

    [Fact]
    public Task Ad2002_fix_negates_the_argument() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2002:Log(1 - Sigmoid(x))|};
                static Var G(Var a, Var b) => {|AD2002:Ops.Log(1.0 - Ops.Sigmoid(a + b))|};
                static Var H(Var x) => {|AD2002:Log(1 - Sigmoid(-x))|};
            """),
        Wrap("""
                static Var F(Var x) => LogSigmoid(-x);
                static Var G(Var a, Var b) => Ops.LogSigmoid(-(a + b));
                static Var H(Var x) => LogSigmoid(x);
            """));

    // The fix wrote LogSigmoid((x)) for Sigmoid(-(x)) and LogSigmoid(-((double)x)) for a cast (helper-60): compiled,
    // but not what anyone writes.
    [Fact]
    public Task Ad2002_fix_writes_no_parentheses_the_argument_does_not_need() => Verify.CodeFixAsync(
        Wrap("""
                static double F(float x) => {|AD2002:Log(1 - Sigmoid((double)x))|};
                static Var G(Var a, Var b) => {|AD2002:Log(1 - Sigmoid(-(a - b)))|};
                static Var H(Var x) => {|AD2002:Log(1 - Sigmoid(-(x)))|};
            """),
        Wrap("""
                static double F(float x) => LogSigmoid(-(double)x);
                static Var G(Var a, Var b) => LogSigmoid(a - b);
                static Var H(Var x) => LogSigmoid(x);
            """));

    // 1 − σ(x) spelled as a sum was not flagged (helper-60).
    [Fact]
    public Task Ad2002_fires_on_one_minus_sigmoid_spelled_as_a_sum_and_fixes_it() => Verify.CodeFixAsync(
        Wrap("""
                static double F(double x) => {|AD2002:Log(-Sigmoid(x) + 1)|};
                static Var G(Var x) => {|AD2002:Log(1.0 + (-Sigmoid(x)))|};
                static Tensor H(Tensor a, Tensor b) => {|AD2002:Ops.Log(-Ops.Sigmoid(a - b) + 1)|};
            """),
        Wrap("""
                static double F(double x) => LogSigmoid(-x);
                static Var G(Var x) => LogSigmoid(-x);
                static Tensor H(Tensor a, Tensor b) => Ops.LogSigmoid(-(a - b));
            """));

    // −k in the argument's own type: CS0023 for a ulong, and int.MinValue wrapped to itself (helper-61).
    [Fact]
    public Task Ad2002_fix_negates_an_integer_argument_as_a_double() => Verify.CodeFixAsync(
        Wrap("""
                static double F(int k) => {|AD2002:Log(1 - Sigmoid(k))|};
                static double G(ulong k, ulong j) => {|AD2002:Log(1 - Sigmoid(k + j))|};
                static double H(double x) => {|AD2002:Log(1 - Sigmoid(x))|};
            """),
        Wrap("""
                static double F(int k) => LogSigmoid(-(double)k);
                static double G(ulong k, ulong j) => LogSigmoid(-(double)(k + j));
                static double H(double x) => LogSigmoid(-x);
            """));

    [Fact]
    public Task Ad2002_does_not_fire_on_sums_that_are_not_one_minus_sigmoid() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => Log(-Sigmoid(x) + 2);
                static double G(double x) => Log(Sigmoid(x) + 1);
                static double H(double x) => Log(1 + -Exp(x));
            """));

    [Fact]
    public Task Ad2002_does_not_fire_on_two_minus_sigmoid_or_sigmoid_minus_one() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => Log(2 - Sigmoid(x));
                static Var G(Var x) => Log(Sigmoid(x) - 1);
                static Var H(Var x, Var one) => Log(one - Sigmoid(x));
            """));

    // ---- AD2003: Log(1 + Exp(x)) -----------------------------------------------------------------------------------

    [Fact]
    public Task Ad2003_fires_in_either_operand_order() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => {|AD2003:Log(1 + Exp(x))|};
                static Var G(Var x) => {|AD2003:Log(Exp(x) + 1.0)|};
                static Tensor H(Tensor x) => {|AD2003:Ops.Log(1 + Ops.Exp(x))|};
            """));

    [Fact]
    public Task Ad2003_fix_uses_Softplus() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2003:Log(1 + Exp(x))|};
                static Var G(Var a, Var b) => {|AD2003:Ops.Log(Ops.Exp(a - b) + 1)|};
            """),
        Wrap("""
                static Var F(Var x) => Softplus(x);
                static Var G(Var a, Var b) => Ops.Softplus(a - b);
            """));

    [Fact]
    public Task Ad2003_and_Ad2004_fixes_keep_the_comments_around_the_sum() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2003:Log(
                    1 + Exp(x) // the partition function
                )|};
                static Var G(Var a, Var b) => {|AD2004:Log(Sum(Exp(a), Exp(b)) /* two terms */)|};
            """),
        Wrap("""
                static Var F(Var x) => Softplus(
                    x // the partition function
                );
                static Var G(Var a, Var b) => LogSumExp(a, b /* two terms */);
            """));

    [Fact]
    public Task Ad2003_does_not_fire_on_System_Math() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => Math.Log(1 + Math.Exp(x));
                static double G(double x) => Math.Log(1 + Exp(x));
                static double H(double x) => Log(1 + Math.Exp(x));
                static double K(double x) => Log(2 + Exp(x));
            """));

    // ---- AD2005: Log1p(Exp(x)) -------------------------------------------------------------------------------------
    // Log1p keeps a small eˣ's digits, so it reads as the stable spelling, but eˣ still overflows above 709 (helper-60).

    [Fact]
    public Task Ad2005_fires_on_log1p_of_exp_in_every_form() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => {|AD2005:Log1p(Exp(x))|};
                static Var G(Var x) => {|AD2005:Log1p((Exp(x)))|};
                static Tensor H(Tensor x) => {|AD2005:Ops.Log1p(Ops.Exp(x))|};
            """));

    [Fact]
    public Task Ad2005_fix_uses_Softplus_named_as_Log1p_was() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2005:Log1p(Exp(x))|};
                static Var G(Var a, Var b) => {|AD2005:Ops.Log1p(Ops.Exp(a - b /* margin */))|};
            """),
        Wrap("""
                static Var F(Var x) => Softplus(x);
                static Var G(Var a, Var b) => Ops.Softplus(a - b /* margin */);
            """));

    [Fact]
    public Task Ad2005_message_names_the_expression_and_the_replacement() => Verify.AnalyzerAsync(
        Wrap("    static double F(double x) => Log1p(Exp(x));"),
        Verify.Diagnostic("AD2005").WithSpan(7, 34, 7, 47)
            .WithMessage("Log1p(Exp(x)) overflows to ∞ where the argument is above 709, and its gradient is NaN there; use Softplus(x)"));

    [Fact]
    public Task Ad2005_does_not_fire_on_other_arguments_or_System_Math() => Verify.AnalyzerAsync(
        Wrap("""
                static double F(double x) => Log1p(Exp(x) * 2);
                static double G(double x) => Log1p(Exp(-x) - 1);
                static double H(double x) => Log1p(Math.Exp(x));
                static double K(double x) => Log1p(x);
            """));

    // ---- AD2004: Log(Sum(Exp(x))) ----------------------------------------------------------------------------------

    [Fact]
    public Task Ad2004_fires_on_span_and_tensor_sums() => Verify.AnalyzerAsync(
        Wrap("""
                static Var F(Var a, Var b, Var c) => {|AD2004:Log(Sum(Exp(a), Exp(b), Exp(c)))|};
                static Tensor G(Tensor x) => {|AD2004:Log(Sum(Exp(x), 1))|};
                static Tensor H(Tensor x) => {|AD2004:Log(Sum(Exp(x)))|};
            """));

    [Fact]
    public Task Ad2004_fix_uses_LogSumExp() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var a, Var b) => {|AD2004:Log(Sum(Exp(a), Exp(b * 2)))|};
                static Tensor G(Tensor x) => {|AD2004:Ops.Log(Ops.Sum(Ops.Exp(x), axis: 1, keepDims: true))|};
            """),
        Wrap("""
                static Var F(Var a, Var b) => LogSumExp(a, b * 2);
                static Tensor G(Tensor x) => Ops.LogSumExp(x, axis: 1, keepDims: true);
            """));

    [Fact]
    public Task Ad2004_fix_keeps_named_arguments_out_of_order() => Verify.CodeFixAsync(
        Wrap("""
                static Tensor F(Tensor t) => {|AD2004:Log(Sum(axis: 1, x: Exp(t)))|};
                static Tensor G(Tensor t) => {|AD2004:Ops.Log(Ops.Sum(keepDims: true, x: Ops.Exp(t /* logits */), axis: -1))|};
                static Tensor H(Tensor t) => {|AD2004:Log(Sum(x: Exp(t), axis: 0))|};
            """),
        Wrap("""
                static Tensor F(Tensor t) => LogSumExp(axis: 1, x: t);
                static Tensor G(Tensor t) => Ops.LogSumExp(keepDims: true, x: t /* logits */, axis: -1);
                static Tensor H(Tensor t) => LogSumExp(x: t, axis: 0);
            """));

    [Fact]
    public Task Ad2004_fix_keeps_an_axis_that_is_another_call() => Verify.CodeFixAsync(
        Wrap("""
                static int Axis(Tensor x) => x.Rank - 1;
                static Tensor G(Tensor x) => {|AD2004:Log(Sum(Exp(x), Axis(x)))|};
                static Tensor H(Tensor x, int k) => {|AD2004:Log(Sum(Exp(x), System.Math.Abs(k)))|};
            """),
        Wrap("""
                static int Axis(Tensor x) => x.Rank - 1;
                static Tensor G(Tensor x) => LogSumExp(x, Axis(x));
                static Tensor H(Tensor x, int k) => LogSumExp(x, System.Math.Abs(k));
            """));

    [Fact]
    public Task Ad2004_whole_tensor_sum_becomes_the_whole_tensor_LogSumExp() => Verify.CodeFixAsync(
        Wrap("    static Tensor F(Tensor x) => {|AD2004:Log(Sum(Exp(x /* logits */)))|};"),
        Wrap("    static Tensor F(Tensor x) => LogSumExp(x /* logits */);"));

    // A collection expression for Sum's span was not looked into (helper-60).
    [Fact]
    public Task Ad2004_reads_a_collection_expression_as_the_terms() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var a, Var b) => {|AD2004:Log(Sum([Exp(a), Exp(b)]))|};
                static Var G(Var a, Var b) => Log(Sum([Exp(a), b]));
            """),
        Wrap("""
                static Var F(Var a, Var b) => LogSumExp(a, b);
                static Var G(Var a, Var b) => Log(Sum([Exp(a), b]));
            """));

    [Fact]
    public Task Ad2004_does_not_fire_unless_every_term_is_an_Exp() => Verify.AnalyzerAsync(
        Wrap("""
                static Var F(Var a, Var b) => Log(Sum(Exp(a), b));
                static Tensor G(Tensor x) => Log(Sum(x, 0));
            """));

    // ---- Messages: the argument as written and the call the fix writes ---------------------------------------------
    // The messages said "x" whatever the argument was. {0} is now the argument list of the call inside the flagged one
    // (σ's, Exp's, Sum's) as written, {1} the stable call the fix writes, unqualified; both with whitespace runs as single
    // spaces, and shortened past 40 characters inside the negation, cast and parentheses the fix puts around them.

    [Fact]
    public Task Ad2002_message_names_the_expression_and_the_replacement() => Verify.AnalyzerAsync(
        Wrap("    static Var F(Var a, Var b) => Log(1 - Sigmoid(a + b));"),
        Verify.Diagnostic("AD2002").WithSpan(7, 35, 7, 58)
            .WithMessage("Log(1 - Sigmoid(a + b)) cancels catastrophically where the argument is positive and gives −∞ where it is above 37; use LogSigmoid(-(a + b))"));

    [Fact]
    public Task Ad2003_message_names_the_expression_and_the_replacement() => Verify.AnalyzerAsync(
        Wrap("    static Var F(Var a, Var b) => Ops.Log(Ops.Exp(a - b) + 1);"),
        Verify.Diagnostic("AD2003").WithSpan(7, 35, 7, 62)
            .WithMessage("Log(1 + Exp(a - b)) overflows to ∞ where the argument is above 709 and rounds to 0 where it is below −37; use Softplus(a - b)"));

    [Fact]
    public Task Ad2004_message_names_the_expression_and_the_replacement() => Verify.AnalyzerAsync(
        Wrap("    static Tensor F(Tensor logits) => Log(Sum(Exp(logits), axis: 1));"),
        Verify.Diagnostic("AD2004").WithSpan(7, 39, 7, 69)
            .WithMessage("Log(Sum(Exp(logits), axis: 1)) overflows to ∞ once an exponent exceeds 709 and gives −∞ when all are below −745; use LogSumExp(logits, axis: 1)"));

    // checked(…) is no operation, so the analyzer sees σ through it; the fix does not take it apart (the argument would
    // leave the checked context), so the message names the op alone and no fix is offered.
    [Fact]
    public Task Message_without_a_fix_names_the_op_alone() => Verify.CodeFixAsync(
        Wrap("    static double F(int k) => Log(checked(Sigmoid(k + 1)));"),
        Wrap("    static double F(int k) => Log(checked(Sigmoid(k + 1)));"),
        Verify.Diagnostic("AD2001").WithSpan(7, 31, 7, 59).WithArguments("k + 1", "LogSigmoid(…)"));

    /// <summary>
    /// The flagged <paramref name="call"/> in <c>{signature} => {call};</c> reports <paramref name="argument"/> and
    /// <paramref name="replacement"/> as its message arguments, and the fix writes <paramref name="fixedCall"/>, which
    /// <paramref name="replacement"/> must be (up to the qualifier, whitespace runs and a shortening "…").
    /// </summary>
    [Theory]
    // AD2001
    [InlineData("AD2001", "static Tensor F(Tensor X, Tensor theta)", "Log(Sigmoid(X.MatMul(theta)))", "LogSigmoid(X.MatMul(theta))", "X.MatMul(theta)", "LogSigmoid(X.MatMul(theta))")]
    [InlineData("AD2001", "static Var F(Var a, Var b)", "global::AutoDiff.Ops.Log(Ops.Sigmoid(a * b))", "global::AutoDiff.Ops.LogSigmoid(a * b)", "a * b", "LogSigmoid(a * b)")]
    [InlineData("AD2001", "static Var F(Var firstWeight, Var secondWeight, Var offset)",
        "Log(Sigmoid(firstWeight * secondWeight + offset * offset - 1))", "LogSigmoid(firstWeight * secondWeight + offset * offset - 1)",
        "firstWeight * secondWeight + offset * o…", "LogSigmoid(firstWeight * secondWeight + offset * o…)")]
    [InlineData("AD2001", "static Var F(Var a, Var b)", "Log(Sigmoid(a\n            +   b))", "LogSigmoid(a\n            +   b)", "a + b", "LogSigmoid(a + b)")]
    // AD2002: the negation parenthesized where needed, undone where there is one, an integer negated as a double.
    [InlineData("AD2002", "static Var F(Var a, Var b)", "Log(1 - Sigmoid(a + b))", "LogSigmoid(-(a + b))", "a + b", "LogSigmoid(-(a + b))")]
    [InlineData("AD2002", "static Var F(Var a, Var b)", "Ops.Log(-Ops.Sigmoid(-(a - b)) + 1)", "Ops.LogSigmoid(a - b)", "-(a - b)", "LogSigmoid(a - b)")]
    [InlineData("AD2002", "static double F(float x)", "Log(1 - Sigmoid((double)x))", "LogSigmoid(-(double)x)", "(double)x", "LogSigmoid(-(double)x)")]
    [InlineData("AD2002", "static double F(int k)", "Log(1 - Sigmoid(k))", "LogSigmoid(-(double)k)", "k", "LogSigmoid(-(double)k)")]
    [InlineData("AD2002", "static double F(ulong k, ulong j)", "Log(1.0 + (-Sigmoid(k + j)))", "LogSigmoid(-(double)(k + j))", "k + j", "LogSigmoid(-(double)(k + j))")]
    [InlineData("AD2002", "static Var F(Var firstWeight, Var secondWeight, Var offset)",
        "Log(1 - Sigmoid(firstWeight * secondWeight + offset * offset - 1))", "LogSigmoid(-(firstWeight * secondWeight + offset * offset - 1))",
        "firstWeight * secondWeight + offset * o…", "LogSigmoid(-(firstWeight * secondWeight + offset * o…))")]
    [InlineData("AD2002", "static double F(long firstCount, long secondCount, long thirdCount)",
        "Log(1 - Sigmoid(firstCount + secondCount * thirdCount - 1))", "LogSigmoid(-(double)(firstCount + secondCount * thirdCount - 1))",
        "firstCount + secondCount * thirdCount -…", "LogSigmoid(-(double)(firstCount + secondCount * thirdCount -…))")]
    [InlineData("AD2002", "static Var F(Var firstWeight, Var secondWeight, Var offset)",
        "Log(1 - Sigmoid(-(firstWeight * secondWeight + offset * offset - 1)))", "LogSigmoid(firstWeight * secondWeight + offset * offset - 1)",
        "-(firstWeight * secondWeight + offset * o…)", "LogSigmoid(firstWeight * secondWeight + offset * o…)")]
    // AD2003
    [InlineData("AD2003", "static Tensor F(Tensor X, Tensor theta)", "Log(1 + Exp(X.MatMul(theta)))", "Softplus(X.MatMul(theta))", "X.MatMul(theta)", "Softplus(X.MatMul(theta))")]
    [InlineData("AD2003", "static Var F(Var a, Var b)", "Ops.Log(Ops.Exp(a - b) + 1)", "Ops.Softplus(a - b)", "a - b", "Softplus(a - b)")]
    [InlineData("AD2003", "static Var F(Var firstWeight, Var secondWeight, Var offset)",
        "Log(Exp(firstWeight * secondWeight + offset * offset - 1) + 1)", "Softplus(firstWeight * secondWeight + offset * offset - 1)",
        "firstWeight * secondWeight + offset * o…", "Softplus(firstWeight * secondWeight + offset * o…)")]
    // AD2004: Sum's arguments as written; the span, tensor, named and collection forms.
    [InlineData("AD2004", "static Var F(Var a, Var b)", "Log(Sum(Exp(a), Exp(b * 2)))", "LogSumExp(a, b * 2)", "Exp(a), Exp(b * 2)", "LogSumExp(a, b * 2)")]
    [InlineData("AD2004", "static Var F(Var a, Var b)", "Log(Sum([Exp(a), Exp(b)]))", "LogSumExp(a, b)", "[Exp(a), Exp(b)]", "LogSumExp(a, b)")]
    [InlineData("AD2004", "static Tensor F(Tensor t)", "Ops.Log(Ops.Sum(Ops.Exp(t)))", "Ops.LogSumExp(t)", "Ops.Exp(t)", "LogSumExp(t)")]
    [InlineData("AD2004", "static Tensor F(Tensor t)", "Log(Sum(Exp(t), axis: 1, keepDims: true))", "LogSumExp(t, axis: 1, keepDims: true)", "Exp(t), axis: 1, keepDims: true", "LogSumExp(t, axis: 1, keepDims: true)")]
    [InlineData("AD2004", "static Tensor F(Tensor t)", "Log(Sum(axis: 1, x: Exp(t)))", "LogSumExp(axis: 1, x: t)", "axis: 1, x: Exp(t)", "LogSumExp(axis: 1, x: t)")]
    [InlineData("AD2004", "static Var F(Var first, Var second, Var third, Var fourth)",
        "Log(Sum(Exp(first), Exp(second), Exp(third), Exp(fourth)))", "LogSumExp(first, second, third, fourth)",
        "Exp(first), Exp(second), Exp(third), Ex…", "LogSumExp(first, second, third, fourth)")]
    [InlineData("AD2004", "static Tensor F(Tensor logits, Tensor temperature)",
        "Log(Sum(Exp(logits * temperature - logits * temperature * 0.5), 1))",
        "LogSumExp(logits * temperature - logits * temperature * 0.5, 1)",
        "Exp(logits * temperature - logits * tem…", "LogSumExp(logits * temperature - logits * tempera…)")]
    // AD2005
    [InlineData("AD2005", "static Tensor F(Tensor X, Tensor theta)", "Log1p(Exp(X.MatMul(theta)))", "Softplus(X.MatMul(theta))", "X.MatMul(theta)", "Softplus(X.MatMul(theta))")]
    [InlineData("AD2005", "static Var F(Var firstWeight, Var secondWeight, Var offset)",
        "Ops.Log1p(Ops.Exp(firstWeight * secondWeight + offset * offset - 1))", "Ops.Softplus(firstWeight * secondWeight + offset * offset - 1)",
        "firstWeight * secondWeight + offset * o…", "Softplus(firstWeight * secondWeight + offset * o…)")]
    public Task Message_names_the_argument_and_the_call_the_fix_writes(
        string id, string signature, string call, string fixedCall, string argument, string replacement)
    {
        AssertNames(fixedCall, replacement);

        string source = Wrap($"    {signature} => {call};");
        int start = source.IndexOf(call, StringComparison.Ordinal);
        var (line, column) = Position(source, start);
        var (endLine, endColumn) = Position(source, start + call.Length);
        return Verify.CodeFixAsync(
            source,
            Wrap($"    {signature} => {fixedCall};"),
            Verify.Diagnostic(id).WithSpan(line, column, endLine, endColumn).WithArguments(argument, replacement));
    }

    /// <summary><paramref name="replacement"/> is <paramref name="fixedCall"/> unqualified, whitespace normalised, shortened at most at one "…".</summary>
    private static void AssertNames(string fixedCall, string replacement)
    {
        string written = System.Text.RegularExpressions.Regex.Replace(fixedCall, @"\s+", " ");
        written = written[(written.LastIndexOf('.', written.IndexOf('(', StringComparison.Ordinal)) + 1)..];
        int cut = replacement.IndexOf('…', StringComparison.Ordinal);
        if (cut < 0)
        {
            Assert.Equal(written, replacement);
            return;
        }

        Assert.StartsWith(replacement[..cut], written, StringComparison.Ordinal);
        Assert.EndsWith(replacement[(cut + 1)..], written, StringComparison.Ordinal);
        Assert.True(written.Length > replacement.Length, $"{replacement} is not shorter than {written}");
    }

    private static (int Line, int Column) Position(string source, int offset)
    {
        int lineStart = source.LastIndexOf('\n', offset - 1) + 1;
        return (source.Take(offset).Count(c => c == '\n') + 1, offset - lineStart + 1);
    }

    // ---- Comments on the removed tokens -----------------------------------------------------------------------------
    // The fix kept the comments around Log's argument and inside the argument it carries over, but dropped those on the
    // tokens it removes (the 1, the operator, σ's or Exp's name and parentheses, a negation it undoes). They now go before
    // the new call, in their order; a // comment takes its line break and the next line's indentation along.

    [Fact]
    public Task Fix_moves_the_comments_of_the_removed_tokens_before_the_new_call() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2002:Log(1 - /* p */ Sigmoid(x))|};
                static Var G(Var x) => {|AD2001:Log(Sigmoid /* σ */ (x))|};
                static Var H(Var a, Var b) => {|AD2002:Log(1 - Sigmoid(-(/* d */ a - b)))|};
                static Var K(Var x) => {|AD2003:Ops.Log(/* a */ Ops.Exp /* e */ (x) + /* one */ 1)|};
                static Var M(Var a, Var b) => {|AD2004:Log(Sum(Exp /* e */ (a), /* b */ Exp(b)))|};
                static Var N(Var a, Var b) => {|AD2004:Log(Sum([/* terms */ Exp(a), Exp(b)]))|};
                static Var P(Var x) => {|AD2005:Log1p((/* exp */ Exp(x)))|};
            """),
        Wrap("""
                static Var F(Var x) => /* p */ LogSigmoid(-x);
                static Var G(Var x) => /* σ */ LogSigmoid(x);
                static Var H(Var a, Var b) => /* d */ LogSigmoid(a - b);
                static Var K(Var x) => /* e */ /* one */ Ops.Softplus(/* a */ x);
                static Var M(Var a, Var b) => /* e */ LogSumExp(a, /* b */ b);
                static Var N(Var a, Var b) => /* terms */ LogSumExp(a, b);
                static Var P(Var x) => /* exp */ Softplus(x);
            """));

    [Fact]
    public Task Fix_keeps_the_comments_of_the_argument_in_the_order_written() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2001:Log(/* keep */ Sigmoid(x))|};
                static Var G(Var x) => {|AD2005:Log1p(/* outer */ Exp(/* inner */ x /* after */) /* last */)|};
                static Var H(Var a, Var b) => {|AD2002:Log(1 - Sigmoid(a /* a */ + b))|};
            """),
        Wrap("""
                static Var F(Var x) => LogSigmoid(/* keep */ x);
                static Var G(Var x) => Softplus(/* outer */ /* inner */ x /* after */ /* last */);
                static Var H(Var a, Var b) => LogSigmoid(-(a /* a */ + b));
            """));

    [Fact]
    public Task Fix_moves_a_line_comment_of_a_removed_token_with_its_line_break() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2003:Log(1 + // shifted
                    Exp(x))|};
            """),
        Wrap("""
                static Var F(Var x) => // shifted
                    Softplus(x);
            """));

    [Fact]
    public Task Fix_all_moves_the_comments_of_nested_calls() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var x) => {|AD2003:Log(1 + /* outer */ Exp({|AD2003:Log(1 + /* inner */ Exp(x))|}))|};"),
        Wrap("    static Var F(Var x) => /* outer */ Softplus(/* inner */ Softplus(x));"));

    // A directive on a removed token was dropped like a comment, with the code it disables: the fix kept an unmatched
    // #endif. It cannot go before the call, so there is no fix where one would be dropped; one inside the argument stays.
    [Fact]
    public Task Fix_is_not_offered_where_it_would_drop_a_preprocessor_directive() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => Log(1 -
            #if DEBUG
                    Sigmoid(x)
            #else
                    Sigmoid(-x)
            #endif
                    );
                static Var G(Var a, Var b) => {|AD2001:Log(Sigmoid(
            #if DEBUG
                    a
            #else
                    b
            #endif
                    ))|};
            """),
        Wrap("""
                static Var F(Var x) => Log(1 -
            #if DEBUG
                    Sigmoid(x)
            #else
                    Sigmoid(-x)
            #endif
                    );
                static Var G(Var a, Var b) => LogSigmoid(
            #if DEBUG
                    a
            #else
                    b
            #endif
                    );
            """),
        [Verify.Diagnostic("AD2002").WithSpan(7, 28, 13, 10).WithArguments("-x", "LogSigmoid(…)")],
        remaining: [Verify.Diagnostic("AD2002").WithSpan(7, 28, 13, 10).WithArguments("-x", "LogSigmoid(…)")]);

    // The directives were all kept, but the code they disable no longer read as the alternative it was: the fix moved
    // Log's own #if/#else around LogSigmoid's argument (LogSigmoid(Sigmoid(a)) under DEBUG), negated the active argument
    // alone (LogSigmoid(a) under DEBUG, for Log(1 - Sigmoid(a))), and took a disabled term into LogSumExp as Exp(a) or
    // Exp(c). No fix where a directive lies outside the text carried over as it is; one inside it stays (H).
    [Fact]
    public Task Fix_is_not_offered_where_it_would_move_a_directive_across_the_rewrite() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var a, Var b) => {|AD2001:Log(
            #if DEBUG
                    Sigmoid(a)
            #else
                    Sigmoid(b)
            #endif
                    )|};
                static Var G(Var a, Var b) => {|AD2002:Log(1 - Sigmoid(
            #if DEBUG
                    a
            #else
                    b
            #endif
                    ))|};
                static Var H(Var a, Var b, Var c, Var d) => {|AD2002:Log(1 - Sigmoid(a
            #if DEBUG
                    + b
            #else
                    + c
            #endif
                    + d))|};
                static Var K(Var a, Var b) => {|AD2004:Log(Sum(Exp(a),
            #if DEBUG
                    Exp(a)
            #else
                    Exp(b)
            #endif
                    ))|};
                static Var M(Var a, Var b, Var c) => {|AD2004:Log(Sum(Exp(a), Exp(b)
            #if DEBUG
                    , Exp(c)
            #endif
                    ))|};
            """),
        Wrap("""
                static Var F(Var a, Var b) => Log(
            #if DEBUG
                    Sigmoid(a)
            #else
                    Sigmoid(b)
            #endif
                    );
                static Var G(Var a, Var b) => Log(1 - Sigmoid(
            #if DEBUG
                    a
            #else
                    b
            #endif
                    ));
                static Var H(Var a, Var b, Var c, Var d) => LogSigmoid(-(a
            #if DEBUG
                    + b
            #else
                    + c
            #endif
                    + d));
                static Var K(Var a, Var b) => Log(Sum(Exp(a),
            #if DEBUG
                    Exp(a)
            #else
                    Exp(b)
            #endif
                    ));
                static Var M(Var a, Var b, Var c) => Log(Sum(Exp(a), Exp(b)
            #if DEBUG
                    , Exp(c)
            #endif
                    ));
            """),
        [],
        remaining:
        [
            Verify.Diagnostic("AD2001").WithSpan(7, 35, 13, 10).WithArguments("b", "LogSigmoid(…)"),
            Verify.Diagnostic("AD2002").WithSpan(14, 35, 20, 11).WithArguments("b", "LogSigmoid(…)"),
            Verify.Diagnostic("AD2004").WithSpan(28, 35, 34, 11).WithArguments("Exp(a), Exp(b)", "LogSumExp(…)"),
            Verify.Diagnostic("AD2004").WithSpan(35, 42, 39, 11).WithArguments("Exp(a), Exp(b)", "LogSumExp(…)"),
        ]);

    // [Exp(a), Exp(b),] gave LogSumExp(a, b,), which does not compile, in the fix and in the message.
    [Fact]
    public Task Ad2004_fix_drops_the_trailing_comma_of_a_collection() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var a, Var b) => Log(Sum([Exp(a), Exp(b),]));"),
        Wrap("    static Var F(Var a, Var b) => LogSumExp(a, b);"),
        Verify.Diagnostic("AD2004").WithSpan(7, 35, 7, 62).WithArguments("[Exp(a), Exp(b),]", "LogSumExp(a, b)"));

    // ---- Fix All ---------------------------------------------------------------------------------------------------

    [Fact]
    public Task Fix_all_rewrites_nested_compositions_in_one_pass() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x) => {|AD2003:Log(1 + Exp({|AD2003:Log(1 + Exp(x))|}))|};
                static Var G(Var x) => {|AD2003:Ops.Log(Ops.Exp({|AD2003:Log(1 + Exp(x * 2))|} /* inner */) + 1)|} + {|AD2003:Log(1 + Exp(x))|};
            """),
        Wrap("""
                static Var F(Var x) => Softplus(Softplus(x));
                static Var G(Var x) => Ops.Softplus(Softplus(x * 2) /* inner */) + Softplus(x);
            """));

    [Fact]
    public Task Fix_all_qualifies_nested_ops_hidden_by_the_users_own() => Verify.CodeFixAsync(
        Wrap("    static Var Softplus(Var x) => {|AD2003:Log(1 + Exp({|AD2003:Log(Exp(x) + 1)|}))|};"),
        Wrap("    static Var Softplus(Var x) => Ops.Softplus(Ops.Softplus(x));"));

    // ---- The replacement binds to AutoDiff.Ops ---------------------------------------------------------------------

    [Fact]
    public Task Fix_qualifies_the_op_inside_a_hand_written_op_of_the_same_name() => Verify.CodeFixAsync(
        Wrap("    static Var Softplus(Var x) => {|AD2003:Log(1 + Exp(x))|};"),
        Wrap("    static Var Softplus(Var x) => Ops.Softplus(x);"));

    // C's LogSigmoid(Tensor) hides Ops.LogSigmoid from G's Var too (a Var converts to Tensor): a method group of the
    // enclosing type hides a using static, applicable or not.
    [Fact]
    public Task Fix_qualifies_the_op_where_its_bare_name_is_the_users_own_method() => Verify.CodeFixAsync(
        Wrap("""
                static Tensor LogSigmoid(Tensor x) => {|AD2001:Log(Sigmoid(x))|};
                static Var G(Var x) => {|AD2001:Log(Sigmoid(x))|};
            """),
        Wrap("""
                static Tensor LogSigmoid(Tensor x) => Ops.LogSigmoid(x);
                static Var G(Var x) => Ops.LogSigmoid(x);
            """));

    [Fact]
    public Task Fix_qualifies_the_op_where_its_bare_name_is_a_local_function() => Verify.CodeFixAsync(
        Wrap("""
                static Var F(Var x)
                {
                    Var LogSumExp(Var a, Var b) => {|AD2004:Log(Sum(Exp(a), Exp(b)))|};
                    return LogSumExp(x, x);
                }
            """),
        Wrap("""
                static Var F(Var x)
                {
                    Var LogSumExp(Var a, Var b) => Ops.LogSumExp(a, b);
                    return LogSumExp(x, x);
                }
            """));

    [Fact]
    public Task Fix_qualifies_fully_where_Ops_is_not_in_scope_or_another_type() => Verify.CodeFixAsync(
        """
        using static AutoDiff.Ops;

        static class Ops
        {
        }

        static class C
        {
            static AutoDiff.Var Softplus(AutoDiff.Var x) => {|AD2003:Log(1 + Exp(x))|};
        }
        """,
        """
        using static AutoDiff.Ops;

        static class Ops
        {
        }

        static class C
        {
            static AutoDiff.Var Softplus(AutoDiff.Var x) => AutoDiff.Ops.Softplus(x);
        }
        """);

    // ---- Look-alikes -----------------------------------------------------------------------------------------------

    [Fact]
    public Task A_users_own_Log_and_Sigmoid_do_not_fire() => Verify.AnalyzerAsync(
        """
        static class M
        {
            static double Log(double x) => System.Math.Log(x);
            static double Sigmoid(double x) => 1 / (1 + System.Math.Exp(-x));
            static double F(double x) => Log(Sigmoid(x));
        }
        """);

    [Fact]
    public Task An_alias_for_Ops_is_matched_and_kept_by_the_fix() => Verify.CodeFixAsync(
        Wrap("    static Var F(Var x) => {|AD2001:O.Log(O.Sigmoid(x))|};", usings: "using O = AutoDiff.Ops;"),
        Wrap("    static Var F(Var x) => O.LogSigmoid(x);", usings: "using O = AutoDiff.Ops;"));
}
