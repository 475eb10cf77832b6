using System;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using AutoDiff.Benchmarks.Workloads;
using AutoDiff.Kernels;
using AutoDiff.Likelihoods;
using BenchmarkDotNet.Attributes;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks;

/// <summary>W1 (Gaussian, n = 100 000) as a tensor expression: plain loop, AD gradient, closed form.</summary>
[MemoryDiagnoser]
public class W1GaussianTensorBenchmark
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);
    private readonly W1Gaussian _workload = new(100_000);
    private readonly Tensor _y;
    private readonly Tensor _mu = Tensor.Scalar(1.0), _sigma = Tensor.Scalar(1.5);

    private readonly double[] _residual;
    private readonly CompiledGradient _compiled;

    /// <summary>Wraps the workload's data as a tensor and checks that the rows agree.</summary>
    public W1GaussianTensorBenchmark()
    {
        _y = Tensor.Vector(_workload.Y);
        _residual = new double[_workload.Y.Length];
        _compiled = AD.Compile(LogLikelihood, Tensor.Scalar(0.0), Tensor.Scalar(1.0));
        var oracle = GaussianLikelihood.Gradient(1.0, 1.5, _workload.Y);
        var row = VectorClosedForm();
        RowCheck.Agree("W1 gradient", [oracle.DMu, oracle.DSigma], "the library's closed form", [row.DMu, row.DSigma], "the closed-form row", 1e-9);
        var compiled = _compiled.Grad(_mu, _sigma);
        RowCheck.Agree("W1 gradient", [oracle.DMu, oracle.DSigma], "the library's closed form", [compiled[0].Item(), compiled[1].Item()], "the compiled AD row", 1e-9);
    }

    /// <summary>LL over doubles, no derivatives.</summary>
    [Benchmark(Baseline = true)]
    public double Plain() => _workload.PlainLogLikelihood(1.0, 1.5);

    /// <summary>LL and ∇LL of Σ(−log σ − ½ log 2π − (y − μ)²/(2σ²)) written over tensors.</summary>
    [Benchmark]
    public double AdGradient() => AD.ValueAndGrad(LogLikelihood, _mu, _sigma).Value;

    /// <summary>The same gradient from <see cref="AD.Compile"/>: the expression traced once (in the constructor) and replayed.</summary>
    [Benchmark]
    public double AdGradientCompiled() => _compiled.ValueAndGrad(_mu, _sigma).Value;

    private Tensor LogLikelihood(Tensor[] p) => Sum(-Log(p[1]) - HalfLogTwoPi - Square(_y - p[0]) / (2.0 * Square(p[1])));

    /// <summary>
    /// The closed-form gradient with vector kernels, as the AD gradient's are (TensorPrimitives: r = y − μ, Σr, Σr²):
    /// ∂/∂μ = Σr/σ², ∂/∂σ = −n/σ + Σr²/σ³. The scalar loop (<see cref="GaussianLikelihood.Gradient"/>) takes 25% longer.
    /// </summary>
    [Benchmark]
    public double ClosedFormGradient() => VectorClosedForm().DMu;

    private (double DMu, double DSigma) VectorClosedForm()
    {
        const double mu = 1.0, sigma = 1.5;
        TensorPrimitives.Subtract<double>(_workload.Y, mu, _residual);
        double sum = TensorPrimitives.Sum<double>(_residual);
        double squares = TensorPrimitives.SumOfSquares<double>(_residual);
        return (sum / (sigma * sigma), -_residual.Length / sigma + squares / (sigma * sigma * sigma));
    }
}

/// <summary>W2 (logistic log-likelihood) as tensors at the three sizes of WORKLOADS.md: plain, AD, closed form.</summary>
[MemoryDiagnoser]
public class W2LogisticTensorBenchmark
{
    private W2Logistic _workload = null!;
    private Tensor _x = null!, _y = null!, _theta = null!;
    private CompiledGradient _compiled = null!;
    private double[] _z = null!, _residual = null!, _gradient = null!;

    /// <summary>(n, d).</summary>
    [Params("100x5", "10000x20", "100000x100")]
    public string Size { get; set; } = "100x5";

    /// <summary>Builds the data of the chosen size.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x').Select(int.Parse).ToArray();
        _workload = new W2Logistic(parts[0], parts[1]);
        _x = Tensor.FromArray(_workload.X.SelectMany(r => r).ToArray(), parts[0], parts[1]);
        _y = Tensor.Vector(_workload.Y);
        _theta = Tensor.Vector(_workload.Theta);
        _z = new double[parts[0]];
        _residual = new double[parts[0]];
        _gradient = new double[parts[1]];

