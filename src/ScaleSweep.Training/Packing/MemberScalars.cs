using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Packing;

/// <summary>
/// One number per pack member (a multiplier, an LR, a weight decay), applied to stacked tensors [k, …]. When every
/// member has the same value it is applied as a plain number, which keeps the op exactly the unpacked one; otherwise
/// as a [k, 1, …, 1] tensor broadcast over each member's rows.
/// </summary>
internal sealed class MemberScalars : IDisposable
{
    private readonly Tensor perMember;

    /// <param name="rank">Rank of the stacked tensors the values apply to ([k, out, in]: 3).</param>
    public MemberScalars(IReadOnlyList<double> values, int rank)
    {
        Values = values.ToArray();
        Uniform = Values.All(v => v == Values[0]) ? Values[0] : null;
        var shape = Enumerable.Repeat(1L, rank).ToArray();
        shape[0] = Values.Length;
        perMember = tensor(Values.Select(v => (float)v).ToArray()).reshape(shape).DetachFromDisposeScope();
    }

    public double[] Values { get; }

    /// <summary>The value every member shares; null when they differ.</summary>
    public double? Uniform { get; }

    /// <summary>True when every member's value is 1 (nothing to apply).</summary>
    public bool IsOne => Uniform == 1;

    /// <summary>True when some member's value is not 0.</summary>
    public bool AnyNonZero => Values.Any(v => v != 0);

    /// <summary>x · value per member.</summary>
    public Tensor Times(Tensor x) => Uniform is { } u ? (u == 1 ? x : x.MulBy(u)) : x.mul(perMember);

    /// <summary>x + value · y per member.</summary>
    public Tensor AddScaledTo(Tensor x, Tensor y) => Uniform is { } u ? (u == 1 ? x.Plus(y) : x.AddScaled(y, u)) : x.Plus(y.mul(perMember));

    /// <summary>The values as a [k, 1, …] float32 tensor, for ops that take a tensor whatever the values.</summary>
    public Tensor Tensor => perMember;

    public void Dispose() => perMember.Dispose();
}
