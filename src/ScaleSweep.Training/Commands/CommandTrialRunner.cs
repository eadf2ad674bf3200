using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// Runs a <c>command</c> trial: the user's program, handed the <see cref="TrialDocument"/>, reporting on stdout as
/// <see cref="ResultProtocol"/> reads it (docs/command-trials.md). A program that exits non-zero, ends without a
/// final line, or writes an unusable one fails the attempt (the sweep retries it up to max_attempts) with the last
/// lines of its stderr; a timeout kills it and fails the attempt; a cancelled token stops its process group
/// (SIGTERM, SIGKILL after <see cref="Grace"/>) and returns a cancelled trial.
/// </summary>
public sealed class CommandTrialRunner : ITrialRunner
{
    /// <summary>Environment variable naming the file that holds the trial document.</summary>
    public const string TrialVariable = "SCALESWEEP_TRIAL";

    /// <summary>How long a stopped program gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        Run(spec, TrialContext.Standalone(spec), progress, cancellation);

    public TrialMeasurements Run(TrialSpec spec, TrialContext context, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var command = spec.Model.Command ?? throw new ArgumentException($"model kind '{spec.Model.Kind}' is not a command trial (model.run is missing)");
        cancellation.ThrowIfCancellationRequested();
        var launch = CommandLaunch.Resolve(command, out var problem)
            ?? throw new InvalidOperationException($"{problem!.Value.Path}: {problem.Value.Message}");
        var doc = TrialDocument.For(spec, context);
        var arguments = new List<string>(command.Run.Length - 1);
        for (var i = 1; i < command.Run.Length; i++)
        {
            arguments.Add(Placeholders.Expand(command.Run[i], doc, out var error)
                ?? throw new InvalidOperationException($"model.run[{i}]: {error}"));
        }
        var trialFile = Path.Combine(Path.GetTempPath(), $"scalesweep-trial-{context.TrialKey}-{context.Attempt}-{Guid.NewGuid():N}.json");
        File.WriteAllText(trialFile, doc.ToJsonString());
        try
        {
            using var log = TrialLog.Open(context.ResultsFolder, context.TrialKey,
                $"# attempt {context.Attempt} of trial {context.TrialKey} started {DateTimeOffset.UtcNow:O}: {launch.Program} {string.Join(' ', arguments)}");
            return Supervise(spec, command, launch, arguments, Environment(spec, context, launch, trialFile), log, progress, cancellation);
        }
        finally
        {
            File.Delete(trialFile);
        }
    }

    private TrialMeasurements Supervise(TrialSpec spec, CommandConfig command, CommandLaunch launch, List<string> arguments,
        Dictionary<string, string> environment, TrialLog log, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var wall = Stopwatch.StartNew();
        var curve = ImmutableArray.CreateBuilder<CurvePoint>();
        ProtocolLine.Final? final = null;
        (int Number, string Text, string Why)? malformed = null;
        double? bestEval = null;
        int? lastStep = null;
        var timedOut = false;
        using var process = CommandProcess.Start(launch, arguments, environment, log.Error);
        using (cancellation.Register(() => process.Stop(Grace)))
        using (command.TimeoutSeconds > 0 ? new Timer(_ => { timedOut = true; process.Stop(Grace); }, null, TimeSpan.FromSeconds(command.TimeoutSeconds), Timeout.InfiniteTimeSpan) : null)
        {
            var number = 0;
            while (process.Output.ReadLine() is { } line)
            {
                number++;
                switch (ResultProtocol.Read(line))
                {
                    case ProtocolLine.Point p:
                        lastStep = p.Step;
                        if (p.EvalLoss is { } e) bestEval = Math.Min(bestEval ?? e, e);
                        curve.Add(new CurvePoint(p.Step, p.TrainLoss, p.EvalLoss, p.Lr ?? spec.Optim.Lr));
                        progress?.Invoke(new TrialProgress(p.Step, spec.Optim.Steps, p.TrainLoss));
                        break;
                    case ProtocolLine.Final f:
                        final = f;
                        malformed = null;
                        break;
                    case ProtocolLine.Other o:
                        log.Output(line);
                        if (o.Malformed is not null) malformed = (number, line, o.Malformed);
                        break;
                }
            }
            process.WaitForExit();
        }
        var seconds = wall.Elapsed.TotalSeconds;
        if (cancellation.IsCancellationRequested) return TrialMeasurements.None(TrialStatus.Cancelled);
        string? failure = null;
        if (timedOut) failure = $"timed out after {Show(command.TimeoutSeconds)} s (model.timeout_s): killed";
        else if (process.ExitCode != 0) failure = $"{Path.GetFileName(launch.Program)} exited with code {Describe(process.ExitCode)}";
        else if (final is null && malformed is { } m) failure = $"malformed JSON on stdout line {m.Number} ({m.Why}): {Clip(m.Text)}";
        else if (final is null) failure = $"{Path.GetFileName(launch.Program)} ended without a final result line ({{\"final_eval_loss\": ...}} on stdout)";
        else if (final.Problem is not null) failure = $"unusable final result line: {final.Problem}";
        if (failure is not null)
        {
            var tail = log.Tail();
            log.Write($"# failed: {failure}");
            return TrialMeasurements.None(TrialStatus.Failed, tail.Length == 0 ? failure : $"{failure}; stderr ends:\n{tail}") with
            {
                WallSeconds = seconds,
                Curve = curve.ToImmutable(),
                Steps = lastStep ?? 0,
            };
        }
        var measured = final!.Measured;
        var steps = measured.Steps > 0 ? measured.Steps
            : measured.Status == TrialStatus.Diverged ? measured.DivergedAtStep ?? lastStep ?? 0
            : lastStep ?? spec.Optim.Steps;
        if (measured.FinalEvalLoss is { } finalEval) bestEval = Math.Min(bestEval ?? finalEval, finalEval);
        return measured with
        {
            Steps = steps,
            BestEvalLoss = measured.BestEvalLoss ?? (measured.Status == TrialStatus.Diverged ? null : bestEval),
            WallSeconds = seconds,
            SamplesPerSecond = measured.SamplesPerSecond > 0 ? measured.SamplesPerSecond : seconds > 0 ? (double)steps * spec.Optim.Batch / seconds : 0,
            Curve = curve.ToImmutable(),
        };
    }

    /// <summary>The program's environment: this process's, the spec's <c>env</c>, then the variables the protocol sets.</summary>
    private static Dictionary<string, string> Environment(TrialSpec spec, TrialContext context, CommandLaunch launch, string trialFile)
    {
        var env = new Dictionary<string, string>(launch.Env, StringComparer.Ordinal)
        {
            [TrialVariable] = trialFile,
            ["OMP_NUM_THREADS"] = Math.Max(1, spec.Threads).ToString(CultureInfo.InvariantCulture),
            // The silo's GPU appears to the program as its device 0; a cpu trial sees none.
            ["CUDA_VISIBLE_DEVICES"] = DeviceKind.IsCuda(spec.Device) ? CudaIndex(context.Device) : "",
        };
        // Progress lines must arrive as they are printed, not when Python's pipe buffer fills.
        env.TryAdd("PYTHONUNBUFFERED", "1");
        return env;
    }

    private static string CudaIndex(string device) => device.IndexOf(':') is var colon and > 0 ? device[(colon + 1)..] : "0";

    private static string Describe(int code) => code > 128 ? $"{code} (signal {code - 128})" : code.ToString(CultureInfo.InvariantCulture);

    private static string Show(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Clip(string line) => line.Length <= 300 ? line : line[..300] + "…";
}
