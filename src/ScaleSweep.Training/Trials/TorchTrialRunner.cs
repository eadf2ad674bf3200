using System.Diagnostics;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Trials;

/// <summary>
/// Trains one trial with TorchSharp: one TrialSpec in, its measurements out. Deterministic on CPU for a given
/// spec (own generator, seeded batch order, fixed thread count). Each step runs in its own dispose scope;
/// model and optimizer live outside it. Divergence (NaN/inf, or loss above DivergenceFactor × initial loss)
/// is a result, not an exception. Train loss is the cross-entropy (an MoE's load-balancing term is optimised
/// but not reported); a sample is an example, or a window of context bytes on text.
/// </summary>
public sealed class TorchTrialRunner : ITrialRunner
{
    /// <summary>Predictions (examples × positions) per evaluation forward pass.</summary>
    internal const int EvalPredictions = 2048;

    /// <summary>Laps each training step's phases when set (the step profile of <c>bench --profile</c>).</summary>
    public StepTimer? Timer { get; init; }

    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        Run(spec, TrialContext.Standalone(spec), progress, cancellation);

    public TrialMeasurements Run(TrialSpec spec, TrialContext context, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var stopAtStep = context.StopAtStep;
        var wall = Stopwatch.StartNew();
        set_num_threads(Math.Max(1, spec.Threads));
        NativeHeap.KeepFreedMemoryMapped();

        using var setup = TrialSetup.Open(spec);
        var (data, model, optimizer, batches) = (setup.Data, setup.Model, setup.Optimizer, setup.Batches);

        var optim = spec.Optim;
        // A rung leg runs the first steps of the full run: same schedule, evaluated where it stops.
        var last = stopAtStep > 0 ? Math.Min(stopAtStep, optim.Steps) : optim.Steps;
        var record = new TrainingRecord(optim, last);
        var trainTime = new Stopwatch();
        model.train();
        for (var step = 1; step <= last; step++)
        {
            if (cancellation.IsCancellationRequested) { record.Cancel(); break; }
            var lrFactor = LrSchedule.Factor(optim.Schedule, step, optim.Steps, optim.WarmupSteps);
            optimizer.SetLrFactor(lrFactor);
            var lr = optim.Lr * lrFactor;

            trainTime.Start();
            var loss = TrainStep(model, optimizer, batches, Timer);
            trainTime.Stop();
            YoungGeneration.CollectWhenOverBudget();

            if (record.Diverges(step, loss, lr)) break;
            record.Log(step, loss, lr, record.IsEvalStep(step) ? Evaluate(model, data) : null);
            progress?.Invoke(new TrialProgress(step, optim.Steps, loss));
        }
        return record.Measurements(model.ParameterCount, wall.Elapsed, trainTime.Elapsed);
    }

    /// <summary>One optimizer step on the next batch, in its own dispose scope; returns the batch's cross-entropy.</summary>
    internal static double TrainStep(ScalableModel model, ScaledOptimizer optimizer, IBatchStream batches, StepTimer? timer = null)
    {
        timer?.StartStep();
        var scope = NewDisposeScope();
        float loss;
        try
        {
            var (x, y) = batches.Next();
            timer?.Lap(StepPhase.BatchAssembly);
            optimizer.ZeroGrad();
            timer?.Lap(StepPhase.Optimizer);
            var (objective, crossEntropy) = TrainingObjective.Compute(model, x, y);
            timer?.Lap(StepPhase.Forward);
            objective.backward();
            timer?.Lap(StepPhase.Backward);
            optimizer.Step(new CalibrationBatch(model, x));
            timer?.Lap(StepPhase.Optimizer);
            loss = crossEntropy.item<float>();
            timer?.Lap(StepPhase.LossReadBack);
        }
        finally
        {
            scope.Dispose();
        }
        timer?.Lap(StepPhase.DisposeScope);
        return loss;
    }

    /// <summary>
    /// Mean cross-entropy (nats; per byte on text) and accuracy (next-byte accuracy on text) over the fixed
    /// eval set. The auxiliary loss is a training device and not part of it.
    /// </summary>
    public static (double Loss, double Accuracy) Evaluate(ScalableModel model, ITrainingData data)
    {
        model.eval();
        double lossSum = 0;
        long correct = 0;
        var chunk = Math.Max(1, EvalPredictions / data.PredictionsPerExample);
        using (no_grad())
        {
            for (long start = 0; start < data.EvalCount; start += chunk)
            {
                using var scope = NewDisposeScope();
                var (x, y) = data.EvalBatch(start, Math.Min(chunk, data.EvalCount - start));
                var logits = model.forward(x);
                lossSum += TrainingObjective.CrossEntropy(logits, y, nn.Reduction.Sum).item<float>();
                correct += logits.argmax(-1).eq(y).sum().item<long>();
            }
        }
        model.train();
        var predictions = (double)data.EvalCount * data.PredictionsPerExample;
        return (lossSum / predictions, correct / predictions);
    }
}
