using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The per-tensor optimizer update the flat-buffer optimizer replaced, kept as the reference of its equivalence
/// test: one parameter tensor with its own LR, weight decay and ε, computed op for op as torch.optim's SGD, Adam
/// and AdamW compute it. The caller runs <see cref="Step"/> under no_grad in a dispose scope.
/// </summary>
internal abstract class TensorUpdate(Parameter parameter, double lr, double weightDecay) : IDisposable
{
    protected Parameter Parameter { get; } = parameter;

    protected double WeightDecay { get; } = weightDecay;

    public double Lr { get; set; } = lr;

    public void Step()
    {
        if (Parameter.grad is { } grad) Apply(grad);
    }

    public void ZeroGrad()
    {
        using var grad = Parameter.grad;
        grad?.zero_();
    }

    protected abstract void Apply(Tensor grad);

    public abstract void Dispose();
}

/// <summary>SGD with heavy-ball momentum (no dampening) and L2 weight decay added to the gradient.</summary>
internal sealed class SgdUpdate(Parameter parameter, double lr, double weightDecay, double momentum)
    : TensorUpdate(parameter, lr, weightDecay)
{
    private Tensor? velocity;

    protected override void Apply(Tensor grad)
    {
        var direction = WeightDecay != 0 ? grad.AddScaled(Parameter, WeightDecay) : grad;
        if (momentum != 0)
        {
            // The first step starts the buffer at the gradient itself, as torch.optim does.
            if (velocity is null) velocity = direction.clone().detach().DetachFromDisposeScope();
            else velocity.MulBy_(momentum).AddScaled_(direction, 1);
            direction = velocity;
        }
        Parameter.AddScaled_(direction, -Lr);
    }

    public override void Dispose() => velocity?.Dispose();
}

/// <summary>Adam with bias correction; weight decay either added to the gradient (Adam) or decoupled (AdamW).</summary>
internal sealed class AdamUpdate(Parameter parameter, double lr, double weightDecay, double beta1, double beta2, double eps, bool decoupled)
    : TensorUpdate(parameter, lr, weightDecay)
{
    private readonly Tensor firstMoment = zeros_like(parameter).DetachFromDisposeScope();
    private readonly Tensor secondMoment = zeros_like(parameter).DetachFromDisposeScope();
    private long steps;

    protected override void Apply(Tensor grad)
    {
        steps++;
        // torch.optim's AdamW multiplies by (1 - lr·wd) even when wd is 0; multiplying by exactly 1 changes nothing.
        if (decoupled && WeightDecay != 0) Parameter.MulBy_(1 - Lr * WeightDecay);
        var biasCorrection1 = 1 - Math.Pow(beta1, steps);
        var biasCorrection2 = 1 - Math.Pow(beta2, steps);
        var g = !decoupled && WeightDecay != 0 ? grad.AddScaled(Parameter, WeightDecay) : grad;
        firstMoment.MulBy_(beta1).AddScaled_(g, 1 - beta1);
        secondMoment.MulBy_(beta2).AddProduct_(g, g, 1 - beta2);
        var denominator = secondMoment.sqrt().DivBy(Math.Sqrt(biasCorrection2)).AddConstant_(eps);
        Parameter.AddQuotient_(firstMoment, denominator, -Lr / biasCorrection1);
    }

    public override void Dispose()
    {
        firstMoment.Dispose();
        secondMoment.Dispose();
    }
}
