using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ScaleSweep.Cli.Commands;

/// <summary>What a benchmark's child process printed last on stdout (one JSON object) and how long it lived.</summary>
internal sealed record ChildRun(JsonObject Result, double WallSeconds);

/// <summary>
/// Runs one benchmark side as its own process, so each side pays its own start-up, data loading and JIT as a user's
/// run would: this CLI again (<see cref="Self"/>) or another program.
/// </summary>
internal static class ChildProcess
{
    /// <summary>This CLI as it was started: the apphost, or <c>dotnet scalesweep.dll</c>.</summary>
    public static ProcessStartInfo Self(IEnumerable<string> args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    public static ProcessStartInfo Program(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>Runs to the end; a failure is an exception naming what ran and the end of its stderr.</summary>
    public static async Task<ChildRun> RunAsync(ProcessStartInfo info, CancellationToken ct)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var watch = Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var wall = watch.Elapsed.TotalSeconds;
        var output = await stdout;
        var what = $"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList)}";
        if (process.ExitCode != 0)
        {
            var error = (await stderr).Trim();
            throw new InvalidOperationException($"{what}: exit {process.ExitCode}: {error[Math.Max(0, error.Length - 400)..]}");
        }
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return JsonNode.Parse(last ?? "") is JsonObject result
            ? new ChildRun(result, wall)
            : throw new InvalidOperationException($"{what}: printed no JSON result");
    }
}
