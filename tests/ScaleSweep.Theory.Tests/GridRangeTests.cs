namespace ScaleSweep.Theory.Tests;

public class GridRangeTests
{
    [Fact]
    public void ParsesAnInclusiveRange()
    {
        var values = GridRange.Parse("1.0:4.0:0.25").Values();
        Assert.Equal(13, values.Count);
        Assert.Equal(1.0, values[0]);
        Assert.Equal(1.25, values[1]);
        Assert.Equal(4.0, values[^1]);
    }

    [Fact]
    public void KeepsTheEndpointDespiteRounding()
    {
        var values = GridRange.Parse("0.1:0.3:0.1").Values(); // 0.1 + 2·0.1 = 0.30000000000000004
        Assert.Equal([0.1, 0.2, 0.3], values.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.3, values[^1]);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("2.5:2.5:0.1")]
    public void AcceptsASinglePoint(string text) => Assert.Equal([2.5], GridRange.Parse(text).Values());

    [Theory]
    [InlineData("abc", "FROM:TO:STEP")]
    [InlineData("1:2", "FROM:TO:STEP")]
    [InlineData("1:2:x", "FROM:TO:STEP")]
    [InlineData("", "FROM:TO:STEP")]
    [InlineData("1:2:0", "STEP must be positive")]
    [InlineData("1:2:-0.5", "STEP must be positive")]
    [InlineData("4:1:0.5", "FROM must not exceed TO")]
    [InlineData("1:2:1e-9", "more than")]
    [InlineData("1:inf:1", "FROM:TO:STEP")]
    public void RejectsMalformedRangesWithAClearMessage(string text, string expectedFragment)
    {
        var error = Assert.Throws<FormatException>(() => GridRange.Parse(text));
        Assert.Contains(expectedFragment, error.Message);
    }
}
