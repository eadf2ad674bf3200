using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Packing;

/// <summary>
/// SGD, Adam or AdamW over stacked parameters [k, …], computed as <c>FlatUpdate</c> computes them for one buffer,
/// with each member's LR, weight decay and ε (its parameterization's, for the tensor's role) as [k, 1, 1] factors.
/// Members share the optimizer kind, momentum and betas (they are part of a pack's shape). A frozen member's LR is
/// 0 and its parameters and state are zeroed, so it stays where it is. On the CPU with one thread the update runs
/// <c>AdamKernel</c> or <c>SgdKernel</c> member by member (each member's block of a stacked tensor is contiguous),
/// skipping frozen ones.
/// </summary>
internal sealed class StackedOptimizer : IDisposable
{
    private readonly OptimizerKind kind;
    private readonly OptimConfig optim;
    private readonly Slot[] slots;
    private readonly bool[] frozen;
    private readonly bool onePass;
    private long steps;

    /// <summary>1 - β1 as a tensor: lerp_ takes its weight as a tensor (TorchSharp's Scalar overload throws).</summary>
    private readonly Tensor firstMomentWeight;

    public StackedOptimizer(IReadOnlyList<StackedParameter> parameters, IReadOnlyList<TrialSpec> members,
        IReadOnlyList<Parameterization> parameterizations)
    {
        kind = OptimizerKind.Get(members[0].Optim.Optimizer);
        optim = members[0].Optim;
        frozen = new bool[members.Count];
        firstMomentWeight = empty([], parameters[0].Value.dtype).FillWith_(1 - optim.Beta1).DetachFromDisposeScope();
        onePass = OnePass.Applies(parameters.Select(p => p.Value));
        slots = parameters.Select(p =>
        {
            var groups = p.Shapes.Select((shape, i) => parameterizations[i].Hyperparameters(shape, members[i].Optim)).ToArray();
            return new Slot(p.Value,
                new MemberScalars(groups.Select(g => g.Lr).ToArray(), 3),
                new MemberScalars(groups.Select(g => g.WeightDecay).ToArray(), 3),
                new MemberScalars(groups.Select(g => g.Eps).ToArray(), 3),
                kind == OptimizerKind.Sgd ? null : zeros_like(p.Value).DetachFromDisposeScope(),
                kind == OptimizerKind.Sgd ? null : zeros_like(p.Value).DetachFromDisposeScope());
        }).ToArray();
    }

