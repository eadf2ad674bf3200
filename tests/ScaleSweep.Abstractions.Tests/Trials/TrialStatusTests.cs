using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Tests.Trials;

public class TrialStatusTests
{
    [Theory]
    [InlineData(TrialStatus.Completed, "completed")]
    [InlineData(TrialStatus.Diverged, "diverged")]
    [InlineData(TrialStatus.Failed, "failed")]
    [InlineData(TrialStatus.Cancelled, "cancelled")]
    [InlineData(TrialStatus.Pruned, "pruned")]
    public void Final_statuses_keep_their_parquet_names_both_ways(TrialStatus status, string name)
    {
        Assert.Equal(name, status.ToName());
        Assert.Equal(status, TrialStatusNames.Parse(name));
        Assert.True(TrialStatusNames.TryParse(name, out var parsed));
        Assert.Equal(status, parsed);
        Assert.True(status.IsFinal());
    }

    [Fact]
    public void The_vocabulary_has_every_status_once_and_only_the_last_five_are_final()
    {
        Assert.Equal(Enum.GetValues<TrialStatus>(), TrialStatusNames.All.Select(s => s.Status));
        Assert.Equal(TrialStatusNames.All.Count, TrialStatusNames.All.Select(s => s.Name).Distinct().Count());
        Assert.Equal([TrialStatus.Completed, TrialStatus.Diverged, TrialStatus.Failed, TrialStatus.Cancelled, TrialStatus.Pruned], TrialStatusNames.Final);
        Assert.False(TrialStatus.Pending.IsFinal());
        Assert.False(TrialStatus.Leased.IsFinal());
    }

    [Fact]
    public void Persisted_byte_values_never_move()
    {
        // A sweep's stored progress holds these bytes: reordering the enum would rewrite every stored sweep.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Enum.GetValues<TrialStatus>().Select(s => (int)(byte)s));
        Assert.Equal(TrialStatus.Pending, default);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("leased")]
    [InlineData("Completed")]
    [InlineData(" completed")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_a_final_status_name_is_not_a_row_status(string? name)
    {
        Assert.False(TrialStatusNames.TryParse(name, out _));
        if (name is not null) Assert.Throws<FormatException>(() => TrialStatusNames.Parse(name));
    }
}