        // The rows must compute the same gradient, or their ratio means nothing.
        ClosedFormGradient();
        RowCheck.Agree($"W2 {Size} gradient", _gradient, "the closed form", AD.Grad(LogLikelihood, _theta)[0].ToArray(), "AD", 1e-9, 1e-9);
        _compiled = AD.Compile(LogLikelihood, Tensor.Vector(new double[parts[1]]));
        RowCheck.Agree($"W2 {Size} gradient", _gradient, "the closed form", _compiled.Grad(_theta)[0].ToArray(), "compiled AD", 1e-9, 1e-9);
    }

    /// <summary>LL(θ) over doubles: z = Xθ by GEMV, then the log-sigmoids.</summary>
    [Benchmark(Baseline = true)]
    public double Plain()
    {
        int n = _z.Length, d = _gradient.Length;
        Gemv.Multiply(_x.ToArrayUnsafe(), _workload.Theta, _z, n, d);
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            sum += _workload.Y[i] * LogSigmoid(_z[i]) + (1.0 - _workload.Y[i]) * LogSigmoid(-_z[i]);
        }

        return sum;
    }

    /// <summary>LL and ∇LL of Σ(y·LogSigmoid(Xθ) + (1 − y)·LogSigmoid(−Xθ)) written over tensors.</summary>
    [Benchmark]
    public double AdGradient() => AD.ValueAndGrad(LogLikelihood, _theta).Value;

    /// <summary>The same gradient from <see cref="AD.Compile"/>: the expression traced once (in the setup) and replayed.</summary>
    [Benchmark]
    public double AdGradientCompiled() => _compiled.ValueAndGrad(_theta).Value;

    private Tensor LogLikelihood(Tensor[] p)
    {
        var z = _x.MatMul(p[0]);
        return Sum(_y * LogSigmoid(z) + (1.0 - _y) * LogSigmoid(-z));
    }

    /// <summary>
    /// ∇LL = Xᵀ(y − σ(Xθ)) with the same GEMV kernels and the same vector sigmoid kernel as the AD gradient
    /// (<c>Ops.Sigmoid</c> over spans). TensorPrimitives.Sigmoid, used before, ran at one of two speeds fixed per process
    /// (0.12 or 0.49 µs for 100 logits): the JIT inlined its vector exponential into the loop in some processes and
    /// called it in the others, so the ratios of a run depended on a coin flip. Ours measured 0.145–0.16 µs in every process.
    /// </summary>
    [Benchmark]
    public double ClosedFormGradient()
    {
        int n = _z.Length, d = _gradient.Length;
        var x = _x.ToArrayUnsafe();
        Gemv.Multiply(x, _workload.Theta, _z, n, d);
        Ops.Sigmoid(_z, _residual);
        TensorPrimitives.Subtract<double>(_workload.Y, _residual, _residual);
        Gemv.Multiply(x, _residual, _gradient, n, d, transposeA: true);
        return _gradient[0];
    }
}

/// <summary>W3 (the notes' network, float64): forward only, AD gradient, and the δ₁/δ₂ closed form on the same GEMM.</summary>
[MemoryDiagnoser]
public class W3NetworkBenchmark
{
    private readonly W3Network _net = new();
    private readonly double[] _h = new double[W3Network.Batch * W3Network.Hidden];
    private readonly double[] _theta = new double[W3Network.Batch * W3Network.Classes];
    private readonly double[] _delta2 = new double[W3Network.Batch * W3Network.Hidden];
    private readonly double[] _dW = new double[W3Network.Hidden * W3Network.Inputs];
    private readonly double[] _dU = new double[W3Network.Classes * W3Network.Hidden];
    private readonly double[] _db1 = new double[W3Network.Hidden];
    private readonly double[] _db2 = new double[W3Network.Classes];
    private readonly CompiledGradient _compiled;
    private readonly double[][] _adGradients =
        [new double[W3Network.Hidden * W3Network.Inputs], new double[W3Network.Hidden], new double[W3Network.Classes * W3Network.Hidden], new double[W3Network.Classes]];

    /// <summary>Checks that the closed-form row computes the AD gradients (W, b₁, U, b₂), or the ratio means nothing.</summary>
    public W3NetworkBenchmark()
    {
        ClosedFormGradient();
        _compiled = AD.Compile(_net.Loss, _net.Parameters);
        string[] names = ["W", "b1", "U", "b2"];
        double[][] closed = [_dW, _db1, _dU, _db2];
        AdGradientIntoArrays();
        double[][] Arrays(Tensor[] gradients) => [.. gradients.Select(g => g.ToArray())];
        foreach (var (row, ad) in new[] { ("AD", Arrays(AD.Grad(_net.Loss, _net.Parameters))), ("compiled AD", Arrays(_compiled.Grad(_net.Parameters))), ("AD into arrays", _adGradients) })
        {
            for (int k = 0; k < ad.Length; k++)
            {
                RowCheck.Agree($"W3 gradient in {names[k]}, element", closed[k], "the closed form", ad[k], row, 1e-9, 1e-9);
            }
        }
    }

