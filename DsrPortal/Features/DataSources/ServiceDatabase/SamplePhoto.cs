using System.IO.Compression;
using System.Text;

namespace DsrPortal.Features.DataSources.ServiceDatabase;

/// <summary>A real, tiny PNG (4×4 pixels of one colour, varying with the photo's id) for the demo's photo files.</summary>
internal static class SamplePhoto
{
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256)
        .Select(n => Enumerable.Range(0, 8).Aggregate((uint)n, (c, _) => (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1))
        .ToArray();

    public static byte[] Png(long id)
    {
        const int size = 4;
        const int stride = 1 + (size * 3);
        var hash = (uint)(id * 2654435761L);
        var raw = new byte[size * stride];
        for (var i = 0; i < size * size; i++)
        {
            var at = ((i / size) * stride) + 1 + ((i % size) * 3);
            (raw[at], raw[at + 1], raw[at + 2]) = ((byte)(hash >> 16), (byte)(hash >> 8), (byte)hash);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", [0, 0, 0, size, 0, 0, 0, size, 8, 2, 0, 0, 0]);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        byte[] body = [.. Encoding.ASCII.GetBytes(type), .. data];
        WriteBigEndian(stream, (uint)data.Length);
        stream.Write(body);
        WriteBigEndian(stream, Crc32(body));
    }

    private static void WriteBigEndian(Stream stream, uint value) =>
        stream.Write([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static uint Crc32(byte[] data) =>
        data.Aggregate(0xFFFFFFFFu, (crc, b) => CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8)) ^ 0xFFFFFFFFu;
}
