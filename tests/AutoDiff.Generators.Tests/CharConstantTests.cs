using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A char constant where a double is expected: C# converts a char to double implicitly, by its code, so a conditional
/// choosing among chars (<c>x &gt; 0 ? 'a' : 'b'</c>) is a double-valued piecewise constant. The vector translator
/// converted the chosen constants with Convert.ToDouble, which refuses a char: the generator crashed (CS8785) and emitted
/// nothing, where the symbolic differentiator already reads a char by its code.
/// </summary>
public class CharConstantTests
{
    private const string Source = """
        #pragma warning disable CS1591
        using System;
        using AutoDiff;

        namespace Models.Chars;

        public static partial class Chars
        {
            [Differentiable] public static double Letter(double x) => x > 0 ? 'a' : 'b';

            [Differentiable] public static double Scaled(double x, double y) => (x < y ? 'A' : '\u0001') * x + y;
        }
        """;

    [Fact]
    public void A_conditional_choosing_among_chars_compiles_and_its_kernel_agrees_with_the_Var_overload()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);

        Type type = GeneratorHarness.CompileAndLoad(Source, "CharConstantFunctions", "Models.Chars.Chars");
        DeclaredOpSweepReport report = DeclaredOpSweep.Run(type);
        Assert.Empty(report.Failures);
        Assert.Equal(2, report.TensorKernelsChecked.Count);

        var letter = (Func<double, double>)Delegate.CreateDelegate(typeof(Func<double, double>), type.GetMethod("Letter", [typeof(double)])!);
        Assert.Equal(97.0, letter(1.0));
        Assert.Equal(98.0, letter(-1.0));
    }
}
