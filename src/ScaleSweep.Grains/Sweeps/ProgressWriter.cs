namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// Writes a sweep's progress one write at a time (the grain is reentrant and its timer interleaves, and all of them
/// write the same state). A call returns once a write that began after the book's last change succeeded: a write in
/// flight is waited for, and the state written again if that write failed or the book changed meanwhile. Calls that
/// wait together share the next write.
/// </summary>
internal sealed class ProgressWriter(IPersistentState<SweepProgress> state)
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    public async Task WriteAsync(SweepBook? book, bool force)
    {
        await _writing.WaitAsync();
        try
        {
            if (book is null || (!force && !book.Dirty)) return;
            book.Dirty = false;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                book.Dirty = true;
                throw;
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
