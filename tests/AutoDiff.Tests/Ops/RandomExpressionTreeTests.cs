using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Sdk;
using static AutoDiff.Ops;
using static AutoDiff.Tests.Ops.ExpressionTrees;

namespace AutoDiff.Tests.Ops;

/// <summary>
/// Random expression trees over every elementwise op, of 1–4 variables and depth up to 6, at random points: the value on
/// <see cref="Var"/>s equals the same tree evaluated on plain doubles bit for bit, and the AD gradient equals finite
/// differences. Each op's argument is guarded so that it stays in the op's domain (ln(softplus(t) + 0.1), exp(tanh t),
/// a base in (0.5, 1.5) for Pow, …), and cases where a kink (|·|, ReLU, max, min) would fall inside the finite-difference
/// stencil, or where intermediate values exceed 100, are not drawn.
/// </summary>
public class RandomExpressionTreeTests
{
    private const int Cases = 300;

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(Cases);

    [Fact]
    public void AD_gradients_of_random_expression_trees_match_finite_differences_and_values_match_the_double_evaluation()
    {
        Check.One(Quick, Prop.ForAll(TreeCase.Generator.ToArbitrary(), c => c.AssertGradientMatches()));
    }

    [Fact]
    public void AD_Hessians_of_random_expression_trees_match_finite_differences_of_the_gradient_and_are_symmetric()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(TreeCase.Generator.ToArbitrary(), c => c.AssertHessianMatches()));
    }

    [Fact]
    public void Every_op_appears_in_the_generated_trees()
    {
        // Guards the generator itself: a few hundred cases must exercise every unary and binary op.
        var seen = new HashSet<string>();
        foreach (var c in TreeCase.Generator.Sample(Cases))
        {
            c.Tree.CollectOps(seen);
        }

        foreach (var op in Enum.GetNames<UnaryOp>().Concat(Enum.GetNames<BinaryOp>()))
        {
            Assert.Contains(op, seen);
        }
    }

    [Fact]
    public void A_tree_prints_as_the_expression_it_evaluates()
    {
        var tree = new BinaryNode(
            BinaryOp.Divide,
            new UnaryNode(UnaryOp.Log, new VarNode(0)),
            new BinaryNode(BinaryOp.Pow, new ConstNode(2.0), new VarNode(1)));
        Assert.Equal("(Log(Softplus(x0) + 0.1) / (Softplus(Pow(Sigmoid(2) + 0.5, x1)) + 0.5))", tree.ToString());

        double[] x = [0.3, -1.2];
        double expected = Math.Log(Math.Log(1 + Math.Exp(0.3)) + 0.1)
            / (Math.Log(1 + Math.Exp(Math.Pow(1 / (1 + Math.Exp(-2.0)) + 0.5, -1.2))) + 0.5);
        Assert.Equal(expected, tree.Eval(x, null), 1e-14);
    }
}

/// <summary>The expression trees, their generator and the property, kept out of the namespace.</summary>
internal static class ExpressionTrees
{
    internal enum UnaryOp
    {
        Negate, Exp, Log, Log1p, Expm1, Sqrt, Square, Abs, Sin, Cos, Tanh, Sigmoid, LogSigmoid, Softplus, Relu,
    }

    internal enum BinaryOp
    {
        Add, Subtract, Multiply, Divide, Max, Min, Pow,
    }

    /// <summary>What a double evaluation saw: the largest |intermediate| and, per kink, which side of it the argument was on.</summary>
    internal sealed class Trace
    {
        public double MaxAbs;
        public readonly List<int> Sides = [];

        public void See(double v) => MaxAbs = Math.Max(MaxAbs, double.IsNaN(v) ? double.PositiveInfinity : Math.Abs(v));

        public void Kink(double argument) => Sides.Add(Math.Sign(argument));
    }

    /// <summary>An expression over x0…x3. The guarded forms are part of the node's meaning, and <see cref="ToString"/> shows them.</summary>
    internal abstract record Node
    {
        /// <summary>The value on plain doubles (with <see cref="Ops"/>' double functions); records into <paramref name="trace"/>.</summary>
        internal abstract double Eval(double[] x, Trace? trace);

        /// <summary>The value on <see cref="Var"/>s; a constant operand goes through the (Var, double)/(double, Var) overloads.</summary>
        internal abstract Var Eval(Var[] x);

        internal abstract void CollectOps(HashSet<string> ops);

        protected static string F(double c) => c.ToString("R", CultureInfo.InvariantCulture);
    }

    internal sealed record VarNode(int Index) : Node
    {
        internal override double Eval(double[] x, Trace? trace) => x[Index];

        internal override Var Eval(Var[] x) => x[Index];

        internal override void CollectOps(HashSet<string> ops)
        {
        }

