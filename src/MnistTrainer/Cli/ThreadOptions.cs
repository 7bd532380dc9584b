using System.CommandLine;
using static TorchSharp.torch;

namespace MnistTrainer.Cli;

/// <summary>The --threads option shared by the commands that run the network.</summary>
public static class ThreadOptions
{
    /// <summary>
    /// One thread by default: this network's matrix products are small, and on a 2-core machine a
    /// second libgomp thread competes with .NET's own background threads (see docs/benchmarks.md).
    /// </summary>
    public const int Default = 1;

    public static Option<int> Create()
    {
        var threads = new Option<int>("--threads") { Description = "CPU threads for torch", DefaultValueFactory = _ => Default };
        threads.ParseInvariantly();
        threads.Check(v => v is < 1 or > 1024 ? $"--threads must be between 1 and 1024 (got {v})." : null);
        return threads;
    }

    public static void Apply(int threads) => set_num_threads(threads);
}
