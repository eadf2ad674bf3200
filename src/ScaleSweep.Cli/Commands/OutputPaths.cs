namespace ScaleSweep.Cli.Commands;

/// <summary>
/// Where a command will write, checked before it computes anything: a path that cannot be written is a usage error
/// (exit 2) naming the flag, not a failure after the work is done.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The full path of <paramref name="path"/> as a folder that exists now (created with its parents).</summary>
    public static string Folder(string path, string flag)
    {
        var full = Path.GetFullPath(path);
        for (var folder = full; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder)) throw new UsageException($"{flag}: {folder} is a file, not a folder");
        }
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{flag}: cannot create the folder {full} ({ex.Message})");
        }
        return full;
    }

    /// <summary>The full path of a PNG file to be written later, whose folder exists now.</summary>
    public static string Png(string path, string flag)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"{flag}: the file must end in .png, got '{path}'");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UsageException($"{flag}: {full} is a folder, not a file");
        Folder(Path.GetDirectoryName(full)!, flag);
        return full;
    }
}
