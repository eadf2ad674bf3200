using ScaleSweep.Grains.Results;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

public class ResultsOptionsTests
{
    [Theory]
    [InlineData("/etc/x")]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    public void Cluster_mode_rejects_outputs_outside_the_root(string output)
    {
        var plan = TestPlans.Make("p", 1);
        plan = plan with { Settings = plan.Settings with { Output = output } };
        Assert.Throws<ArgumentException>(() => new ResultsOptions { Root = "/tmp/r", RestrictToRoot = true }.Resolve(plan));
    }

    [Fact]
    public void A_plan_without_output_goes_to_a_folder_named_after_it()
    {
        var options = new ResultsOptions { Root = "/tmp/r", RestrictToRoot = true };
        Assert.Equal("/tmp/r/p", options.Resolve(TestPlans.Make("p", 1)));
    }

    [Fact]
    public void Embedded_mode_accepts_an_absolute_output()
    {
        var plan = TestPlans.Make("p", 1);
        plan = plan with { Settings = plan.Settings with { Output = "/tmp/elsewhere" } };
        Assert.Equal("/tmp/elsewhere", new ResultsOptions { Root = "/tmp/r" }.Resolve(plan));
    }
}
