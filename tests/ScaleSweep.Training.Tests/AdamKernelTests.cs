using ScaleSweep.Training.Optimization;

namespace ScaleSweep.Training.Tests;

/// <summary>The one-pass Adam update against Adam written out in double precision, element by element.</summary>
public class AdamKernelTests
{
    [Theory]
    [InlineData(37, 0.0, false)] // shorter than two vectors: the scalar tail does most of it
    [InlineData(1000, 0.0, false)]
    [InlineData(1000, 0.1, false)] // L2 decay added to the gradient
    [InlineData(1001, 0.1, true)] // decoupled decay (AdamW)
    public void Matches_Adam_in_double_precision_over_ten_steps(int n, double weightDecay, bool decoupled)
    {
        const double lr = 0.01, eps = 1e-8, beta1 = 0.9, beta2 = 0.999;
        var random = new Random(7);
        var p = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var (m, v) = (new float[n], new float[n]);
        var (pd, md, vd) = (p.Select(x => (double)x).ToArray(), new double[n], new double[n]);
        for (int step = 1; step <= 10; step++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            AdamKernel.Step(p, g, m, v, AdamScalars.For(lr, eps, weightDecay, decoupled, beta1, beta2, step));
            for (int i = 0; i < n; i++)
            {
                if (decoupled) pd[i] *= 1 - lr * weightDecay;
                var gi = decoupled ? g[i] : g[i] + weightDecay * pd[i];
                md[i] = beta1 * md[i] + (1 - beta1) * gi;
                vd[i] = beta2 * vd[i] + (1 - beta2) * gi * gi;
                var mHat = md[i] / (1 - Math.Pow(beta1, step));
                var vHat = vd[i] / (1 - Math.Pow(beta2, step));
                pd[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(p[i] - pd[i]) <= 1e-6 * Math.Max(1, Math.Abs(pd[i])), $"element {i}: {p[i]} against {pd[i]}");
            Assert.True(Math.Abs(v[i] - vd[i]) <= 1e-6 * vd[i] + 1e-12, $"second moment {i}: {v[i]} against {vd[i]}");
        }
    }

    [Fact]
    public void Refuses_buffers_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => AdamKernel.Step(new float[4], new float[3], new float[4], new float[4],
            AdamScalars.For(0.01, 1e-8, 0, false, 0.9, 0.999, 1)));
}
