using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Cli.Progress;

/// <summary>
/// Trials per minute and the ETA from the final-trial counts seen over the last minute: a window, not the average
/// since submission, so a resumed sweep or a cluster that grew shows its current pace. Until a second sample exists
/// the rate since submission stands in.
/// </summary>
internal sealed class ProgressRate(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<(DateTimeOffset At, int Final)> _samples = new();

    public ProgressRate() : this(TimeProvider.System)
    {
    }

    /// <summary>Trials finished per minute, or null while unknown.</summary>
    public double? PerMinute { get; private set; }

    /// <summary>Time left at the current rate, or null while unknown.</summary>
    public TimeSpan? Eta { get; private set; }

    public void Observe(SweepStatus status)
    {
        var now = clock.GetUtcNow();
        var final = status.Counts.Final;
        _samples.Enqueue((now, final));
        while (_samples.Count > 2 && now - _samples.Peek().At > Window) _samples.Dequeue();
        var (firstAt, firstFinal) = _samples.Peek();
        var span = now - firstAt;
        if (span >= TimeSpan.FromSeconds(1) && (final > firstFinal || span >= TimeSpan.FromSeconds(10)))
            PerMinute = (final - firstFinal) / span.TotalMinutes;
        else if (status.SubmittedAt is { } submitted && now > submitted && final > status.Resumed)
            PerMinute = (final - status.Resumed) / (now - submitted).TotalMinutes;
        var left = status.Counts.Total - final;
        Eta = left == 0 ? TimeSpan.Zero : PerMinute is > 0 and var rate ? TimeSpan.FromMinutes(left / rate) : null;
    }
}
