using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Tests.Trials;

public class TrialRowsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TrialSpec Spec = new("mup",
        new ModelConfig("moe", 256, 3) { Experts = 4, ExpertWidth = 64, TopK = 2 },
        new DataConfig("synthetic"),
        new OptimConfig("adam", 0.0625, 40, 32),
        new BaseShape(64, 2), 7, ParameterizationOptions.Default)
    {
        Extra = ImmutableSortedDictionary<string, double>.Empty.Add("dropout", 0.1),
    };

    private static readonly TrialMeasurements Measured = new()
    {
        Status = TrialStatus.Diverged,
        FinalTrainLoss = 9.5,
        FinalEvalLoss = 2.5,
        EvalAccuracy = 0.25,
        BestEvalLoss = 2.25,
        DivergedAtStep = 17,
        Steps = 17,
        Params = 123_456,
        WallSeconds = 3.5,
        SamplesPerSecond = 640,
        Error = "boom",
        Curve = [new CurvePoint(1, 3.0, 2.9, 0.0625), new CurvePoint(17, double.NaN, null, 0.0625)],
    };

    private static readonly TrialAttempt Attempt = new("sweep-9", "key-9", 3, "silo-9", T0, T0.AddSeconds(4));

    [Fact]
    public void A_row_is_the_specs_configuration_the_attempts_identity_and_the_measurements()
    {
        var expected = new TrialResult
        {
            SweepId = "sweep-9", TrialKey = "key-9", Attempt = 3, Silo = "silo-9", StartedAt = T0, FinishedAt = T0.AddSeconds(4),
            Parameterization = "mup", Model = "moe", Optimizer = "adam", Width = 256, Depth = 3, Experts = 4, ExpertWidth = 64, TopK = 2,
            Lr = 0.0625, Seed = 7, Extra = Spec.Extra,
            Status = TrialStatus.Diverged, FinalTrainLoss = 9.5, FinalEvalLoss = 2.5, EvalAccuracy = 0.25, BestEvalLoss = 2.25,
            DivergedAtStep = 17, Steps = 17, Params = 123_456, WallSeconds = 3.5, SamplesPerSecond = 640, Error = "boom",
            Curve = Measured.Curve,
        };
        Assert.Equal(expected, TrialRows.Compose(Spec, Attempt, Measured));
    }

    [Fact]
    public void Every_column_has_exactly_one_source()
    {
        // A column added to the row must be added to exactly one of the attempt or the measurements (or be spec configuration).
        string[] fromSpec = ["Parameterization", "Model", "Optimizer", "Width", "Depth", "Experts", "ExpertWidth", "TopK", "Lr", "Log2Lr", "Seed", "Extra"];
        var fromAttempt = typeof(TrialAttempt).GetProperties().Select(p => p.Name).Except(["EqualityContract"]).ToArray();
        // Metrics join the spec's Extra (tested below), so they are no column of their own.
        var fromMeasurements = typeof(TrialMeasurements).GetProperties().Select(p => p.Name).Except(["EqualityContract", "Metrics"]).ToArray();
        // reused_from is set only when a sweep adopts a stored row (--reuse); a composed row never has it.
        string[] fromAdoption = ["ReusedFrom"];
        var sources = fromSpec.Concat(fromAttempt).Concat(fromMeasurements).Concat(fromAdoption).ToArray();
        Assert.Equal(sources.Length, sources.Distinct().Count());
        Assert.Equal(typeof(TrialResult).GetProperties().Select(p => p.Name).Except(["EqualityContract"]).Order(), sources.Order());
    }

    [Fact]
    public void Reported_metrics_become_extra_columns_but_never_override_a_swept_value()
    {
        var spec = Spec with { Extra = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("dropout", 0.1)]) };
        var measured = Measured with
        {
            Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("dropout", 0.9), KeyValuePair.Create("grad_norm", 2.5)]),
        };
        var row = TrialRows.Compose(spec, Attempt, measured);
        Assert.Equal(0.1, row.Extra["dropout"]);
        Assert.Equal(2.5, row.Extra["grad_norm"]);
    }

    [Theory]
    [InlineData(TrialStatus.Pending)]
    [InlineData(TrialStatus.Leased)]
    public void A_row_must_be_final(TrialStatus status)
    {
        Assert.Throws<ArgumentException>(() => TrialRows.Compose(Spec, Attempt, TrialMeasurements.None(status)));
    }

    [Fact]
    public void A_standalone_run_is_attempt_one_of_no_sweep_keyed_by_its_spec_and_timed_by_the_clock_given()
    {
        var clock = new SteppingClock(T0, TimeSpan.FromSeconds(5));
        var runner = new FixedRunner(Measured);
        var row = runner.RunAlone(Spec, null, default, clock);
        Assert.Same(Spec, runner.Ran);
        Assert.Equal(TrialRows.Compose(Spec, new TrialAttempt("", TrialKey.For(Spec), 1, "", T0, T0.AddSeconds(5)), Measured), row);
    }

    private sealed class FixedRunner(TrialMeasurements measured) : ITrialRunner
    {
        public TrialSpec? Ran { get; private set; }

        public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation)
        {
            Ran = spec;
            return measured;
        }
    }

    /// <summary>A clock that moves on by a fixed step each time it is read.</summary>
    private sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _next = start;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _next;
            _next += step;
            return now;
        }
    }
}
