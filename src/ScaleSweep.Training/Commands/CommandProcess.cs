using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// A command trial's program running in a process group of its own, which dies with this process however this
/// process ends. Started without a shell interpreting anything the user wrote:
/// <c>setpriv --pdeathsig USR1 setsid /bin/sh -c SUPERVISOR scalesweep-trial PROGRAM ARGS...</c>, where the fixed
/// supervisor script runs <c>"$@"</c> (the program, its arguments passed through as they are) and waits for it.
/// </summary>
/// <remarks>
/// Why this chain. The program and everything it starts (data loader workers, a script's children) must stop when a
/// trial is stopped and must not outlive a silo that is SIGKILLed, when no code of ours runs any more.
/// <list type="bullet">
/// <item><c>setsid</c> makes the supervisor the leader of a new session and process group, so one
/// <c>kill(-pgid)</c> reaches the whole tree (a cancel, a lost lease, a timeout or a shutdown: SIGTERM, then
/// SIGKILL after <see cref="CommandTrialRunner.Grace"/>), and a group member the program left behind is killed
/// when it exits.</item>
/// <item><c>setpriv --pdeathsig USR1</c> asks the kernel to signal the supervisor when its parent dies; the
/// supervisor's trap then SIGKILLs its whole group. The kernel ties the parent-death signal to the parent
/// <em>thread</em> that forked, not the process: .NET forks on the thread that calls <see cref="Process.Start()"/>,
/// and <see cref="Start"/> is only called from <see cref="CommandTrialRunner.Run(Abstractions.Trials.TrialSpec, Abstractions.Trials.TrialContext, Action{Abstractions.Trials.TrialProgress}?, CancellationToken)"/>, which blocks that
/// same thread until the group is gone. So the thread outlives the program unless the whole process dies, which is
/// exactly when the signal should fire. A signal other than TERM is used so that the runner's own SIGTERM to the
/// group (which the supervisor also receives and ignores) still gives the program its grace period.</item>
/// </list>
/// The supervisor sets both traps before starting the program (a signal before that ends the shell with nothing
/// started), and feeds the program the trial file on stdin.
/// </remarks>
internal sealed class CommandProcess : IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    // "$@" is the program and its arguments, word for word: no expansion of what the user wrote happens here.
    private const string Supervisor = """
        trap 'kill -s KILL 0' USR1
        trap ':' TERM
        "$@" < "$SCALESWEEP_TRIAL" &
        child=$!
        while :; do
          wait "$child"
          status=$?
          kill -0 "$child" 2>/dev/null || exit "$status"
        done
        """;

    private readonly Process _process;
    private int _pid;
    private volatile bool _exited;
    private Timer? _killTimer;

    private CommandProcess(Process process) => _process = process;

    /// <summary>The supervisor's pid: also the id of the trial's process group.</summary>
    public int Id => _pid;

    public StreamReader Output => _process.StandardOutput;

    public int ExitCode => _process.ExitCode;

    public static CommandProcess Start(CommandLaunch launch, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        Action<string> onError)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            WorkingDirectory = launch.Workdir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])["--pdeathsig", "USR1", "setsid", "/bin/sh", "-c", Supervisor, "scalesweep-trial", launch.Program]) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onError(e.Data); };
        var started = new CommandProcess(process);
        // Whatever the program left running in its group goes when it exits, so stdout reaches its end.
        process.Exited += (_, _) => started.OnExited();
        process.Start();
        started._pid = process.Id;
        if (process.HasExited) started.OnExited(); // exited before the pid was known to the handler

        process.StandardInput.Close();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>SIGTERM to the group now, SIGKILL after <paramref name="grace"/>.</summary>
    public void Stop(TimeSpan grace)
    {
        Signal(SigTerm);
        _killTimer ??= new Timer(_ => Signal(SigKill), null, grace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits for the supervisor to exit and stderr to be read to its end.</summary>
    public void WaitForExit() => _process.WaitForExit();

    private void OnExited()
    {
        _exited = true;
        if (_pid > 0) Kill(-_pid, SigKill);
    }

    private void Signal(int signal)
    {
        if (_pid <= 0) return; // kill(0) or kill(-0) would signal this process's own group
        // The group's id is the supervisor's pid once setsid ran; before that only the process itself exists. Once it
        // has been reaped its pid is only signalled as a group (a pid is never reused while its group has members).
        if (Kill(-_pid, signal) != 0 && !_exited) Kill(_pid, signal);
    }

    public void Dispose()
    {
        _killTimer?.Dispose();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
