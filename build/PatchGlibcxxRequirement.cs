// MSBuild inline task (RoslynCodeTaskFactory): marks one GLIBCXX version requirement of
// libLibTorchSharp.so weak when the host's libstdc++ does not provide that version.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchGlibcxxRequirement : Task
{
    [Required] public string Directory { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    /// <summary>The host libstdc++ to inspect; empty = the first of the standard locations that exists.</summary>
    public string HostLibStdCxx { get; set; } = "";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var targets = System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories).ToList();
        if (targets.Count == 0) return true;

        var hostLib = string.IsNullOrEmpty(HostLibStdCxx) ? LibStdCxxCandidates.FirstOrDefault(File.Exists) : HostLibStdCxx;
        if (hostLib == null)
        {
            Log.LogMessage(MessageImportance.Normal, "libstdc++.so.6 not found in standard locations; no patch.");
            return true;
        }
        if (Contains(File.ReadAllBytes(hostLib), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Normal, $"{hostLib} provides {VersionName}; libLibTorchSharp.so needs no patch.");
            return true;
        }

        foreach (var path in targets)
        {
            try
            {
                var outcome = MarkWeak(path, VersionName);
                Log.LogMessage(MessageImportance.High, $"libLibTorchSharp patch: {path}: {outcome}");
            }
            catch (Exception ex)
            {
                Log.LogError($"Could not patch {path}: {ex.Message}");
                return false;
            }
        }
        return true;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // ELF64 little-endian only (the only layout TorchSharp ships for Linux).
    private static string MarkWeak(string path, string versionName)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        ushort shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        ushort shnum = BitConverter.ToUInt16(bytes, 0x3C);

        for (int s = 0; s < shnum; s++)
        {
            long sh = (long)shoff + s * shentsize;
            if (BitConverter.ToUInt32(bytes, (int)sh + 4) != ShtGnuVerneed) continue;

            long offset = (long)BitConverter.ToUInt64(bytes, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(bytes, (int)sh + 0x28);
            long strtab = (long)BitConverter.ToUInt64(bytes, (int)(shoff + link * (ulong)shentsize) + 0x18);

            long need = offset;
            while (true)
            {
                ushort count = BitConverter.ToUInt16(bytes, (int)need + 2);
                uint auxOffset = BitConverter.ToUInt32(bytes, (int)need + 8);
                uint next = BitConverter.ToUInt32(bytes, (int)need + 12);
                long aux = need + auxOffset;
                for (int a = 0; a < count; a++)
                {
                    uint nameOffset = BitConverter.ToUInt32(bytes, (int)aux + 8);
                    if (ReadCString(bytes, strtab + nameOffset) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(bytes, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0) return "already weak";
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, (int)aux + 4);
                        var temp = path + ".patching";
                        File.WriteAllBytes(temp, bytes);
                        File.Copy(temp, path, true);
                        File.Delete(temp);
                        return $"marked {versionName} weak";
                    }
                    aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
                }
                if (next == 0) break;
                need += next;
            }
        }
        return $"no requirement on {versionName}";
    }

    private static string ReadCString(byte[] bytes, long start)
    {
        long end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
