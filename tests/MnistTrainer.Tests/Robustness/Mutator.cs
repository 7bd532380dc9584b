using System.Buffers.Binary;

namespace MnistTrainer.Tests.Robustness;

/// <summary>Random damage to a valid file, the same for the same seed: truncations, bit flips, header changes, extra or missing bytes.</summary>
public static class Mutator
{
    static readonly int[] Interesting = [0, 1, -1, 2, 27, 28, 29, 255, 256, 2049, 2051, 65535, 1 << 20, 1 << 24, int.MaxValue, int.MinValue, int.MaxValue / 784];

    /// <param name="headerLength">How many leading bytes are header, where changes are aimed more often.</param>
    public static byte[] Mutate(byte[] valid, int seed, int headerLength)
    {
        var random = new Random(seed);
        var bytes = (byte[])valid.Clone();
        int rounds = random.Next(1, 4);
        for (int i = 0; i < rounds; i++)
            bytes = Once(bytes, random, Math.Min(headerLength, bytes.Length));
        return bytes;
    }

    static byte[] Once(byte[] bytes, Random random, int headerLength)
    {
        switch (random.Next(6))
        {
            case 0: // cut short
                return bytes[..random.Next(bytes.Length + 1)];
            case 1: // bit flips anywhere
                for (int n = random.Next(1, 9); n > 0 && bytes.Length > 0; n--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 2: // bit flips in the header
                for (int n = random.Next(1, 4); n > 0 && headerLength > 0; n--)
                    bytes[random.Next(headerLength)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 3: // a header field set to an edge value (big-endian, as IDX; little-endian fields get garbled values, fine too)
                if (headerLength < 4) return bytes;
                int at = random.Next(headerLength / 4) * 4;
                int value = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : Interesting[random.Next(Interesting.Length)];
                if (random.Next(2) == 0) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), value);
                else BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
                return bytes;
            case 4: // extra bytes at the end
                var extra = new byte[random.Next(1, 200)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
            default: // a range removed from the middle
                if (bytes.Length < 2) return bytes;
                int start = random.Next(bytes.Length - 1);
                int count = random.Next(1, Math.Min(500, bytes.Length - start) + 1);
                return [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + count)];
        }
    }
}