    /// <summary>
    /// Drops every gradient (torch.optim's set_to_none), so that backward's own gradient tensors become the
    /// gradients instead of being added into zeroed ones: two passes over memory fewer per step.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var slot in slots) slot.Value.grad = null;
    }

    /// <param name="lrFactor">The schedule's factor this step (the same for every member).</param>
    public void Step(double lrFactor)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        steps++;
        foreach (var slot in slots)
        {
            using var grad = slot.Value.grad;
            if (grad is null) continue;
            var decoupled = kind == OptimizerKind.AdamW;
            var inOnePass = onePass && HostFloats.Fits(grad);
            if (kind == OptimizerKind.Sgd)
            {
                if (inOnePass) SgdInOnePass(slot, grad, lrFactor);
                else Sgd(slot, grad, slot.Lr.Tensor.MulBy(lrFactor));
            }
            else if (inOnePass) AdamInOnePass(slot, grad, lrFactor, decoupled);
            else Adam(slot, grad, lrFactor, decoupled);
        }
    }

    private void Sgd(Slot slot, Tensor grad, Tensor lr)
    {
        var p = slot.Value;
        var direction = slot.WeightDecay.AnyNonZero ? slot.WeightDecay.AddScaledTo(grad, p) : grad;
        if (optim.Momentum != 0)
        {
            // The first step starts the buffer at the gradient itself, as torch.optim does.
            if (slot.Velocity is null) slot.Velocity = direction.clone().detach().DetachFromDisposeScope();
            else slot.Velocity.MulBy_(optim.Momentum).Plus_(direction);
            direction = slot.Velocity;
        }
        p.AddProduct_(direction, lr, -1);
    }

    private void SgdInOnePass(Slot slot, Tensor grad, double lrFactor)
    {
        var first = slot.Velocity is null;
        if (optim.Momentum != 0) slot.Velocity ??= zeros_like(slot.Value).DetachFromDisposeScope();
        var p = HostFloats.Of(slot.Value);
        var g = HostFloats.Of(grad);
        var v = slot.Velocity is null ? default : HostFloats.Of(slot.Velocity);
        var n = p.Length / frozen.Length;
        for (int i = 0; i < frozen.Length; i++)
        {
            if (frozen[i]) continue;
            var scalars = new SgdScalars((float)(slot.Lr.Values[i] * lrFactor), (float)slot.WeightDecay.Values[i], (float)optim.Momentum, first);
            SgdKernel.Step(p.Slice(i * n, n), g.Slice(i * n, n), v.IsEmpty ? v : v.Slice(i * n, n), scalars);
        }
    }

    /// <summary>
    /// The passes of <c>FlatAdam</c>: m by lerp, the bias correction of v folded into ε and the step's scalar, each
    /// member's LR folded into the denominator (one in-place pass over a temporary the update needs anyway). A
    /// frozen member's LR is 0: its denominator becomes +∞ and its update 0.
    /// </summary>
    private void Adam(Slot slot, Tensor grad, double lrFactor, bool decoupled)
    {
        var p = slot.Value;
        var lr = slot.Lr.Tensor;
        if (decoupled && slot.WeightDecay.AnyNonZero) p.mul_(lr.mul(slot.WeightDecay.Tensor).MulBy_(-lrFactor).AddConstant_(1));
        var biasCorrection1 = 1 - Math.Pow(optim.Beta1, steps);
        var c = Math.Sqrt(1 - Math.Pow(optim.Beta2, steps));
        // L2 decay into the gradient itself (the next step drops it), so it needs no temporary.
        if (!decoupled && slot.WeightDecay.AnyNonZero) grad.AddProduct_(p, slot.WeightDecay.Tensor, 1);
        var (m, v) = (slot.FirstMoment!, slot.SecondMoment!);
        m.lerp_(grad, firstMomentWeight);
        v.MulBy_(optim.Beta2).AddProduct_(grad, grad, 1 - optim.Beta2);
        var denominator = v.sqrt().AddScaled_(slot.Eps.Tensor, c).div_(lr);
        p.AddQuotient_(m, denominator, -lrFactor * c / biasCorrection1);
    }

    private void AdamInOnePass(Slot slot, Tensor grad, double lrFactor, bool decoupled)
    {
        var p = HostFloats.Of(slot.Value);
        var g = HostFloats.Of(grad);
        var m = HostFloats.Of(slot.FirstMoment!);
        var v = HostFloats.Of(slot.SecondMoment!);
        var n = p.Length / frozen.Length;
        for (int i = 0; i < frozen.Length; i++)
        {
            if (frozen[i]) continue;
            var scalars = AdamScalars.For(slot.Lr.Values[i] * lrFactor, slot.Eps.Values[i], slot.WeightDecay.Values[i],
                decoupled, optim.Beta1, optim.Beta2, steps);
            AdamKernel.Step(p.Slice(i * n, n), g.Slice(i * n, n), m.Slice(i * n, n), v.Slice(i * n, n), scalars);
        }
    }

    /// <summary>Stops updating member <paramref name="member"/>: its parameters, state and LR become 0.</summary>
    public void Freeze(int member)
    {
        if (frozen[member]) return;
        frozen[member] = true;
        using var _ = no_grad();
        foreach (var slot in slots)
        {
            foreach (var t in new[] { slot.Value, slot.Lr.Tensor, slot.FirstMoment, slot.SecondMoment, slot.Velocity })
                t?.narrow(0, member, 1).zero_();
        }
    }

    public void Dispose()
    {
        firstMomentWeight.Dispose();
        foreach (var slot in slots)
        {
            slot.Lr.Dispose();
            slot.WeightDecay.Dispose();
            slot.Eps.Dispose();
            slot.FirstMoment?.Dispose();
            slot.SecondMoment?.Dispose();
            slot.Velocity?.Dispose();
        }
    }

    /// <summary>One stacked parameter with its per-member factors and optimizer state.</summary>
    private sealed class Slot(Tensor value, MemberScalars lr, MemberScalars weightDecay, MemberScalars eps, Tensor? firstMoment, Tensor? secondMoment)
    {
        public Tensor Value { get; } = value;
        public MemberScalars Lr { get; } = lr;
        public MemberScalars WeightDecay { get; } = weightDecay;
        public MemberScalars Eps { get; } = eps;
        public Tensor? FirstMoment { get; } = firstMoment;
        public Tensor? SecondMoment { get; } = secondMoment;
        public Tensor? Velocity { get; set; }
    }
}
