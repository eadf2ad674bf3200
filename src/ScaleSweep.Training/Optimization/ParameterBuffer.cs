using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// A trial's parameters in one flat buffer: each parameter becomes a view into <see cref="Values"/> (its values
/// copied in, the Parameter object kept, so modules see no change). With flat gradients, each gradient is a view into
/// <see cref="Gradients"/>, into which backward accumulates in place, and an optimizer updates every parameter with
/// a few ops over the whole buffer instead of a few ops per tensor — what decides the step time of small models,
/// where each op's fixed cost outweighs its arithmetic. An update that walks the parameters one by one in a single
/// pass (<see cref="OnePass"/>) needs no flat gradients: it leaves each gradient to autograd, which then keeps
/// the tensor backward computes instead of zeroing a buffer and adding into it (two passes over memory fewer). With
/// flat gradients every parameter must take part in every forward pass (true of every model here): one left out
/// keeps a zero gradient where a per-tensor optimizer would have skipped it.
/// </summary>
internal sealed class ParameterBuffer : IDisposable
{
    private readonly (long Offset, long Count)[] segments;
    private readonly IReadOnlyList<Parameter> parameters;

    /// <param name="flatGradients">Whether gradients are views of one buffer too, or each left to autograd.</param>
    public ParameterBuffer(IReadOnlyList<Parameter> parameters, bool flatGradients)
    {
        this.parameters = parameters;
        if (parameters.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter", nameof(parameters));
        var first = parameters[0];
        if (parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("a flat parameter buffer needs every parameter on one device with one dtype", nameof(parameters));
        segments = new (long, long)[parameters.Count];
        long total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            segments[i] = (total, parameters[i].numel());
            total += segments[i].Count;
        }
        Values = empty(total, first.dtype, first.device).DetachFromDisposeScope();
        Gradients = flatGradients ? zeros(total, first.dtype, first.device).DetachFromDisposeScope() : null;
        using var _ = no_grad();
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            using var value = View(Values, i, p.shape);
            value.copy_(p);
            var result = p.set_(value);
            if (!ReferenceEquals(result, p)) result.Dispose(); // some TorchSharp versions return the tensor itself
            if (Gradients is null) continue;
            using var gradient = View(Gradients, i, p.shape);
            p.grad = gradient;
        }
    }

    /// <summary>Every parameter's values, in the order given.</summary>
    public Tensor Values { get; }

    /// <summary>Every parameter's gradient, in the same layout; null when each gradient is left to autograd.</summary>
    public Tensor? Gradients { get; }

    /// <summary>Parameter <paramref name="index"/>'s gradient (null before a backward pass that reached it).</summary>
    public Tensor? Gradient(int index) => parameters[index].grad;

    /// <summary>Zeroes the flat gradients, or drops each parameter's, so that the next backward starts afresh.</summary>
    public void ZeroGradients()
    {
        if (Gradients is not null) Gradients.zero_();
        else foreach (var p in parameters) p.grad = null;
    }

    public long Count => Values.shape[0];

    /// <summary>Where each parameter lies in the buffers: its first element and its number of elements.</summary>
    public IReadOnlyList<(long Offset, long Count)> Segments => segments;

    /// <summary>One value per parameter, spread over that parameter's elements (built once, reused every step).</summary>
    public ElementFactors Spread(IReadOnlyList<double> perParameter)
    {
        if (perParameter.Count != segments.Length) throw new ArgumentException("one value per parameter", nameof(perParameter));
        if (perParameter.All(v => v.Equals(perParameter[0]))) return new ElementFactors(perParameter[0], null, perParameter.ToArray());
        var values = empty(Count, Values.dtype, Values.device).DetachFromDisposeScope();
        for (int i = 0; i < segments.Length; i++)
        {
            using var segment = values.narrow(0, segments[i].Offset, segments[i].Count);
            Tensors.ScalarOperands.FillWith_(segment, perParameter[i]);
        }
        return new ElementFactors(null, values, perParameter.ToArray());
    }

    private Tensor View(Tensor flat, int index, long[] shape)
    {
        using var segment = flat.narrow(0, segments[index].Offset, segments[index].Count);
        return segment.view(shape);
    }

    public void Dispose()
    {
        Values.Dispose();
        Gradients?.Dispose();
    }
}

/// <summary>
/// A per-element factor of a flat buffer (a role's LR, weight decay or ε): one number when every parameter has
/// the same value, so the update stays a scalar op; a tensor of the buffer's length otherwise. A one-pass update
/// that walks the buffer parameter by parameter reads the values per parameter instead.
/// </summary>
internal sealed record ElementFactors(double? Uniform, Tensor? Values, double[] PerParameter) : IDisposable
{
    /// <summary>Zero everywhere (an update can skip it).</summary>
    public bool IsZero => Uniform == 0;

    /// <summary>The element-wise product with another factor (e.g. LR × weight decay for AdamW's decay).</summary>
    public ElementFactors Times(ElementFactors other)
    {
        var perParameter = PerParameter.Zip(other.PerParameter, (a, b) => a * b).ToArray();
        return (this, other) switch
        {
            ({ Uniform: { } a }, { Uniform: { } b }) => new ElementFactors(a * b, null, perParameter),
            ({ Uniform: { } a }, { Values: { } t }) => new ElementFactors(null, Tensors.ScalarOperands.MulBy(t, a).DetachFromDisposeScope(), perParameter),
            ({ Values: { } t }, { Uniform: { } b }) => new ElementFactors(null, Tensors.ScalarOperands.MulBy(t, b).DetachFromDisposeScope(), perParameter),
            _ => new ElementFactors(null, Values!.mul(other.Values!).DetachFromDisposeScope(), perParameter),
        };
    }

    public void Dispose() => Values?.Dispose();
}
