using System.Diagnostics;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Packing;

/// <summary>
/// Trains a pack of trials of one shape (<see cref="TrialPacking.ShapeKey"/>) as one stacked model, and measures each
/// member as <see cref="TorchTrialRunner"/> measures it alone: same init (each member's model is built from its own
/// seed's generator, then stacked), same batch order (its own <see cref="BatchSampler"/>), same LR schedule,
/// divergence rule, curve and evaluations, equal within float reordering. A member that diverges or is cancelled is
/// frozen at that step (<see cref="StackedOptimizer.Freeze"/>, its loss no longer counted); the others go on. A
/// member's wall time and throughput are its share of the pack's (the pack's time over its members).
/// </summary>
public sealed class PackedTrialRunner : IPackRunner
{
    /// <summary>
    /// Trains <paramref name="specs"/> as one pack (no progress, no cancellation): the entry point a benchmark times.
    /// </summary>
    public static IReadOnlyList<TrialMeasurements> Train(IReadOnlyList<TrialSpec> specs) =>
        new PackedTrialRunner().Run([.. specs.Select(s => new PackMember(s))], 0);

    /// <summary>
    /// Runs the pack; returns one measurement per member, in order. Members must share a shape key (an
    /// <see cref="ArgumentException"/> says which does not).
    /// </summary>
    /// <param name="stopAtStep">A ladder rung leg's last step (the same for the whole pack); 0 runs to the end.</param>
    public IReadOnlyList<TrialMeasurements> Run(IReadOnlyList<PackMember> members, int stopAtStep)
    {
        if (members.Count == 0) return [];
        var specs = members.Select(m => m.Spec).ToArray();
        Check(specs);
        var wall = Stopwatch.StartNew();
        var first = specs[0];
        set_num_threads(Math.Max(1, first.Threads));
        NativeHeap.KeepFreedMemoryMapped();

        var data = DataSets.Load(first.Data);
        var parameterizations = specs.Select(ParameterizationCatalog.For).ToArray();
        using var network = Build(specs, parameterizations, data);
        using var optimizer = new StackedOptimizer(network.Parameters, specs, parameterizations);
        // Members of one seed draw the same batches: one sampler then serves them all, and the first layer sees one
        // [batch, in] input (one matmul against every member's weights instead of a batched one over k copies).
        var samplers = specs.All(s => s.Seed == first.Seed)
            ? [new BatchSampler(data.TrainCount, first.Optim.Batch, first.Seed)]
            : specs.Select(s => new BatchSampler(data.TrainCount, s.Optim.Batch, s.Seed)).ToArray();

        var optim = first.Optim;
        var last = stopAtStep > 0 ? Math.Min(stopAtStep, optim.Steps) : optim.Steps;
        var records = specs.Select(s => new TrainingRecord(s.Optim, last)).ToArray();
        var active = Enumerable.Repeat(true, specs.Length).ToArray();
        using var counted = ones(specs.Length).DetachFromDisposeScope();
        using var indices = new PackIndices(samplers.Length * first.Optim.Batch);
        var trainTime = new Stopwatch();
        for (var step = 1; step <= last && active.Any(a => a); step++)
        {
            for (var i = 0; i < members.Count; i++)
            {
                if (!active[i] || !members[i].Cancellation.IsCancellationRequested) continue;
                records[i].Cancel();
                Freeze(i, active, optimizer, counted);
            }
            if (!active.Any(a => a)) break;
            var lrFactor = LrSchedule.Factor(optim.Schedule, step, optim.Steps, optim.WarmupSteps);

            trainTime.Start();
            var losses = TrainStep(network, optimizer, data, samplers, indices, counted, lrFactor);
            trainTime.Stop();
            YoungGeneration.CollectWhenOverBudget();

            var evalStep = records[0].IsEvalStep(step);
            var evaluated = false;
            (double Loss, double Accuracy)[]? evals = null;
            for (var i = 0; i < members.Count; i++)
            {
                if (!active[i]) continue;
                var lr = specs[i].Optim.Lr * lrFactor;
                if (records[i].Diverges(step, losses[i], lr))
                {
                    Freeze(i, active, optimizer, counted);
                    continue;
                }
                if (evalStep && !evaluated)
                {
                    evals = Evaluate(network, data);
                    evaluated = true;
                }
                records[i].Log(step, losses[i], lr, evalStep ? evals![i] : null);
                members[i].Progress?.Invoke(new TrialProgress(step, optim.Steps, losses[i]));
            }
        }
        var share = 1.0 / specs.Length;
        return records.Select(r => r.Measurements(network.ParameterCount, wall.Elapsed * share, trainTime.Elapsed * share)).ToArray();
    }

