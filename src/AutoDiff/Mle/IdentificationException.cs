using System;
using System.Collections.Generic;

namespace AutoDiff;

/// <summary>
/// Thrown when standard errors or the covariance are asked of a fit whose observed information is singular or
/// indefinite; <see cref="Parameters"/> names the parameters involved.
/// </summary>
public sealed class IdentificationException : InvalidOperationException
{
    internal IdentificationException(string message, IReadOnlyList<string> parameters)
        : base(message)
    {
        Parameters = parameters;
    }

    /// <summary>The parameters along whose combination the log-likelihood is flat or curves upward.</summary>
    public IReadOnlyList<string> Parameters { get; }
}
