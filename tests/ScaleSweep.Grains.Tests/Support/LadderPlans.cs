using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps.Ladder;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>Ladder plans built in code (noop trials, widths × log2 lrs × seeds) and a loss surface to play them with.</summary>
internal static class LadderPlans
{
    public static SweepPlan Make(int[] widths, int[] log2Lrs, int seeds = 2, LadderSettings? ladder = null, string[]? parameterizations = null)
    {
        var trials = ImmutableArray.CreateBuilder<PlannedTrial>();
        foreach (var p in parameterizations ?? ["mup"])
        foreach (var w in widths)
        foreach (var lr in log2Lrs)
        foreach (var seed in Enumerable.Range(0, seeds))
        {
            var spec = TestPlans.Spec("noop", w, Math.Pow(2, lr)) with { Parameterization = p, Seed = seed };
            trials.Add(TestPlans.Planned(spec));
        }
        var settings = new SweepSettings(3, new TransferSettings("width", 1.0)) { SweptKeys = ["width", "lr", "seed"], Ladder = ladder ?? new LadderSettings() };
        return new SweepPlan("ladder", trials.ToImmutable(), settings);
    }

    /// <summary>A bowl in log2 lr whose optimum is at <paramref name="optimum"/>(width); a little seed offset.</summary>
    public static double Bowl(TrialSpec spec, Func<int, double> optimum)
    {
        var d = Math.Log2(spec.Optim.Lr) - optimum(spec.Model.Width);
        return 1 + 0.1 * d * d + 0.001 * spec.Seed;
    }

    /// <summary>Outcomes of a plan's trials, all pending to start with.</summary>
    public sealed class Outcomes(SweepPlan plan)
    {
        public TrialStatus[] Statuses { get; } = new TrialStatus[plan.Trials.Length];
        public double[] Losses { get; } = [.. Enumerable.Repeat(double.NaN, plan.Trials.Length)];

        public void Finish(int i, TrialStatus status, double loss = double.NaN)
        {
            Statuses[i] = status;
            Losses[i] = status == TrialStatus.Completed ? loss : double.NaN;
        }

        public LadderDecision Plan(LadderLayout layout, LadderSettings settings) => LadderPlanner.Plan(layout, Statuses, Losses, settings);

        /// <summary>Runs every planned trial with <paramref name="loss"/> until the planner plans nothing new; returns the last decision.</summary>
        public LadderDecision RunToEnd(LadderLayout layout, LadderSettings settings, Func<TrialSpec, (TrialStatus, double)> loss)
        {
            while (true)
            {
                var decision = Plan(layout, settings);
                var ran = false;
                for (var i = 0; i < Statuses.Length; i++)
                {
                    if (!decision.Active[i] || Statuses[i] != TrialStatus.Pending) continue;
                    var (status, value) = loss(plan.Trials[i].Spec);
                    Finish(i, status, value);
                    ran = true;
                }
                if (!ran) return decision;
            }
        }
    }
}
