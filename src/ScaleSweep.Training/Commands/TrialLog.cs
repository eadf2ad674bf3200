using System.Text;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// A command trial's log, <c>logs/&lt;trial_key&gt;.log</c> in its results folder: stderr and the stdout lines that are
/// not protocol, each attempt appended under a header line. Capped at <see cref="MaxBytes"/> per attempt so a chatty
/// program cannot fill the disk; the last stderr lines are also kept in memory for a failed attempt's error.
/// Safe for the stdout and stderr readers at once.
/// </summary>
public sealed class TrialLog : IDisposable
{
    public const string Folder = "logs";
    public const long MaxBytes = 4 << 20;
    private const int TailLines = 20;
    private const int TailChars = 2000;

    private readonly Queue<string> _tail = new();
    private readonly StreamWriter? _file;
    private long _written;
    private bool _truncated;
    private bool _closed;

    private TrialLog(StreamWriter? file) => _file = file;

    /// <summary>The log path of a trial in a results folder.</summary>
    public static string PathOf(string resultsFolder, string trialKey) => Path.Combine(resultsFolder, Folder, $"{trialKey}.log");

    /// <summary>Opens the trial's log for appending; with no results folder (or one this machine cannot write) only the tail is kept.</summary>
    public static TrialLog Open(string? resultsFolder, string trialKey, string header)
    {
        StreamWriter? file = null;
        if (resultsFolder is not null)
        {
            try
            {
                var path = PathOf(resultsFolder, trialKey);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file = null; // the trial still runs; its error carries the stderr tail
            }
        }
        var log = new TrialLog(file);
        log.Write(header);
        return log;
    }

    /// <summary>A stderr line: logged and kept for the error tail.</summary>
    public void Error(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.Dequeue();
        }
        Write(line);
    }

    /// <summary>A stdout line that is not protocol.</summary>
    public void Output(string line) => Write(line);

    /// <summary>The last stderr lines, newest last, at most <see cref="TailChars"/> characters.</summary>
    public string Tail()
    {
        string text;
        lock (_tail) text = string.Join('\n', _tail);
        return text.Length <= TailChars ? text : "…" + text[^TailChars..];
    }

    public void Write(string line)
    {
        if (_file is null) return;
        lock (_file)
        {
            if (_truncated || _closed) return;
            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            if (_written + bytes > MaxBytes)
            {
                _truncated = true;
                _file.WriteLine($"[scalesweep: log truncated at {MaxBytes} bytes for this attempt]");
                return;
            }
            _written += bytes;
            _file.WriteLine(line);
        }
    }

    public void Dispose()
    {
        if (_file is null) return;
        lock (_file)
        {
            _closed = true;
            _file.Dispose();
        }
    }
}
