using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.Tests;

public class RootFindingTests
{
    [Fact]
    public void FindsRootsToFullPrecision()
    {
        Assert.Equal(Math.Sqrt(2), RootFinding.Brent(x => x * x - 2, 0, 2), 1e-15);
        Assert.Equal(Math.PI, RootFinding.Brent(Math.Sin, 2, 4), 1e-15);
        Assert.Equal(0.5671432904097838, RootFinding.Brent(x => x - Math.Exp(-x), 0, 1), 1e-15); // omega constant
    }

    [Fact]
    public void HandlesAKinkAtTheRoot() => Assert.Equal(1.0, RootFinding.Brent(x => x < 1 ? x - 1 : (x - 1) * (x - 1), 0, 3), 1e-7);

    [Fact]
    public void RejectsABracketWithoutSignChange() =>
        Assert.Throws<ArgumentException>(() => RootFinding.Brent(x => x * x + 1, -1, 1));
}
