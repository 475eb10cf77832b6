using System.Linq;
using BenchmarkDotNet.Running;

namespace AutoDiff.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Hands the command line to BenchmarkDotNet's switcher; exits 1 when a benchmark failed or did not validate.</summary>
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToArray();
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
