using System.Security.Cryptography;
using MnistTrainer.Data;

namespace MnistTrainer.Tests.Data;

/// <summary>What a dataset's catalog must say about files a test serves: their sizes and MD5s.</summary>
public static class Served
{
    public static Dictionary<string, KnownFile> KnownFiles(IReadOnlyDictionary<string, byte[]> contents) =>
        contents.ToDictionary(kv => kv.Key, kv => new KnownFile(kv.Value.Length, Convert.ToHexStringLower(MD5.HashData(kv.Value))));
}
