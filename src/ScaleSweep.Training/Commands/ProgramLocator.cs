namespace ScaleSweep.Training.Commands;

/// <summary>
/// Finds a command trial's program as <c>execvp</c> would: a name with a '/' is a path (relative to the working
/// folder), a bare name is searched on PATH (the trial's own PATH when its env sets one). Checked before a sweep
/// starts in embedded mode and before each start on a worker, so a typo is one clear error, not a failed trial per point.
/// </summary>
public static class ProgramLocator
{
    /// <summary>The program's absolute path, or null with <paramref name="error"/> saying why not.</summary>
    public static string? Find(string program, string workdir, string? path, out string? error)
    {
        error = null;
        if (program.Contains('/'))
        {
            var full = Path.GetFullPath(program, workdir);
            if (!File.Exists(full))
            {
                error = Directory.Exists(full) ? $"'{program}' is a folder, not a program" : $"'{program}' does not exist (looked at {full})";
                return null;
            }
            if (!IsExecutable(full))
            {
                error = $"'{program}' is not executable (chmod +x {full}, or name its interpreter first, e.g. [/usr/bin/python3, {program}])";
                return null;
            }
            return full;
        }
        foreach (var folder in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.GetFullPath(Path.Combine(folder, program), workdir);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        error = $"'{program}' is not an executable on PATH ({path})";
        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }
}
