namespace ScaleSweep.Hosting;

/// <summary>How a silo finds its peers and keeps grain state.</summary>
public enum HostingMode
{
    /// <summary>One process (<c>scalesweep run</c>): localhost clustering on free loopback ports, memory storage.</summary>
    Embedded,

    /// <summary><c>scalesweep silo</c>: Redis membership and Redis grain storage.</summary>
    Cluster,
}
