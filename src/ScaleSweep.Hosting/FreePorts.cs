using System.Net;
using System.Net.Sockets;

namespace ScaleSweep.Hosting;

/// <summary>Free TCP ports on loopback, for silos that may share a machine.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int OrFree(int port) => port > 0 ? port : Next();
}
