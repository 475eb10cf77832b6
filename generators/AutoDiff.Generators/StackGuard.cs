using System;
using System.Runtime.CompilerServices;

namespace AutoDiff.Generators;

/// <summary>
/// Whether a recursive walk of a body may go one level deeper. The differentiator and the vector translator recurse once
/// per level of an expression, and the compiler binds far deeper expressions than that recursion survives: a sum of
/// a few thousand terms overflowed the stack, which no handler catches, and took the whole compiler (or the IDE's
/// analyzer host) down with it. Where the stack runs short, the differentiator reports the expression (AD1015) and the
/// translator leaves the body without vector form.
/// </summary>
internal static class StackGuard
{
    /// <summary>False when the thread's stack is close to its end (netstandard2.0 has no TryEnsureSufficientExecutionStack).</summary>
    public static bool HasRoom()
    {
        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            return true;
        }
        catch (InsufficientExecutionStackException)
        {
            return false;
        }
    }
}
