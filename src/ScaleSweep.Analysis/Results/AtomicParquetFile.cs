using Parquet;
using Parquet.Schema;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// A Parquet file that is only ever replaced whole: every change is made on a temporary copy in the same folder
/// (<c>.NAME.tmp</c>) and renamed over the visible file, so a reader (or a crash) never sees a half-written file.
/// </summary>
/// <remarks>
/// Appending copies the visible file, appends one row group to the copy (Parquet.Net's append mode rewrites only
/// the footer) and renames it. The copy is a byte copy (the kernel may clone it), so a flush costs
/// O(file bytes) of I/O but encodes only the new rows: thousands of trials with their curves are a few MB,
/// a few milliseconds per flush, whereas re-encoding every row at each flush would cost O(rows) CPU each time.
/// </remarks>
internal sealed class AtomicParquetFile(string path, ParquetSchema schema)
{
    public string Path { get; } = path;

    public string TempPath { get; } = ResultsFolder.TempPathFor(path);

    public ParquetSchema Schema { get; } = schema;

    /// <summary>Replaces the file with a new one holding the row groups <paramref name="write"/> adds (none: empty).</summary>
    public Task ReplaceAsync(Func<ParquetWriter, Task> write, CancellationToken ct)
    {
        File.Delete(TempPath);
        return CommitAsync(append: false, write, ct);
    }

    /// <summary>Adds row groups to the visible file's content and publishes the result atomically.</summary>
    public Task AppendAsync(Func<ParquetWriter, Task> write, CancellationToken ct)
    {
        File.Copy(Path, TempPath, overwrite: true);
        return CommitAsync(append: true, write, ct);
    }

    private async Task CommitAsync(bool append, Func<ParquetWriter, Task> write, CancellationToken ct)
    {
        try
        {
            await using (var stream = new FileStream(TempPath, append ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                await using (var writer = await ParquetWriter.CreateAsync(Schema, stream, append: append, cancellationToken: ct))
                {
                    await write(writer);
                }
                // On disk before the rename, so the name never points at data still in the page cache only.
                stream.Flush(flushToDisk: true);
            }
            File.Move(TempPath, Path, overwrite: true);
        }
        catch
        {
            TryDelete(TempPath);
            throw;
        }
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { /* a stale temp file is ignored by readers and replaced by the next flush */ }
    }
}