    private static void Freeze(int member, bool[] active, StackedOptimizer optimizer, Tensor counted)
    {
        active[member] = false;
        optimizer.Freeze(member);
        counted[member].FillWith_(0);
    }

    /// <summary>
    /// One step of every member on its next batch (its own sampler's, or the one sampler all members share); returns
    /// each member's cross-entropy.
    /// </summary>
    private static double[] TrainStep(StackedNetwork network, StackedOptimizer optimizer, ClassificationData data,
        BatchSampler[] samplers, PackIndices indices, Tensor counted, double lrFactor)
    {
        using var scope = NewDisposeScope();
        var (k, rows) = (network.Members, samplers.Length);
        var order = indices.Order;
        for (var i = 0; i < rows; i++) samplers[i].Next(order.AsSpan(i * order.Length / rows, order.Length / rows));
        using (var access = indices.Tensor.data<long>()) access.CopyFrom(order);
        var x = data.TrainX.index_select(0, indices.Tensor);
        var y = data.TrainY.index_select(0, indices.Tensor);
        (x, y) = rows == k ? (x.view(k, -1, data.InputSize), y.view(k, -1)) : (x, y.expand(k, -1));
        optimizer.ZeroGrad();
        var logits = network.Forward(x);
        var crossEntropy = TrainingObjective.CrossEntropy(logits, y, nn.Reduction.None).view(k, -1).mean([1]);
        // A frozen member's loss is left out of the sum, so its rows get no gradient; the others' gradients are
        // exactly those of their own mean loss.
        crossEntropy.mul(counted).sum().backward();
        optimizer.Step(lrFactor);
        using var losses = crossEntropy.detach().data<float>();
        return [.. losses.Select(l => (double)l)];
    }

    /// <summary>
    /// The members' batch indices, one after the other: an array and a tensor made once per pack and refilled in
    /// place each step, as an unpacked trial's batches are (a fresh index tensor per step costs more than a gather).
    /// </summary>
    private sealed class PackIndices(int length) : IDisposable
    {
        public long[] Order { get; } = new long[length];

        public Tensor Tensor { get; } = empty(length, ScalarType.Int64).DetachFromDisposeScope();

        public void Dispose() => Tensor.Dispose();
    }

    /// <summary>Every member's mean cross-entropy and accuracy over the fixed eval set, as <see cref="TorchTrialRunner.Evaluate"/> computes them.</summary>
    private static (double Loss, double Accuracy)[] Evaluate(StackedNetwork network, ClassificationData data)
    {
        var k = network.Members;
        var lossSums = new double[k];
        var correct = new long[k];
        const int chunk = TorchTrialRunner.EvalPredictions;
        using (no_grad())
        {
            for (long start = 0; start < data.EvalCount; start += chunk)
            {
                using var scope = NewDisposeScope();
                var (x, y) = data.EvalBatch(start, Math.Min(chunk, data.EvalCount - start));
                var logits = network.Forward(x);
                var targets = y.expand(k, y.shape[0]);
                var losses = TrainingObjective.CrossEntropy(logits, targets, nn.Reduction.None).view(k, -1).sum([1]).data<float>().ToArray();
                var hits = logits.argmax(-1).eq(targets).sum([1]).data<long>().ToArray();
                for (var i = 0; i < k; i++)
                {
                    lossSums[i] += losses[i];
                    correct[i] += hits[i];
                }
            }
        }
        var count = (double)data.EvalCount;
        return [.. Enumerable.Range(0, k).Select(i => (lossSums[i] / count, correct[i] / count))];
    }

    private static StackedNetwork Build(TrialSpec[] specs, Parameterization[] parameterizations, ClassificationData data)
    {
        using var scope = NewDisposeScope();
        var models = new List<ScalableModel>();
        try
        {
            for (var i = 0; i < specs.Length; i++)
            {
                using var generator = new Generator((ulong)specs[i].Seed);
                models.Add(ModelFactory.Create(specs[i].Model, specs[i].Base, data.InputSize, data.Classes, parameterizations[i], generator));
            }
            return new StackedNetwork(specs[0].Model, models, parameterizations);
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    private static void Check(TrialSpec[] specs)
    {
        var shape = TrialPacking.ShapeKey(specs[0]);
        for (var i = 0; i < specs.Length; i++)
        {
            if (!TrialPacking.IsPackable(specs[i]))
                throw new ArgumentException($"pack member {i} ({specs[i].Model.Kind}) cannot be packed");
            if (TrialPacking.ShapeKey(specs[i]) != shape)
                throw new ArgumentException($"pack member {i} has another shape than member 0 (only lr, seed, parameterization and its options may differ)");
        }
    }
}
