using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Scheduling;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>A silo declared dead: its workers' leases end at once, so <c>running</c> counts living slots only.</summary>
public class LostWorkerTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo A = new("a", "cpu", 2) { Silo = "S127.0.0.1:11111:1" };
    private static readonly WorkerInfo B = new("b", "cpu", 2) { Silo = "S127.0.0.1:11112:1" };
    private static readonly WorkerInfo C = new("c", "cpu", 2) { Silo = "S127.0.0.1:11113:1" };

    private static SweepBook Book(int trials) => new("s1", TestPlans.Make("lost", trials, maxAttempts: 3), new SweepProgress(), LeaseFor);

    private static TrialResult Completed(TrialLease lease) => TestRows.For(lease, TrialMeasurements.None(TrialStatus.Completed) with { FinalTrainLoss = 1.0 });

    [Fact]
    public void A_lost_workers_leases_end_at_once_with_the_reason_and_a_repeat_changes_nothing()
    {
        var book = Book(trials: 5);
        var held = book.Lease(B, 2, T0);
        Assert.Equal(2, book.Lease(A, 2, T0).Length);

        // Long before the leases would expire (20 s).
        Assert.Equal(2, book.LoseWorkers(["b"], T0 + TimeSpan.FromSeconds(1)));
        Assert.Equal(2, book.Counts().Running);
        Assert.Equal(3, book.Counts().Pending);
        Assert.Equal(2, book.Progress.Retries);
        Assert.Equal(0, book.LoseWorkers(["b"], T0 + TimeSpan.FromSeconds(2)));
        Assert.Equal(2, book.Progress.Retries);

        var again = book.Lease(C, 3, T0 + TimeSpan.FromSeconds(3));
        Assert.Equal(held.Select(l => l.Key).Order(), again.Where(l => l.Attempt == 2).Select(l => l.Key).Order());
        // Should the dead worker still be heard from, it is told its lease went to someone else.
        Assert.Equal(RenewVerdict.Lost, book.Renew("b", [new LeaseRenewal(held[0].Key, held[0].LeaseId, null)], T0 + TimeSpan.FromSeconds(3))[0]);
        Assert.All(book.Status("s", T0).Running.Where(r => r.Attempt == 2),
            r => Assert.Equal("silo lost: worker b's silo was declared dead", r.PreviousError));
        Assert.True(book.Complete("c", Completed(again.First(l => l.Attempt == 2)), T0 + TimeSpan.FromSeconds(4)));
        Assert.StartsWith("attempt 1: silo lost: worker b", Assert.Single(book.Outbox).Error);
    }

    [Fact]
    public void Running_never_exceeds_the_living_workers_slots_across_a_silo_death()
    {
        var book = Book(trials: 30);
        var slots = new Dictionary<string, int> { ["a"] = 2, ["b"] = 2, ["c"] = 2 };
        var held = new Dictionary<string, List<TrialLease>> { ["a"] = [], ["b"] = [], ["c"] = [] };
        var now = T0;
        void Fill(WorkerInfo w) => held[w.Id].AddRange(book.Lease(w, slots[w.Id] - held[w.Id].Count, now));
        foreach (var w in new[] { A, B, C }) Fill(w);
        Assert.Equal(6, book.Counts().Running);

        // b dies holding 2 leases; a and c keep finishing and leasing while the death is declared.
        slots["b"] = 0;
        Assert.Equal(2, book.LoseWorkers(["b"], now));
        held["b"].Clear();
        for (var round = 0; round < 10; round++)
        {
            now += TimeSpan.FromSeconds(1);
            foreach (var w in new[] { A, C })
            {
                foreach (var lease in held[w.Id]) book.Complete(w.Id, Completed(lease), now);
                held[w.Id].Clear();
                Fill(w);
            }
            Assert.InRange(book.Counts().Running, 0, slots.Values.Sum());
        }
    }

    [Fact]
    public void A_dead_silos_workers_are_found_by_their_latest_silo_and_a_restarted_namesake_is_not()
    {
        var map = new Dictionary<string, string>();
        Assert.True(WorkerSilos.Record(map, A));
        Assert.True(WorkerSilos.Record(map, B));
        Assert.False(WorkerSilos.Record(map, B));
        // A worker without a silo (an old client) changes nothing.
        Assert.False(WorkerSilos.Record(map, new WorkerInfo("d", "cpu", 1)));
        Assert.Equal(["b"], WorkerSilos.On(map, [B.Silo!]).ToArray());

        // b restarts under the same name on a new silo before the old one is declared dead.
        Assert.True(WorkerSilos.Record(map, B with { Silo = "S127.0.0.1:11112:2" }));
        Assert.Empty(WorkerSilos.On(map, [B.Silo!]));
        Assert.Equal(["a", "b"], WorkerSilos.On(map, [A.Silo!, "S127.0.0.1:11112:2"]).ToArray());
        Assert.True(WorkerSilos.Forget(map, ["a"]));
        Assert.False(WorkerSilos.Forget(map, ["a"]));
        Assert.Equal(["b"], map.Keys.ToArray());
    }
}
