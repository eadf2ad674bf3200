using ScaleSweep.Training.Optimization;

namespace ScaleSweep.Training.Tests;

/// <summary>The one-pass SGD update against torch.optim's SGD written out in double precision, element by element.</summary>
public class SgdKernelTests
{
    [Theory]
    [InlineData(37, 0.0, 0.0)] // shorter than two vectors: the scalar tail does most of it
    [InlineData(1000, 0.0, 0.9)]
    [InlineData(1001, 0.1, 0.9)] // L2 decay added to the gradient, then momentum
    [InlineData(1000, 0.1, 0.0)]
    public void Matches_SGD_in_double_precision_over_ten_steps(int n, double weightDecay, double momentum)
    {
        const double lr = 0.05;
        var random = new Random(11);
        var p = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var v = new float[momentum != 0 ? n : 0];
        var (pd, vd) = (p.Select(x => (double)x).ToArray(), new double[n]);
        for (int step = 1; step <= 10; step++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            SgdKernel.Step(p, g, v, new SgdScalars((float)lr, (float)weightDecay, (float)momentum, First: step == 1));
            for (int i = 0; i < n; i++)
            {
                var d = g[i] + weightDecay * pd[i];
                if (momentum != 0) d = vd[i] = step == 1 ? d : momentum * vd[i] + d;
                pd[i] -= lr * d;
            }
        }
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(p[i] - pd[i]) <= 1e-6 * Math.Max(1, Math.Abs(pd[i])), $"element {i}: {p[i]} against {pd[i]}");
            if (momentum != 0) Assert.True(Math.Abs(v[i] - vd[i]) <= 1e-5 * Math.Max(1, Math.Abs(vd[i])), $"velocity {i}: {v[i]} against {vd[i]}");
        }
    }

    [Fact]
    public void Refuses_a_velocity_of_the_wrong_length() =>
        Assert.Throws<ArgumentException>(() => SgdKernel.Step(new float[4], new float[4], new float[3], new SgdScalars(0.1f, 0, 0.9f, false)));
}
