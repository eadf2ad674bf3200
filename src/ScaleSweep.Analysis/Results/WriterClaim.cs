namespace ScaleSweep.Analysis.Results;

/// <summary>
/// A results writer's claim on its folder, so that only the newest writer commits. Opening a writer puts a new token
/// in the folder's <see cref="FileName"/>; every commit holds that file locked and runs only while the token is still
/// this writer's. A writer another has replaced (an aggregator on a silo declared dead that still finishes a write)
/// then fails its commit instead of putting back a file without the rows the newer writer added.
/// </summary>
internal sealed class WriterClaim
{
    public const string FileName = ".writer";

    /// <summary>A commit holds the lock for milliseconds; waiting longer means something else is wrong.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly byte[] _token = Guid.NewGuid().ToByteArray();

    private WriterClaim(string directory) => _path = Path.Combine(directory, FileName);

    public static async Task<WriterClaim> TakeAsync(string directory, CancellationToken ct)
    {
        var claim = new WriterClaim(directory);
        await using var file = await claim.LockAsync(ct);
        file.SetLength(0);
        await file.WriteAsync(claim._token, ct);
        return claim;
    }

    /// <summary>Runs <paramref name="commit"/> under the folder's lock if no newer writer has claimed the folder.</summary>
    public async Task CommitAsync(Func<Task> commit, CancellationToken ct)
    {
        await using var file = await LockAsync(ct);
        var held = new byte[_token.Length + 1];
        var read = await file.ReadAtLeastAsync(held, held.Length, throwOnEndOfStream: false, ct);
        if (!held.AsSpan(0, read).SequenceEqual(_token))
            throw new IOException($"{Path.GetDirectoryName(_path)}: another results writer has taken over this folder; this one writes no more");
        await commit();
    }

    /// <summary>An exclusive open (an advisory lock on Unix, also between writers in one process).</summary>
    private async Task<FileStream> LockAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try { return new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { await Task.Delay(20, ct); }
        }
    }
}