        public override string ToString() => "x" + Index.ToString(CultureInfo.InvariantCulture);
    }

    internal sealed record ConstNode(double Value) : Node
    {
        internal override double Eval(double[] x, Trace? trace) => Value;

        internal override Var Eval(Var[] x) => Value;

        internal override void CollectOps(HashSet<string> ops)
        {
        }

        public override string ToString() => F(Value);
    }

    internal sealed record UnaryNode(UnaryOp Op, Node A) : Node
    {
        internal override double Eval(double[] x, Trace? trace)
        {
            double a = A.Eval(x, trace);
            double y;
            switch (Op)
            {
                case UnaryOp.Abs:
                    trace?.Kink(a + 0.25);
                    y = Abs(a + 0.25);
                    break;
                case UnaryOp.Relu:
                    trace?.Kink(a - 0.25);
                    y = Relu(a - 0.25);
                    break;
                default:
                    y = Op switch
                    {
                        UnaryOp.Negate => -a,
                        UnaryOp.Exp => Exp(Tanh(a)),
                        UnaryOp.Log => Log(Softplus(a) + 0.1),
                        UnaryOp.Log1p => Log1p(0.9 * Tanh(a)),
                        UnaryOp.Expm1 => Expm1(2.0 * Tanh(a)),
                        UnaryOp.Sqrt => Sqrt(Square(a) + 0.5),
                        UnaryOp.Square => Square(a),
                        UnaryOp.Sin => Sin(a),
                        UnaryOp.Cos => Cos(a),
                        UnaryOp.Tanh => Tanh(a),
                        UnaryOp.Sigmoid => Sigmoid(a),
                        UnaryOp.LogSigmoid => LogSigmoid(a),
                        UnaryOp.Softplus => Softplus(a),
                        _ => throw new InvalidOperationException(Op.ToString()),
                    };
                    break;
            }

            trace?.See(y);
            return y;
        }

        internal override Var Eval(Var[] x)
        {
            var a = A.Eval(x);
            return Op switch
            {
                UnaryOp.Negate => -a,
                UnaryOp.Exp => Exp(Tanh(a)),
                UnaryOp.Log => Log(Softplus(a) + 0.1),
                UnaryOp.Log1p => Log1p(0.9 * Tanh(a)),
                UnaryOp.Expm1 => Expm1(2.0 * Tanh(a)),
                UnaryOp.Sqrt => Sqrt(Square(a) + 0.5),
                UnaryOp.Square => Square(a),
                UnaryOp.Abs => Abs(a + 0.25),
                UnaryOp.Sin => Sin(a),
                UnaryOp.Cos => Cos(a),
                UnaryOp.Tanh => Tanh(a),
                UnaryOp.Sigmoid => Sigmoid(a),
                UnaryOp.LogSigmoid => LogSigmoid(a),
                UnaryOp.Softplus => Softplus(a),
                UnaryOp.Relu => Relu(a - 0.25),
                _ => throw new InvalidOperationException(Op.ToString()),
            };
        }

        internal override void CollectOps(HashSet<string> ops)
        {
            ops.Add(Op.ToString());
            A.CollectOps(ops);
        }

        public override string ToString() => Op switch
        {
            UnaryOp.Negate => $"-({A})",
            UnaryOp.Exp => $"Exp(Tanh({A}))",
            UnaryOp.Log => $"Log(Softplus({A}) + 0.1)",
            UnaryOp.Log1p => $"Log1p(0.9 * Tanh({A}))",
            UnaryOp.Expm1 => $"Expm1(2 * Tanh({A}))",
            UnaryOp.Sqrt => $"Sqrt(Square({A}) + 0.5)",
            UnaryOp.Abs => $"Abs({A} + 0.25)",
            UnaryOp.Relu => $"Relu({A} - 0.25)",
            _ => $"{Op}({A})",
        };
    }

    internal sealed record BinaryNode(BinaryOp Op, Node A, Node B) : Node
    {
        internal override double Eval(double[] x, Trace? trace)
        {
            double a = A.Eval(x, trace);
            double b = B.Eval(x, trace);
            if (Op is BinaryOp.Max or BinaryOp.Min)
            {
                trace?.Kink(a - b);
            }

            double y = Op switch
            {
                BinaryOp.Add => a + b,
                BinaryOp.Subtract => a - b,
                BinaryOp.Multiply => a * b,
                BinaryOp.Divide => a / (Softplus(b) + 0.5),
                BinaryOp.Max => Max(a, b),
                BinaryOp.Min => Min(a, b),
                BinaryOp.Pow => Pow(Sigmoid(a) + 0.5, b),
                _ => throw new InvalidOperationException(Op.ToString()),
            };
            trace?.See(y);
            return y;
        }

