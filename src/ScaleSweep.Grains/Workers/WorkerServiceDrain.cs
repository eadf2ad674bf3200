using Microsoft.Extensions.Logging;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// Draining (a silo told to stop, e.g. SIGTERM): the worker asks for no lease from the moment the drain starts,
/// lets running trials finish for up to <see cref="WorkerOptions.StopGrace"/> while it keeps renewing and reporting,
/// then stops what is still running and gives those leases back. Leases that arrive during the drain (a request
/// already on its way) are given back unstarted.
/// </summary>
public sealed partial class WorkerService
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the last reports and releases of a drain may take after the grace.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(10);

    private volatile bool _draining;
    private int _drainStarted;

    /// <summary>Finished trials (results, failures, releases) not yet delivered to their sweeps.</summary>
    private int _outstanding;

    /// <summary>True from the start of <see cref="DrainAsync"/>: no further lease is asked for or started.</summary>
    public bool Draining => _draining;

    /// <summary>Drains the worker (see the type's remarks); returns once every lease is reported or released.</summary>
    public async Task DrainAsync()
    {
        if (Slots <= 0 || Interlocked.Exchange(ref _drainStarted, 1) == 1) return;
        _draining = true;
        _wake.Release();
        var running = _active.Count;
        _logger.LogInformation("worker {Worker}: draining: no new leases; {Running} running trials get {Grace:0.#} s to finish", WorkerId, running,
            _options.StopGrace.TotalSeconds);
        var deadline = _time.GetUtcNow() + _options.StopGrace;
        while (!_active.IsEmpty && _time.GetUtcNow() < deadline) await Task.Delay(DrainPoll, _time);
        var stopped = _active.Count;
        foreach (var trial in _active.Values) trial.Stop(StopReason.Shutdown);
        // The dispatcher keeps reporting: wait until the last results and releases have left.
        var reported = _time.GetUtcNow() + ReportTimeout;
        while ((!_active.IsEmpty || Volatile.Read(ref _outstanding) > 0) && _time.GetUtcNow() < reported)
            await Task.Delay(DrainPoll, _time);
        _logger.LogInformation("worker {Worker}: drained: {Finished} of {Running} running trials finished, {Stopped} stopped and released", WorkerId,
            running - stopped, running, stopped);
    }
}
