using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// One SGD step (heavy-ball momentum without dampening, L2 weight decay added to the gradient) over a run of
/// parameters that share their LR and weight decay, in a single pass: torch.optim's d = g + wd·p, v = μ·v + d
/// (v = d on the first step), p = p − lr·v, element by element, where the tensor ops make a pass over memory each.
/// The two products with an added term are fused as libtorch's <c>add(…, alpha)</c> fuses them, so the update rounds
/// as the tensor ops do (IP's calibrated first step divides by the first update, which magnifies any difference).
/// </summary>
internal static class SgdKernel
{
    /// <param name="velocity">The momentum buffer; empty when there is no momentum.</param>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity, in SgdScalars s)
    {
        int n = parameters.Length;
        bool momentum = s.Momentum != 0;
        if (gradients.Length != n || velocity.Length != (momentum ? n : 0))
            throw new ArgumentException("parameters, gradients and (with momentum) velocity must have the same length");
        ref float p0 = ref MemoryMarshal.GetReference(parameters);
        ref float g0 = ref MemoryMarshal.GetReference(gradients);
        ref float v0 = ref MemoryMarshal.GetReference(velocity);
        bool decay = s.WeightDecay != 0, first = s.First;
        nuint i = 0, count = (nuint)n;
        if (Vector.IsHardwareAccelerated)
        {
            var (wd, mu, step) = (new Vector<float>(s.WeightDecay), new Vector<float>(s.Momentum), new Vector<float>(-s.Lr));
            for (var width = (nuint)Vector<float>.Count; i + width <= count; i += width)
            {
                var p = Vector.LoadUnsafe(ref p0, i);
                var d = Vector.LoadUnsafe(ref g0, i);
                if (decay) d = Vector.FusedMultiplyAdd(wd, p, d);
                if (momentum)
                {
                    d = first ? d : mu * Vector.LoadUnsafe(ref v0, i) + d;
                    d.StoreUnsafe(ref v0, i);
                }
                Vector.FusedMultiplyAdd(step, d, p).StoreUnsafe(ref p0, i);
            }
        }
        for (; i < count; i++)
        {
            ref float p = ref Unsafe.Add(ref p0, i);
            var d = Unsafe.Add(ref g0, i);
            if (decay) d = MathF.FusedMultiplyAdd(s.WeightDecay, p, d);
            if (momentum)
            {
                ref float v = ref Unsafe.Add(ref v0, i);
                d = first ? d : s.Momentum * v + d;
                v = d;
            }
            p = MathF.FusedMultiplyAdd(-s.Lr, d, p);
        }
    }
}

/// <param name="Lr">This step's LR for the run (schedule applied).</param>
/// <param name="First">The first step, which starts the momentum buffer at the step's direction.</param>
internal readonly record struct SgdScalars(float Lr, float WeightDecay, float Momentum, bool First);
