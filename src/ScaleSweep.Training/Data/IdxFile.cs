using System.Buffers.Binary;
using System.IO.Compression;

namespace ScaleSweep.Training.Data;

/// <summary>
/// Reads and writes the IDX format of (Fashion-)MNIST, gzip-compressed: a magic number whose third byte is the
/// element type (0x08 = unsigned byte) and fourth the number of dimensions, big-endian dimension sizes, data.
/// </summary>
public static class IdxFile
{
    public sealed record Contents(int[] Shape, byte[] Data);

    public static Contents ReadGz(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return Parse(buffer.ToArray(), path);
    }

    public static Contents Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: not an IDX file (bad magic number)");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"{source}: IDX element type 0x{bytes[2]:x2} is not unsigned byte");
        int dims = bytes[3];
        if (bytes.Length < 4 + 4 * dims) throw new InvalidDataException($"{source}: truncated IDX header");
        var shape = new int[dims];
        long count = 1;
        for (int i = 0; i < dims; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            count *= shape[i];
        }
        int offset = 4 + 4 * dims;
        if (bytes.Length - offset != count)
            throw new InvalidDataException($"{source}: IDX data has {bytes.Length - offset} bytes, header says {count}");
        return new Contents(shape, bytes[offset..]);
    }

    public static void WriteGz(string path, int[] shape, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> header = stackalloc byte[4 + 4 * shape.Length];
        header[2] = 0x08;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header[(4 + 4 * i)..], shape[i]);
        gzip.Write(header);
        gzip.Write(data);
    }
}
