using System.Diagnostics;
using System.Net.Sockets;
using ScaleSweep.Hosting;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>A throwaway redis-server on a free loopback port (no persistence), stopped on dispose; with a password, <c>--requirepass</c>.</summary>
public sealed class RedisServer : IDisposable
{
    public const string Binary = "/usr/bin/redis-server";
    private readonly Process _process;

    private RedisServer(Process process, int port, string? password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The StackExchange.Redis configuration a client needs: the address, and the password when there is one.</summary>
    public string Configuration => Password is null ? Address : $"{Address},password={Password}";

    public static RedisServer Start(string? password = null)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package redis-server (apt-get install redis-server)");
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
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
                return new RedisServer(process, port, password);
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
    }

    private int _disposed;
}
