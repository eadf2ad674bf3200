using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// One Adam step over a run of parameters that share their LR, ε and weight decay, in a single pass over memory:
/// each element's parameter, gradient and both moments are read once and written once. As a chain of tensor ops the
/// same update makes about seven passes over buffers that do not fit in cache, and at width 1024 the quickstart
/// trial's step spends a third of its time there. The arithmetic is torch.optim's, reordered only as
/// <see cref="AdamScalars"/> says; element-wise, so the result does not depend on the vector width.
/// </summary>
internal static class AdamKernel
{
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment,
        Span<float> secondMoment, in AdamScalars s)
    {
        int n = parameters.Length;
        if (gradients.Length != n || firstMoment.Length != n || secondMoment.Length != n)
            throw new ArgumentException("parameters, gradients and moments must have the same length");
        bool l2 = s.L2 != 0;
        ref float p0 = ref MemoryMarshal.GetReference(parameters);
        ref float g0 = ref MemoryMarshal.GetReference(gradients);
        ref float m0 = ref MemoryMarshal.GetReference(firstMoment);
        ref float v0 = ref MemoryMarshal.GetReference(secondMoment);
        nuint i = 0, count = (nuint)n;
        if (Vector.IsHardwareAccelerated)
        {
            var (keep, decay, w1, beta2, w2, epsC, step) = (new Vector<float>(s.Keep), new Vector<float>(s.L2),
                new Vector<float>(s.FirstMomentWeight), new Vector<float>(s.Beta2), new Vector<float>(s.SecondMomentWeight),
                new Vector<float>(s.ScaledEps), new Vector<float>(s.StepSize));
            for (var width = (nuint)Vector<float>.Count; i + width <= count; i += width)
            {
                var p = Vector.LoadUnsafe(ref p0, i) * keep;
                var g = Vector.LoadUnsafe(ref g0, i);
                if (l2) g += decay * p;
                var m = Vector.LoadUnsafe(ref m0, i);
                m += w1 * (g - m);
                var v = beta2 * Vector.LoadUnsafe(ref v0, i) + w2 * (g * g);
                (p + step * (m / (Vector.SquareRoot(v) + epsC))).StoreUnsafe(ref p0, i);
                m.StoreUnsafe(ref m0, i);
                v.StoreUnsafe(ref v0, i);
            }
        }
        for (; i < count; i++)
        {
            var p = Unsafe.Add(ref p0, i) * s.Keep;
            var g = Unsafe.Add(ref g0, i);
            if (l2) g += s.L2 * p;
            ref float m = ref Unsafe.Add(ref m0, i);
            ref float v = ref Unsafe.Add(ref v0, i);
            m += s.FirstMomentWeight * (g - m);
            v = s.Beta2 * v + s.SecondMomentWeight * (g * g);
            Unsafe.Add(ref p0, i) = p + s.StepSize * (m / (MathF.Sqrt(v) + s.ScaledEps));
        }
    }
}

/// <summary>
/// The numbers of one Adam step for one run of parameters. torch.optim's update
/// p ← p·(1 − lr·wd_decoupled) − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε) is computed as
/// p + StepSize · m / (√v + ε·c) with c = √(1−β2ᵗ) and StepSize = −lr·c/(1−β1ᵗ): the bias correction of v moves
/// into ε and the step's scalar (the same reordering the tensor path makes).
/// </summary>
internal readonly record struct AdamScalars(float Keep, float L2, float FirstMomentWeight, float Beta2,
    float SecondMomentWeight, float ScaledEps, float StepSize)
{
    /// <param name="lr">This step's LR for the run (schedule applied).</param>
    /// <param name="weightDecay">The run's weight decay: added to the gradient (Adam) or decoupled (AdamW).</param>
    /// <param name="step">The step number, from 1.</param>
    public static AdamScalars For(double lr, double eps, double weightDecay, bool decoupled, double beta1, double beta2, long step)
    {
        var c = Math.Sqrt(1 - Math.Pow(beta2, step));
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        return new AdamScalars(
            Keep: decoupled ? (float)(1 - lr * weightDecay) : 1f,
            L2: decoupled ? 0f : (float)weightDecay,
            FirstMomentWeight: (float)(1 - beta1),
            Beta2: (float)beta2,
            SecondMomentWeight: (float)(1 - beta2),
            ScaledEps: (float)(eps * c),
            StepSize: (float)(-lr * c / biasCorrection1));
    }
}