        internal override Var Eval(Var[] x)
        {
            // A constant operand is passed as a double, so the mixed overloads are exercised too.
            if (A is ConstNode ca && B is not ConstNode)
            {
                double a = ca.Value;
                var b = B.Eval(x);
                return Op switch
                {
                    BinaryOp.Add => a + b,
                    BinaryOp.Subtract => a - b,
                    BinaryOp.Multiply => a * b,
                    BinaryOp.Divide => a / (Softplus(b) + 0.5),
                    BinaryOp.Max => Max(a, b),
                    BinaryOp.Min => Min(a, b),
                    BinaryOp.Pow => Pow(Sigmoid(a) + 0.5, b),
                    _ => throw new InvalidOperationException(Op.ToString()),
                };
            }

            if (B is ConstNode cb && A is not ConstNode)
            {
                var a = A.Eval(x);
                double b = cb.Value;
                return Op switch
                {
                    BinaryOp.Add => a + b,
                    BinaryOp.Subtract => a - b,
                    BinaryOp.Multiply => a * b,
                    BinaryOp.Divide => a / (Softplus(b) + 0.5),
                    BinaryOp.Max => Max(a, b),
                    BinaryOp.Min => Min(a, b),
                    BinaryOp.Pow => Pow(Sigmoid(a) + 0.5, b),
                    _ => throw new InvalidOperationException(Op.ToString()),
                };
            }

            var va = A.Eval(x);
            var vb = B.Eval(x);
            return Op switch
            {
                BinaryOp.Add => Add(va, vb),
                BinaryOp.Subtract => Subtract(va, vb),
                BinaryOp.Multiply => Multiply(va, vb),
                BinaryOp.Divide => Divide(va, Softplus(vb) + 0.5),
                BinaryOp.Max => Max(va, vb),
                BinaryOp.Min => Min(va, vb),
                BinaryOp.Pow => Pow(Sigmoid(va) + 0.5, vb),
                _ => throw new InvalidOperationException(Op.ToString()),
            };
        }

        internal override void CollectOps(HashSet<string> ops)
        {
            ops.Add(Op.ToString());
            A.CollectOps(ops);
            B.CollectOps(ops);
        }

        public override string ToString() => Op switch
        {
            BinaryOp.Add => $"({A} + {B})",
            BinaryOp.Subtract => $"({A} - {B})",
            BinaryOp.Multiply => $"({A} * {B})",
            BinaryOp.Divide => $"({A} / (Softplus({B}) + 0.5))",
            BinaryOp.Pow => $"Pow(Sigmoid({A}) + 0.5, {B})",
            _ => $"{Op}({A}, {B})",
        };
    }

    /// <summary>A tree and a point; FsCheck prints it as both when a property fails.</summary>
    internal sealed record TreeCase(Node Tree, double[] Point)
    {
        private const int MaxDepth = 6;

        /// <summary>Intermediate values above this are not drawn: they would make finite differences too coarse to compare.</summary>
        private const double MaxIntermediate = 100.0;

        private static readonly double H = Math.Pow(Math.Pow(2, -52), 0.2); // GradCheck's relative step

        private static readonly Gen<double> Constant = Gen.OneOf(
            Doubles.Uniform(-2, 2), Gen.Elements(0.0, 1.0, -1.0, 0.5, 2.0, 3.0));

        /// <summary>Trees[n][d]: trees over n variables of depth at most d.</summary>
        private static readonly Gen<Node>[][] Trees = Enumerable.Range(0, 5)
            .Select(n => Enumerable.Range(0, MaxDepth + 1).Select(d => n == 0 ? null! : TreeGen(d, n)).ToArray())
            .ToArray();

        public static readonly Gen<TreeCase> Generator =
            (from n in Gen.Choose(1, 4)
             from depth in Gen.Choose(1, MaxDepth)
             from tree in Trees[n][depth]
             from point in Gen.ArrayOf(Doubles.Uniform(-2, 2), n)
             select new TreeCase(tree, point))
            .Where(c => c.Tree.ToString().Contains('x', StringComparison.Ordinal) && c.IsComparable());

        private static Gen<Node> TreeGen(int depth, int variables, bool top = true)
        {
            var leaf = Gen.Frequency(
                (3, Gen.Choose(0, variables - 1).Select(i => (Node)new VarNode(i))),
                (1, Constant.Select(c => (Node)new ConstNode(c))));
            if (depth == 0)
            {
                return leaf;
            }

            var sub = TreeGen(depth - 1, variables, top: false);
            var unary = from op in Gen.Elements(Enum.GetValues<UnaryOp>()) from a in sub select (Node)new UnaryNode(op, a);
            var binary = from op in Gen.Elements(Enum.GetValues<BinaryOp>())
                         from a in sub
                         from b in sub
                         select (Node)new BinaryNode(op, a, b);
            return top
                ? Gen.Frequency((2, unary), (3, binary))
                : Gen.Frequency((1, leaf), (2, unary), (3, binary));
        }

