using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AutoDiff.Tests.Tensors;

/// <summary>Runs a test on a thread of its own, whose tape starts fresh: what the tape learns is not another test's.</summary>
internal static class FreshTape
{
    /// <summary>Runs <paramref name="test"/> on a new thread and rethrows what it threw.</summary>
    public static void Run(Action test)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                test();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
    }
}
