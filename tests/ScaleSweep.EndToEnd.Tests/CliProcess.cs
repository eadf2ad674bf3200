using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ScaleSweep.Tests.Shared;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>The built <c>scalesweep</c> CLI run with <c>dotnet</c>: one-shot commands and long-running silos.</summary>
public static class CliProcess
{
    public static string CliDll => BuiltCli.Dll;

    /// <summary>
    /// How long a one-shot client command (submit, status, list, a silo refusing its flags) may take before the
    /// harness gives up on it. Each command bounds its own waits (a client waits out a failover for 60 s, then exits 1
    /// with one line), so this is only a net for a hung process, wide enough that the command's own bound always
    /// decides: with 60 s, runs of eight suites at once on two cores failed when `submit` took longer than that to start.
    /// </summary>
    public static readonly TimeSpan ClientBound = TimeSpan.FromMinutes(5);

    public static CliOutcome Run(TimeSpan timeout, params string[] args) => BuiltCli.Run(timeout, null, null, args);

    /// <summary>Runs a command with extra environment variables (e.g. <c>OTEL_*</c>).</summary>
    public static CliOutcome Run(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        BuiltCli.Run(timeout, null, environment, args);

    /// <summary>Starts <c>scalesweep silo ...</c> and waits for its ready line.</summary>
    public static SiloProcess StartSilo(params string[] args) => SiloProcess.Start(BuiltCli.StartInfo(["silo", .. args]));

    /// <summary>Any long-running command (e.g. <c>watch</c>), its output read as it comes.</summary>
    public static SiloProcess Start(params string[] args) => SiloProcess.Start(BuiltCli.StartInfo(args));

    /// <summary>As above, with extra environment variables (secrets that stay off the command line).</summary>
    public static SiloProcess StartSilo(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = BuiltCli.StartInfo(["silo", .. args]);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return SiloProcess.Start(info);
    }
}

/// <summary>A running <c>scalesweep silo</c>; SIGKILL or SIGTERM it, read what it logged.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Log => string.Join(Environment.NewLine, _log);

    internal static SiloProcess Start(ProcessStartInfo info)
    {
        var silo = new SiloProcess(Process.Start(info)!);
        silo._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            silo._log.Enqueue(e.Data);
            if (e.Data.StartsWith("silo ready", StringComparison.Ordinal)) silo._ready.TrySetResult();
        };
        silo._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) silo._log.Enqueue(e.Data); };
        silo._process.EnableRaisingEvents = true;
        silo._process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException("silo exited before it was ready"));
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"silo {Pid} not ready: {ex.Message}\n{Log}", ex);
        }
    }

    /// <summary>Waits until the silo has logged a line containing <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_log.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new TimeoutException($"silo {Pid} never logged '{text}':\n{Log}");
            await Task.Delay(50);
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit and for its output to be read; its exit code, or null on timeout.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return null;
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then wait for the silo to exit on its own.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        _ = Kill(_process.Id, Sigterm);
        return _process.WaitForExit(timeout);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