    /// <summary>J alone, on constants (no recording).</summary>
    [Benchmark(Baseline = true)]
    public double Plain() => _net.Loss(_net.Parameters).Item();

    /// <summary>J and its gradients w.r.t. W, b₁, U, b₂ by reverse mode.</summary>
    [Benchmark]
    public double AdGradient() => AD.ValueAndGrad(_net.Loss, _net.Parameters).Value;

    /// <summary>The same gradients from <see cref="AD.Compile"/>: the network traced once (in the constructor) and replayed.</summary>
    [Benchmark]
    public double AdGradientCompiled() => _compiled.ValueAndGrad(_net.Parameters).Value;

    /// <summary>The AD gradient written into arrays kept from call to call (AD.ValueAndGrad's form for loops), as the closed form writes into its own.</summary>
    [Benchmark]
    public double AdGradientIntoArrays() => AD.ValueAndGrad(_net.Loss, _net.Parameters, _adGradients);

    /// <summary>The notes' backpropagation by hand: δ₁ = ŷ − y, δ₂ = δ₁U ∘ 1[h &gt; 0], ∂U = δ₁ᵀh, ∂W = δ₂ᵀx.</summary>
    [Benchmark]
    public double ClosedFormGradient()
    {
        const int B = W3Network.Batch, Dx = W3Network.Inputs, Dh = W3Network.Hidden, Nc = W3Network.Classes;
        var x = _net.X.ToArrayUnsafe();
        var w = _net.W.ToArrayUnsafe();
        var u = _net.U.ToArrayUnsafe();
        Gemm.Multiply(x, w, _h, B, Dh, Dx, transposeB: true);           // z = X Wᵀ (b₁ = 0)
        TensorPrimitives.Max<double>(_h, 0.0, _h);                       // h = ReLU(z)

        Gemm.Multiply(_h, u, _theta, B, Nc, Dh, transposeB: true);       // θ = h Uᵀ (b₂ = 0)
        double loss = 0.0;
        for (int n = 0; n < B; n++)
        {
            var row = _theta.AsSpan(n * Nc, Nc);
            double max = double.NegativeInfinity;
            foreach (double t in row)
            {
                max = Math.Max(max, t);
            }

            double sum = 0.0;
            foreach (double t in row)
            {
                sum += Math.Exp(t - max);
            }

            loss += max + Math.Log(sum) - row[_net.Labels[n]];
            for (int c = 0; c < Nc; c++)
            {
                row[c] = Math.Exp(row[c] - max) / sum;                   // ŷ
            }

            row[_net.Labels[n]] -= 1.0;                                  // δ₁ = ŷ − y
        }

        Gemm.Multiply(_theta, u, _delta2, B, Dh, Nc);                    // δ₁U
        MaskByPositive(_delta2, _h);                                     // ∘ 1[h > 0]

        Gemm.Multiply(_theta, _h, _dU, Nc, Dh, B, transposeA: true);     // ∂U = δ₁ᵀ h
        Gemm.Multiply(_delta2, x, _dW, Dh, Dx, B, transposeA: true);     // ∂W = δ₂ᵀ x
        ColumnSums(_theta, B, Nc, _db2);                                 // ∂b₂ = Σ δ₁
        ColumnSums(_delta2, B, Dh, _db1);                                // ∂b₁ = Σ δ₂
        return loss;
    }

    // d ← d ∘ 1[h > 0], a vector at a time, as the AD gradient's ReLU backward kernel runs.
    private static void MaskByPositive(double[] d, double[] h)
    {
        int i = 0;
        for (; i + Vector<double>.Count <= d.Length; i += Vector<double>.Count)
        {
            var hv = new Vector<double>(h, i);
            Vector.ConditionalSelect(Vector.GreaterThan(hv, Vector<double>.Zero), new Vector<double>(d, i), Vector<double>.Zero).CopyTo(d, i);
        }

        for (; i < d.Length; i++)
        {
            d[i] = h[i] > 0.0 ? d[i] : 0.0;
        }
    }

    private static void ColumnSums(double[] matrix, int rows, int columns, double[] sums)
    {
        Array.Clear(sums);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                sums[c] += matrix[r * columns + c];
            }
        }
    }
}
