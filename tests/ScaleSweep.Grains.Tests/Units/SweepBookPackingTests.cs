using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary><c>resources.pack</c> in the pure state machine: a slot gets a pack of trials of one shape, never a mix.</summary>
public class SweepBookPackingTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 2);

    /// <summary>Widths 64, 128, 256, 512 in turn, 4 LRs each; with <paramref name="seeds"/> a seed axis on top.</summary>
    private static SweepBook Book(int pack, string kind = "mlp", int trials = 16, int seeds = 1)
    {
        var plan = TestPlans.Make("pack", trials, kind);
        var specs = plan.Trials.SelectMany(t => Enumerable.Range(0, seeds).Select(s => t.Spec with { Seed = s }))
            .Select(TestPlans.Planned).ToArray();
        return new SweepBook("s1", TestPlans.Make("pack", [.. specs]) with { Settings = plan.Settings with { Pack = pack } },
            new SweepProgress(), LeaseFor);
    }

    private static IEnumerable<TrialLease[]> Packs(IEnumerable<TrialLease> leases) =>
        leases.GroupBy(l => l.Pack == 0 ? -l.LeaseId : l.Pack).Select(g => g.ToArray());

    [Fact]
    public void A_slot_gets_a_pack_of_one_shape_and_never_mixes_shapes()
    {
        var book = Book(pack: 3, seeds: 2);
        var leases = book.Lease(Cpu, 4, T0);

        var packs = Packs(leases).ToArray();
        Assert.Equal(4, packs.Length);
        Assert.Equal(4, TrialLease.Slots(leases));
        Assert.All(packs, p => Assert.Equal(3, p.Length));
        // Widths, LRs and seeds differ across the plan; inside a pack only LR and seed may.
        Assert.All(packs, p => Assert.Single(p.Select(l => TrialPacking.ShapeKey(l.Spec)).Distinct()));
        Assert.All(packs, p => Assert.Single(p.Select(l => l.Spec.Model.Width).Distinct()));
        Assert.All(packs, p => Assert.Equal(p[0].LeaseId, p[0].Pack));
        Assert.Equal(leases.Length, leases.Select(l => l.Key).Distinct().Count());
    }

    [Fact]
    public void Every_trial_is_leased_once_across_packs_and_each_member_completes_on_its_own()
    {
        var book = Book(pack: 5, seeds: 3);
        var all = new List<TrialLease>();
        for (var round = 0; round < 50 && book.PendingCount > 0; round++) all.AddRange(book.Lease(Cpu, 1, T0));
        Assert.Equal(48, all.Count);
        Assert.Equal(48, all.Select(l => l.Key).Distinct().Count());
        Assert.All(Packs(all), p => Assert.Single(p.Select(l => TrialPacking.ShapeKey(l.Spec)).Distinct()));
        foreach (var lease in all) Assert.True(book.Complete(Cpu.Id, TestRows.For(lease, TrialMeasurements.None(TrialStatus.Completed) with { FinalTrainLoss = 1 }), T0));
        Assert.True(book.AllFinal);
    }

    [Fact]
    public void A_pack_takes_mates_of_its_head_s_seed_first_so_they_share_batches()
    {
        // Each shape has 4 LRs × 2 seeds, seeds adjacent in plan order: packs of 4 are each one seed.
        var book = Book(pack: 4, seeds: 2);
        var leases = book.Lease(Cpu, 8, T0);

        var packs = Packs(leases).ToArray();
        Assert.Equal(8, packs.Length);
        Assert.All(packs, p => Assert.Equal(4, p.Length));
        Assert.All(packs, p => Assert.Single(p.Select(l => l.Spec.Seed).Distinct()));
    }

    [Fact]
    public void Auto_packs_narrow_models_and_leaves_wide_ones_alone()
    {
        var book = Book(pack: TrialPacking.Auto, trials: 32, seeds: 4);
        var leases = book.Lease(Cpu, 100, T0);
        Assert.All(leases.Where(l => l.Spec.Model.Width > TrialPacking.AutoMaxWidth), l => Assert.Equal(0, l.Pack));
        var packed = Packs(leases.Where(l => l.Spec.Model.Width <= TrialPacking.AutoMaxWidth)).ToArray();
        Assert.NotEmpty(packed);
        Assert.All(packed, p => Assert.Equal(TrialPacking.AutoSize, p.Length));
    }

    [Fact]
    public void Trials_of_a_kind_that_does_not_pack_run_alone()
    {
        var book = Book(pack: 4, kind: "noop");
        var leases = book.Lease(Cpu, 3, T0);
        Assert.Equal(3, leases.Length);
        Assert.All(leases, l => Assert.Equal(0, l.Pack));
    }

    [Fact]
    public void Expired_pack_members_are_leased_again_in_packs_of_their_shape()
    {
        var book = Book(pack: 4);
        var first = book.Lease(Cpu, 4, T0);
        Assert.Equal(16, first.Length);
        book.Renew(Cpu.Id, [.. first.Select(l => new LeaseRenewal(l.Key, l.LeaseId, null, l.Attempt))], T0);
        Assert.Equal(16, book.ExpireLeases(T0 + LeaseFor + TimeSpan.FromSeconds(1)));
        var again = book.Lease(Cpu, 4, T0 + LeaseFor + TimeSpan.FromSeconds(2));
        Assert.Equal(first.Select(l => l.Key).Order(), again.Select(l => l.Key).Order());
        Assert.All(again, l => Assert.Equal(2, l.Attempt));
        Assert.All(Packs(again), p => Assert.Single(p.Select(l => TrialPacking.ShapeKey(l.Spec)).Distinct()));
    }
}
