using System.CommandLine;
using static TorchSharp.torch;

namespace MnistTrainer.Cli;

/// <summary>The --threads option shared by the commands that run the network.</summary>
public static class ThreadOptions
{
    /// <summary>
    /// One thread by default. With more, libtorch runs each matrix product (about nine a batch, ten
    /// thousand an epoch) as an OpenMP fork-join whose threads spin-wait for each other; when the
    /// threads fill the cores, any other runnable thread (.NET's JIT, GC or finalizer threads early
    /// in a run, or another program) preempts one of them and every product waits for it. Epochs then
    /// take seconds instead of half a second. One thread has no team to wait for; docs/benchmarks.md
    /// measures both.
    /// </summary>
    public const int Default = 1;

    public static Option<int> Create()
    {
        var threads = new Option<int>("--threads") { Description = "CPU threads for torch (more than 1 rarely helps this small network and can stall when other work runs; see docs/benchmarks.md)", DefaultValueFactory = _ => Default };
        threads.ParseInvariantly();
        threads.Check(v => v is < 1 or > 1024 ? $"--threads must be between 1 and 1024 (got {v})." : null);
        return threads;
    }

    public static void Apply(int threads) => set_num_threads(threads);
}
