using System.Diagnostics;
using System.Net.Sockets;
using ScaleSweep.Hosting;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// A throwaway redis-server on a free loopback port, stopped on dispose; with a password, <c>--requirepass</c>.
/// Without persistence by default; a durable one (<see cref="StartDurable"/>) keeps an append-only file in its own
/// folder and can be stopped and started again on the same port with its data.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string Binary = "/usr/bin/redis-server";
    private readonly string? _dataDir;
    private Process _process;

    private RedisServer(Process process, int port, string? password, string? dataDir)
    {
        _process = process;
        Port = port;
        Password = password;
        _dataDir = dataDir;
    }

    public int Port { get; }

    public string? Password { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The StackExchange.Redis configuration a client needs: the address, and the password when there is one.</summary>
    public string Configuration => Password is null ? Address : $"{Address},password={Password}";

    public static RedisServer Start(string? password = null)
    {
        var port = FreePorts.Next();
        return new RedisServer(Launch(port, password, null), port, password, null);
    }

    /// <summary>A Redis with AOF on (fsync on every write), so a stop and <see cref="Restart"/> lose nothing written.</summary>
    public static RedisServer StartDurable()
    {
        var port = FreePorts.Next();
        var dir = Directory.CreateTempSubdirectory("scalesweep-redis-").FullName;
        return new RedisServer(Launch(port, null, dir), port, null, dir);
    }

    /// <summary>SIGTERM (Redis finishes its append-only file) and waits for the process to end.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, Sigterm);
        if (!_process.WaitForExit(10_000)) _process.Kill();
    }

    /// <summary>Starts the stopped server again on the same port, from its append-only file.</summary>
    public void Restart()
    {
        if (_dataDir is null) throw new InvalidOperationException("only a durable Redis restarts with its data");
        _process.Dispose();
        _process = Launch(Port, Password, _dataDir);
    }

    private static Process Launch(int port, string? password, string? dataDir)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package redis-server (apt-get install redis-server)");
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir ?? Path.GetTempPath(),
        };
        string[] persistence = dataDir is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir];
        foreach (var arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--protected-mode", "yes" }.Concat(persistence))
            info.ArgumentList.Add(arg);
        if (password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(password);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Stops the server; safe to call twice (a test and its <see cref="LocalCluster"/> may both own it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        if (_dataDir is not null)
        {
            try { Directory.Delete(_dataDir, recursive: true); }
            catch (IOException) { }
        }
    }

    private int _disposed;

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
