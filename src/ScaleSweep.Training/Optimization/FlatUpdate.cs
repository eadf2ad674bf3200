using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The optimizer update of a whole <see cref="ParameterBuffer"/>, element for element the arithmetic of
/// torch.optim's SGD, Adam and AdamW, with each parameter's LR, weight decay and ε as <see cref="ElementFactors"/>
/// and the LR schedule as one scalar. It is written here rather than taken from TorchSharp's optimizers because
/// those pass their hyperparameters to libtorch as temporary Scalars, which a GC on another thread can free mid-op
/// (see <see cref="ScalarOperands"/>); here every Scalar is held until its op returns. The caller runs
/// <see cref="Step"/> under no_grad in a dispose scope.
/// </summary>
internal abstract class FlatUpdate(ParameterBuffer buffer, ElementFactors weightDecay) : IDisposable
{
    protected ParameterBuffer Buffer { get; } = buffer;

    protected ElementFactors WeightDecay { get; } = weightDecay;

    /// <param name="lr">Each element's LR before the schedule.</param>
    /// <param name="factor">The schedule's factor on every LR.</param>
    public abstract void Step(ElementFactors lr, double factor);

    /// <summary>
    /// g + wd·p: L2 weight decay added to the gradient, in the gradient buffer itself (the next step zeroes it
    /// anyway), so it needs no temporary.
    /// </summary>
    protected Tensor GradientsWithL2Decay()
    {
        var gradients = FlatGradients;
        if (WeightDecay.Uniform is { } uniform)
        {
            if (uniform != 0) gradients.AddScaled_(Buffer.Values, uniform);
        }
        else gradients.AddProduct_(Buffer.Values, WeightDecay.Values!, 1);
        return gradients;
    }

    /// <summary>
    /// Whether the update runs its one-pass kernel over the gradients autograd left with each parameter: the buffer
    /// keeps no flat gradients exactly when <see cref="OnePass.Applies"/>.
    /// </summary>
    protected bool InOnePass => Buffer.Gradients is null;

    /// <summary>The flat gradient buffer, which the tensor ops work on.</summary>
    protected Tensor FlatGradients => Buffer.Gradients ?? throw new InvalidOperationException("this update needs flat gradients");

    /// <summary>Parameter <paramref name="index"/>'s gradient as a contiguous tensor; null when backward did not reach it.</summary>
    protected Tensor? ContiguousGradient(int index)
    {
        using var gradient = Buffer.Gradient(index);
        return gradient?.contiguous();
    }

    public abstract void Dispose();
}

/// <summary>
/// SGD with heavy-ball momentum (no dampening) and L2 weight decay added to the gradient: <see cref="SgdKernel"/> on
/// the one-pass path, tensor ops over the flat gradients otherwise.
/// </summary>
internal sealed class FlatSgd(ParameterBuffer buffer, ElementFactors weightDecay, double momentum)
    : FlatUpdate(buffer, weightDecay)
{
    private Tensor? velocity;

    public override void Step(ElementFactors lr, double factor)
    {
        if (InOnePass) StepInOnePass(lr, factor);
        else StepAsTensorOps(lr, factor);
    }

    private void StepInOnePass(ElementFactors lr, double factor)
    {
        var first = velocity is null;
        if (momentum != 0) velocity ??= zeros_like(Buffer.Values).DetachFromDisposeScope();
        var values = HostFloats.Of(Buffer.Values);
        var v = velocity is null ? default : HostFloats.Of(velocity);
        for (int j = 0; j < Buffer.Segments.Count; j++)
        {
            // As torch.optim does, a parameter without a gradient is not updated.
            using var gradient = ContiguousGradient(j);
            if (gradient is null) continue;
            var (start, count) = ((int)Buffer.Segments[j].Offset, (int)Buffer.Segments[j].Count);
            var scalars = new SgdScalars((float)(lr.PerParameter[j] * factor), (float)WeightDecay.PerParameter[j], (float)momentum, first);
            SgdKernel.Step(values.Slice(start, count), HostFloats.Of(gradient), v.IsEmpty ? v : v.Slice(start, count), scalars);
        }
    }

    private void StepAsTensorOps(ElementFactors lr, double factor)
    {
        var direction = GradientsWithL2Decay();
        if (momentum != 0)
        {
            // The first step starts the buffer at the gradient itself, as torch.optim does.
            if (velocity is null) velocity = direction.clone().DetachFromDisposeScope();
            else velocity.MulBy_(momentum).AddScaled_(direction, 1);
            direction = velocity;
        }
        if (lr.Uniform is { } uniform) Buffer.Values.AddScaled_(direction, -uniform * factor);
        else Buffer.Values.AddProduct_(direction, lr.Values!, -factor);
    }

    public override void Dispose() => velocity?.Dispose();
}

