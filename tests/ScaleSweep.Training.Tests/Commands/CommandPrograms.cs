using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Tests.Commands;

/// <summary>Small /bin/sh programs written by a test, and command trial specs that run them.</summary>
internal sealed class CommandPrograms : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "scalesweep-cmd-" + Guid.NewGuid().ToString("N")[..8]);

    public CommandPrograms() => Directory.CreateDirectory(Folder);

    /// <summary>An executable script with <paramref name="body"/> after <c>#!/bin/sh</c>.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static TrialSpec Trial(string program, double timeoutSeconds = 0, params string[] args) =>
        new("mup",
            new ModelConfig("command", 128, 2)
            {
                Command = new CommandConfig([program, .. args], null, ImmutableSortedDictionary<string, string>.Empty) { TimeoutSeconds = timeoutSeconds },
            },
            new DataConfig(""),
            new OptimConfig("adam", 0.01, 100, 32),
            new BaseShape(64, 2),
            Seed: 3,
            ParameterizationOptions.Default);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>True while a process with this pid runs (a zombie, killed but not yet reaped by its parent, does not).</summary>
    public static bool Alive(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] != 'Z'; }
        catch (IOException) { return false; }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to be gone.</summary>
    public static bool GoneWithin(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Alive(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(50);
        }
        return true;
    }
}
