namespace AutoDiff;

/// <summary>How a per-observation loss is combined over a batch.</summary>
public enum Reduction
{
    /// <summary>The sum over the batch (the notes' J = Σₙ CE(yₙ, ŷₙ)).</summary>
    Sum,

    /// <summary>The mean over the batch (PyTorch's default).</summary>
    Mean,
}