/// <summary>
/// Adam with bias correction; weight decay either added to the gradient (Adam) or decoupled (AdamW). A one-thread
/// trial on the CPU (every sweep trial by default) runs <see cref="AdamKernel"/>, one pass per parameter over the
/// gradients autograd left with each parameter; other devices and multi-threaded trials run the same arithmetic as
/// tensor ops over the flat gradients.
/// </summary>
internal sealed class FlatAdam(ParameterBuffer buffer, ElementFactors weightDecay, ElementFactors eps,
    double beta1, double beta2, bool decoupled) : FlatUpdate(buffer, weightDecay)
{
    private readonly Tensor firstMoment = zeros_like(buffer.Values).DetachFromDisposeScope();
    private readonly Tensor secondMoment = zeros_like(buffer.Values).DetachFromDisposeScope();

    /// <summary>1 - β1 as a tensor: lerp_ takes its weight as a tensor (TorchSharp's Scalar overload throws).</summary>
    private readonly Tensor firstMomentWeight = empty([], buffer.Values.dtype, buffer.Values.device).FillWith_(1 - beta1).DetachFromDisposeScope();

    /// <summary>LR × weight decay per LR table (regular and first step), built on first use.</summary>
    private readonly Dictionary<ElementFactors, ElementFactors> decayRates = new(ReferenceEqualityComparer.Instance);
    private long steps;

    public override void Step(ElementFactors lr, double factor)
    {
        steps++;
        if (InOnePass) StepInOnePass(lr, factor);
        else StepAsTensorOps(lr, factor);
    }

    private void StepInOnePass(ElementFactors lr, double factor)
    {
        var values = HostFloats.Of(Buffer.Values);
        var m = HostFloats.Of(firstMoment);
        var v = HostFloats.Of(secondMoment);
        for (int j = 0; j < Buffer.Segments.Count; j++)
        {
            // As torch.optim does, a parameter without a gradient is not updated.
            using var gradient = ContiguousGradient(j);
            if (gradient is null) continue;
            var (start, count) = ((int)Buffer.Segments[j].Offset, (int)Buffer.Segments[j].Count);
            var scalars = AdamScalars.For(lr.PerParameter[j] * factor, eps.PerParameter[j], WeightDecay.PerParameter[j],
                decoupled, beta1, beta2, steps);
            AdamKernel.Step(values.Slice(start, count), HostFloats.Of(gradient), m.Slice(start, count), v.Slice(start, count), scalars);
        }
    }

    private void StepAsTensorOps(ElementFactors lr, double factor)
    {
        var values = Buffer.Values;
        // torch.optim's AdamW multiplies by (1 - lr·wd) even when wd is 0; multiplying by exactly 1 changes nothing.
        if (decoupled && !WeightDecay.IsZero)
        {
            var rate = DecayRate(lr);
            if (rate.Uniform is { } r) values.MulBy_(1 - r * factor);
            else values.AddProduct_(values, rate.Values!, -factor);
        }
        var biasCorrection1 = 1 - Math.Pow(beta1, steps);
        var biasCorrection2 = 1 - Math.Pow(beta2, steps);
        var g = decoupled ? FlatGradients : GradientsWithL2Decay();
        // m + (1-β1)(g - m) = β1·m + (1-β1)·g in one pass instead of two.
        firstMoment.lerp_(g, firstMomentWeight);
        secondMoment.MulBy_(beta2).AddProduct_(g, g, 1 - beta2);
        // √v/c + ε as (√v + ε·c)/c with c = √(1-β2ᵗ): the division by c moves into the step's scalar, one pass fewer.
        var c = Math.Sqrt(biasCorrection2);
        var denominator = secondMoment.sqrt();
        if (eps.Uniform is { } e) denominator.AddConstant_(e * c);
        else denominator.AddScaled_(eps.Values!, c);
        var stepSize = -factor * c / biasCorrection1;
        if (lr.Uniform is { } uniform)
        {
            values.AddQuotient_(firstMoment, denominator, uniform * stepSize);
            return;
        }
        // m·lr/denominator as m/(denominator/lr): the LR folded into the denominator costs no extra tensor.
        values.AddQuotient_(firstMoment, denominator.div_(lr.Values!), stepSize);
    }

    private ElementFactors DecayRate(ElementFactors lr)
    {
        if (!decayRates.TryGetValue(lr, out var rate)) decayRates[lr] = rate = lr.Times(WeightDecay);
        return rate;
    }

    public override void Dispose()
    {
        firstMoment.Dispose();
        secondMoment.Dispose();
        firstMomentWeight.Dispose();
        foreach (var rate in decayRates.Values) rate.Dispose();
    }
}
