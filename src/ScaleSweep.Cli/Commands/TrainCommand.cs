using System.CommandLine;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep train</c>: one trial from flags, for debugging a configuration.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train one trial from flags and print its result (for debugging a configuration).");
        var flags = new TrialFlags();
        flags.AddTo(command);
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the result (the trials.parquet columns) and nothing else." };
        command.Options.Add(json);

        command.SetAction((parse, cancellation) =>
        {
            var spec = flags.ToTrial(parse);
            var asJson = parse.GetValue(json);
            Action<TrialProgress>? progress = asJson ? null : p =>
            {
                if (p.Step % Math.Max(1, spec.Optim.EvalEvery) == 0 || p.Step == p.TotalSteps)
                    Console.WriteLine($"step {p.Step}/{p.TotalSteps}  train_loss {p.TrainLoss:F4}");
            };
            TrialResult result;
            try
            {
                result = new TorchTrialRunner().RunAlone(spec, progress, cancellation);
            }
            catch (DataUnavailableException ex)
            {
                throw new UsageException($"--data {spec.Data.Kind}: {ex.Message}");
            }
            if (asJson) Console.WriteLine(ResultJson(result).ToJsonString(CliJson.Options));
            else Console.WriteLine(
                $"{result.Status.ToName()}: final_train_loss {result.FinalTrainLoss:F4}  final_eval_loss {result.FinalEvalLoss:F4}  " +
                $"eval_accuracy {result.EvalAccuracy:P2}  steps {result.Steps}" +
                (result.DivergedAtStep is { } d ? $"  diverged_at_step {d}" : "") +
                $"  {result.SamplesPerSecond:F0} samples/s  {result.WallSeconds:F1} s");
            return Task.FromResult(result.Status is TrialStatus.Completed or TrialStatus.Diverged ? CliRunner.Ok : CliRunner.RuntimeFailure);
        });
        return command;
    }

    /// <summary>The result as its Parquet column names, without the loss curve.</summary>
    public static JsonObject ResultJson(TrialResult result)
    {
        var node = CliJson.ToNode(result with { Curve = [] }).AsObject();
        node.Remove("curve");
        node.Remove("extra");
        foreach (var (key, value) in result.Extra) node[key] = value;
        node["status"] = result.Status.ToName();
        node["log2_lr"] = result.Log2Lr;
        return node;
    }
}