        /// <summary>
        /// Finite, moderate intermediates at the point, and every kink argument on the same side of its kink at each of the
        /// points the finite differences evaluate (x ± h·eᵢ, x ± h/2·eᵢ): then the FD sees one smooth piece, which is what
        /// the AD derivative describes.
        /// </summary>
        private bool IsComparable()
        {
            var trace = new Trace();
            double y = Tree.Eval(Point, trace);
            if (!double.IsFinite(y) || !(trace.MaxAbs <= MaxIntermediate))
            {
                return false;
            }

            for (int i = 0; i < Point.Length; i++)
            {
                double h = H * Math.Max(1.0, Math.Abs(Point[i]));
                foreach (double k in new[] { -1.0, -0.5, 0.5, 1.0 })
                {
                    var p = (double[])Point.Clone();
                    p[i] = Point[i] + k * h;
                    var t = new Trace();
                    double v = Tree.Eval(p, t);
                    if (!double.IsFinite(v) || !t.Sides.SequenceEqual(trace.Sides) || t.Sides.Contains(0))
                    {
                        return false;
                    }
                }
            }

            return !trace.Sides.Contains(0);
        }

        /// <summary>
        /// Var value = double value bit for bit; per coordinate |AD − FD| ≤ 1e−6·max(|AD|, |FD|) + 1e−9·max(1, M), with M the
        /// largest |intermediate|: FD with h ≈ 7.4e−4 loses ≈ 3ε·(rounding noise of f)/h ≈ 1e−12 per unit of noise, and the
        /// noise of a depth-6 tree is a few hundred ε·M at most, so 1e−9·M leaves a margin, while the relative 1e−6 covers the
        /// O(h⁴) Richardson error.
        /// </summary>
        public void AssertGradientMatches()
        {
            var trace = new Trace();
            double expected = Tree.Eval(Point, trace);
            var (value, ad) = AD.ValueAndGrad(v => Tree.Eval(v), Point);
            Tolerance.AssertSameBits($"value of {Tree}", expected, value, Point[0]);

            var fd = GradCheck.FiniteDifferenceGradient(v => Tree.Eval(v), Point);
            for (int i = 0; i < Point.Length; i++)
            {
                double g = Math.Max(Math.Abs(ad[i]), Math.Abs(fd[i]));
                double tol = 1e-6 * g + 1e-9 * Math.Max(1.0, trace.MaxAbs);
                double error = Math.Abs(ad[i] - fd[i]);
                if (!(error <= tol))
                {
                    throw new XunitException(
                        $"∂/∂x{i} of {Tree} at {this}: AD {Tolerance.R(ad[i])}, FD {Tolerance.R(fd[i])}, |AD − FD| = {Tolerance.R(error)} > {Tolerance.R(tol)}");
                }
            }
        }

        /// <summary>
        /// The exact Hessian (forward over reverse) against central differences of the AD gradient, and its symmetry.
        /// Kinks are already kept out of the stencil; second differences lose more digits, hence the looser tolerance.
        /// </summary>
        public void AssertHessianMatches()
        {
            var trace = new Trace();
            Tree.Eval(Point, trace);
            var hessian = AD.Hessian(v => Tree.Eval(v), Point);
            var fd = GradCheck.FiniteDifferenceHessian(v => Tree.Eval(v), Point);
            double scale = Math.Max(1.0, trace.MaxAbs);
            for (int i = 0; i < Point.Length; i++)
            {
                for (int j = 0; j < Point.Length; j++)
                {
                    double h = hessian[i, j], f = fd[i, j];
                    double tol = 1e-5 * Math.Max(Math.Abs(h), Math.Abs(f)) + 1e-7 * scale;
                    if (!(Math.Abs(h - f) <= tol))
                    {
                        throw new XunitException(
                            $"∂²/∂x{i}∂x{j} of {Tree} at {this}: AD {Tolerance.R(h)}, FD {Tolerance.R(f)}, |AD − FD| = {Tolerance.R(Math.Abs(h - f))} > {Tolerance.R(tol)}");
                    }

                    double asymmetry = Math.Abs(h - hessian[j, i]);
                    if (!(asymmetry <= 1e-12 * Math.Max(1.0, Math.Abs(h)) * scale))
                    {
                        throw new XunitException($"H of {Tree} at {this} is not symmetric at ({i}, {j}): {Tolerance.R(h)} vs {Tolerance.R(hessian[j, i])}");
                    }
                }
            }
        }

        public override string ToString() =>
            "(" + string.Join(", ", Point.Select((p, i) => "x" + i.ToString(CultureInfo.InvariantCulture) + " = " + Tolerance.R(p))) + ")";
    }
}
